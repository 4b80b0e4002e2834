import type { Store } from '../store/store.ts'

/**
 * Cluster-wide coordination of replicas: leases (one holder at a time for a named piece of work, lapsing when
 * the holder stops renewing, e.g. because it died) and the run record of scheduled jobs (a job claimed for a
 * period runs once in that period, whichever replica holds it).
 */
export interface Leases {
  /** Takes the lease, or renews it when `holder` already has it; false while someone else holds it. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>
  /** Gives the lease up (only when `holder` has it), so another replica need not wait for it to lapse. */
  release(name: string, holder: string): Promise<void>
  /** Claims a run of job `name` when it last started at least `everyMs` ago (or never); false when not due. */
  claimRun(name: string, holder: string, everyMs: number): Promise<boolean>
  /** Records the end of the run `claimRun` started. */
  finishRun(name: string, holder: string, error?: string): Promise<void>
}

/** Leases in the store (PGlite or PostgreSQL), on the database's clock so replicas' clocks need not agree. */
export class SqlLeases implements Leases {
  constructor(private readonly store: Store) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    // The conditional upsert is one statement: two replicas racing for a lapsed lease cannot both take it.
    const { rows } = await this.store.query(
      `insert into leases (name, holder, token, expires_at) values ($1, $2, 1, now() + $3::integer * interval '1 millisecond')
       on conflict (name) do update set
         token = case when leases.holder = excluded.holder then leases.token else leases.token + 1 end,
         acquired_at = case when leases.holder = excluded.holder then leases.acquired_at else now() end,
         holder = excluded.holder, expires_at = excluded.expires_at
       where leases.holder = excluded.holder or leases.expires_at <= now()
       returning token`,
      [name, holder, Math.round(ttlMs)],
    )
    return rows.length === 1
  }

  async release(name: string, holder: string): Promise<void> {
    await this.store.query('delete from leases where name = $1 and holder = $2', [name, holder])
  }

  async claimRun(name: string, holder: string, everyMs: number): Promise<boolean> {
    const { rows } = await this.store.query(
      `insert into job_runs (name, started_at, holder) values ($1, now(), $2)
       on conflict (name) do update set started_at = now(), finished_at = null, holder = excluded.holder, error = null
       where job_runs.started_at <= now() - $3::integer * interval '1 millisecond'
       returning name`,
      [name, holder, Math.round(everyMs)],
    )
    return rows.length === 1
  }

  async finishRun(name: string, holder: string, error?: string): Promise<void> {
    await this.store.query('update job_runs set finished_at = now(), error = $3 where name = $1 and holder = $2', [name, holder, error ?? null])
  }
}

/** Leases of one process (no store: `--catalog` runs), where this process is the whole cluster. */
export class MemoryLeases implements Leases {
  private readonly leases = new Map<string, { holder: string; expiresAt: number }>()
  private readonly runs = new Map<string, number>()

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const lease = this.leases.get(name)
    if (lease && lease.holder !== holder && lease.expiresAt > this.now()) return false
    this.leases.set(name, { holder, expiresAt: this.now() + ttlMs })
    return true
  }

  async release(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name)
  }

  async claimRun(name: string, _holder: string, everyMs: number): Promise<boolean> {
    const started = this.runs.get(name)
    if (started !== undefined && started > this.now() - everyMs) return false
    this.runs.set(name, this.now())
    return true
  }

  async finishRun(): Promise<void> {}
}

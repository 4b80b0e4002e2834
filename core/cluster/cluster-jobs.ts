import { randomUUID } from 'node:crypto'
import type { Leases } from './leases.ts'

/** Work that runs on a schedule once per cluster, however many replicas run. */
export interface ScheduledJob {
  name: string
  /** The period: a run starts at most once per period across the cluster. */
  everyMs: number
  /** Aborted when this replica loses the job's lease or stops. */
  run(signal: AbortSignal): Promise<void>
}

export interface ClusterJobsOptions {
  leases: Leases
  /** This replica's name in leases (unique per process). */
  holder: string
  /** How long a lease lasts without renewal: how soon a dead holder's work is taken over. */
  ttlMs?: number
  /** How often leases are renewed and due jobs checked; well under the lease's ttl. */
  checkEveryMs?: number
  log?: (message: string) => void
}

interface Running {
  controller: AbortController
  done: Promise<void>
}

/**
 * Runs scheduled jobs once per cluster. Each job has a lease: the replica holding it (renewing it every check)
 * runs the job when it is due, recording the run in the store, so a replica that takes the job over after its
 * holder died runs it when the next period is due, not at once. Every replica checks; only one holds each job.
 */
export class ClusterJobs {
  private readonly jobs = new Map<string, ScheduledJob>()
  private readonly running = new Map<string, Running>()
  private readonly leases: Leases
  private readonly holder: string
  private readonly ttlMs: number
  private readonly checkEveryMs: number
  private readonly log: (message: string) => void
  private timer?: NodeJS.Timeout
  private checking?: Promise<void>
  private stopped = false

  constructor({ leases, holder, ttlMs = 15_000, checkEveryMs = Math.max(100, Math.floor(ttlMs / 3)), log = (message) => process.stderr.write(`jobs: ${message}\n`) }: ClusterJobsOptions) {
    this.leases = leases
    this.holder = holder
    this.ttlMs = ttlMs
    this.checkEveryMs = checkEveryMs
    this.log = log
  }

  register(...jobs: ScheduledJob[]): this {
    for (const job of jobs) {
      if (this.jobs.has(job.name)) throw new Error(`A scheduled job named ${job.name} is already registered`)
      this.jobs.set(job.name, job)
    }
    return this
  }

  get names(): string[] {
    return [...this.jobs.keys()]
  }

  /** Starts checking leases and due jobs, now and then every `checkEveryMs`. */
  start(): void {
    if (this.timer || this.stopped) return
    void this.check()
    this.timer = setInterval(() => void this.check(), this.checkEveryMs)
    this.timer.unref()
  }

  /** One round: renew or take each job's lease, start the jobs that are due. Resolves before the jobs finish. */
  check(): Promise<void> {
    this.checking ??= this.checkJobs().finally(() => (this.checking = undefined))
    return this.checking
  }

  /**
   * Runs `work` unless another replica is running work of the same name: for one-off cluster-wide work such as
   * seeding an empty store. Returns whether it ran here, and what it returned.
   */
  async runExclusive<T>(name: string, work: (signal: AbortSignal) => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const lease = `once:${name}`
    // A holder of its own: two runs asked for in the same process are exclusive too.
    const holder = `${this.holder}#${randomUUID().slice(0, 8)}`
    if (!(await this.leases.acquire(lease, holder, this.ttlMs))) return { ran: false }
    const controller = new AbortController()
    const renewal = setInterval(() => {
      this.leases.acquire(lease, holder, this.ttlMs).then(
        (held) => held || controller.abort(new Error(`lost the lease ${lease}`)),
        (error: unknown) => this.log(`renewing ${lease} failed: ${(error as Error).message}`),
      )
    }, this.checkEveryMs)
    try {
      return { ran: true, value: await work(controller.signal) }
    } finally {
      clearInterval(renewal)
      await this.leases.release(lease, holder)
    }
  }

  /** Stops checking, aborts this replica's running jobs, waits for them and gives their leases up. */
  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.checking
    for (const { controller } of this.running.values()) controller.abort(new Error('the replica is stopping'))
    await Promise.all([...this.running.values()].map((running) => running.done))
    for (const name of this.jobs.keys()) await this.leases.release(`job:${name}`, this.holder).catch(() => undefined)
  }

  private async checkJobs(): Promise<void> {
    for (const job of this.jobs.values()) {
      if (this.stopped) return
      try {
        await this.checkJob(job)
      } catch (error) {
        this.log(`checking ${job.name} failed: ${(error as Error).message}`)
      }
    }
  }

  private async checkJob(job: ScheduledJob): Promise<void> {
    const held = await this.leases.acquire(`job:${job.name}`, this.holder, this.ttlMs)
    const running = this.running.get(job.name)
    if (!held) {
      // Someone else took it over (this replica was too slow to renew): it must not run twice.
      running?.controller.abort(new Error(`lost the lease of ${job.name}`))
      return
    }
    if (running || !(await this.leases.claimRun(job.name, this.holder, job.everyMs))) return
    const controller = new AbortController()
    const done = job
      .run(controller.signal)
      .then(
        () => this.leases.finishRun(job.name, this.holder),
        (error: unknown) => {
          this.log(`${job.name} failed: ${(error as Error).message}`)
          return this.leases.finishRun(job.name, this.holder, (error as Error).message)
        },
      )
      .catch((error: unknown) => this.log(`recording the run of ${job.name} failed: ${(error as Error).message}`))
      .finally(() => this.running.delete(job.name))
    this.running.set(job.name, { controller, done })
  }
}

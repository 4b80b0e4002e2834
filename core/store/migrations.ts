import type { Store } from './store.ts'

export interface Migration {
  version: number
  name: string
  sql: string
}

/**
 * The schema, as an append-only list: a released migration is never edited, a change is a new version.
 * Entities are stored as authored (placeholders substituted); relations are derived from them when the
 * catalog index loads, so a reference to an entity imported later resolves without rewriting rows.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    name: 'catalog',
    sql: `
      create extension if not exists vector;
      create table entities (
        ref text primary key,
        uid text not null unique,
        kind text not null,
        namespace text not null,
        name text not null,
        origin text not null,
        source text not null,
        etag text not null,
        body jsonb not null,
        updated_at timestamptz not null default now()
      );
      create index entities_origin on entities (origin);
      create table locations (
        origin text primary key,
        imported_at timestamptz not null default now(),
        entity_count integer not null
      );
    `,
  },
  {
    version: 2,
    name: 'api-tokens',
    sql: `
      create table api_tokens (
        id text primary key,
        name text not null unique,
        token_hash text not null unique,
        scopes text[] not null,
        subject text not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
    `,
  },
  {
    version: 3,
    name: 'conversation-turns',
    sql: `
      create table conversation_turns (
        thread_id text not null,
        position integer not null,
        role text not null check (role in ('user', 'assistant')),
        text text not null,
        tool_calls jsonb not null default '[]',
        created_at timestamptz not null default now(),
        primary key (thread_id, position)
      );
    `,
  },
  {
    version: 4,
    name: 'approvals-and-audit',
    sql: `
      create table approval_requests (
        id text primary key,
        tool text not null,
        input jsonb not null,
        requester text not null,
        requester_user text,
        surface text not null,
        thread_id text,
        summary text not null,
        target text,
        blast_radius jsonb not null default '[]',
        approvers text[] not null,
        required_approvals integer not null check (required_approvals >= 1),
        policy_reason text not null,
        status text not null check (status in ('pending', 'approved', 'denied', 'expired', 'running', 'succeeded', 'failed')),
        expires_at timestamptz not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        result jsonb,
        error text
      );
      create index approval_requests_thread on approval_requests (thread_id);
      create index approval_requests_status on approval_requests (status);
      create table approval_decisions (
        request_id text not null references approval_requests (id),
        approver text not null,
        decision text not null check (decision in ('approve', 'deny')),
        reason text,
        surface text not null,
        decided_at timestamptz not null default now(),
        primary key (request_id, approver)
      );
      create table audit_log (
        seq bigserial primary key,
        at timestamptz not null default clock_timestamp(),
        request_id text,
        actor text not null,
        action text not null,
        detail jsonb not null default '{}'
      );
      create index audit_log_request on audit_log (request_id);
      -- The audit log is append-only: rows can be read and added, never changed or removed.
      create function audit_log_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'the audit log is append-only';
      end
      $$;
      create trigger audit_log_append_only before update or delete on audit_log
        for each row execute function audit_log_is_append_only();
      create trigger audit_log_no_truncate before truncate on audit_log
        for each statement execute function audit_log_is_append_only();
    `,
  },
  {
    version: 5,
    name: 'cost',
    // Money is numeric, never float: totals must equal the bill to the cent. cost_daily is the rollup every
    // breakdown reads; it is rebuilt for the billing periods an import replaces, in the same transaction.
    sql: `
      create table cost_line_items (
        import_id text not null,
        provider text not null,
        billing_account_id text not null,
        billing_period_start timestamptz not null,
        usage_date date not null,
        charge_category text not null,
        charge_frequency text,
        charge_description text,
        pricing_category text,
        service_category text not null,
        service_name text not null,
        region text,
        sku_id text,
        resource_id text,
        consumed_quantity numeric,
        consumed_unit text,
        commitment_discount_status text,
        billed_cost numeric not null,
        effective_cost numeric not null,
        currency text not null,
        -- The Tags cell as written (JSON text, cast to jsonb when needed): jsonb's parsing was a fifth of the
        -- insert time, and allocation has already read the tags.
        tags text,
        energy_kwh double precision,
        entity_ref text,
        team_ref text,
        allocated_by text not null
      );
      -- Rows arrive in date order: a BRIN index is tiny and nearly free to keep up at millions of rows.
      create index cost_line_items_date on cost_line_items using brin (usage_date);
      create table cost_daily (
        usage_date date not null,
        provider text not null,
        billing_account_id text not null,
        billing_period_start timestamptz not null,
        service_category text not null,
        service_name text not null,
        region text,
        sku_id text,
        entity_ref text,
        team_ref text,
        allocated_by text not null,
        pricing_category text,
        charge_category text not null,
        currency text not null,
        billed_cost numeric not null,
        effective_cost numeric not null,
        energy_kwh double precision not null,
        unestimated_cost numeric not null,
        line_items integer not null
      );
      create index cost_daily_date on cost_daily (usage_date);
      create index cost_daily_period on cost_daily (provider, billing_account_id, billing_period_start);
      create table cost_billing_periods (
        provider text not null,
        billing_account_id text not null,
        billing_period_start timestamptz not null,
        rows integer not null,
        billed_cost numeric not null,
        files text[] not null,
        imported_at timestamptz not null default now(),
        primary key (provider, billing_account_id, billing_period_start)
      );
      create table cost_resource_utilisation (
        resource_id text primary key,
        vcpus integer,
        memory_gb double precision,
        cpu_p50 double precision,
        cpu_p95 double precision,
        cpu_max double precision,
        network_gb double precision,
        attached boolean,
        observed_from timestamptz not null,
        observed_to timestamptz not null,
        source text not null
      );
    `,
  },
  {
    version: 6,
    name: 'search-documents',
    sql: `
      create table search_documents (
        id text primary key,
        entity_ref text not null,
        document_type text not null check (document_type in ('entity', 'docs')),
        kind text not null,
        type text,
        owner text,
        system text,
        lifecycle text,
        tags text[] not null default '{}',
        title text not null,
        section text,
        location text not null,
        names text not null,
        keywords text not null,
        summary text not null,
        body text not null,
        embedding_text text not null,
        content_hash text not null,
        search_vector tsvector generated always as (
          setweight(to_tsvector('english', names), 'A') ||
          setweight(to_tsvector('english', keywords), 'B') ||
          setweight(to_tsvector('english', summary), 'C') ||
          setweight(to_tsvector('english', body), 'D')
        ) stored,
        embedding vector(384),
        embedding_model text,
        updated_at timestamptz not null default now()
      );
      create index search_documents_entity on search_documents (entity_ref);
      create index search_documents_text on search_documents using gin (search_vector);
      create index search_documents_embedding on search_documents using hnsw (embedding vector_cosine_ops);
      create index search_documents_unembedded on search_documents (id) where embedding is null;
    `,
  },
  {
    version: 7,
    name: 'signals',
    // Metric samples are stored as runs (regular samples in one array) rather than a row per point: 14 days of a
    // demo organisation is millions of points but a few thousand rows. signal_deliveries makes ingestion
    // idempotent: a delivery id is claimed in the transaction that applies it.
    sql: `
      create table signal_events (
        id text primary key,
        entity text not null,
        type text not null,
        at timestamptz not null,
        summary text not null,
        source text not null,
        attributes jsonb not null default '{}'
      );
      create index signal_events_entity_at on signal_events (entity, at);
      create index signal_events_at on signal_events (at);
      create table incidents (
        id text primary key,
        entity text not null,
        title text not null,
        severity text not null check (severity in ('critical', 'major', 'minor')),
        status text not null check (status in ('open', 'resolved')),
        started_at timestamptz not null,
        resolved_at timestamptz,
        source text not null,
        attributes jsonb not null default '{}'
      );
      create index incidents_started on incidents (started_at);
      create index incidents_entity on incidents (entity);
      create table metric_runs (
        entity text not null,
        metric text not null,
        start_at timestamptz not null,
        ends_at timestamptz not null,
        step_seconds integer not null check (step_seconds >= 0),
        samples double precision[] not null,
        primary key (entity, metric, start_at)
      );
      create index metric_runs_range on metric_runs (start_at, ends_at);
      create table signal_fault_truth (
        id text primary key,
        type text not null,
        cause text not null,
        at timestamptz not null,
        ends_at timestamptz not null,
        incident_id text
      );
      create table signal_deliveries (
        id text primary key,
        applied_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 8,
    name: 'leases',
    // Replicas coordinate through the store: a lease names who does a piece of cluster-wide work until when
    // (it lapses when its holder stops renewing it, e.g. dies); job_runs says when a scheduled job last ran, so
    // a replica taking a job over does not run it again before it is due. Times come from the database's clock.
    sql: `
      create table leases (
        name text primary key,
        holder text not null,
        token bigint not null,
        acquired_at timestamptz not null default now(),
        expires_at timestamptz not null
      );
      create table job_runs (
        name text primary key,
        started_at timestamptz not null,
        finished_at timestamptz,
        holder text not null,
        error text
      );
    `,
  },
]

/** Applies the migrations a store has not seen yet, in order, each in its own transaction. */
export async function migrate(store: Store, list: Migration[] = migrations): Promise<number[]> {
  await store.exec('create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())')
  const applied: number[] = []
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    const done = await store.transaction(async (transaction) => {
      // Two replicas starting together: the advisory lock makes the second wait, then see the version applied.
      await transaction.query('select pg_advisory_xact_lock(7210001)')
      const existing = await transaction.query('select 1 from schema_migrations where version = $1', [migration.version])
      if (existing.rows.length > 0) return false
      await transaction.exec(migration.sql)
      await transaction.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name])
      return true
    })
    if (done) applied.push(migration.version)
  }
  return applied
}

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
    // Numbered with room to spare: other branches add versions in between.
    version: 10,
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

import type { Store } from '../../core/store/store.ts'

export interface StoredTurn {
  role: 'user' | 'assistant'
  text: string
  toolCalls?: Array<{ name: string; input: unknown }>
}

/** Per-thread conversation history, so follow-ups ("and who owns it?") work across requests and replicas. */
export interface ConversationStore {
  load(threadId: string, { limit }?: { limit?: number }): Promise<StoredTurn[]>
  append(threadId: string, turns: StoredTurn[]): Promise<void>
}

export class MemoryConversationStore implements ConversationStore {
  private readonly threads = new Map<string, StoredTurn[]>()

  async load(threadId: string, { limit = 20 }: { limit?: number } = {}): Promise<StoredTurn[]> {
    return (this.threads.get(threadId) ?? []).slice(-limit)
  }

  async append(threadId: string, turns: StoredTurn[]): Promise<void> {
    this.threads.set(threadId, [...(this.threads.get(threadId) ?? []), ...turns])
  }
}

export class SqlConversationStore implements ConversationStore {
  constructor(private readonly store: Store) {}

  async load(threadId: string, { limit = 20 }: { limit?: number } = {}): Promise<StoredTurn[]> {
    const { rows } = await this.store.query<{ role: 'user' | 'assistant'; text: string; tool_calls: StoredTurn['toolCalls'] | string }>(
      'select role, text, tool_calls from (select role, text, tool_calls, position from conversation_turns where thread_id = $1 order by position desc limit $2) recent order by position',
      [threadId, limit],
    )
    return rows.map((row) => ({ role: row.role, text: row.text, toolCalls: typeof row.tool_calls === 'string' ? JSON.parse(row.tool_calls) : row.tool_calls }))
  }

  async append(threadId: string, turns: StoredTurn[]): Promise<void> {
    // Positions continue from the thread's last one, in one transaction, so two replicas cannot interleave a turn.
    await this.store.transaction(async (transaction) => {
      await transaction.query('select pg_advisory_xact_lock(hashtext($1))', [threadId])
      const { rows } = await transaction.query<{ next: number }>('select coalesce(max(position), -1) + 1 as next from conversation_turns where thread_id = $1', [threadId])
      let position = Number(rows[0]!.next)
      for (const turn of turns) {
        await transaction.query('insert into conversation_turns (thread_id, position, role, text, tool_calls) values ($1, $2, $3, $4, $5::jsonb)', [threadId, position++, turn.role, turn.text, JSON.stringify(turn.toolCalls ?? [])])
      }
    })
  }
}

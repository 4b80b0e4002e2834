import { useChat } from '@ai-sdk/react'
import { DefaultChatTransport, type UIMessage } from 'ai'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { Card } from '../../bots/cards.ts'
import { fetchSession, userHeaders, type Session } from './api.ts'
import { CardView } from './cards/CardView.tsx'

type PortalMessage = UIMessage<{ model?: string; fallbackReason?: string }, { card: Card; status: { text: string } }>

const USER_KEY = 'next-portal.user'

export function App() {
  const [user, setUser] = useState<string | undefined>(() => localStorage.getItem(USER_KEY) ?? undefined)
  const [session, setSession] = useState<Session>()
  const [sessionError, setSessionError] = useState<string>()
  const [threadId, setThreadId] = useState(() => crypto.randomUUID())

  useEffect(() => {
    fetchSession(user).then(setSession, (error: Error) => setSessionError(error.message))
  }, [user])

  const choose = (ref: string) => {
    if (ref) localStorage.setItem(USER_KEY, ref)
    else localStorage.removeItem(USER_KEY)
    // The conversation stays: in the embedded default one screen can play requester and approvers in turn.
    setUser(ref || undefined)
  }

  return (
    <div className="app">
      <header>
        <h1>NEXT Portal</h1>
        <div className="identity">
          {session?.auth === 'local' ? (
            <label>
              Signed in as{' '}
              <select aria-label="Signed in as" value={user ?? ''} onChange={(event) => choose(event.target.value)}>
                <option value="">guest (pick yourself)</option>
                {session.users.map((person) => (
                  <option key={person.ref} value={person.ref}>
                    {person.name} — {person.teams.map((team) => team.replace(/^group:default\//, '')).join(', ')}
                  </option>
                ))}
              </select>
            </label>
          ) : session?.user ? (
            <span>Signed in as {session.user.name}</span>
          ) : null}
          <button type="button" className="secondary" onClick={() => setThreadId(crypto.randomUUID())}>
            New conversation
          </button>
        </div>
      </header>
      {sessionError ? <p className="error" role="alert">{sessionError}</p> : null}
      <Conversation key={`${threadId}`} threadId={threadId} user={user} suggestions={session?.suggestions ?? []} />
    </div>
  )
}

function Conversation({ threadId, user, suggestions }: { threadId: string; user: string | undefined; suggestions: string[] }) {
  const [input, setInput] = useState('')
  const [progress, setProgress] = useState<string>()
  // One transport per conversation; it reads the person at send time, so switching people keeps the thread.
  const asker = useRef(user)
  asker.current = user
  const transport = useMemo(() => new DefaultChatTransport<PortalMessage>({ api: '/api/chat', headers: () => userHeaders(asker.current) }), [])
  const { messages, sendMessage, status, error, regenerate, clearError } = useChat<PortalMessage>({
    id: threadId,
    transport,
    onData: (part) => {
      if (part.type === 'data-status') setProgress(part.data.text)
    },
    onFinish: () => setProgress(undefined),
    onError: () => setProgress(undefined),
  })
  const end = useRef<HTMLDivElement>(null)
  useEffect(() => {
    // Braces matter: newer browsers return a promise from scrollIntoView, and an effect may return only a cleanup.
    void end.current?.scrollIntoView({ block: 'end' })
  }, [messages, progress])
  const busy = status === 'submitted' || status === 'streaming'

  const ask = (text: string) => {
    const question = text.trim()
    if (!question || busy) return
    clearError()
    setProgress('Thinking…')
    void sendMessage({ text: question })
    setInput('')
  }

  return (
    <main>
      <section className="messages" aria-live="polite">
        {messages.length === 0 ? (
          <div className="welcome">
            <p>Ask about services, APIs, teams and what depends on what. Actions like restarts wait for an approval by the owning team.</p>
            <div className="suggestions">
              {suggestions.map((suggestion) => (
                <button key={suggestion} type="button" className="suggestion" onClick={() => ask(suggestion)}>
                  {suggestion}
                </button>
              ))}
            </div>
          </div>
        ) : null}
        {messages.map((message) => (
          <article key={message.id} className={`message ${message.role}`} data-testid={`message-${message.role}`}>
            {message.parts.map((part, position) => {
              if (part.type === 'text') return <Answer key={position} text={part.text} onAsk={ask} />
              if (part.type === 'data-card') return <CardView key={part.id ?? position} card={part.data} user={user} onAsk={ask} />
              return null
            })}
            {message.role === 'assistant' && message.metadata?.fallbackReason ? <p className="note">Answered offline: {message.metadata.fallbackReason}</p> : null}
          </article>
        ))}
        {busy && progress ? (
          <p className="progress" data-testid="progress">
            <span className="spinner" aria-hidden="true" /> {progress}
          </p>
        ) : null}
        {error ? (
          <div className="error" role="alert">
            <p>{error.message || 'The portal could not answer.'}</p>
            <button type="button" onClick={() => void regenerate()}>
              Try again
            </button>
          </div>
        ) : null}
        <div ref={end} />
      </section>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          ask(input)
        }}
      >
        <input aria-label="Ask a question" placeholder="Ask about a service, a team, or what to do…" value={input} onChange={(event) => setInput(event.target.value)} maxLength={4000} />
        <button type="submit" disabled={busy || input.trim() === ''}>
          Ask
        </button>
      </form>
    </main>
  )
}

const REF = /\b((?:component|api|resource|system|domain|group|user|template):[a-z0-9._-]+\/[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)/gi

/** The answer as text; entity references become links that ask about them. */
function Answer({ text, onAsk }: { text: string; onAsk: (question: string) => void }) {
  const pieces = text.split(REF)
  return (
    <div className="answer">
      {pieces.map((piece, position) =>
        position % 2 === 1 ? (
          <button key={position} type="button" className="ref" onClick={() => onAsk(`tell me about ${piece}`)}>
            {piece}
          </button>
        ) : (
          <span key={position}>{piece}</span>
        ),
      )}
    </div>
  )
}

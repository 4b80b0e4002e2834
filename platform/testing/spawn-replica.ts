import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

export interface ReplicaProcess {
  url: string
  child: ChildProcess
  /** Sends a command line (see replica-child.ts). */
  send(command: unknown): void
  /** Resolves with the first message from now on for which `match` holds. */
  next<T = Record<string, unknown>>(match: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<T>
  /** Asks it to stop (closing stdin) and waits; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>
  kill(): Promise<void>
}

/** Starts `replica-child.ts` with `env` on a free port and resolves once it serves. */
export async function spawnReplica(env: Record<string, string>, { startTimeoutMs = 60_000 }: { startTimeoutMs?: number } = {}): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'replica-child.ts')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PORTAL_LOG_LEVEL: 'error', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const waiting = new Set<{ match: (message: Record<string, unknown>) => boolean; resolve: (message: any) => void }>()
  let buffer = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop()!
    for (const line of lines) {
      let message: Record<string, unknown>
      try {
        message = JSON.parse(line)
      } catch {
        continue
      }
      for (const waiter of [...waiting]) {
        if (!waiter.match(message)) continue
        waiting.delete(waiter)
        waiter.resolve(message)
      }
    }
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const next = <T>(match: (message: Record<string, unknown>) => boolean, timeoutMs = 60_000) =>
    new Promise<T>((resolve, reject) => {
      const waiter = { match, resolve }
      waiting.add(waiter)
      const timer = setTimeout(() => {
        waiting.delete(waiter)
        reject(new Error(`replica ${env.PORTAL_REPLICA_ID ?? ''}: no expected message within ${timeoutMs} ms`))
      }, timeoutMs)
      void exited.then(() => {
        clearTimeout(timer)
        if (waiting.delete(waiter)) reject(new Error(`replica ${env.PORTAL_REPLICA_ID ?? ''} exited (${child.exitCode ?? child.signalCode})`))
      })
      const settle = waiter.resolve
      waiter.resolve = (message) => {
        clearTimeout(timer)
        settle(message)
      }
    })
  const ready = await next<{ ready: { url: string } }>((message) => 'ready' in message, startTimeoutMs).catch((error: unknown) => {
    child.kill('SIGKILL')
    throw error
  })
  return {
    url: ready.ready.url,
    child,
    send: (command) => child.stdin!.write(`${JSON.stringify(command)}\n`),
    next,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.stdin!.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await exited
    },
  }
}

import type { CliIo } from '../cli-io.ts'

/** A CLI io that records what a command prints, for running commands in-process in tests. */
export function captureIo(env: Record<string, string | undefined>, cwd: string) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = { stdout: (text) => void out.push(text), stderr: (text) => void err.push(text), env, cwd }
  return { io, stdout: () => out.join(''), stderr: () => err.join('') }
}

/** Waits for `portal start` to print where it serves, and returns that URL (undefined after `attempts` × 50 ms). */
export async function waitForServerUrl(stdout: () => string, attempts = 600): Promise<string | undefined> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout())?.[1]
    if (url) return url
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return undefined
}

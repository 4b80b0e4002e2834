import type { BenchContext } from './bench-context.ts'

/** What every benchmark returns: plain JSON-serialisable figures (never an assertion about them). */
export type BenchResult = Record<string, unknown>

/** A benchmark: an async function over the shared context, bounded in time by its own budget. */
export type Benchmark = (context: BenchContext) => Promise<BenchResult>

/** Progress goes to stderr so that stdout carries only the final JSON. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

/** Reads a positive whole number from the environment, or the fallback. */
export function environmentNumber(name: string, fallback: number): number {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${text}"`)
  return value
}

export function roundTo(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

export const MEBIBYTE = 1024 * 1024

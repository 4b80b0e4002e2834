import { Worker } from 'node:worker_threads'
import { MEBIBYTE, roundTo } from './benchmark.ts'

export interface RssSample {
  peakRssMiB: number
  samples: number
  intervalMs: number
}

export interface RssSampler {
  stop(): Promise<RssSample>
}

// The sampler runs on its own thread so it keeps its 50 ms rhythm while the main thread is busy parsing;
// RSS is a property of the process, so the worker sees the whole process's resident memory.
const SAMPLER_SOURCE = `
const { workerData } = require('node:worker_threads')
const cells = new Float64Array(workerData.buffer)
const sample = () => {
  const rss = process.memoryUsage.rss()
  if (rss > cells[0]) cells[0] = rss
  cells[1] += 1
}
sample()
setInterval(sample, workerData.intervalMs)
`

/** Samples the process's resident set size every `intervalMs` until stopped, keeping the peak. */
export async function startRssSampler(intervalMs = 50): Promise<RssSampler> {
  const buffer = new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT)
  const cells = new Float64Array(buffer)
  cells[0] = process.memoryUsage.rss()
  // No execArgv: the sampler is plain JavaScript and need not load the TypeScript loader.
  const worker = new Worker(SAMPLER_SOURCE, { eval: true, execArgv: [], workerData: { buffer, intervalMs } })
  await new Promise<void>((resolve, reject) => {
    worker.once('online', () => resolve())
    worker.once('error', reject)
  })
  return {
    async stop() {
      const last = process.memoryUsage.rss()
      if (last > cells[0]!) cells[0] = last
      const result = { peakRssMiB: roundTo(cells[0]! / MEBIBYTE, 1), samples: cells[1]!, intervalMs }
      await worker.terminate()
      return result
    },
  }
}

/** The largest resident set this process has had, as the kernel counts it (`maxRSS` is in KiB). */
export function maxRssMiB(): number {
  return roundTo(process.resourceUsage().maxRSS / 1024, 1)
}

/**
 * The local sentence model, run in a worker thread. ONNX Runtime's Node binding runs inference synchronously on
 * the calling thread, so in the server's own thread every embedding (a query's, or a batch of documents') would
 * stop the event loop for its whole duration. Here it does not.
 *
 * This file runs as the worker's entry point, under Node's own TypeScript support: it imports nothing but
 * Node and the model library, so that it loads the same with or without a TypeScript loader.
 */
import path from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'

export interface ModelThreadOptions {
  modelDir?: string
  hubModel: string
  /** ONNX Runtime's threads per forward pass; its default is one per core. */
  intraOpThreads?: number
}

/** A request: texts to embed as one forward pass. */
export interface ModelThreadRequest {
  id: number
  texts: string[]
}

/** A reply: the vectors row after row (`width` numbers each), or why there are none. */
export type ModelThreadReply = { id: number; width: number; data: Float32Array } | { id: number; error: string; loading: boolean }

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ dims: number[]; data: Float32Array }>

async function loadExtractor({ modelDir, hubModel, intraOpThreads }: ModelThreadOptions): Promise<Extractor> {
  const { env, pipeline } = await import('@huggingface/transformers')
  let model = hubModel
  if (modelDir) {
    env.localModelPath = path.dirname(modelDir)
    env.allowRemoteModels = false
    env.allowLocalModels = true
    model = path.basename(modelDir)
  }
  // ONNX Runtime's threads spin while waiting for work by default: they would take the cores the event loop
  // needs right after each query is embedded (work following an embedding ran 30% slower here).
  const noSpinning = { allow_spinning: '0' }
  const threads = intraOpThreads === undefined ? {} : { intraOpNumThreads: intraOpThreads }
  return (await pipeline('feature-extraction', model, { dtype: 'q8', session_options: { ...threads, extra: { session: { intra_op: noSpinning, inter_op: noSpinning } } } })) as unknown as Extractor
}

if (parentPort) {
  const port = parentPort
  const extractor = loadExtractor(workerData as ModelThreadOptions)
  extractor.catch(() => undefined)
  port.on('message', async ({ id, texts }: ModelThreadRequest) => {
    let run: Extractor
    try {
      run = await extractor
    } catch (error) {
      port.postMessage({ id, error: (error as Error).message, loading: true } satisfies ModelThreadReply)
      // The embedder starts a new thread, and so tries the load again, for the next request.
      process.exit(1)
    }
    let reply: ModelThreadReply
    try {
      const output = await run(texts, { pooling: 'mean', normalize: true })
      reply = { id, width: output.dims.at(-1)!, data: Float32Array.from(output.data) }
    } catch (error) {
      reply = { id, error: (error as Error).message, loading: false }
    }
    port.postMessage(reply, 'data' in reply ? [reply.data.buffer as ArrayBuffer] : [])
  })
}

import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { PortalError } from '../errors.ts'
import { EMBEDDING_DIMENSIONS, type Embedder } from './embedder.ts'
import type { ModelThreadOptions, ModelThreadReply, ModelThreadRequest } from './local-model-thread.ts'

export interface LocalEmbedderOptions {
  /** A directory holding the model's files (`config.json`, `tokenizer.json`, `onnx/model_quantized.onnx`); without it the model comes from the hub. */
  modelDir?: string
  /** The hub model id, used when no directory is given. */
  hubModel?: string
  /** Texts per forward pass: larger batches use the two cores better but pad short texts to the longest. */
  batchSize?: number
  /** Tokens per text; longer texts are cut (all-MiniLM-L6-v2 was trained on up to 128 word pieces). */
  maxTokens?: number
  /**
   * How long the documents' thread is kept without work. Each thread holds a copy of the model and its runtime
   * (about 250 MB here); documents come in bursts (indexing, catalog changes), queries all the time.
   */
  documentsIdleMs?: number
}

/** The model's worker thread and the requests it has not answered yet. */
interface ModelThread {
  worker: Worker
  pending: Map<number, { resolve: (reply: { width: number; data: Float32Array }) => void; reject: (error: Error) => void }>
  /** Why its model did not load, for the requests still waiting when it exits. */
  loadFailure?: PortalError
  /** Stops an idle documents' thread. */
  idleTimer?: NodeJS.Timeout
}

/**
 * Which thread runs a forward pass. One text (a search query) runs on its own thread, in a single-threaded session:
 * on a few word pieces ONNX Runtime's thread pool costs more than it saves (p50 5.0 ms against 6.7 ms with two
 * threads on a quiet machine, and more under load, when the second thread competes with the database), and a query
 * never waits behind a batch of documents. Batches run on the other thread with a thread per core (96 documents
 * per second against 74 on one).
 */
const THREAD_KINDS = ['query', 'documents'] as const
type ThreadKind = (typeof THREAD_KINDS)[number]

/**
 * all-MiniLM-L6-v2 (384 dimensions, int8 ONNX weights) run with `@huggingface/transformers`, in worker threads of
 * this process (`local-model-thread.ts`) so that the event loop keeps serving while it works. The model loads in
 * each thread on its first use. With `modelDir` it is read from that directory and the hub is never asked (CI and
 * machines without the hub); otherwise transformers.js fetches it from the hub once and caches it.
 */
export class LocalEmbedder implements Embedder {
  readonly id: string
  readonly dimensions = EMBEDDING_DIMENSIONS
  private readonly modelDir?: string
  private readonly hubModel: string
  private readonly batchSize: number
  private readonly maxTokens: number
  private readonly documentsIdleMs: number
  private readonly threads: Partial<Record<ThreadKind, ModelThread>> = {}
  private nextRequest = 0

  constructor({ modelDir, hubModel = 'Xenova/all-MiniLM-L6-v2', batchSize = 16, maxTokens = 128, documentsIdleMs = 60_000 }: LocalEmbedderOptions = {}) {
    this.modelDir = modelDir ? path.resolve(modelDir) : undefined
    this.hubModel = hubModel
    this.batchSize = batchSize
    this.maxTokens = maxTokens
    this.documentsIdleMs = documentsIdleMs
    // The vector space: stored vectors of another id are computed again. `int8` since the products run in int8
    // (scripts/quantize-matmuls.js); the vectors moved by about 1% from those of the float products.
    this.id = 'local:all-MiniLM-L6-v2:int8'
  }

  async embed(texts: string[], { signal }: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const vectors: Float32Array[] = new Array(texts.length)
    // A batch is padded to its longest text: batching texts of similar length wastes the least work.
    const order = texts.map((text, position) => ({ text: this.truncate(text), position })).sort((a, b) => a.text.length - b.text.length)
    for (let start = 0; start < order.length; start += this.batchSize) {
      signal?.throwIfAborted()
      const batch = order.slice(start, start + this.batchSize)
      const { width, data } = await this.run(batch.map((item) => item.text))
      batch.forEach((item, row) => {
        vectors[item.position] = data.slice(row * width, (row + 1) * width)
      })
    }
    return vectors
  }

  /** The model threads running now. */
  threadsRunning(): ThreadKind[] {
    return THREAD_KINDS.filter((kind) => this.threads[kind] !== undefined)
  }

  /** Stops the model's threads; a later `embed` starts them again. */
  async close(): Promise<void> {
    const threads = Object.values(this.threads)
    for (const kind of THREAD_KINDS) delete this.threads[kind]
    await Promise.all(threads.map((thread) => {
      clearTimeout(thread.idleTimer)
      return thread.worker.terminate()
    }))
  }

  /** Word pieces beyond the limit cost time and change nothing: the tokenizer would cut them anyway. */
  private truncate(text: string): string {
    const words = text.split(/\s+/)
    return words.length > this.maxTokens ? words.slice(0, this.maxTokens).join(' ') : text
  }

  private run(texts: string[]): Promise<{ width: number; data: Float32Array }> {
    const thread = this.modelThread(texts.length === 1 ? 'query' : 'documents')
    const id = this.nextRequest++
    clearTimeout(thread.idleTimer)
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject })
      // The thread keeps the process alive only while it has work.
      thread.worker.ref()
      thread.worker.postMessage({ id, texts } satisfies ModelThreadRequest)
    })
  }

  private modelThread(kind: ThreadKind): ModelThread {
    const existing = this.threads[kind]
    if (existing) return existing
    const options: ModelThreadOptions = { modelDir: this.modelDir, hubModel: this.hubModel, ...(kind === 'query' ? { intraOpThreads: 1 } : {}) }
    const thread: ModelThread = { worker: new Worker(new URL('./local-model-thread.ts', import.meta.url), { workerData: options }), pending: new Map() }
    const { worker, pending } = thread
    worker.unref()
    // A thread whose model did not load, or that failed, is not used again: the next request starts a new one.
    const retire = () => {
      if (this.threads[kind] === thread) delete this.threads[kind]
    }
    worker.on('message', (reply: ModelThreadReply) => {
      const request = pending.get(reply.id)
      if (!request) return
      pending.delete(reply.id)
      if (pending.size === 0) {
        worker.unref()
        if (kind === 'documents') {
          thread.idleTimer = setTimeout(() => {
            retire()
            void worker.terminate()
          }, this.documentsIdleMs)
          thread.idleTimer.unref()
        }
      }
      if (!('error' in reply)) return request.resolve(reply)
      if (reply.loading) {
        retire()
        thread.loadFailure = this.loadError(reply.error)
      }
      request.reject(thread.loadFailure ?? new PortalError('INTERNAL', `The local embedding model failed: ${reply.error}`))
    })
    const fail = (error: Error) => {
      retire()
      for (const request of pending.values()) request.reject(thread.loadFailure ?? new PortalError('INTERNAL', `The local embedding model stopped: ${error.message}`))
      pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`its thread exited (code ${code})`)))
    this.threads[kind] = thread
    return thread
  }

  private loadError(message: string): PortalError {
    const where = this.modelDir ? `from ${this.modelDir} (run \`node scripts/fetch-embedding-model.js\` to fetch it)` : `${this.hubModel} from the Hugging Face hub (set PORTAL_EMBEDDINGS_MODEL_DIR to a local copy)`
    return new PortalError('INTERNAL', `The local embedding model could not be loaded ${where}: ${message}`)
  }
}

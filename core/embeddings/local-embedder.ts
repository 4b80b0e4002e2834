import path from 'node:path'
import { PortalError } from '../errors.ts'
import { EMBEDDING_DIMENSIONS, type Embedder } from './embedder.ts'

export interface LocalEmbedderOptions {
  /** A directory holding the model's files (`config.json`, `tokenizer.json`, `onnx/model_quantized.onnx`); without it the model comes from the hub. */
  modelDir?: string
  /** The hub model id, used when no directory is given. */
  hubModel?: string
  /** Texts per forward pass: larger batches use the two cores better but pad short texts to the longest. */
  batchSize?: number
  /** Tokens per text; longer texts are cut (all-MiniLM-L6-v2 was trained on up to 128 word pieces). */
  maxTokens?: number
}

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ dims: number[]; data: Float32Array }>

/**
 * all-MiniLM-L6-v2 (384 dimensions, int8 ONNX weights) run in this process with `@huggingface/transformers`.
 * The model loads on first use. With `modelDir` it is read from that directory and the hub is never asked
 * (CI and machines without the hub); otherwise transformers.js fetches it from the hub once and caches it.
 */
export class LocalEmbedder implements Embedder {
  readonly id: string
  readonly dimensions = EMBEDDING_DIMENSIONS
  private readonly modelDir?: string
  private readonly hubModel: string
  private readonly batchSize: number
  private readonly maxTokens: number
  private extractor?: Promise<Extractor>

  constructor({ modelDir, hubModel = 'Xenova/all-MiniLM-L6-v2', batchSize = 16, maxTokens = 128 }: LocalEmbedderOptions = {}) {
    this.modelDir = modelDir ? path.resolve(modelDir) : undefined
    this.hubModel = hubModel
    this.batchSize = batchSize
    this.maxTokens = maxTokens
    this.id = 'local:all-MiniLM-L6-v2:q8'
  }

  async embed(texts: string[], { signal }: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const extractor = await this.load()
    const vectors: Float32Array[] = new Array(texts.length)
    // A batch is padded to its longest text: batching texts of similar length wastes the least work.
    const order = texts.map((text, position) => ({ text: this.truncate(text), position })).sort((a, b) => a.text.length - b.text.length)
    for (let start = 0; start < order.length; start += this.batchSize) {
      signal?.throwIfAborted()
      const batch = order.slice(start, start + this.batchSize)
      const output = await extractor(batch.map((item) => item.text), { pooling: 'mean', normalize: true })
      const width = output.dims.at(-1)!
      batch.forEach((item, row) => {
        vectors[item.position] = output.data.slice(row * width, (row + 1) * width)
      })
    }
    return vectors
  }

  /** Word pieces beyond the limit cost time and change nothing: the tokenizer would cut them anyway. */
  private truncate(text: string): string {
    const words = text.split(/\s+/)
    return words.length > this.maxTokens ? words.slice(0, this.maxTokens).join(' ') : text
  }

  private load(): Promise<Extractor> {
    this.extractor ??= this.create().catch((error: unknown) => {
      this.extractor = undefined
      const where = this.modelDir ? `from ${this.modelDir} (run \`node scripts/fetch-embedding-model.js\` to fetch it)` : `${this.hubModel} from the Hugging Face hub (set PORTAL_EMBEDDINGS_MODEL_DIR to a local copy)`
      throw new PortalError('INTERNAL', `The local embedding model could not be loaded ${where}: ${(error as Error).message}`, { cause: error })
    })
    return this.extractor
  }

  private async create(): Promise<Extractor> {
    const transformers = await import('@huggingface/transformers')
    const { env, pipeline } = transformers
    let model = this.hubModel
    if (this.modelDir) {
      env.localModelPath = path.dirname(this.modelDir)
      env.allowRemoteModels = false
      env.allowLocalModels = true
      model = path.basename(this.modelDir)
    }
    // ONNX Runtime's threads spin while waiting for work by default: in a server they would take the cores the
    // event loop needs right after each query is embedded (work following an embedding ran 30% slower here).
    const noSpinning = { allow_spinning: '0' }
    const extractor = await pipeline('feature-extraction', model, { dtype: 'q8', session_options: { extra: { session: { intra_op: noSpinning, inter_op: noSpinning } } } })
    return extractor as unknown as Extractor
  }
}

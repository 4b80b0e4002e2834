/**
 * The embeddings port: text in, one unit-length vector per text out. Implementations: the local sentence model
 * run in-process (`LocalEmbedder`) and any OpenAI-compatible `/embeddings` endpoint (`OpenAiEmbedder`).
 */
export interface Embedder {
  /** Names the model and its settings; vectors from different ids are never compared. */
  readonly id: string
  readonly dimensions: number
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>
  /** Releases what the embedder holds (the local model's thread). */
  close?(): Promise<void>
}

/** The search index stores vectors of this size (the local model's); remote models are asked for it. */
export const EMBEDDING_DIMENSIONS = 384

/** Scales a vector to unit length, so that cosine similarity is a dot product. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0
  for (const value of vector) sum += value * value
  const norm = Math.sqrt(sum) || 1
  return vector.map((value) => value / norm)
}

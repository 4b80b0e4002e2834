export declare const defaultModelDirectory: string
export declare function hasEmbeddingModel(directory?: string): boolean
export declare function fetchEmbeddingModel(directory?: string, options?: { log?: (line: string) => void }): Promise<string>
export declare function readZip(bytes: Buffer): Map<string, () => Buffer>

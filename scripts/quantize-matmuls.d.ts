export interface ProtobufField {
  no: number
  wire: number
  value: bigint | Uint8Array
}
export declare function quantizeMatMuls(bytes: Uint8Array): { model: Uint8Array; rewritten: number }
export declare function decodeMessage(bytes: Uint8Array): ProtobufField[]
export declare function encodeMessage(fields: ProtobufField[]): Uint8Array

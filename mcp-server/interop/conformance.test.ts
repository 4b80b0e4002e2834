// Runs scripts/mcp-conformance.js (the official MCP conformance suite against the portal's /mcp, both protocol
// revisions) so that `npm test` fails on a conformance regression, and checks that its gate does fail.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const script = path.join(root, 'scripts/mcp-conformance.js')

function runScript(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr })
    })
  })
}

describe('MCP conformance suite against /mcp', () => {
  let scratch: string
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'portal-conformance-test-'))
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  it('passes every scenario the portal can pass, on 2025-11-25 and 2026-07-28, with only the listed fixture failures', async () => {
    const { code, stdout, stderr } = await runScript([])
    expect(code, `${stdout}\n${stderr}`).toBe(0)
    const summary = /Conformance: (\d+) passed, (\d+) expected failures, (\d+) unexpected failures, (\d+) now passing/.exec(stdout)
    expect(summary, stdout).not.toBeNull()
    expect(Number(summary![1])).toBeGreaterThanOrEqual(20)
    expect([summary![3], summary![4]]).toEqual(['0', '0'])
    for (const revision of ['2025-11-25', '2026-07-28']) {
      const section = stdout.slice(stdout.indexOf(`── ${revision}`)).split('\n── ')[0]!
      for (const scenario of ['tools-list', 'resources-list', 'prompts-list', 'dns-rebinding-protection']) expect(section).toMatch(new RegExp(`✓ pass\\s+${scenario} `))
    }
    for (const scenario of ['server-initialize', 'ping', 'caching', 'http-header-validation', 'sep-2164-resource-not-found']) expect(stdout).toMatch(new RegExp(`✓ pass\\s+${scenario} `))
  }, 120_000)

  it('fails on a failure the expected-failures file does not list, and on an entry whose reason no longer holds', async () => {
    const file = JSON.parse(await readFile(path.join(root, 'mcp-server/interop/conformance-expected-failures.json'), 'utf8'))
    file.expectedFailures = file.expectedFailures.filter((entry: { scenario: string }) => entry.scenario !== 'tools-call-image')
    // The portal does have catalog_who_owns, so this entry's stated need is false.
    file.expectedFailures.find((entry: { scenario: string }) => entry.scenario === 'tools-call-audio').needs.tools.push('catalog_who_owns')
    const edited = path.join(scratch, 'expected-failures.json')
    await writeFile(edited, JSON.stringify(file))
    const { code, stdout } = await runScript(['--revision', '2025-11-25', '--expected-failures', edited])
    expect(code).toBe(1)
    expect(stdout).toMatch(/✗ UNEXPECTED tools-call-image .*\n\s+tools-call-image: Failed: Tool test_image_content not found/)
    expect(stdout).toContain('✗ expected failure tools-call-audio is no longer justified: the portal now lists tool catalog_who_owns')
  }, 120_000)
})

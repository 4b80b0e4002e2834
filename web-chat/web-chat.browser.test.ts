import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The web chat in a real browser (Debian's Chromium) against `npm start` on loopback, as a new user would use
 * it. Screenshots of each step go to test-artifacts/web-chat/.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CHROMIUM = process.env.PORTAL_CHROMIUM ?? '/usr/bin/chromium'
const artifacts = path.join(root, 'test-artifacts', 'web-chat')

let dataDir: string
let server: ChildProcess
let url: string
let browser: Browser
let page: Page

async function startPortal(): Promise<string> {
  server = spawn('npm', ['start'], { cwd: root, env: { ...process.env, NODE_ENV: 'production', PORT: '0', PORTAL_DATA_DIR: dataDir, PORTAL_MODEL: '', DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in 60 s:\n${output}`)), 60_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const found = /serving \d+ entities at (http:\/\/\S+)/.exec(output)
      if (found) {
        clearTimeout(timer)
        resolve(found[1]!)
      }
    }
    server.stdout!.on('data', read)
    server.stderr!.on('data', read)
    server.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)))
  })
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does`)
  // The page as the sources are now, not as the last `npm install` built it.
  // NODE_ENV is `test` under vitest; the page must be the production build people get.
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } })
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`)
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-web-'))
  await mkdir(artifacts, { recursive: true })
  url = await startPortal()
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  page.setDefaultTimeout(45_000)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM')
    } catch {
      // already gone
    }
    await new Promise((resolve) => (server.exitCode !== null ? resolve(undefined) : server.once('exit', resolve)))
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

/** Waits for what the page shows to settle (answers stream in; approvals are followed by polling). */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 45_000, interval: 100 })

const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true })

async function ask(question: string): Promise<void> {
  const answers = await page.getByTestId('message-assistant').count()
  await page.getByLabel('Ask a question').fill(question)
  await page.getByRole('button', { name: 'Ask', exact: true }).click()
  await eventually(() => page.getByTestId('message-assistant').count()).toBe(answers + 1)
  await eventually(() => page.getByRole('button', { name: 'Ask', exact: true }).isDisabled()).toBe(true)
}

async function signInAs(name: RegExp): Promise<void> {
  const select = page.getByLabel('Signed in as')
  const value = await select.locator('option', { hasText: name }).first().getAttribute('value')
  await select.selectOption(value!)
}

describe('the web chat in Chromium', () => {
  it('greets a new user with suggested first questions', async () => {
    await page.goto(url)
    await eventually(() => page.getByRole('button', { name: 'what does my team own?' }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'how do I deploy?' }).isVisible()).toBe(true)
    await shot('01-welcome')
  })

  it('streams an answer about the demo organisation with an entity card', async () => {
    await signInAs(/Aisha Schmidt/)
    await ask('who owns cart-service?')
    const card = page.getByTestId('entity-card').last()
    await eventually(() => card.textContent()).toContain('Cart Service')
    expect(await card.textContent()).toContain('Checkout')
    expect(await card.getByRole('link', { name: 'Runbook' }).getAttribute('href')).toBe('https://runbooks.example.com/cart-service')
    await eventually(() => page.getByTestId('message-assistant').last().locator('.answer').textContent()).toContain('is owned by Checkout (group:default/team-checkout)')
    await shot('02-entity-card')
  })

  it('draws the dependency graph in the page and opens it', async () => {
    await ask('what does it depend on?')
    const card = page.getByTestId('graph-card').last()
    await eventually(() => card.isVisible()).toBe(true)
    await card.getByRole('button', { name: 'Open graph' }).click()
    const dialog = page.getByTestId('graph-dialog')
    await eventually(() => dialog.locator('g.node').count()).toBeGreaterThan(3)
    expect(await dialog.locator('g.node.root').getAttribute('data-ref')).toBe('component:default/cart-service')
    expect(await dialog.locator('line').count()).toBe((await dialog.locator('g.node').count()) - 1)
    await shot('03-graph')
    await dialog.getByRole('button', { name: 'Close' }).click()
  })

  it('turns a restart into an approval request that the owners approve, then shows the result', async () => {
    await ask('restart the cart pods')
    const card = page.getByTestId('approval-card').last()
    await eventually(() => card.getAttribute('data-status')).toBe('pending')
    expect(await card.textContent()).toContain('Rolling restart of component:default/cart-service')
    // The requester is not an owner: no buttons for them.
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0)
    await shot('04-approval-requested')

    // cart-service is tier-1 in production: two people of the owning team must approve.
    await signInAs(/Alex Haddad/)
    await card.getByRole('button', { name: 'Approve' }).click()
    await eventually(() => card.textContent()).toContain('alex.haddad approved on web')
    expect(await card.getAttribute('data-status')).toBe('pending')
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0)
    await shot('05-first-approval')

    await signInAs(/Hana Moreau/)
    await card.getByRole('button', { name: 'Approve' }).click()
    await eventually(() => card.getAttribute('data-status')).toBe('succeeded')
    expect(await card.getByTestId('approval-result').textContent()).toMatch(/restart of component:default\/cart-service \(simulator\)\. Now 3 of 3 pods ready, revision 2\. Verification \(every pod of the new generation is ready, and the service recovered\): passed\./)
    await shot('06-approved-and-run')
  })
})

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'

/** Where `npm run build` puts the web chat (Vite's output). */
export const WEB_CHAT_DIST = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist')

/** Serves the built web chat at `/`; without a build, a page that says how to make one. */
export function staticRoutes(dist = WEB_CHAT_DIST): Hono {
  const app = new Hono()
  const root = path.relative(process.cwd(), dist) || '.'
  app.use('/assets/*', serveStatic({ root }))
  app.get('/', async (context) => {
    const index = path.join(dist, 'index.html')
    if (!existsSync(index)) return context.html('<!doctype html><title>NEXT Portal</title><p>The web chat is not built yet. Run <code>npm run build</code> (npm install does it too), then reload.</p>', 503)
    return context.html(await readFile(index, 'utf8'), 200, { 'cache-control': 'no-cache' })
  })
  return app
}

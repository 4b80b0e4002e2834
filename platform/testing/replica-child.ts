/**
 * One portal replica in its own process, for the multi-replica tests and the replicas benchmark: the platform
 * configured from the environment (DATABASE_URL, KAFKA_BROKERS, PORTAL_EVENTS_TOPIC, PORTAL_REPLICA_ID, …) as
 * `portal start` configures it, its HTTP app on PORT (0: a free port), following the other replicas and taking
 * part in scheduled jobs. It writes JSON lines on stdout: `{"ready": {"url"}}` once serving, then one answer per
 * command. Commands arrive on stdin, one JSON object per line: `{"import": ["<path>", …]}` imports through this
 * replica (`{"importing": true}` is written first, then `{"imported": <report>}`).
 */
import { createInterface } from 'node:readline'
import { z } from 'zod'
import { loadConfig } from '../../core/config.ts'
import { createHttpApp } from '../../server/create-http-app.ts'
import { serveHttp } from '../../server/serve-http.ts'
import { createPlatform } from '../create-platform.ts'

const commandSchema = z.object({ import: z.array(z.string().min(1)).min(1) })
const write = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`)

const config = loadConfig(process.env)
const platform = await createPlatform({ config })
await platform.start()
const server = await serveHttp(createHttpApp(platform), { host: config.host, port: config.port })
write({ ready: { url: server.url, entities: platform.catalog.index.size } })

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue
  const parsed = commandSchema.safeParse(JSON.parse(line))
  if (!parsed.success) {
    write({ error: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(command)'}: ${issue.message}`).join('; ') })
    continue
  }
  write({ importing: true })
  write({ imported: await platform.catalog.import(parsed.data.import) })
}
// stdin closed: the parent is done with this replica.
await server.close()
await platform.close()

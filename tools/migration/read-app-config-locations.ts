import { access, readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { InputError } from '../../core/errors.ts'
import type { SkippedItem } from './migration-report.ts'

const appConfigSchema = z.object({
  catalog: z.object({
    locations: z.array(z.object({ type: z.string(), target: z.string() }).passthrough()).optional(),
  }).passthrough().optional(),
}).passthrough()

export interface AppConfigLocations {
  file: string
  /** What the portal's import reads: absolute file paths and http(s) URLs. */
  targets: string[]
  skipped: SkippedItem[]
}

/**
 * The `catalog.locations` of a Backstage app-config.yaml. File targets are resolved as Backstage resolves them,
 * from the backend's working directory (`packages/backend` in an app made by create-app, else the config's
 * folder); `url` targets are kept; other types (discovery providers) cannot be read from files and are skipped.
 */
export async function readAppConfigLocations(file: string): Promise<AppConfigLocations> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new InputError(`${file} could not be read; give the path of a Backstage app-config.yaml`)
  }
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (error) {
    throw new InputError(`${file} is not YAML: ${(error as Error).message.split('\n')[0]}`)
  }
  const config = appConfigSchema.safeParse(raw ?? {})
  if (!config.success) throw new InputError(`${file}: ${config.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`, { issues: config.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) })
  const backend = path.join(path.dirname(file), 'packages', 'backend')
  const base = (await access(backend).then(() => true, () => false)) ? backend : path.dirname(file)
  const targets: string[] = []
  const skipped: SkippedItem[] = []
  for (const location of config.data.catalog?.locations ?? []) {
    if (location.type === 'file') targets.push(path.resolve(base, location.target))
    else if (location.type === 'url' && /^https?:\/\//i.test(location.target)) targets.push(location.target)
    else skipped.push({ ref: `location:${location.type}:${location.target}`, reason: `a ${location.type} location is read by a Backstage provider, not from files; migrate it from the running Backstage with --url` })
  }
  return { file, targets, skipped }
}

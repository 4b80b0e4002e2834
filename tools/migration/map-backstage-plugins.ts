import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { InputError } from '../../core/errors.ts'

export interface PluginMapping {
  /** The npm package, e.g. @backstage/plugin-catalog-backend. */
  package: string
  /** The package.json files (relative to the app) that depend on it. */
  usedBy: string[]
  /** The portal's equivalent: its tools or surface; absent when there is none (a gap). */
  equivalent?: string
  gap?: string
}

/** Backstage plugins by family (the package name without scope, `-backend`, `-node`, `-react`, `-common`, `-module-*`). */
const EQUIVALENTS: Record<string, string> = {
  catalog: 'the catalog: catalog_query, catalog_get_entity, catalog_who_owns, catalog_validate tools and the Backstage-compatible /api/catalog API',
  'catalog-import': 'portal import and portal migrate backstage (catalog-info files, Location trees, a running Backstage)',
  'catalog-graph': 'the graph tools: graph_dependencies, graph_dependents, graph_path, graph_parts, graph_owned_by, graph_cycles',
  'api-docs': 'API entities with their definitions in the catalog (catalog_get_entity) and their providers/consumers (graph tools)',
  org: 'Group and User entities: catalog_who_owns and graph_owned_by',
  search: 'catalog_query (full-text and filters) and the chat surfaces',
  kubernetes: 'remediation playbooks on workloads (remediation_playbooks, remediation_plan, remediation_request) with approvals',
  'cost-insights': 'cost and carbon from FOCUS files: cost_breakdown, cost_anomalies, cost_forecast, cost_recommendations, carbon_footprint',
  permission: 'tool scopes, API tokens and the approval policy (docs/approvals.md)',
  auth: 'API tokens (portal token) and web chat sign-in',
  home: 'the web chat',
  'user-settings': 'the web chat',
  'app-visualizer': 'the tool registry (portal tool, the MCP tool list)',
}

const GAPS: Record<string, string> = {
  scaffolder: 'Software Templates are imported, listed and searchable, but the portal has no scaffolder: templates run in Backstage (see the templates part of the report)',
  techdocs: 'the portal does not build or serve TechDocs; docs stay in Backstage',
  'proxy': 'the portal has no generic proxy to other services',
  notifications: 'the portal notifies through Slack and Teams threads, not a notifications inbox',
  signals: 'the portal streams to its own surfaces; Backstage signals are not provided',
  events: 'catalog changes are events on the portal bus; Backstage event routers are not provided',
}

const packageJsonSchema = z.object({
  name: z.string().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
}).passthrough()

const PLUGIN_PACKAGE = /^@(backstage|backstage-community)\/plugin-(.+)$/
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'dist-types', '.cache'])

/** The family of a plugin package: `catalog-backend-module-github` → `catalog`. */
export function pluginFamily(packageName: string): string | undefined {
  const match = PLUGIN_PACKAGE.exec(packageName)
  if (!match) return undefined
  return match[2]!.replace(/-backend-module-.*$/, '').replace(/-module-.*$/, '').replace(/-(backend|node|react|common|alpha)$/g, '').replace(/-(backend|node|react|common)$/, '')
}

export function mapPlugin(packageName: string, usedBy: string[]): PluginMapping {
  const family = pluginFamily(packageName) ?? packageName
  const equivalent = EQUIVALENTS[family]
  if (equivalent) return { package: packageName, usedBy, equivalent }
  return { package: packageName, usedBy, gap: GAPS[family] ?? `no equivalent in the portal for the ${family} plugin` }
}

/** Every Backstage plugin a Backstage app's package.json files depend on, mapped to the portal or named as a gap. */
export async function mapBackstagePlugins(appDirectory: string): Promise<PluginMapping[]> {
  const files = await findPackageJsonFiles(appDirectory)
  if (files.length === 0) throw new InputError(`--app ${appDirectory} has no package.json; point it at a Backstage app's root`)
  const usage = new Map<string, Set<string>>()
  for (const file of files) {
    const relative = path.relative(appDirectory, file) || 'package.json'
    let parsed
    try {
      parsed = packageJsonSchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
    } catch (error) {
      throw new InputError(`${relative} is not valid JSON: ${(error as Error).message}`)
    }
    if (!parsed.success) throw new InputError(`${relative} is not a package.json: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`)
    for (const name of Object.keys({ ...parsed.data.dependencies, ...parsed.data.devDependencies })) {
      if (!PLUGIN_PACKAGE.test(name)) continue
      if (!usage.has(name)) usage.set(name, new Set())
      usage.get(name)!.add(relative)
    }
  }
  return [...usage.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, users]) => mapPlugin(name, [...users].sort()))
}

async function findPackageJsonFiles(directory: string, depth = 0): Promise<string[]> {
  let entries
  try {
    entries = await readdir(directory, { withFileTypes: true })
  } catch {
    throw new InputError(`--app ${directory} is not a readable directory`)
  }
  const out: string[] = []
  for (const entry of entries) {
    if (entry.isFile() && entry.name === 'package.json') out.push(path.join(directory, entry.name))
    // A Backstage app keeps its packages two levels down (packages/app, plugins/foo).
    else if (entry.isDirectory() && depth < 3 && !SKIPPED.has(entry.name)) out.push(...(await findPackageJsonFiles(path.join(directory, entry.name), depth + 1)))
  }
  return out
}

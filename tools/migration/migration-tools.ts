import { z } from 'zod'
import type { Catalog } from '../../graph/catalog/catalog.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../define-tool.ts'
import { migrateBackstage } from './migrate-backstage.ts'
import { ANNOTATION_SOURCE } from './migration-report.ts'
import { isTemplate, templateSteps } from './template-steps.ts'

const problem = z.object({ file: z.string(), entity: z.string().optional(), field: z.string().optional(), message: z.string() })
const templateSchema = z.object({
  ref: z.string(),
  title: z.string().optional(),
  steps: z.array(z.object({ id: z.string().optional(), name: z.string().optional(), action: z.string(), runnable: z.boolean(), note: z.string() })),
})
const skippedSchema = z.object({ ref: z.string(), reason: z.string() })
const migrationReportSchema = z.object({
  entities: z.record(z.string(), z.number()),
  relations: z.record(z.string(), z.number()),
  errors: z.array(problem),
  warnings: z.array(problem),
  changes: z.object({ added: z.number(), updated: z.number(), removed: z.number(), unchanged: z.number() }),
  dryRun: z.boolean(),
  source: z.record(z.string(), z.unknown()),
  templates: z.array(templateSchema),
  plugins: z.array(z.object({ package: z.string(), usedBy: z.array(z.string()), equivalent: z.string().optional(), gap: z.string().optional() })),
  skipped: z.array(skippedSchema),
})

export interface MigrationToolsOptions {
  catalog: Catalog
  /** The token for Backstage, from the environment (BACKSTAGE_TOKEN): never part of a stored approval request. */
  backstageToken?: string
  fetch?: typeof globalThis.fetch
}

/**
 * Migration as tools: import a running Backstage's catalog (approval first: it changes the whole catalog) and
 * report what earlier migrations brought (read-only).
 */
export function migrationTools({ catalog, backstageToken, fetch }: MigrationToolsOptions): ToolDefinition[] {
  const importInput = z.object({
    url: z.string().url().refine((value) => /^https?:\/\//i.test(value), 'must be an http or https URL').describe("Backstage's base URL, e.g. https://backstage.example.com"),
    dryRun: z.boolean().optional().describe('Read and check everything, store nothing'),
  })

  return [
    defineTool({
      name: 'migration_import_backstage',
      title: 'Import a Backstage catalog',
      description: "Brings every entity of a running Backstage's catalog into the portal in one transaction (all or nothing), over Backstage's catalog API, keeping every kind, annotation, label, tag and link and recording each entity's Backstage uid. Returns the import report with Software Template steps and what could not be carried over. Needs approval. Backstage's token comes from BACKSTAGE_TOKEN.",
      input: importInput,
      output: migrationReportSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      scope: 'migration:write',
      approval: true,
      describeCall: ({ url, dryRun }) => ({
        summary: `${dryRun ? 'Check (dry run, nothing stored)' : 'Import'} every entity of the Backstage catalog at ${url} into the portal catalog, in one transaction; entities from an earlier migration of ${url} that Backstage no longer has are removed`,
      }),
      examples: [
        'migrate our Backstage catalog from https://backstage.example.com',
        'import the catalog from Backstage at https://backstage.acme.io',
        'move everything over from backstage',
        "pull everything from our backstage at https://backstage.example.com into the portal",
        "bring the catalog over from backstage at https://bs.example.org",
        "we are leaving backstage, import from http://localhost:7007",
        "dry run an import from https://backstage.example.com",
      ],
      execute: async ({ url, dryRun }, { signal, reportProgress }) => {
        const report = await migrateBackstage({ catalog, url, token: backstageToken, dryRun, fetch, signal, onProgress: reportProgress ? (read, total) => reportProgress(read, total, `${read} entities read from Backstage`) : undefined })
        return report
      },
      render: (report) => `${report.errors.length > 0 ? 'Migration failed; nothing changed' : report.dryRun ? 'Dry run' : 'Migrated'}: ${Object.entries(report.entities).map(([kind, count]) => `${count} ${kind}`).join(', ') || 'no entities'}; ${report.skipped.length} item(s) not carried over, ${report.templates.length} template(s).`,
    }),
    defineTool({
      name: 'migration_report',
      title: 'Migration report',
      description: 'What migrations from Backstage brought into the catalog: per Backstage source, the entities by kind, and each Software Template with its steps and whether the portal can run each step action.',
      input: z.object({ source: z.string().max(500).optional().describe('Only this Backstage base URL') }),
      output: z.object({
        sources: z.array(z.object({ source: z.string(), total: z.number(), entities: z.record(z.string(), z.number()) })),
        templates: z.array(templateSchema),
      }),
      annotations: READ_ONLY,
      scope: 'catalog:read',
      approval: false,
      examples: [
        'what did the Backstage migration bring over?',
        'show the migration report',
        'which template steps can the portal not run after the migration?',
        "what did the backstage import bring in, by kind",
        "which software templates came with the backstage import",
        "summary of the backstage import",
        "which scaffolder actions does the portal not support",
        "entities per backstage source",
        "what did we bring over from backstage",
        "which entities were imported from backstage, by kind",
        "what could not be carried over in the backstage migration",
        "number of backstage entities imported, per kind",
        "backstage import results",
        "show the import report for https://backstage.example.com",
        "migration report for https://bs.example.org",
        "which template actions are unsupported since the migration",
        "which backstage templates can't the portal run",
      ],
      execute: async ({ source }) => {
        const bySource = new Map<string, Record<string, number>>()
        const templates = []
        for (const ref of catalog.index.refs()) {
          const entity = catalog.index.get(ref)!
          const from = entity.metadata.annotations?.[ANNOTATION_SOURCE]
          if (!from || (source && from !== source)) continue
          const kinds = bySource.get(from) ?? {}
          kinds[entity.kind] = (kinds[entity.kind] ?? 0) + 1
          bySource.set(from, kinds)
          if (isTemplate(entity)) templates.push(templateSteps(entity))
        }
        return {
          sources: [...bySource.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([from, entities]) => ({ source: from, total: Object.values(entities).reduce((sum, count) => sum + count, 0), entities })),
          templates: templates.sort((a, b) => a.ref.localeCompare(b.ref)),
        }
      },
      render: ({ sources, templates }) => sources.length === 0 ? 'Nothing in the catalog came from a Backstage migration.' : `${sources.map(({ source, total }) => `${total} entities from ${source}`).join('; ')}; ${templates.length} template(s), ${templates.flatMap((template) => template.steps).filter((step) => !step.runnable).length} step(s) the portal cannot run.`,
    }),
  ]
}

import path from 'node:path'
import type { Platform } from '../platform/create-platform.ts'
import { migrateBackstage } from '../tools/migration/migrate-backstage.ts'
import { exportBackstage } from '../tools/migration/export-backstage.ts'
import type { MigrationReport } from '../tools/migration/migration-report.ts'
import { UsageError, type CliIo } from './cli-io.ts'

export interface MigrationValues {
  url?: string
  token?: string
  app?: string
  'app-config'?: string
  out?: string
  'dry-run'?: boolean
  json?: boolean
}

/** `portal migrate backstage …`: the report as JSON (--json) or in words; exit 1 when the import failed. */
export async function runMigrate(rest: string[], values: MigrationValues, platform: Platform, io: CliIo): Promise<number> {
  const resolve = (file: string | undefined) => (file === undefined ? undefined : path.resolve(io.cwd, file))
  const progress = io.isTTY && !values.json ? progressBar(io) : undefined
  const report = await migrateBackstage({
    catalog: platform.catalog,
    url: values.url,
    token: values.token ?? io.env.BACKSTAGE_TOKEN,
    app: resolve(values.app),
    appConfig: resolve(values['app-config']) ?? (values.app && !values.url ? path.join(resolve(values.app)!, 'app-config.yaml') : undefined),
    dryRun: values['dry-run'],
    onProgress: progress,
  })
  if (progress) io.stderr('\n')
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatMigration(report))
  return report.errors.length > 0 ? 1 : 0
}

/** Checks `migrate` arguments before anything opens. */
export function checkMigrateArguments(rest: string[], values: MigrationValues): void {
  if (rest[0] !== 'backstage' || rest.length > 1) throw new UsageError('the migrate command is: portal migrate backstage --url <backstage url> [--token <t>] [--app <dir>] [--app-config <file>] [--dry-run] [--json]')
  if (!values.url && !values.app && !values['app-config']) throw new UsageError('migrate backstage needs --url <backstage base url>, --app-config <app-config.yaml> or --app <backstage app dir>')
}

/** `portal export backstage --out <dir>`. */
export async function runExport(rest: string[], values: MigrationValues, platform: Platform, io: CliIo): Promise<number> {
  const written = await exportBackstage(platform.catalog.index, path.resolve(io.cwd, values.out!))
  const count = Object.values(written.entities).reduce((sum, value) => sum + value, 0)
  io.stdout(values.json ? `${JSON.stringify(written, null, 2)}\n` : `Wrote ${count} entities in ${written.files.length} files to ${written.out}; register ${written.location} in Backstage (catalog.locations, type file) or portal import it\n`)
  return 0
}

export function checkExportArguments(rest: string[], values: MigrationValues): void {
  if (rest[0] !== 'backstage' || rest.length > 1) throw new UsageError('the export command is: portal export backstage --out <dir> [--json]')
  if (!values.out) throw new UsageError('export backstage needs --out <dir>')
}

function progressBar(io: CliIo) {
  return (read: number, total: number | undefined) => {
    const width = 30
    const filled = total ? Math.min(width, Math.round((read / total) * width)) : 0
    io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${read}${total ? `/${total}` : ''} entities read`)
  }
}

function formatMigration(report: MigrationReport): string {
  const lines: string[] = []
  const kinds = Object.entries(report.entities).map(([kind, count]) => `${count} ${kind}`).join(', ') || 'no entities'
  const relations = Object.values(report.relations).reduce((sum, count) => sum + count, 0)
  const from = report.source.type === 'backstage-api' ? `${report.source.url} (${report.source.api}, ${report.source.requests} requests, ${report.source.retries} retries)` : report.source.type === 'app-config' ? report.source.file : 'nothing'
  if (report.errors.length > 0) lines.push(`Migration failed; nothing was changed. ${report.errors.length} error(s):`)
  else if (report.dryRun) lines.push(`Dry run: would migrate ${kinds} with ${relations} relations from ${from}.`)
  else lines.push(`Migrated ${kinds} with ${relations} relations from ${from} (${report.changes.added} added, ${report.changes.updated} updated, ${report.changes.removed} removed, ${report.changes.unchanged} unchanged).`)
  for (const problem of report.errors) lines.push(`  error: ${[problem.file, problem.entity, problem.field].filter(Boolean).join(' › ')}: ${problem.message}`)
  if (report.warnings.length > 0) lines.push(`  ${report.warnings.length} warning(s); --json lists them`)
  for (const item of report.skipped) lines.push(`  not carried over: ${item.ref}: ${item.reason}`)
  for (const template of report.templates) {
    lines.push(`  template ${template.ref}: ${template.steps.map((step) => `${step.action} (${step.runnable ? 'portal can run' : 'Backstage only'})`).join(', ') || 'no steps'}`)
  }
  for (const plugin of report.plugins) lines.push(`  plugin ${plugin.package}: ${plugin.equivalent ? `→ ${plugin.equivalent}` : `gap: ${plugin.gap}`}`)
  return `${lines.join('\n')}\n`
}

import type { ImportReport } from '../../graph/catalog/catalog.ts'
import type { PluginMapping } from './map-backstage-plugins.ts'
import type { TemplateReport } from './template-steps.ts'

/** Annotations a migrated entity carries: where it came from and what it was called there. */
export const ANNOTATION_SOURCE = 'next-portal.io/source'
export const ANNOTATION_SOURCE_UID = 'next-portal.io/source-uid'
export const ANNOTATION_SOURCE_LOCATION = 'next-portal.io/source-location'
export const ANNOTATION_SOURCE_ORIGIN_LOCATION = 'next-portal.io/source-origin-location'

export type MigrationSource =
  | { type: 'backstage-api'; url: string; api: 'by-query' | 'entities'; entities: number; requests: number; retries: number }
  | { type: 'app-config'; file: string; locations: string[] }
  | { type: 'none' }

export interface SkippedItem {
  /** The entity reference (or `source type target` for a relation, `location:<target>` for a location). */
  ref: string
  reason: string
}

/** What `portal migrate backstage --json` prints: an import report plus what the migration found and left. */
export interface MigrationReport extends ImportReport {
  source: MigrationSource
  templates: TemplateReport[]
  plugins: PluginMapping[]
  skipped: SkippedItem[]
}

import { InputError } from '../../core/errors.ts'
import type { Queryable } from '../../core/store/store.ts'
import type { CatalogIndex } from '../../graph/index/catalog-index.ts'
import { groupWithSubgroups, partsOf } from '../../graph/index/graph-traversals.ts'
import { resolveEntityRef } from '../../graph/index/resolve-entity.ts'
import { canonicalValue } from './focus/focus-values.ts'
import { SERVICE_CATEGORIES } from './focus/focus-values.ts'

/** What part of the spend a question is about; every field narrows it. */
export interface CostFilters {
  team?: string
  /** A component or resource. */
  entity?: string
  system?: string
  domain?: string
  provider?: string
  serviceCategory?: string
  region?: string
  sku?: string
}

/** Days as `YYYY-MM-DD`, `from` inclusive and `to` exclusive. */
export interface CostWindow {
  from: string
  to: string
}

export interface CostContext {
  store: Queryable
  index: CatalogIndex
}

export const DAY_MS = 24 * 60 * 60 * 1000

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
}

/** The day after the last day with cost data, or undefined for an empty store. */
export async function dataEnd(store: Queryable): Promise<string | undefined> {
  const result = await store.query<{ last: string | null }>(`select to_char(max(usage_date), 'YYYY-MM-DD') as last from cost_daily`)
  const last = result.rows[0]?.last
  return last ? addDays(last, 1) : undefined
}

/** The window asked for, or the last `defaultDays` days of data. */
export async function resolveWindow(store: Queryable, window: Partial<CostWindow> | undefined, defaultDays = 30): Promise<CostWindow> {
  if (window?.from && window.to) {
    if (window.to <= window.from) throw new InputError(`The window ends (${window.to}) before it starts (${window.from})`, { issues: [{ path: 'to', message: 'must be after from' }] })
    return { from: window.from, to: window.to }
  }
  const end = window?.to ?? (await dataEnd(store)) ?? new Date().toISOString().slice(0, 10)
  return { from: window?.from ?? addDays(end, -defaultDays), to: end }
}

/** The system an entity belongs to (itself for a system), from the catalog. */
export function systemOf(index: CatalogIndex, ref: string | null): string | null {
  if (!ref) return null
  if (ref.startsWith('system:')) return ref
  return index.targets(ref, 'partOf').find((target) => target.startsWith('system:')) ?? null
}

export function domainOf(index: CatalogIndex, ref: string | null): string | null {
  const system = systemOf(index, ref)
  if (!system) return null
  return index.targets(system, 'partOf').find((target) => target.startsWith('domain:')) ?? null
}

/** Resolves the people's names in filters to canonical references and values; unknown names are input errors. */
export function resolveFilters(index: CatalogIndex, filters: CostFilters): CostFilters {
  const resolved: CostFilters = { ...filters }
  if (filters.team) resolved.team = resolveEntityRef(index, filters.team, { defaultKind: filters.team.includes(':') ? undefined : 'group' })
  if (filters.entity) resolved.entity = resolveEntityRef(index, filters.entity)
  if (filters.system) resolved.system = resolveEntityRef(index, filters.system, { defaultKind: filters.system.includes(':') ? undefined : 'system' })
  if (filters.domain) resolved.domain = resolveEntityRef(index, filters.domain, { defaultKind: filters.domain.includes(':') ? undefined : 'domain' })
  if (filters.serviceCategory) {
    const category = canonicalValue(filters.serviceCategory, SERVICE_CATEGORIES)
    if (!category) throw new InputError(`"${filters.serviceCategory}" is not a FOCUS service category; use one of ${SERVICE_CATEGORIES.join(', ')}`, { issues: [{ path: 'serviceCategory', message: 'unknown service category' }] })
    resolved.serviceCategory = category
  }
  return resolved
}

/**
 * The SQL condition for a window and filters over cost_daily or cost_line_items (same column names), with
 * its parameters numbered from `offset + 1`.
 */
export function costCondition(index: CatalogIndex, window: CostWindow | undefined, filters: CostFilters, offset = 0): { sql: string; parameters: unknown[] } {
  const parts: string[] = []
  const parameters: unknown[] = []
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    parameters.push(value)
    parts.push(sql(`$${offset + parameters.length}`))
  }
  if (window) {
    add((p) => `usage_date >= ${p}::date`, window.from)
    add((p) => `usage_date < ${p}::date`, window.to)
  }
  if (filters.team) add((p) => `team_ref = any(${p}::text[])`, groupWithSubgroups(index, filters.team))
  if (filters.entity) add((p) => `entity_ref = ${p}`, filters.entity)
  for (const container of [filters.system, filters.domain]) {
    if (!container) continue
    add((p) => `entity_ref = any(${p}::text[])`, [container, ...partsOf(index, container).map((part) => part.ref)])
  }
  if (filters.provider) add((p) => `lower(provider) = lower(${p})`, filters.provider)
  if (filters.serviceCategory) add((p) => `service_category = ${p}`, filters.serviceCategory)
  if (filters.region) add((p) => `lower(region) = lower(${p})`, filters.region)
  if (filters.sku) add((p) => `sku_id = ${p}`, filters.sku)
  return { sql: parts.length > 0 ? parts.join(' and ') : 'true', parameters }
}

import type { Failure, Metrics } from './suite.ts'

export interface SuiteReport {
  description: string
  dataset: string
  items: { dev: number; heldout: number; all: number }
  /** Overall figures over the selected items; thresholds apply to these. */
  metrics: Metrics
  bySplit: { dev: Metrics; heldout: Metrics }
  thresholds: Record<string, number>
  passed: boolean
  /** `metric value < threshold` for each failing metric. */
  belowThreshold: string[]
  failureCount: number
  /** The first 50 failures of dev items (held-out ones are only counted). */
  failures: Failure[]
  heldoutFailureCount: number
}

export interface EvalReport {
  model: string
  split: 'dev' | 'heldout' | 'all'
  suites: Record<string, SuiteReport>
  passed: boolean
}

const number = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(3))

function compact(value: unknown, length = 300): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  const flat = (text ?? '').replace(/\s+/g, ' ')
  return flat.length <= length ? flat : `${flat.slice(0, length)}…`
}

/** The readable report: one table per suite (dev, heldout, overall, threshold) and its first failures. */
export function formatReport(report: EvalReport, { failuresPerSuite = 10 }: { failuresPerSuite?: number } = {}): string {
  const lines: string[] = [`NEXT Portal evals — model: ${report.model}; split: ${report.split}`, '']
  for (const [name, suite] of Object.entries(report.suites)) {
    lines.push(`${name} — ${suite.description}`)
    lines.push(`  data set ${suite.dataset}: ${suite.items.dev} dev, ${suite.items.heldout} heldout`)
    const rows = [['metric', 'dev', 'heldout', 'overall', 'threshold', '']]
    for (const metric of Object.keys(suite.metrics)) {
      const threshold = suite.thresholds[metric]
      const value = suite.metrics[metric]
      const verdict = threshold === undefined ? '' : value === null || value === undefined ? 'n/a' : value >= threshold ? 'pass' : 'FAIL'
      rows.push([metric, number(suite.bySplit.dev[metric]), number(suite.bySplit.heldout[metric]), number(value), threshold === undefined ? '(reported)' : `≥ ${threshold}`, verdict])
    }
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
    for (const row of rows) lines.push(`  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}`)
    if (suite.failureCount > 0) {
      const shown = suite.failures.slice(0, failuresPerSuite)
      const heldout = suite.heldoutFailureCount > 0 ? `, ${suite.heldoutFailureCount} of them held out (not shown)` : ''
      lines.push(`  failures: ${suite.failureCount}${heldout}${suite.failures.length > shown.length ? ` (first ${shown.length} shown)` : ''}`)
      for (const failure of shown) {
        lines.push(`  ✗ [${failure.reason}] ${compact(failure.question, 160)}${failure.thread ? ` (after ${failure.thread.length} turns)` : ''}`)
        lines.push(`      expected ${compact(failure.expected)}`)
        lines.push(`      actual   ${compact(failure.actual)}`)
      }
    }
    lines.push('')
  }
  const below = Object.entries(report.suites).flatMap(([name, suite]) => suite.belowThreshold.map((text) => `${name}.${text}`))
  lines.push(report.passed ? 'PASSED: every metric meets its threshold' : `FAILED: ${below.join('; ')}`)
  return lines.join('\n')
}

/** A problem found in catalog input, naming the place: the file, the entity and the field. */
export interface CatalogProblem {
  severity: 'error' | 'warning'
  /** The file or URL the input came from (`<input>` for text given directly). */
  file: string
  /** The entity's reference, when the problem belongs to one entity. */
  entity?: string
  /** A dotted path in the entity, e.g. `spec.owner` or `metadata.tags[2]`. */
  field?: string
  message: string
}

export function formatProblem(problem: CatalogProblem): string {
  const place = [problem.file, problem.entity, problem.field].filter(Boolean).join(' › ')
  return `${problem.severity}: ${place}: ${problem.message}`
}

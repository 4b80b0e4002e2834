/** Writes the answer paragraph for a cost or carbon tool's output; `cite` names an entity and records the citation. */
type Json = any

function money(value: number, currency = 'USD'): string {
  return `${currency === 'USD' ? '$' : `${currency} `}${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
}

function isRef(key: string): boolean {
  return /^[a-z]+:[^/]+\/.+/.test(key)
}

function scope(filters: Json, cite: (ref: string) => string): string {
  const parts: string[] = []
  for (const key of ['team', 'entity', 'system', 'domain']) if (filters?.[key]) parts.push(cite(filters[key]))
  if (filters?.serviceCategory) parts.push(`on ${filters.serviceCategory.toLowerCase()}`)
  for (const key of ['provider', 'region', 'sku']) if (filters?.[key]) parts.push(`in ${filters[key]}`)
  return parts.join(' ')
}

function window(output: Json): string {
  const last = new Date(Date.parse(`${output.window.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
  return `from ${output.window.from} to ${last}`
}

export function writeCostAnswer(toolName: string, output: Json, cite: (ref: string) => string): string | undefined {
  const name = (key: string) => (isRef(key) ? cite(key) : key)
  switch (toolName) {
    case 'cost_breakdown': {
      const subject = scope(output.filters, cite)
      if (output.items.length === 0) return `I found no cost${subject ? ` for ${subject}` : ''} ${window(output)}.`
      const change = output.total - output.previousTotal
      return [
        `${subject ? `${subject[0]!.toUpperCase()}${subject.slice(1)} spent` : 'Spend was'} ${money(output.total, output.currency)} ${window(output)} (${change >= 0 ? 'up' : 'down'} ${money(Math.abs(change), output.currency)} on the period before).`,
        `By ${output.groupBy}: ${output.items.slice(0, 10).map((item: Json) => `${name(item.key)} ${money(item.billedCost, output.currency)}`).join(', ')}${output.items.length > 10 ? ` and ${output.items.length - 10} more` : ''}.`,
        output.unallocated > 0 ? `${money(output.unallocated, output.currency)} could not be tied to a team or service (unallocated).` : '',
      ].filter(Boolean).join(' ')
    }
    case 'cost_recommendations': {
      const subject = scope(output.filters, cite)
      if (output.recommendations.length === 0) return `I found nothing to cut${subject ? ` for ${subject}` : ''}.`
      return [`You could cut about ${money(output.totalMonthlySavings)} a month${subject ? ` for ${subject}` : ''}:`, ...output.recommendations.slice(0, 10).map((item: Json) => `- ${item.kind}: ${item.resourceId ?? 'on-demand compute'}${item.entityRef ? ` (${cite(item.entityRef)})` : ''}: ${item.action} (${item.reason}), saving ${money(item.estimatedMonthlySavings)} a month`)].join('\n')
    }
    case 'cost_anomalies': {
      if (output.anomalies.length === 0) return `I found no cost anomalies ${window(output)}.`
      return [`I found ${output.anomalies.length} cost anomal${output.anomalies.length === 1 ? 'y' : 'ies'} ${window(output)}:`, ...output.anomalies.slice(0, 10).map((item: Json) => `- ${name(item.key)}: ${item.start}${item.end !== item.start ? ` to ${item.end}` : ''}, ${money(item.excessCost)} above its usual ${money(item.expectedPerDay)} a day; driven by ${item.drivers.map((driver: Json) => [driver.resourceId, driver.skuId].filter(Boolean).join(' ')).join(', ') || 'no single resource'}`)].join('\n')
    }
    case 'cost_forecast': {
      const over = output.teams.filter((team: Json) => team.overBudgetBy !== undefined)
      return [`${output.month} has cost ${money(output.actual)} in ${output.daysElapsed} of ${output.daysInMonth} days; at ${money(output.dailyRunRate)} a day it will end near ${money(output.forecast)}.`, over.length > 0 ? `Forecast over budget: ${over.map((team: Json) => `${name(team.team)} by ${money(team.overBudgetBy)}`).join(', ')}.` : output.teams.some((team: Json) => team.budget !== undefined) ? 'No team is forecast to go over its budget.' : 'No team has a monthly budget set (the next-portal.io/monthly-budget annotation on its Group).'].filter(Boolean).join(' ')
    }
    case 'carbon_footprint': {
      if (output.items.length === 0) return `I found no cloud usage to estimate emissions from ${window(output)}.`
      return [
        `Cloud usage ${window(output)} emitted about ${output.totalKgCo2e.toLocaleString('en-US')} kg CO2e from ${output.totalKwh.toLocaleString('en-US')} kWh (Cloud Carbon Footprint's method).`,
        `By ${output.groupBy}: ${output.items.slice(0, 10).map((item: Json) => `${name(item.key)} ${item.kgCo2e.toLocaleString('en-US')} kg`).join(', ')}.`,
        ...output.suggestions.slice(0, 3).map((item: Json) => `Moving ${item.region} workloads to ${item.suggestedRegion} would save about ${item.kgCo2eSaved.toLocaleString('en-US')} kg CO2e.`),
      ].join(' ')
    }
    default:
      return undefined
  }
}

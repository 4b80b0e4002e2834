import { beforeAll, describe, expect, it } from 'vitest'
import { memoryCatalog } from '../../core/testing/memory-catalog.ts'
import type { Catalog } from '../../graph/catalog/catalog.ts'
import { catalogTools } from '../../tools/catalog/catalog-tools.ts'
import type { CostService } from '../../tools/cost/cost-service.ts'
import { costTools } from '../../tools/cost/cost-tools.ts'
import type { ToolDefinition } from '../../tools/define-tool.ts'
import { graphTools } from '../../tools/graph/graph-tools.ts'
import { IntentClassifier } from './intent-classifier.ts'
import { planQuestion, type Plan } from './plan-question.ts'

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-payments, title: Payments }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: checkout-api }
spec: { type: service, lifecycle: production, owner: team-payments }
`

describe('planning cost and carbon questions', () => {
  let catalog: Catalog
  let tools: ToolDefinition[]
  // A Wednesday: "last week" is Monday 2025-03-10 to Monday 2025-03-17.
  const now = new Date('2025-03-19T15:00:00Z')
  const plan = (question: string, list = tools): Plan => planQuestion(question, { index: catalog.index, classifier: new IntentClassifier(list), tools: new Map(list.map((tool) => [tool.name, tool])), previousRefs: [], now })

  beforeAll(async () => {
    catalog = await memoryCatalog(ORG)
    // Planning never runs a tool, so the cost tools need no cost data here.
    tools = [...catalogTools({ catalog }), ...graphTools({ catalog }), ...costTools({ cost: {} as CostService })]
  })

  it('plans a breakdown for the team, category and week, then recommendations for the same scope', () => {
    expect(plan('what did team payments spend on compute last week and what can we cut?')).toEqual({
      type: 'calls',
      calls: [
        { toolName: 'cost_breakdown', input: { team: 'group:default/team-payments', serviceCategory: 'Compute', from: '2025-03-10', to: '2025-03-17', groupBy: 'service' } },
        { toolName: 'cost_recommendations', input: { team: 'group:default/team-payments', serviceCategory: 'Compute' } },
      ],
    })
  })

  it('groups by the dimension named', () => {
    expect(plan('what is our carbon footprint by region?')).toEqual({ type: 'calls', calls: [{ toolName: 'carbon_footprint', input: { groupBy: 'region' } }] })
    expect(plan('cloud spend per team this month')).toEqual({ type: 'calls', calls: [{ toolName: 'cost_breakdown', input: { groupBy: 'team', from: '2025-03-01', to: '2025-03-20' } }] })
    expect(plan('how much does checkout-api cost?')).toEqual({ type: 'calls', calls: [{ toolName: 'cost_breakdown', input: { service: 'component:default/checkout-api', groupBy: 'sku' } }] })
  })

  it('says "not yet" for cost when no cost tool is registered', () => {
    const withoutCost = tools.filter((tool) => !tool.scope.startsWith('cost'))
    const result = plan('what did team payments spend on compute last week?', withoutCost)
    expect(result.type === 'reply' && result.text).toMatch(/can't help with costs and spend yet/)
  })
})

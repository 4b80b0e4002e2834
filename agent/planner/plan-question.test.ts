import { beforeAll, describe, expect, it } from 'vitest'
import { memoryCatalog, SMALL_ORG } from '../../core/testing/memory-catalog.ts'
import type { Catalog } from '../../graph/catalog/catalog.ts'
import { catalogTools } from '../../tools/catalog/catalog-tools.ts'
import { defineTool, READ_ONLY, type ToolDefinition } from '../../tools/define-tool.ts'
import { graphTools } from '../../tools/graph/graph-tools.ts'
import { linkEntities } from './entity-linker.ts'
import { IntentClassifier } from './intent-classifier.ts'
import { planQuestion, type Plan } from './plan-question.ts'
import { z } from 'zod'

describe('planQuestion on a small organisation', () => {
  let catalog: Catalog
  let tools: ToolDefinition[]
  const plan = (question: string, previousRefs: string[] = [], list = tools): Plan =>
    planQuestion(question, { index: catalog.index, classifier: new IntentClassifier(list), tools: new Map(list.map((tool) => [tool.name, tool])), previousRefs })

  beforeAll(async () => {
    catalog = await memoryCatalog(SMALL_ORG)
    tools = [...catalogTools({ catalog }), ...graphTools({ catalog })]
  })

  it('sends search-like questions to search with their words, once a search tool is registered', () => {
    const search = defineTool({
      name: 'search', title: 'Search the catalog and docs', description: 'Finds services and docs sections from words or a question, runbook and documentation text.',
      input: z.object({ query: z.string() }), output: z.object({}), annotations: READ_ONLY, scope: 'search:read', approval: false,
      examples: ['where is the runbook for checkout?', 'find services about billing', 'search the docs for kafka consumer lag', 'documentation about shipping labels'],
      execute: async () => ({}),
    })
    const withSearch = [...tools, search]
    expect(plan('where is the runbook for payments?', [], withSearch)).toEqual({ type: 'calls', calls: [{ toolName: 'search', input: { query: 'where is the runbook for payments' } }] })
    expect(plan('search the docs for card declines', [], withSearch)).toEqual({ type: 'calls', calls: [{ toolName: 'search', input: { query: 'card declines' } }] })
    // Without it, docs questions are a topic no tool covers.
    expect(plan('where is the runbook for payments?')).toMatchObject({ type: 'reply', text: expect.stringMatching(/documentation search/) })
  })

  it("reads time words against the conversation's clock, not the machine's", () => {
    const incidents = defineTool({
      name: 'incidents_list', title: 'Incidents', description: 'Lists incidents, open or resolved, of one entity or all.',
      input: z.object({ entity: z.string().optional(), since: z.string().optional() }), output: z.object({}), annotations: READ_ONLY, scope: 'rca:read', approval: false,
      examples: ['any incidents on cart since yesterday?', 'list the open incidents'],
      execute: async () => ({}),
    })
    const list = [...tools, incidents]
    const now = new Date('2026-01-15T12:00:00Z')
    const planned = planQuestion('any incidents since yesterday?', { index: catalog.index, classifier: new IntentClassifier(list), tools: new Map(list.map((tool) => [tool.name, tool])), previousRefs: [], now })
    expect(planned).toMatchObject({ type: 'calls', calls: [{ toolName: 'incidents_list', input: { since: expect.stringMatching(/^2026-01-14/) } }] })
  })

  it('takes a statement beside a question as its context, and its entity as what the question is about', () => {
    expect(plan("heads up: we're moving payments-db to a new cluster tonight. what could be impacted?")).toEqual({ type: 'calls', calls: [{ toolName: 'graph_dependents', input: { ref: 'resource:default/payments-db' } }] })
    expect(plan('which team owns fraud-check? got a question about its rules')).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_who_owns', input: { ref: 'component:default/fraud-check' } }] })
  })

  it('splits a message into its asks: statements, names and reasons add no call, further asks after "and" do', () => {
    const dependents = { toolName: 'graph_dependents', input: { ref: 'resource:default/payments-db' } }
    const owner = { toolName: 'catalog_who_owns', input: { ref: 'resource:default/payments-db' } }
    // "and has it…", "and pull up…": an ask that does not start with a question word still splits.
    expect(plan('what breaks if payments-db goes down, and who owns it?')).toEqual({ type: 'calls', calls: [dependents, owner] })
    expect(plan('what breaks if payments-db goes down, and has it got an owner?')).toMatchObject({ type: 'calls', calls: [dependents, expect.anything()] })
    // A sentence that states something, or "its X has…", is context: its entity is what "it" means, it adds no call.
    expect(plan('saw payments-db queries in a trace, which surprised me. who owns it?')).toEqual({ type: 'calls', calls: [owner] })
    expect(plan('I am picking up a ticket for payments-db and its readme has no contacts at all. who owns it?')).toEqual({ type: 'calls', calls: [owner] })
    // "so I can…" is why it is asked; "incl." ends no sentence.
    expect(plan('who owns payments-db so I can ask them about the schema')).toEqual({ type: 'calls', calls: [owner] })
    expect(plan('everything the fraud team owns incl. sub-teams')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_owned_by', input: { group: 'group:default/fraud' } }] })
    // "dependent on" reads by word order, like "depends on".
    expect(plan('what is fraud-check dependent on')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_dependencies', input: { ref: 'component:default/fraud-check' } }] })
    // Context about a name the catalog lacks makes "it" that name: the answer says it was not found.
    expect(plan('warp-drive-service has been failing since monday. what breaks if it goes down?')).toMatchObject({ type: 'reply', text: expect.stringMatching(/warp-drive-service/) })
  })

  it('validates YAML pasted without a fence, and a question about "it" after it asks about the YAML', () => {
    const result = plan('the catalog rejects our payments-db entity, here it is:\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nwhat is wrong with it?')
    expect(result).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_validate', input: { yaml: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x' } }] })
  })

  it('folds idioms in the tools\' examples as in questions, and reads a list with nothing to filter as a question about the one entity named', () => {
    expect(plan('which services sit on top of payments-db?')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_dependents', input: { ref: 'resource:default/payments-db' } }] })
    expect(plan('what language is fraud-check written in?')).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_get_entity', input: { ref: 'component:default/fraud-check' } }] })
  })

  it('links names, titles and typos to entities that exist', () => {
    expect(linkEntities(catalog.index, 'what does the Web Storefront need?').map((mention) => mention.candidates[0]!.ref)).toEqual(['component:default/web'])
    expect(linkEntities(catalog.index, 'who owns fraud-chek').map((mention) => mention.candidates[0]!.ref)).toEqual(['component:default/fraud-check'])
    expect(linkEntities(catalog.index, 'who owns the flux capacitor')).toEqual([])
  })

  it('routes by intent and fills the entity slot with the right kind', () => {
    expect(plan('what breaks if payments-db goes down?')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_dependents', input: { ref: 'resource:default/payments-db' } }] })
    expect(plan('what does fraud-check depend on, directly?')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_dependencies', input: { ref: 'component:default/fraud-check', depth: 1 } }] })
    expect(plan('what does the fraud team own?')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_owned_by', input: { group: 'group:default/fraud' } }] })
    expect(plan('how is web connected to payments-db?')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_path', input: { from: 'component:default/web', to: 'resource:default/payments-db' } }] })
  })

  it('turns list questions into catalog_query filters', () => {
    expect(plan('list the experimental services')).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_query', input: { kind: 'component', type: 'service', lifecycle: 'experimental' } }] })
    expect(plan('which components are tagged java?')).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_query', input: { kind: 'component', tag: 'java' } }] })
  })

  it('asks back with the candidates when a name fits several entities equally', () => {
    const result = plan('tell me about payments')
    expect(result.type).toBe('reply')
    expect(result.type === 'reply' && result.text).toMatch(/could mean component:default\/payments, group:default\/payments/)
  })

  it('uses the conversation for "it"', () => {
    expect(plan('and who owns it?', ['resource:default/payments-db'])).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_who_owns', input: { ref: 'resource:default/payments-db' } }] })
  })

  it('validates pasted YAML', () => {
    const result = plan('is this ok?\n```yaml\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n```')
    expect(result).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_validate', input: { yaml: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n' } }] })
  })

  it('reads chat shorthand, filler, idioms and inflections', () => {
    const dependencies = { type: 'calls', calls: [{ toolName: 'graph_dependencies', input: { ref: 'component:default/fraud-check' } }] }
    expect(plan('hey, deps of the fraud-check svc pls')).toEqual(dependencies)
    expect(plan('what does the fraud team look after?')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_owned_by', input: { group: 'group:default/fraud' } }] })
    expect(plan('pls tell me what breaks if payments-db falls over')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_dependents', input: { ref: 'resource:default/payments-db' } }] })
    expect(plan('ownr of payments-db?')).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_who_owns', input: { ref: 'resource:default/payments-db' } }] })
  })

  it('names an unknown user name back, dots and all', () => {
    expect(plan('who is zaphod.beeblebrox?')).toMatchObject({ type: 'reply', text: expect.stringContaining('"zaphod.beeblebrox"') })
  })

  it('takes "that team" to mean the team the conversation named', () => {
    expect(plan('what else does that team own?', ['component:default/fraud-check', 'group:default/fraud'])).toEqual({ type: 'calls', calls: [{ toolName: 'graph_owned_by', input: { group: 'group:default/fraud' } }] })
  })

  it('learns a new tool from its examples, with no planner change', () => {
    const restart = defineTool({
      name: 'remediation_restart',
      title: 'Restart a service',
      description: 'Restarts the pods of a service after approval.',
      input: z.object({ ref: z.string() }),
      output: z.object({ requested: z.boolean() }),
      annotations: { ...READ_ONLY, readOnlyHint: false, destructiveHint: true },
      scope: 'remediation:request',
      approval: true,
      examples: ['restart the checkout-api pods', 'bounce cart-service', 'please restart payments-api'],
      async execute() {
        return { requested: true }
      },
    })
    expect(plan('restart the web pods').type).toBe('reply')
    expect(plan('restart the web pods', [], [...tools, restart] as ToolDefinition[])).toEqual({ type: 'calls', calls: [{ toolName: 'remediation_restart', input: { ref: 'component:default/web' } }] })
  })
  describe('generalising beyond the examples', () => {
    const tool = (name: string, description: string, examples: string[], input: z.ZodObject = z.object({}), readOnly = true): ToolDefinition =>
      defineTool({ name, title: name, description, input, output: z.object({}), annotations: readOnly ? READ_ONLY : { ...READ_ONLY, readOnlyHint: false, destructiveHint: true }, scope: 'catalog:read', approval: !readOnly, examples, execute: async () => ({}) }) as ToolDefinition
    const search = tool('search', 'Finds services and docs sections from words or a question.', ['where is the runbook for checkout?', 'find services about billing', 'search the docs for kafka consumer lag'], z.object({ query: z.string() }))
    const request = tool('remediation_request', 'Restarts, scales or rolls back a service after approval.', ['restart the checkout-api pods', 'bounce cart-service', 'roll back checkout-api'], z.object({ entity: z.string(), playbook: z.enum(['restart', 'rollback']) }), false)
    const status = tool('remediation_status', 'The remediation requests and runs: waiting for approval, running, verified or failed.', ['is the restart of cart-service done?', 'status of my remediation request'], z.object({ entity: z.string().optional() }))
    const audit = tool('audit_log', 'The record of every approval request, decision and run.', ['show the audit log', 'which approval requests were denied?', 'who approved the last restart?'])
    const all = () => [...tools, search, request, status, audit]

    it('sends "is there…", "where…" and "how do I…" about nothing named to search, and never runs the action a how-to names', () => {
      expect(plan('is there a service that handles refunds?', [], all())).toMatchObject({ type: 'calls', calls: [{ toolName: 'search' }] })
      expect(plan('got a 429 from the gateway, where are the rate limit docs?', [], all())).toMatchObject({ type: 'calls', calls: [{ toolName: 'search' }] })
      expect(plan('how do I restart web?', [], all())).toMatchObject({ type: 'calls', calls: [{ toolName: 'search' }] })
      expect(plan('restart the web pods', [], all())).toMatchObject({ type: 'calls', calls: [{ toolName: 'remediation_request', input: { entity: 'component:default/web', playbook: 'restart' } }] })
    })

    it('reads asking after an action as its status, and who decided it as the audit log', () => {
      expect(plan('did the restart of web go through?', [], all())).toMatchObject({ type: 'calls', calls: [{ toolName: 'remediation_status', input: { entity: 'component:default/web' } }] })
      expect(plan('restart of web - verified yet?', [], all())).toMatchObject({ type: 'calls', calls: [{ toolName: 'remediation_status' }] })
      expect(plan('who signed off on the rollback of web?', [], all())).toMatchObject({ type: 'calls', calls: [{ toolName: 'audit_log' }] })
    })

    it('ranks the question that follows a statement of context', () => {
      expect(plan('new on the fraud team, what do we own?')).toEqual({ type: 'calls', calls: [{ toolName: 'graph_owned_by', input: { group: 'group:default/fraud' } }] })
      expect(plan('I found a bug in fraud-check, who should I talk to?')).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_who_owns', input: { ref: 'component:default/fraud-check' } }] })
    })

    it('finds the asks of a message by their structure: separate questions, imperatives after "and"/"then", a condition or a sentence before', () => {
      const owner = { toolName: 'catalog_who_owns', input: { ref: 'resource:default/payments-db' } }
      const dependents = { toolName: 'graph_dependents', input: { ref: 'resource:default/payments-db' } }
      // A relation word in one question does not glue the next question to it.
      expect(plan('how is web connected to payments-db? and what else depends on payments-db', [], all())).toEqual({ type: 'calls', calls: [{ toolName: 'graph_path', input: { from: 'component:default/web', to: 'resource:default/payments-db' } }, dependents] })
      // "…, then list…", "… and show…": a further request in the imperative.
      expect(plan('who owns payments-db, then list what depends on it', [], all())).toEqual({ type: 'calls', calls: [owner, dependents] })
      // "before I ask the fraud team…, …": the condition is context; the ask names its own subject.
      expect(plan('before I ask the fraud team anything, who owns payments-db?', [], all())).toEqual({ type: 'calls', calls: [owner] })
      // A whole sentence that states something is context, however it begins.
      expect(plan('trying to run fraud-check locally and it keeps crashing without its env vars. what does it depend on?', [], all())).toEqual({ type: 'calls', calls: [{ toolName: 'graph_dependencies', input: { ref: 'component:default/fraud-check' } }] })
    })

    it('reads how people name ownership and contents, and hedges that add nothing', () => {
      const owner = { type: 'calls', calls: [{ toolName: 'catalog_who_owns', input: { ref: 'component:default/fraud-check' } }] }
      expect(plan('which squad has fraud-check?', [], all())).toEqual(owner)
      expect(plan('fraud-check sits with which team?', [], all())).toEqual(owner)
      expect(plan('what even is fraud-check?', [], all())).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_get_entity', input: { ref: 'component:default/fraud-check' } }] })
      expect(plan('please enumerate the members of the checkout system', [], all())).toEqual({ type: 'calls', calls: [{ toolName: 'graph_parts', input: { ref: 'system:default/checkout' } }] })
    })

    it('fixes a misspelt action, weighs a named action as a plan, and answers what it can do', () => {
      const plan_ = tool('remediation_plan', 'What a remediation would do, without running it.', ['what would restarting checkout-api do?'], z.object({ entity: z.string(), playbook: z.enum(['restart', 'rollback']) }))
      const playbooks = tool('remediation_playbooks', 'Lists the remediation playbooks the portal can run.', ['which fixes can you run?'])
      const withActions = [...all(), plan_, playbooks]
      expect(plan('rstart web pls', [], withActions)).toMatchObject({ type: 'calls', calls: [{ toolName: 'remediation_request', input: { entity: 'component:default/web', playbook: 'restart' } }] })
      expect(plan('what would a rollback on web touch? no changes pls, just the plan', [], withActions)).toMatchObject({ type: 'calls', calls: [{ toolName: 'remediation_plan', input: { entity: 'component:default/web', playbook: 'rollback' } }] })
      // The playbook said in the context before the ask.
      expect(plan('thinking of restarting web. show me the dry-run plan', [], withActions)).toMatchObject({ type: 'calls', calls: [{ toolName: 'remediation_plan', input: { playbook: 'restart' } }] })
      expect(plan('can u do rollbacks? what else can u do remediation-wise', [], withActions)).toEqual({ type: 'calls', calls: [{ toolName: 'remediation_playbooks', input: {} }] })
    })

    it('reads the cause asked for in other words than "why", relations said as "to do with", and who is "she"', () => {
      const rca = tool('rca_analyze', 'Finds the likely root cause of trouble on a service.', ['why is checkout-api slow?'], z.object({ ref: z.string() }))
      const withRca = [...all(), rca]
      expect(plan('what went wrong with fraud-check?', [], withRca)).toMatchObject({ type: 'calls', calls: [{ toolName: 'rca_analyze', input: { ref: 'component:default/fraud-check' } }] })
      expect(plan('fraud-check failing to score, rca pls', [], withRca)).toMatchObject({ type: 'calls', calls: [{ toolName: 'rca_analyze', input: { ref: 'component:default/fraud-check' } }] })
      expect(plan('why would web have anything to do with payments-db?', [], withRca)).toEqual({ type: 'calls', calls: [{ toolName: 'graph_path', input: { from: 'component:default/web', to: 'resource:default/payments-db' } }] })
      expect(plan('Got a review request from ada on my first PR. Which team is she on?', [], all())).toEqual({ type: 'calls', calls: [{ toolName: 'catalog_get_entity', input: { ref: 'user:default/ada' } }] })
    })

    it('says that searching logs and reviewing code are not covered, rather than reading the service named', () => {
      expect(plan('grep web logs for NullPointerException in the last hour', [], all())).toMatchObject({ type: 'reply', text: expect.stringMatching(/searching logs/) })
      expect(plan('can you review my PR diff for style issues?', [], all())).toMatchObject({ type: 'reply', text: expect.stringMatching(/code review/) })
    })

    it('calls no tool for a weak match on words no tool knows', () => {
      expect(plan('will it rain in lisbon tomorrow?', [], all()).type).toBe('reply')
    })
  })
})

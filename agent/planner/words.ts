/**
 * The planner's view of text: lower-case word tokens, light stemming, and a small table of synonyms that folds
 * the many ways people say the same platform thing ("goes down", "outage", "breaks") into one word. These are
 * English, not tool names: tools teach the planner through their descriptions and examples.
 */
const SYNONYMS: Record<string, string> = {
  owner: 'own', owns: 'own', owned: 'own', owning: 'own', ownership: 'own', responsible: 'own', responsibility: 'own', maintain: 'own', maintains: 'own', maintainer: 'own', maintainers: 'own', maintained: 'own',
  depend: 'depend', depends: 'depend', dependent: 'dependent', dependents: 'dependent', dependency: 'dependency', dependencies: 'dependency', deps: 'dependency', relies: 'depend', rely: 'depend', relying: 'depend', needs: 'depend', need: 'depend', uses: 'use', using: 'use', used: 'use', calls: 'call', calling: 'call', called: 'call', consumes: 'use', consume: 'use', consumers: 'consumer', consumer: 'consumer',
  down: 'outage', outage: 'outage', outages: 'outage', fails: 'outage', fail: 'outage', failing: 'outage', failure: 'outage', dies: 'outage', die: 'outage', dead: 'outage', offline: 'outage', unavailable: 'outage', crashes: 'outage', crash: 'outage', breaks: 'break', break: 'break', broken: 'break', breaking: 'break', impact: 'impact', impacted: 'impact', impacts: 'impact', affected: 'impact', affect: 'impact', affects: 'impact', blast: 'impact', radius: 'impact',
  team: 'team', teams: 'team', squad: 'team', squads: 'team', group: 'team', groups: 'team',
  contact: 'contact', reach: 'contact', ping: 'contact', talk: 'contact', tell: 'contact', notify: 'contact', call_: 'contact', email: 'contact', slack: 'contact', oncall: 'contact',
  service: 'service', services: 'service', svc: 'service', microservice: 'service', microservices: 'service', component: 'service', components: 'service', app: 'service', apps: 'service',
  api: 'api', apis: 'api', endpoint: 'api', endpoints: 'api', interface: 'api',
  db: 'database', dbs: 'database', database: 'database', databases: 'database', datastore: 'database',
  connected: 'connect', connect: 'connect', connection: 'connect', connects: 'connect', related: 'connect', relate: 'connect', relationship: 'connect', link: 'connect', linked: 'connect', path: 'path', route: 'path', chain: 'path', between: 'between',
  list: 'list', show: 'show', find: 'find', search: 'find', which: 'which', all: 'all', every: 'all',
  cycle: 'cycle', cycles: 'cycle', circular: 'cycle', loop: 'cycle', loops: 'cycle', cyclic: 'cycle',
  valid: 'validate', validate: 'validate', validation: 'validate', lint: 'validate', check: 'check', correct: 'validate',
  contain: 'contain', contains: 'contain', inside: 'contain', part: 'contain', parts: 'contain', belong: 'contain', belongs: 'contain', member: 'member', members: 'member', in: 'in',
  require: 'depend', requires: 'depend', required: 'depend', content: 'contain', contents: 'contain', consist: 'contain', consists: 'contain',
  stuff: 'own', inherit: 'own', inherits: 'own', inheriting: 'own', runs: 'own', run: 'own', behind: 'own', works: 'own', work: 'own', working: 'own', wrote: 'own', escalate: 'contact', poc: 'contact', 
  callers: 'consumer', caller: 'consumer', clients: 'consumer', client: 'consumer', upstreams: 'consumer',
  composed: 'contain', made: 'contain', makes: 'contain', comprise: 'contain', comprises: 'contain', includes: 'contain', include: 'contain',
  talks: 'call', invokes: 'call', invoke: 'call', reads: 'use', writes: 'use', backed: 'use', backing: 'use',
  accountable: 'own', portfolio: 'own', stewards: 'own', steward: 'own',
  rundown: 'describe', overview: 'describe', summary: 'describe', summarize: 'describe', summarise: 'describe', lowdown: 'describe', profile: 'describe',
  about: 'about', describe: 'describe', details: 'describe', detail: 'describe', info: 'describe', information: 'describe', explain: 'describe', what: 'what', whats: 'what', deets: 'describe', breakdown: 'contain',
  // How people say a service is fine, a job is finished, something waits, or looks odd.
  ok: 'healthy', okay: 'healthy', fine: 'healthy', alright: 'healthy', healthy: 'healthy', health: 'healthy',
  done: 'done', finish: 'done', finished: 'done', complete: 'done', completed: 'done', succeeded: 'done',
  pending: 'wait', waiting: 'wait', awaiting: 'wait', wait: 'wait',
  weird: 'anomaly', odd: 'anomaly', strange: 'anomaly', unusual: 'anomaly', unusually: 'anomaly', abnormal: 'anomaly', anomalous: 'anomaly',
  hit: 'use', hits: 'use', hitting: 'use', progress: 'status', progressing: 'status',
  // Where a service sits in the flow of calls: upstream are its callers, downstream what it calls.
  upstream: 'consumer', downstream: 'dependency',
  deploy: 'deploy', deploys: 'deploy', deployed: 'deploy', deploying: 'deploy', deployment: 'deploy', deployments: 'deploy',
  diagnose: 'rca', diagnosis: 'rca', diagnosing: 'rca',
  dependant: 'dependent', dependants: 'dependent', lately: 'recent', recently: 'recent', recent: 'recent',
  // Pieces of a whole, ways to look through text, and the incident and risk words of on-call chat.
  piece: 'contain', pieces: 'contain', constituents: 'contain', grep: 'find', lookup: 'find',
  sev: 'incident', sevs: 'incident', sev1: 'incident', sev2: 'incident', sev3: 'incident', postmortem: 'incident', postmortems: 'incident',
  culprit: 'cause', culprits: 'cause', troubleshoot: 'rca', troubleshooting: 'rca', debug: 'rca', debugging: 'rca', investigate: 'rca',
  cert: 'certificate', certs: 'certificate', certificates: 'certificate', tls: 'certificate', ssl: 'certificate',
  // "risk" is also a service's alias; as a known word it names that service only beside a kind word ("the risk service").
  risk: 'risk', risks: 'risk', risky: 'risk',
  forecast: 'predict', forecasts: 'predict', predict: 'predict', prediction: 'predict', predictions: 'predict', likely: 'predict', likelihood: 'predict', chance: 'predict', odds: 'predict',
  instance: 'replica', instances: 'replica', replica: 'replica', replicas: 'replica', pod: 'replica', pods: 'replica',
  writeup: 'docs', writeups: 'docs', readme: 'docs', wiki: 'docs', techdocs: 'docs', documentation: 'docs', doc: 'docs', docs: 'docs',
  approvals: 'approv', approval: 'approv', trail: 'audit', audit: 'audit', audits: 'audit',
  mock: 'stub', mocks: 'stub', stub: 'stub', stubs: 'stub', fake: 'stub',
  speak: 'contact', speaking: 'contact', chat: 'contact', regarding: 'about', concerning: 'about', re: 'about',
  remit: 'own', purview: 'own',
  strangely: 'anomaly', oddly: 'anomaly', weirdly: 'anomaly', abnormally: 'anomaly', erratic: 'anomaly', erratically: 'anomaly', unexpectedly: 'anomaly',
  // "inc list for ledger-service": on-call shorthand for incidents; "catalog metadata for X" is its description.
  inc: 'incident', incs: 'incident', metadata: 'describe',
  // "what else feels it", "the impact of losing X", "the riskiest services".
  feel: 'impact', feels: 'impact', felt: 'impact', losing: 'outage', lose: 'outage', loss: 'outage', riskiest: 'risk',
  rejected: 'deny', reject: 'deny', declined: 'deny', decline: 'deny', denied: 'deny', deny: 'deny', refused: 'deny',
}

/** Chat shorthand, expanded before anything else reads the words ("deps of the cart svc rn"). */
const SHORTHAND: Record<string, string> = { svc: 'service', svcs: 'services', srv: 'service', rn: 'now', r: 'are', u: 'you', ur: 'your', w: 'with', k8s: 'kubernetes', creds: 'credentials', prod: 'production', dep: 'dependency', dbs: 'databases', gw: 'gateway', sys: 'system' }

/** Idioms folded into the word the tools' examples use ("falls over" is fails, "looks after" is owns). */
const IDIOMS: Array<[RegExp, string]> = [
  [/\b(?:falls|fall|fell|falling) over\b/g, 'fails'],
  [/\b(?:looks|look|looking) after\b/g, 'owns'],
  // "which squad has the Mobile BFF", "what team's got X", "X sits with which team": a team that has a thing owns it.
  [/\b(which|what|whose)\s+(team|squad|group|crew|folks|people|department|org)(?:['’]s\s+got|\s+(?:has|have|holds?|got|gets|is behind|are behind|looks after|takes care of|is responsible))\b/g, '$1 $2 owns'],
  [/\b(?:sits?|lives?|is|falls?)\s+(?:with|under)\s+(which|what)\s+(team|squad|group)\b/g, 'is owned by $1 $2'],
  [/\bon the hook for\b/g, 'responsible for'],
  [/\b(?:signed|sign|signs) off\b/g, 'approved'],
  [/\bkeep(?:ing)? an eye on\b/g, 'watch'],
  [/\bright now\b/g, 'now'],
  [/\bbreak down\b/g, 'breakdown'],
  [/\b(?:deals|dealing|dealt) with\b/g, 'handles'],
  [/\bpoints? of contact\b/g, 'contact'],
  [/\b(?:pulls?|pulling|pulled) in\b/g, 'uses'],
  [/\bwhat(?:['’]s| is| are) behind\b/g, 'what is causing'],
  // "break the billing system down", "something looks off with checkout-api".
  [/\bbreak\s+((?:the\s+)?[\w-]+(?:\s+[\w-]+){0,2}?)\s+down\b/g, 'breakdown of $1'],
  [/\b(?:something|anything|looks?|seems?|looking|is) off\b/g, 'anomalous'],
  [/\b(?:out of|outside(?: of)?) (?:the |their |its |our )?(?:normal|usual|expected) (?:range|band|levels?)\b/g, 'anomalous'],
  // Layers: "what sits on top of orders-db" are its dependents; "what is invoice-service built on top of" its dependencies.
  [/\b(?:sits?|sitting|sat|runs?|running) on top of\b/g, 'depend on'],
  [/\bon top of\b/g, 'on'],
  [/\b(?:acting|acts|act) up\b/g, 'failing'],
  [/\bthrough the roof\b/g, 'slow'],
  [/\bwhat(?:['’]?s| is) (?:going on|up|happening)(?: with)?\b/g, 'what is wrong with'],
  // "check on request apr_…" asks how it is going; "need the owner of…" wants something, it is no dependency.
  [/\bcheck(?:ing)? (?:in )?on\b/g, 'status of'],
  [/(^|[,.;:!?]\s*)(?:i |we )?(?:really )?need (the|a|an|some)\b/g, '$1want $2'],
  [/\bheads[- ]up\b/g, 'notice'],
  [/\b(?:leans?|leaning) on\b/g, 'depend on'],
  // "what is auth-service dependent on" asks what it depends on; "what is dependent on auth-db" asks its dependents: word order decides, as for "depends on".
  [/\b(?:dependent|dependant|reliant) (?:on|upon)\b/g, 'depend on'],
  // "upstream deps of X": upstream alone may be its callers, but upstream dependencies are what it depends on.
  [/\b(?:upstream|downstream) (deps|dependencies|dependency)\b/g, '$1'],
  // "what does admin-portal talk to?" asks what it calls; "who should I talk to?" stays a contact.
  [/(?<!\b(?:i|we|you|they|should|can|could|do)\s)\btalks? to(?=\s*(?:downstream|upstream|directly)?\s*(?:[?.!,]|$|\s+(?:before|so|because|when|since|during|in|on)\b))/g, 'calls'],
  [/\b(?:pulls?|pulling|reads?|reading|fetch(?:es)?|fetching) (?:its |their )?(?:data |stuff |information )?from\b/g, 'uses'],
  [/\b(?:go(?:es)?|going|went|gone) (?:wrong|bad|sideways|pear[- ]shaped)\b/g, 'fail'],
  // "who do we report it to", "who do I raise a bug with": whom to contact. "route requests to" is a call.
  [/\b(?:report|raise|escalate|flag)\s+(?:it|this|that|them|(?:a|an|the)\s+(?:bug|issue|problem|incident)|bugs|issues|problems)\s+(?:to|with)\b/g, 'contact'],
  // Not the end of a name: "scaling image-proxy to 5 replicas".
  [/(?<!-)\b(?:routes?|routing|forwards?|forwarding|proxies|proxy)\s+(?:requests?\s+|traffic\s+|calls\s+)?to\b/g, 'calls'],
  // "what is the product import bucket used for?" asks what it is for, not what it uses.
  [/\bused for\b/g, 'for'],
  // "which services talk to X": who calls it ("what does X talk to" is handled above, by word order).
  [/\b(which|what)\s+(\w+\s+)?(?:talk|talks|speak|speaks|connect|connects)\s+to\b/g, '$1 $2call'],
  // "services that end up depending on themselves": a dependency cycle.
  // "services that transitively depend back on themselves", "mutual dependencies", "cyclically dependent": a dependency cycle.
  [/\bdepend(?:s|ing|ent)?\s+(?:back\s+)?on\s+(?:themselves|itself)\b/g, 'circular dependency'],
  [/\b(?:mutual(?:ly)?|cyclical(?:ly)?|cyclic(?:ally)?|circular(?:ly)?|circ)\s+(?:dependen\w*|depend\w*|deps)\b/g, 'circular dependency'],
  // "whose stuff breaks?": what breaks, whoever owns it.
  [/\bwhose\s+(?:stuff|things|services|apps|systems)\s+(break|breaks|goes down|go down|fails?)\b/g, 'what $1'],
  // "run" and "work" are owning ("who runs X", "works on X") except where an action ran: "did the rollback work",
  // "remediation runs", "has that run finished", "playbooks to run after approval".
  [/\b(did|does|do|has|have|will)\b([^?.!,]{0,60}?)\bwork(?:ed)?\b(?!\s+(?:on|for|with))/g, '$1$2succeed'],
  [/\b(remediation|playbook|automated|approved|recent|last)\s+runs?\b/g, '$1 executions'],
  [/\b(that|the|this|my|our|each)\s+run\b(?!\s+(?:by|of))/g, '$1 execution'],
  [/\b(?:to|can (?:i|we|you)|could (?:i|we|you))\s+run\b(?!\s+(?:it|the|this|that|by))/g, 'to execute'],
  // "who do I page for it": whoever is on call for it, its owners.
  [/\bwho\s+(?:do|should|would|can)\s+(?:i|we)\s+page\b/g, 'who owns'],
  // "why would checkout-api have anything to do with fraud-db": how the two are connected.
  [/\b(?:have|has|had)\s+(?:anything|something|much)\s+to\s+do\s+with\b/g, 'connected to'],
  // "remediation-wise", "cost-wise": about that topic.
  [/\b([a-z]+)-wise\b/g, 'about $1'],
  // Chat that says nothing of what is asked.
  [/\b(?:never heard of (?:it|that|this|them)|no idea what (?:it|that|this) is|if you know|thanks in advance)\b/g, ' '],
]

const STOP = new Set(['the', 'a', 'an', 'is', 'are', 'was', 'were', 'be', 'to', 'of', 'for', 'me', 'i', 'you', 'please', 'can', 'could', 'would', 'should', 'do', 'does', 'did', 'it', 'its', 'this', 'that', 'there', 'any', 'some', 'my', 'our', 'we', 'hey', 'hi', 'pls', 'plz', 'thanks', 'thx', 'and', 'or', 'so', 'then', 'just', 'quick', 'question', 'q', 'tell', 'give', 'get', 'know', 'want', 'like', 'let', 'us', 'im', 'ive', 'were', 'weve', 'asap', 'tia', 'cheers', 'lol', 'btw', 'fyi', 'hiya', 'morning',
  // Hedges and intensifiers: "what even is X", "what exactly does X do" ask what the plain question asks.
  'even', 'actually', 'really', 'exactly', 'basically', 'honestly', 'literally', 'again',
  // "what the legacy cart api itself depends on" asks what it depends on.
  'itself'])

/** A text in lower case with its idioms folded ("falls over" is "fails"), as questions and examples are both read. */
export function foldIdioms(text: string): string {
  return IDIOMS.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), text.toLowerCase().replace(/\bon[- ]call\b/g, 'oncall'))
}

/** Words of a text, lower-case, apostrophes dropped, hyphenated names split. */
export function words(text: string): string[] {
  const lower = foldIdioms(text)
  return lower.replace(/['’]s\b/g, '').replace(/['’]/g, '').split(/[^a-z0-9]+/).filter(Boolean).map((word) => SHORTHAND[word] ?? word)
}

/** A light suffix stripper: "restarted", "restarting" and "restarts" share "restart"; "fixes" is "fix". */
function stem(word: string): string {
  let base = word
  if (base.length > 5 && base.endsWith('ing')) base = base.slice(0, -3)
  else if (base.length > 5 && base.endsWith('ed')) base = base.slice(0, -2)
  else if (base.length > 4 && base.endsWith('ies')) base = `${base.slice(0, -3)}y`
  else if (base.length > 4 && /(x|ch|sh|ss|z)es$/.test(base)) base = base.slice(0, -2)
  else if (base.length > 3 && base.endsWith('s') && !base.endsWith('ss')) base = base.slice(0, -1)
  // "scale" and "scaling", "approve" and "approved" meet at "scal" and "approv".
  return base.length > 4 && base.endsWith('e') ? base.slice(0, -1) : base
}

/** A word in canonical form: synonyms folded, else stemmed. Stop words become undefined. */
export function canonicalWord(word: string): string | undefined {
  if (SYNONYMS[word]) return SYNONYMS[word]
  // "p99", "p95": percentiles of latency.
  if (/^p\d{2,3}$/.test(word)) return 'latency'
  if (STOP.has(word)) return undefined
  const stemmed = stem(word)
  return SYNONYMS[stemmed] ?? stemmed
}

export const KNOWN_VOCABULARY = new Set(Object.keys(SYNONYMS))

/** Prepositions: "depend on" says much, "on <entity>" next to any verb says little. */
export const PREPOSITIONS = new Set(['on', 'in', 'at', 'from', 'with', 'by', 'about', 'into', 'over', 'since'])

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 }

/** "two levels" → 2. */
export function numberWord(word: string): number | undefined {
  return NUMBER_WORDS[word] ?? (/^\d+$/.test(word) ? Number(word) : undefined)
}

/** Short misspellings too close to other words for edit distance to fix safely. */
export const COMMON_TYPOS: Record<string, string> = { abt: 'about', whta: 'what', wut: 'what', hw: 'how', wat: 'what', waht: 'what', teh: 'the', hwo: 'who', whos: 'who', wich: 'which', whcih: 'which', dose: 'does', dependecies: 'dependencies', ownes: 'owns', onws: 'owns' }

/**
 * Everyday English words that are never typos, however close they come to a word the tools use ("even" is not
 * "event", "review" is not "reviews", "start" is not "restart"): spelling correction leaves them as they are.
 */
export const ENGLISH_WORDS: ReadonlySet<string> = new Set(`
  able also away back been best both came come does done down each even ever fact feel felt find fine from gave give goes gone good half hand hard have head hear help here high hold home hope idea into just keep kept kind knew know last late left less like line live long look lose lost made make many mean meet mind more most move much must name near need next nice none note okay once only open over part past plan play pull push read real rest ride same save seem seen sent show side sign some soon sort stay step such sure take talk tell than that them then they thing this thus till time told took true turn type unit upon used very view want week well went were what when whom will wish with word work year your
  about above after again agree ahead allow along among apply argue aside avoid aware based basic began begin being below bring broke build built carry catch cause clear close could count cover cross doing doubt early earth eight either empty enjoy enter equal error event every exact extra fault field final first force found front given going great group guess happy heard heavy hello issue itself known large later learn least leave level light limit local lower maybe means might minor month moved never night noted often order other ought owner place plain point prior quick quite raise range rather reach ready right rough round seems seven shall short since small sorry sound speak spend stand start state still stuff taken thank their there these think those three throw today total touch tough trace tried truly under until usual value watch where which while whole whose would write wrong yours
  across action actual almost always amount answer anyone anyway appear around asking before behind belong better beyond bother change choose closer coming common couple course create decide detail direct during enough entire except expect fairly figure follow former friend having hoping inside intend latest likely little mostly myself nearly needed normal notice number others people period person please pretty proper really reason recent remain remind report review search second should simply single sister sooner source spring status strong sudden system thanks though thread toward trying unless update useful versus wanted weekly within without wonder worked writer
  actually against already another anything anywhere approve because between careful certain complete consider continue correct covering currently describe directly discover everyone evidence example explain finished followed happened however inferred instance interest involved maintain meantime mentioned nothing obvious possible previous probably question recently remember response separate somebody somehow someone something sometimes somewhere suddenly suppose thinking thorough together tomorrow whatever whenever whether yesterday
`.split(/\s+/).filter(Boolean))

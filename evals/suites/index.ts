import type { Suite } from '../suite.ts'
import { answersSuite } from './answers.ts'
import { costSuite } from './cost.ts'
import { anomalySuite } from './anomaly.ts'
import { predictionSuite } from './prediction.ts'
import { rcaSuite } from './rca.ts'
import { remediationSuite } from './remediation.ts'
import { routingSuite } from './routing.ts'
import { searchSuite } from './search.ts'

/** Every registered suite, in the order they run. A new suite (anomaly, rca, cost…) is one more entry. */
export const suites: readonly Suite[] = [routingSuite, answersSuite, costSuite, searchSuite, anomalySuite, rcaSuite, predictionSuite, remediationSuite]

export { answersSuite, anomalySuite, costSuite, predictionSuite, rcaSuite, remediationSuite, routingSuite, searchSuite }

import type { Suite } from '../suite.ts'
import { answersSuite } from './answers.ts'
import { anomalySuite } from './anomaly.ts'
import { predictionSuite } from './prediction.ts'
import { rcaSuite } from './rca.ts'
import { routingSuite } from './routing.ts'

/** Every registered suite, in the order they run. A new suite (anomaly, rca, cost…) is one more entry. */
export const suites: readonly Suite[] = [routingSuite, answersSuite, anomalySuite, rcaSuite, predictionSuite]

export { answersSuite, anomalySuite, predictionSuite, rcaSuite, routingSuite }

import { evaluatePrediction } from '../../tools/rca/evaluate-prediction.ts'
import { ratio } from '../scoring.ts'
import { defineSuite } from '../suite.ts'

/** Held-out: this seed was never used while tuning the forecast (tuning used seed 5). */
export const PREDICTION_CASES = { days: 6, seed: 2027 }

/**
 * Incident prediction on simulated days: hourly forecasts of each service's risk for the next two hours,
 * against the incidents that then opened. Accuracy is gated as the issue asks; with most service-hours quiet it
 * is dominated by true negatives, so precision and recall are reported beside it.
 */
export const predictionSuite = defineSuite({
  name: 'prediction',
  description: 'Incidents predicted two hours ahead on held-out simulated days (accuracy gated; precision and recall reported)',
  thresholds: { accuracy: 0.85 },
  async run() {
    const counts = await evaluatePrediction(PREDICTION_CASES)
    const total = counts.truePositives + counts.falsePositives + counts.trueNegatives + counts.falseNegatives
    return {
      metrics: {
        accuracy: ratio(counts.truePositives + counts.trueNegatives, total),
        precision: ratio(counts.truePositives, counts.truePositives + counts.falsePositives),
        recall: ratio(counts.truePositives, counts.truePositives + counts.falseNegatives),
      },
      failures: [],
    }
  },
})

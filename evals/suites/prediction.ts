import { evaluatePrediction } from '../../tools/rca/evaluate-prediction.ts'
import { ratio } from '../scoring.ts'
import { defineSuite } from '../suite.ts'

/** Held-out: this seed was never used while tuning the forecast (tuning used seeds 5, 6 and 7). */
export const PREDICTION_CASES = { days: 6, seed: 2027 }

/**
 * Incident prediction on simulated days: hourly forecasts of each service's risk for the next two hours,
 * against the incidents that then opened. Accuracy is gated as the issue asks; with most service-hours quiet it
 * is dominated by true negatives, so precision, recall and F1 are reported beside it, and `recall_under_way`:
 * the share of coming incidents whose fault had already begun at the forecast (the part signals can foresee).
 */
export const predictionSuite = defineSuite({
  name: 'prediction',
  description: 'Incidents predicted two hours ahead on held-out simulated days (accuracy gated; precision, recall, F1 reported)',
  thresholds: { accuracy: 0.85 },
  async run() {
    const counts = await evaluatePrediction(PREDICTION_CASES)
    const total = counts.truePositives + counts.falsePositives + counts.trueNegatives + counts.falseNegatives
    const precision = ratio(counts.truePositives, counts.truePositives + counts.falsePositives)
    const recall = ratio(counts.truePositives, counts.truePositives + counts.falseNegatives)
    return {
      metrics: {
        accuracy: ratio(counts.truePositives + counts.trueNegatives, total),
        precision,
        recall,
        f1: precision === null || recall === null || precision + recall === 0 ? null : (2 * precision * recall) / (precision + recall),
        recall_under_way: ratio(counts.underWay.found, counts.underWay.total),
        under_way_share: ratio(counts.underWay.total, counts.truePositives + counts.falseNegatives),
      },
      failures: [],
    }
  },
})

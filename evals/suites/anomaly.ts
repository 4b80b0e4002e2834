import { readNabCorpus } from '../../tools/rca/anomaly/nab-corpus.ts'
import { NAB_PROFILES, normalisedNabScore, scoreNabFile } from '../../tools/rca/anomaly/nab-score.ts'
import { detectAnomalies } from '../../tools/rca/anomaly/streaming-detector.ts'
import { defineSuite, type Failure } from '../suite.ts'

/**
 * The streaming detector on the Numenta Anomaly Benchmark files in test/fixtures/nab, scored as NAB scores
 * (0 = flags nothing, 100 = perfect). Published standard-profile scores on the full corpus: Numenta HTM about
 * 70, Random Cut Forest 51.7, random 11.
 */
export const anomalySuite = defineSuite({
  name: 'anomaly',
  description: 'NAB score of the streaming anomaly detector (standard profile; 0 flags nothing, 100 is perfect)',
  thresholds: { nabStandard: 60 },
  async run() {
    const corpus = await readNabCorpus()
    const failures: Failure[] = []
    const scores: Record<string, number> = {}
    const detections = corpus.map((file) => detectAnomalies(file.rows.map((row) => row.value), {}, file.rows.map((row) => row.time)).map((result) => result.anomaly))
    for (const [name, profile] of Object.entries(NAB_PROFILES)) {
      const files = corpus.map((file, index) => scoreNabFile({ timestamps: file.rows.map((row) => row.time), detections: detections[index]!, windows: file.windows, profile }))
      scores[name] = normalisedNabScore(files)
      if (name === 'standard') {
        files.forEach((score, index) => {
          if (score.falseNegatives > 0) failures.push({ question: corpus[index]!.name, reason: `${score.falseNegatives} of ${corpus[index]!.windows.length} anomaly windows missed`, expected: corpus[index]!.windows.map(([start, end]) => [new Date(start).toISOString(), new Date(end).toISOString()]), actual: { truePositives: score.truePositives, falsePositives: score.falsePositives } })
        })
      }
    }
    return { metrics: { nabStandard: scores.standard!, nabRewardLowFP: scores.reward_low_FP!, nabRewardLowFN: scores.reward_low_FN! }, failures }
  },
})

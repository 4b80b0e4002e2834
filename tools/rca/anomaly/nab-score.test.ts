import { describe, expect, it } from 'vitest'
import { NAB_PROFILES, normalisedNabScore, probationaryPeriod, scaledSigmoid, scoreNabFile } from './nab-score.ts'
import { readNabCorpus } from './nab-corpus.ts'
import { DEFAULT_DETECTOR_OPTIONS, detectAnomalies, timeScaledOptions } from './streaming-detector.ts'
import { parseTimeseriesCsv } from './timeseries-csv.ts'

// 1000 rows, one a minute; one window over rows 400–499.
const timestamps = Array.from({ length: 1000 }, (_, index) => index * 60_000)
const windows: Array<[number, number]> = [[400 * 60_000, 499 * 60_000]]
const flags = (...indices: number[]) => timestamps.map((_, index) => indices.includes(index))

describe('NAB scoring', () => {
  it('has the probationary period and sigmoid NAB defines', () => {
    expect(probationaryPeriod(1000)).toBe(150)
    expect(probationaryPeriod(10_000)).toBe(750)
    expect(scaledSigmoid(0)).toBe(0)
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 4)
    expect(scaledSigmoid(3.5)).toBe(-1)
  })

  it('rewards the earliest detection in a window only, more the earlier it is', () => {
    const atStart = scoreNabFile({ timestamps, detections: flags(400), windows })
    expect(atStart).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 0, none: -1, perfect: 1 })
    expect(atStart.raw).toBeCloseTo(1, 6)
    const middle = scoreNabFile({ timestamps, detections: flags(450, 451, 460), windows })
    expect(middle.truePositives).toBe(1)
    expect(middle.raw).toBeCloseTo(scaledSigmoid(-50 / 100) / scaledSigmoid(-1), 6)
    expect(middle.raw).toBeLessThan(atStart.raw)
  })

  it('charges misses and false positives, less just after a window, nothing in probation', () => {
    expect(scoreNabFile({ timestamps, detections: flags(), windows }).raw).toBe(-1)
    expect(scoreNabFile({ timestamps, detections: flags(100), windows }).raw).toBe(-1)
    expect(scoreNabFile({ timestamps, detections: flags(300), windows }).raw).toBeCloseTo(-1 - 0.11, 6)
    const justAfter = scoreNabFile({ timestamps, detections: flags(400, 505), windows }).raw - 1
    const farAfter = scoreNabFile({ timestamps, detections: flags(400, 900), windows }).raw - 1
    expect(justAfter).toBeLessThan(0)
    expect(justAfter).toBeGreaterThan(farAfter)
    expect(farAfter).toBeCloseTo(-0.11, 6)
    expect(scoreNabFile({ timestamps, detections: flags(), windows, profile: NAB_PROFILES.reward_low_FN }).raw).toBe(-2)
  })

  it('normalises a corpus: nothing flagged scores 0, every window at its start 100', () => {
    const none = scoreNabFile({ timestamps, detections: flags(), windows })
    const perfect = scoreNabFile({ timestamps, detections: flags(400), windows })
    expect(normalisedNabScore([none, none])).toBe(0)
    expect(normalisedNabScore([perfect, perfect])).toBeCloseTo(100, 6)
    expect(normalisedNabScore([perfect, none])).toBeCloseTo(50, 6)
  })
})

describe('the streaming detector', () => {
  it('flags a jump in a noisy series and not the noise, and scores every sample', () => {
    const values = Array.from({ length: 1200 }, (_, index) => 10 + Math.sin(index * 12.9898) * 0.5 + (index >= 900 ? 8 : 0))
    const results = detectAnomalies(values)
    expect(results).toHaveLength(1200)
    const flagged = results.flatMap((result, index) => (result.anomaly ? [index] : []))
    expect(flagged.some((index) => index >= 900 && index < 910)).toBe(true)
    expect(flagged.filter((index) => index > 200 && index < 900)).toEqual([])
    for (const result of results) expect(result.score).toBeGreaterThanOrEqual(0)
  })

  it('scores the NAB files in the fixtures well above a detector that flags at random', async () => {
    const corpus = await readNabCorpus()
    expect(corpus).toHaveLength(34)
    const scoreOf = (detections: boolean[][]) => normalisedNabScore(corpus.map((file, index) => scoreNabFile({ timestamps: file.rows.map((row) => row.time), detections: detections[index]!, windows: file.windows })))
    const ours = scoreOf(corpus.map((file) => detectAnomalies(file.rows.map((row) => row.value), {}, file.rows.map((row) => row.time)).map((result) => result.anomaly)))
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const randomScore = scoreOf(corpus.map((file) => file.rows.map(() => random() < 0.002)))
    expect(ours).toBeGreaterThan(60)
    expect(ours).toBeGreaterThan(randomScore + 25)
  })
})

describe('timeScaledOptions', () => {
  it('keeps the windows\' span in time whatever the sampling step', () => {
    expect(timeScaledOptions({})).toEqual(DEFAULT_DETECTOR_OPTIONS)
    const hourly = timeScaledOptions({}, [0, 3_600_000])
    expect(hourly).toMatchObject({ longWindow: 83, history: 83, quietAfterFlag: 8, threshold: DEFAULT_DETECTOR_OPTIONS.threshold })
    expect(timeScaledOptions({ history: 10 }, [0, 60_000])).toMatchObject({ history: 10, longWindow: 5000 })
  })
})

describe('parseTimeseriesCsv', () => {
  it('reads NAB and ISO timestamps as UTC and names bad lines', () => {
    expect(parseTimeseriesCsv('timestamp,value\n2014-04-02 14:29:00,0.5\n2014-04-02T14:34:00+01:00,1\n')).toEqual([
      { timestamp: '2014-04-02 14:29:00', time: Date.parse('2014-04-02T14:29:00Z'), value: 0.5 },
      { timestamp: '2014-04-02T14:34:00+01:00', time: Date.parse('2014-04-02T13:34:00Z'), value: 1 },
    ])
    expect(() => parseTimeseriesCsv('time,v\n1,2', 'x.csv')).toThrow('x.csv must start with the header "timestamp,value"')
    expect(() => parseTimeseriesCsv('timestamp,value\nyesterday,1\n2014-04-02 14:29:00,abc\n', 'x.csv')).toThrow(expect.objectContaining({ issues: [
      { path: 'x.csv:2', message: '"yesterday" is not a timestamp (ISO 8601 or YYYY-MM-DD HH:MM:SS)' },
      { path: 'x.csv:3', message: '"abc" is not a number' },
    ] }))
  })
})

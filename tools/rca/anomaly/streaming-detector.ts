/**
 * A streaming anomaly detector: one sample in, one score out, constant memory. Two views of "surprising" — how
 * far a sample is from the recent level (in units of recent spread), and how far the short-term mean has moved
 * from the long-term one — give a raw score; the raw score's own history turns it into a likelihood (how
 * unusual this much surprise is for this series), as Numenta's anomaly likelihood does, so that one threshold
 * fits noisy and quiet series alike. After a flag it stays quiet for a while: one incident, one alert.
 */
export interface DetectorOptions {
  /** Samples in the long window (level and spread). */
  longWindow: number
  /** Samples in the short window (recent mean). */
  shortWindow: number
  /** Raw scores remembered for the likelihood. */
  history: number
  /** Raw scores averaged before the likelihood (smooths single-sample noise). */
  averaging: number
  /** Samples seen before any score above 0 (the detector is still learning). */
  warmUp: number
  /** A score at or above this is an anomaly. */
  threshold: number
  /** Samples after a flag during which no new flag is raised. */
  quietAfterFlag: number
}

/** Tuned on the NAB corpus in test/fixtures/nab under the standard profile, as NAB tunes each detector's threshold. */
export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = { longWindow: 1000, shortWindow: 6, history: 1000, averaging: 3, warmUp: 150, threshold: 0.72, quietAfterFlag: 100 }

class RingStats {
  private readonly values: Float64Array
  private next = 0
  private count = 0
  private sum = 0
  private sumSquares = 0

  constructor(size: number) {
    this.values = new Float64Array(size)
  }

  push(value: number): void {
    if (this.count === this.values.length) {
      const old = this.values[this.next]!
      this.sum -= old
      this.sumSquares -= old * old
    } else this.count++
    this.values[this.next] = value
    this.next = (this.next + 1) % this.values.length
    this.sum += value
    this.sumSquares += value * value
  }

  get size(): number {
    return this.count
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count
  }

  get deviation(): number {
    if (this.count < 2) return 0
    return Math.sqrt(Math.max(0, this.sumSquares / this.count - this.mean * this.mean))
  }
}

/** Upper tail of the standard normal distribution (Abramowitz and Stegun 7.1.26 for erfc). */
function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x)
  return z >= 0 ? erfc / 2 : 1 - erfc / 2
}

/**
 * One view of surprise, judged against its own past: a value above the largest of the remembered history is
 * news, and the further above, the higher the score (score = raw / (raw + largest past), so 0.5 means "as
 * large as the largest seen"). Heavy-tailed surprise is judged by its record, not by a mean and a deviation.
 */
class Feature {
  private readonly values: Float64Array
  private readonly deque: number[] = []
  private readonly recent: RingStats
  private count = 0

  constructor(private readonly history: number, averaging: number, private readonly gaussianTail = 1e-5) {
    this.values = new Float64Array(history)
    this.recent = new RingStats(averaging)
  }

  private readonly moments = new RingStats(2000)

  likelihood(raw: number, ready: boolean): number {
    this.recent.push(raw)
    const averaged = this.recent.mean
    // Also as Numenta's likelihood does it: the tail of a normal fit to the past; either view may raise it.
    const gaussian = ready && this.moments.size > 10 ? 1 - normalTail((averaged - this.moments.mean) / Math.max(this.moments.deviation, 1e-3 + Math.abs(this.moments.mean) * 0.05)) : 0
    this.moments.push(averaged)
    // Sliding maximum over the last `history` values: a deque of positions with decreasing values.
    while (this.deque.length > 0 && this.deque[0]! <= this.count - this.history) this.deque.shift()
    const largest = this.deque.length > 0 ? this.values[this.deque[0]! % this.history]! : 0
    const record = ready && this.count > 10 ? averaged / (averaged + Math.max(largest, 1e-9)) : 0
    // The normal tail only counts when it is extreme: mapped so that 1 − 1e-5 lands at the record's 0.6.
    const score = Math.max(record, gaussian >= 1 - this.gaussianTail ? 0.6 + 0.4 * (gaussian - (1 - this.gaussianTail)) / this.gaussianTail : 0)
    while (this.deque.length > 0 && this.values[this.deque[this.deque.length - 1]! % this.history]! <= averaged) this.deque.pop()
    this.values[this.count % this.history] = averaged
    this.deque.push(this.count++)
    return score
  }
}

export class StreamingDetector {
  private readonly options: DetectorOptions
  private readonly long: RingStats
  private readonly short: RingStats
  private readonly shortSpread: RingStats
  private readonly features: Feature[]
  private readonly recentValues: Float64Array
  private seen = 0
  private quietUntil = -1
  private minimum = Infinity
  private maximum = -Infinity
  private lastTime: number | undefined
  private season = 0

  constructor(options: Partial<DetectorOptions> = {}) {
    this.options = { ...DEFAULT_DETECTOR_OPTIONS, ...options }
    this.long = new RingStats(this.options.longWindow)
    this.short = new RingStats(this.options.shortWindow)
    this.shortSpread = new RingStats(Math.max(10, this.options.shortWindow * 5))
    this.features = Array.from({ length: 4 }, () => new Feature(this.options.history, this.options.averaging))
    this.recentValues = new Float64Array(2048)
  }

  /** Scores the next sample: 0 (expected) to 1 (as unusual as it gets), and whether it is flagged. */
  update(value: number, time?: number): { score: number; anomaly: boolean } {
    const { warmUp, threshold, quietAfterFlag } = this.options
    // The daily period in samples, from the spacing of the first two timestamps.
    if (time !== undefined && this.lastTime !== undefined && this.season === 0 && time > this.lastTime) this.season = Math.round(86_400_000 / (time - this.lastTime))
    this.lastTime = time
    const range = this.maximum - this.minimum
    const newExtreme = this.seen > 0 && range > 0 ? Math.max(0, value - this.maximum, this.minimum - value) / range : 0
    this.minimum = Math.min(this.minimum, value)
    this.maximum = Math.max(this.maximum, value)
    // Spread never below a sliver of the range seen, so a flat series does not make every wiggle infinite.
    const floor = Math.max((this.maximum - this.minimum) * 0.01, 1e-9)
    const spread = Math.max(this.long.deviation, floor)
    const pointSurprise = this.long.size > 0 ? Math.abs(value - this.long.mean) / spread : 0
    this.short.push(value)
    const shiftSurprise = this.long.size > 0 ? (Math.abs(this.short.mean - this.long.mean) / spread) * Math.sqrt(this.short.size) : 0
    this.shortSpread.push(value)
    const spreadChange = Math.abs(Math.log((this.shortSpread.deviation + floor) / (spread + floor)))
    const season = this.season > 1 && this.season < this.recentValues.length ? this.season : 0
    // Compared with the same time yesterday, give or take a few samples: a daily job is not news.
    let seasonal = pointSurprise
    if (season > 0 && this.seen >= season + 3) {
      seasonal = Infinity
      for (let offset = -3; offset <= 3; offset++) seasonal = Math.min(seasonal, Math.abs(value - this.recentValues[(this.seen - season + offset) % this.recentValues.length]!) / spread)
    }
    this.recentValues[this.seen % this.recentValues.length] = value
    this.long.push(value)
    const ready = this.seen >= warmUp
    const likelihoods = [
      this.features[0]!.likelihood(Math.min(pointSurprise, seasonal), ready),
      this.features[1]!.likelihood(shiftSurprise, ready),
      this.features[2]!.likelihood(spreadChange, ready),
      this.features[3]!.likelihood(newExtreme * 10, ready),
    ]
    const score = Math.max(...likelihoods)
    const index = this.seen++
    const anomaly = score >= threshold && index > this.quietUntil
    if (anomaly) this.quietUntil = index + quietAfterFlag
    return { score, anomaly }
  }
}

/** Runs a detector over a whole series. */
export function detectAnomalies(values: readonly number[], options: Partial<DetectorOptions> = {}, times?: readonly number[]): Array<{ score: number; anomaly: boolean }> {
  const detector = new StreamingDetector(timeScaledOptions(options, times))
  return values.map((value, index) => detector.update(value, times?.[index]))
}

/** The sampling step the defaults were tuned for. */
const TUNED_STEP_MS = 5 * 60_000

/**
 * The windows are meant in time (the defaults are for five-minute samples: three and a half days of memory, eight
 * hours of quiet after a flag); for a series sampled more or less often they are scaled to the same span.
 */
export function timeScaledOptions(options: Partial<DetectorOptions>, times?: readonly number[]): DetectorOptions {
  const merged = { ...DEFAULT_DETECTOR_OPTIONS, ...options }
  const step = times && times.length > 1 ? times[1]! - times[0]! : TUNED_STEP_MS
  if (!(step > 0) || step === TUNED_STEP_MS) return merged
  const scale = (samples: number, minimum: number) => Math.max(minimum, Math.round((samples * TUNED_STEP_MS) / step))
  return {
    ...merged,
    longWindow: options.longWindow ?? scale(merged.longWindow, 24),
    history: options.history ?? scale(merged.history, 24),
    quietAfterFlag: options.quietAfterFlag ?? scale(merged.quietAfterFlag, 3),
  }
}

/**
 * The Numenta Anomaly Benchmark's scoring, as NAB defines it: every labelled window is scored by its earliest
 * detection only, rewarded by a scaled sigmoid of where in the window it fell (the left edge earns the full
 * true-positive weight); a window without a detection costs the false-negative weight; a detection outside
 * every window costs the false-positive weight, less when it comes just after a window; detections in the
 * probationary period (the first 15% of a file, at most 750 rows) are not scored. The corpus score is
 * normalised so that flagging nothing scores 0 and a perfect detector 100.
 */
export interface NabProfile {
  tpWeight: number
  fpWeight: number
  fnWeight: number
}

export const NAB_PROFILES = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
} satisfies Record<string, NabProfile>

export const PROBATIONARY_PERCENT = 0.15

export function probationaryPeriod(length: number, percent = PROBATIONARY_PERCENT): number {
  return Math.min(Math.floor(percent * length), percent * 5000)
}

/** 2σ(−5x) − 1: +1 well before a window's end, 0 at its end, towards −1 after it. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) return -1
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1
}

export interface FileScore {
  raw: number
  /** What flagging nothing and flagging each window's first row would have scored. */
  none: number
  perfect: number
  truePositives: number
  falsePositives: number
  falseNegatives: number
}

/** Scores one file's detections against its windows ([start, end] timestamps, inclusive). */
export function scoreNabFile({ timestamps, detections, windows, profile = NAB_PROFILES.standard }: { timestamps: number[]; detections: boolean[]; windows: Array<[number, number]>; profile?: NabProfile }): FileScore {
  const spans = windows
    .map(([start, end]) => {
      let first = -1
      let last = -1
      timestamps.forEach((time, index) => {
        if (time >= start && time <= end) {
          if (first === -1) first = index
          last = index
        }
      })
      return { first, last, length: last - first + 1, detected: false }
    })
    .filter((span) => span.first !== -1)
    .sort((left, right) => left.first - right.first)
  const probation = probationaryPeriod(timestamps.length)
  const maxTp = scaledSigmoid(-1)
  let raw = 0
  let truePositives = 0
  let falsePositives = 0
  let spanIndex = 0
  let previous: (typeof spans)[number] | undefined
  for (let index = 0; index < timestamps.length; index++) {
    while (spanIndex < spans.length && spans[spanIndex]!.last < index) previous = spans[spanIndex++]
    const span = spans[spanIndex] && spans[spanIndex]!.first <= index ? spans[spanIndex] : undefined
    if (!detections[index] || index < probation) continue
    if (span) {
      if (span.detected) continue
      span.detected = true
      truePositives++
      raw += (profile.tpWeight * scaledSigmoid(-(span.last - index + 1) / span.length)) / maxTp
    } else {
      falsePositives++
      raw += previous ? profile.fpWeight * scaledSigmoid(Math.abs(previous.last - index) / Math.max(1, previous.length - 1)) : -profile.fpWeight
    }
  }
  const falseNegatives = spans.filter((span) => !span.detected).length
  raw -= falseNegatives * profile.fnWeight
  return { raw, none: -spans.length * profile.fnWeight, perfect: spans.length * profile.tpWeight, truePositives, falsePositives, falseNegatives }
}

/** The corpus score, normalised: 100 × (raw − none) / (perfect − none), each summed over the files. */
export function normalisedNabScore(files: FileScore[]): number {
  const sum = (pick: (file: FileScore) => number) => files.reduce((total, file) => total + pick(file), 0)
  const none = sum((file) => file.none)
  const perfect = sum((file) => file.perfect)
  return perfect === none ? 0 : (100 * (sum((file) => file.raw) - none)) / (perfect - none)
}

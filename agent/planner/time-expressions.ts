/** A time range people mean by words like "since 10:00", "yesterday" or "last week". */
export interface TimeRange {
  from: Date
  to: Date
  text: string
}

const DAY = 24 * 60 * 60 * 1000

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
}

function startOfWeek(date: Date): Date {
  const day = startOfDay(date)
  // Weeks start on Monday (ISO 8601).
  const weekday = (day.getUTCDay() + 6) % 7
  return new Date(day.getTime() - weekday * DAY)
}

const UNIT_MS: Record<string, number> = { minute: 60_000, min: 60_000, hour: 3_600_000, hr: 3_600_000, day: DAY, week: 7 * DAY }

/**
 * Finds the first time expression in a question, relative to `now` (UTC). Understands clock times
 * ("since 10:00", "since 9am", "from 14:30"), "today", "yesterday", "this/last week", "this/last month",
 * "last N minutes/hours/days/weeks", "past hour", "N hours ago".
 */
export function parseTimeExpression(text: string, now: Date): TimeRange | undefined {
  const lower = text.toLowerCase()
  let match = /\b(?:since|from|after|starting)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/.exec(lower)
  if (match && (match[2] !== undefined || match[3] !== undefined)) {
    let hour = Number(match[1])
    const minute = Number(match[2] ?? 0)
    if (match[3] === 'pm' && hour < 12) hour += 12
    if (match[3] === 'am' && hour === 12) hour = 0
    if (hour < 24 && minute < 60) {
      let from = new Date(startOfDay(now).getTime() + hour * 3_600_000 + minute * 60_000)
      // "since 23:00" asked at 01:00 means yesterday evening.
      if (from > now) from = new Date(from.getTime() - DAY)
      return { from, to: now, text: match[0] }
    }
  }
  match = /\b(?:last|past|previous)\s+(\d+)\s+(minute|min|hour|hr|day|week)s?\b/.exec(lower)
  if (match) return { from: new Date(now.getTime() - Number(match[1]) * UNIT_MS[match[2]!]!), to: now, text: match[0] }
  match = /\b(\d+)\s+(minute|min|hour|hr|day|week)s?\s+ago\b/.exec(lower)
  if (match) return { from: new Date(now.getTime() - Number(match[1]) * UNIT_MS[match[2]!]!), to: now, text: match[0] }
  match = /\b(?:the\s+)?(?:last|past)\s+(hour|day|week)\b/.exec(lower)
  if (match && !/\blast week\b/.test(match[0])) return { from: new Date(now.getTime() - UNIT_MS[match[1]!]!), to: now, text: match[0] }
  if (/\byesterday\b/.test(lower)) {
    const today = startOfDay(now)
    return { from: new Date(today.getTime() - DAY), to: today, text: 'yesterday' }
  }
  if (/\btoday\b/.test(lower)) return { from: startOfDay(now), to: now, text: 'today' }
  if (/\blast week\b/.test(lower)) {
    const thisWeek = startOfWeek(now)
    return { from: new Date(thisWeek.getTime() - 7 * DAY), to: thisWeek, text: 'last week' }
  }
  if (/\bthis week\b/.test(lower)) return { from: startOfWeek(now), to: now, text: 'this week' }
  if (/\blast month\b/.test(lower)) {
    const firstOfThis = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
    return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)), to: firstOfThis, text: 'last month' }
  }
  if (/\bthis month\b/.test(lower)) return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), to: now, text: 'this month' }
  return undefined
}

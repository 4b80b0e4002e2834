import type { EventBus } from '../../../core/events/event-bus.ts'
import type { SignalsRepository } from '../signals-repository.ts'
import type { Delivery } from './webhook-payloads.ts'

/** Published once per applied delivery, so that others (auto-remediation, other replicas) can act on new signals. */
export const SIGNALS_INGESTED = 'signals-ingested'

/** Plain JSON (times as ISO text), so the event can travel over Kafka as it is. */
export interface SignalsIngested {
  delivery: string
  /** `opened`: open now and not open before this delivery (a re-sent or acknowledged incident is not). */
  incidents: Array<{ id: string; entity: string; title: string; severity: string; status: string; startedAt: string; opened: boolean }>
  /** `firing`: not a resolved notification. */
  alerts: Array<{ id: string; entity: string; summary: string; at: string; source: string; labels: Record<string, string>; firing: boolean }>
  changes: Array<{ id: string; entity: string; type: string; summary: string; at: string }>
}

export function signalsIngested({ id, batch }: Delivery, openBefore: ReadonlySet<string> = new Set()): SignalsIngested {
  const events = batch.events ?? []
  return {
    delivery: id,
    incidents: (batch.incidents ?? []).map((incident) => ({ id: incident.id, entity: incident.entity, title: incident.title, severity: incident.severity, status: incident.status, startedAt: incident.startedAt.toISOString(), opened: incident.status === 'open' && !openBefore.has(incident.id) })),
    alerts: events.filter((event) => event.type === 'alert').map((event) => ({ id: event.id, entity: event.entity, summary: event.summary, at: event.at.toISOString(), source: event.source, labels: ((event.attributes?.labels as Record<string, string> | undefined) ?? {}), firing: event.attributes?.status !== 'resolved' })),
    changes: events.filter((event) => event.type === 'deployment' || event.type === 'config-change').map((event) => ({ id: event.id, entity: event.entity, type: event.type, summary: event.summary, at: event.at.toISOString() })),
  }
}

/**
 * Applies a delivery once (webhook, Kafka message) and, when it was new, tells the bus. A redelivery publishes
 * nothing, so a rule never fires twice for one alert.
 */
export async function ingestDelivery({ signals, bus }: { signals: SignalsRepository; bus?: EventBus }, delivery: Delivery, deliveryId = delivery.id): Promise<boolean> {
  // Which incidents were open already, so that an update (acknowledged, re-sent) does not count as a new one.
  const openBefore = new Set<string>()
  if (bus) for (const incident of delivery.batch.incidents ?? []) if ((await signals.getIncident(incident.id))?.status === 'open') openBefore.add(incident.id)
  const applied = await signals.applyOnce(deliveryId, delivery.batch)
  if (applied) await bus?.publish({ type: SIGNALS_INGESTED, payload: signalsIngested(delivery, openBefore) })
  return applied
}

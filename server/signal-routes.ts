import { Hono } from 'hono'
import { InputError, PortalError } from '../core/errors.ts'
import type { CatalogIndex } from '../graph/index/catalog-index.ts'
import { fromAlertmanager, fromChangeEvent, fromPagerDuty, type Delivery } from '../tools/rca/ingest/webhook-payloads.ts'
import type { SignalsRepository } from '../tools/rca/signals-repository.ts'
import type { EventBus } from '../core/events/event-bus.ts'
import { ingestDelivery } from '../tools/rca/ingest/signals-ingested.ts'
import { errorResponse } from './error-response.ts'

/**
 * Signal webhooks: `POST /api/signals/alertmanager` (Alertmanager's webhook_configs), `/pagerduty` (PagerDuty
 * V3 webhook subscriptions) and `/changes` (a deployment or config change). Each body is validated and
 * applied once per delivery (a redelivery answers `applied: false`); a new one is published on the bus (`signals-ingested`). With `token` set, a bearer token is required.
 */
export function signalRoutes({ signals, index, token, bus }: { signals: SignalsRepository; index: CatalogIndex; token?: string; bus?: EventBus }): Hono {
  const app = new Hono()
  app.onError((error, context) => errorResponse(context, error))
  app.use('*', async (context, next) => {
    if (token && context.req.header('authorization') !== `Bearer ${token}`) throw new PortalError('UNAUTHENTICATED', 'Signal webhooks need "Authorization: Bearer <PORTAL_WEBHOOK_TOKEN>"')
    await next()
  })
  const receive = (convert: (body: unknown, index: CatalogIndex) => Delivery) => async (context: { req: { text(): Promise<string> }; json(body: unknown, status?: 202): Response }) => {
    let body: unknown
    try {
      body = JSON.parse(await context.req.text())
    } catch (error) {
      throw new InputError(`The body must be JSON: ${(error as Error).message}`)
    }
    const delivery = convert(body, index)
    const applied = await ingestDelivery({ signals, bus }, delivery)
    return context.json({ delivery: delivery.id, applied, events: delivery.batch.events?.length ?? 0, incidents: delivery.batch.incidents?.length ?? 0 }, 202)
  }
  app.post('/alertmanager', receive(fromAlertmanager))
  app.post('/pagerduty', receive(fromPagerDuty))
  app.post('/changes', receive(fromChangeEvent))
  return app
}

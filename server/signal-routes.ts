import { Hono } from 'hono'
import { InputError, PortalError } from '../core/errors.ts'
import type { CatalogIndex } from '../graph/index/catalog-index.ts'
import { PAGERDUTY_SIGNATURE_HEADER, verifyPagerDutySignature } from '../tools/rca/ingest/pagerduty-signature.ts'
import { fromAlertmanager, fromChangeEvent, fromPagerDuty, type Delivery } from '../tools/rca/ingest/webhook-payloads.ts'
import type { SignalsRepository } from '../tools/rca/signals-repository.ts'
import type { EventBus } from '../core/events/event-bus.ts'
import { ingestDelivery } from '../tools/rca/ingest/signals-ingested.ts'
import { errorResponse } from './error-response.ts'

/**
 * Signal webhooks: `POST /api/signals/alertmanager` (Alertmanager's webhook_configs), `/pagerduty` (PagerDuty
 * V3 webhook subscriptions) and `/changes` (a deployment or config change). Each body is validated and
 * applied once per delivery (a redelivery answers `applied: false`); a new one is published on the bus
 * (`signals-ingested`). With `token` set, a bearer token is required.
 * With `pagerDutySecret` set, `/pagerduty` requires PagerDuty's `X-PagerDuty-Signature` instead (PagerDuty signs
 * every delivery with the subscription's secret, which proves more than a token in a header).
 */
export function signalRoutes({ signals, index, token, pagerDutySecret, bus }: { signals: SignalsRepository; index: CatalogIndex; token?: string; pagerDutySecret?: string; bus?: EventBus }): Hono {
  const app = new Hono()
  app.onError((error, context) => errorResponse(context, error))
  app.use('*', async (context, next) => {
    const signed = pagerDutySecret !== undefined && context.req.path.endsWith('/pagerduty')
    if (!signed && token && context.req.header('authorization') !== `Bearer ${token}`) throw new PortalError('UNAUTHENTICATED', 'Signal webhooks need "Authorization: Bearer <PORTAL_WEBHOOK_TOKEN>"')
    await next()
  })
  type Context = { req: { text(): Promise<string>; header(name: string): string | undefined }; json(body: unknown, status?: 202): Response }
  const receive = (convert: (body: unknown, index: CatalogIndex) => Delivery, verify?: (raw: string, context: Context) => void) => async (context: Context) => {
    const raw = await context.req.text()
    verify?.(raw, context)
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch (error) {
      throw new InputError(`The body must be JSON: ${(error as Error).message}`)
    }
    const delivery = convert(body, index)
    const applied = await ingestDelivery({ signals, bus }, delivery)
    return context.json({ delivery: delivery.id, applied, events: delivery.batch.events?.length ?? 0, incidents: delivery.batch.incidents?.length ?? 0 }, 202)
  }
  app.post('/alertmanager', receive(fromAlertmanager))
  // The signature covers the raw bytes, so it is checked before the body is parsed.
  const verifyPagerDuty = pagerDutySecret === undefined ? undefined : (raw: string, context: Context) => {
    const header = context.req.header(PAGERDUTY_SIGNATURE_HEADER)
    if (!header) throw new PortalError('UNAUTHENTICATED', 'PagerDuty webhooks need an X-PagerDuty-Signature header (PAGERDUTY_WEBHOOK_SECRET is set)')
    if (!verifyPagerDutySignature({ body: raw, header, secret: pagerDutySecret })) throw new PortalError('UNAUTHENTICATED', 'X-PagerDuty-Signature does not match the body under PAGERDUTY_WEBHOOK_SECRET (a v1 HMAC-SHA256 of the raw body is expected)')
  }
  app.post('/pagerduty', receive(fromPagerDuty, verifyPagerDuty))
  app.post('/changes', receive(fromChangeEvent))
  return app
}

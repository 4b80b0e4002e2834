import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { KubeConfig } from '@kubernetes/client-node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { KubernetesExecutor } from './kubernetes-executor.ts'

type Json = any

interface Recorded {
  method: string
  path: string
  contentType?: string
  authorization?: string
  body?: Json
}

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']

const template = (image: string, hash?: string) => ({ metadata: { labels: { app: 'cart', ...(hash ? { 'pod-template-hash': hash } : {}) } }, spec: { containers: [{ name: 'cart', image }] } })
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cart', namespace: 'shop', uid: 'd-1', annotations: { 'deployment.kubernetes.io/revision': '3' } }, spec: { replicas: 3, selector: { matchLabels: { app: 'cart' } }, template: template('cart:3.0') }, status: { replicas: 3, readyReplicas: 3, updatedReplicas: 3 } }
const replicaSet = (revision: number, image: string, owner = 'd-1') => ({ metadata: { name: `cart-${revision}`, namespace: 'shop', annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ kind: 'Deployment', name: 'cart', uid: owner }] }, spec: { replicas: revision === 3 ? 3 : 0, template: template(image, `h${revision}`) } })

/**
 * A fake Kubernetes API server: it answers the apps/v1 calls a rollout needs the way the API server does,
 * refuses a PATCH whose content type is not a patch type (415, as the API server does), and records every
 * request so the tests can check the exact paths, verbs, bodies and content types.
 */
let server: Server
let requests: Recorded[] = []
let executor: KubernetesExecutor

async function body(request: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of request) text += chunk
  return text
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const text = await body(request)
    const recorded: Recorded = { method: request.method!, path: request.url!, contentType: request.headers['content-type'], authorization: request.headers.authorization, body: text ? JSON.parse(text) : undefined }
    requests.push(recorded)
    const send = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
    const url = new URL(request.url!, 'http://k8s')
    if (request.method === 'PATCH' && !PATCH_TYPES.includes(String(request.headers['content-type']).split(';')[0]!)) return send(415, { kind: 'Status', status: 'Failure', code: 415, reason: 'UnsupportedMediaType' })
    if (url.pathname === '/apis/apps/v1/namespaces/shop/deployments/cart') return send(200, deployment)
    if (url.pathname === '/apis/apps/v1/namespaces/shop/deployments/cart/scale') return send(200, { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'cart', namespace: 'shop' }, spec: { replicas: recorded.body?.spec?.replicas }, status: { replicas: 3 } })
    if (url.pathname === '/apis/apps/v1/namespaces/shop/replicasets') {
      if (url.searchParams.get('labelSelector') !== 'app=cart') return send(200, { kind: 'ReplicaSetList', items: [] })
      return send(200, { kind: 'ReplicaSetList', apiVersion: 'apps/v1', metadata: {}, items: [replicaSet(1, 'cart:1.0'), replicaSet(3, 'cart:3.0'), replicaSet(2, 'cart:2.0'), replicaSet(9, 'other:9', 'd-other')] })
    }
    send(404, { kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const config = new KubeConfig()
  config.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'portal', token: 'sa-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'portal' }],
    currentContext: 'fake',
  })
  executor = new KubernetesExecutor(config)
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  requests = []
})

const cart = { entity: 'component:default/cart-service', namespace: 'shop', deployment: 'cart' }

describe('the Kubernetes executor against a fake API server', () => {
  it('restarts as kubectl rollout restart does: a strategic-merge patch of the template annotation', async () => {
    const at = new Date('2026-11-26T10:00:00Z')
    const calls = await executor.restart(cart, at)
    expect(requests).toEqual([{
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/shop/deployments/cart?fieldManager=next-portal',
      contentType: 'application/strategic-merge-patch+json',
      authorization: 'Bearer sa-token',
      body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-26T10:00:00.000Z' } } } } },
    }])
    expect(calls).toEqual([{ method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/deployments/cart', summary: 'restartedAt=2026-11-26T10:00:00.000Z' }])
  })

  it('scales through the scale subresource with a merge patch', async () => {
    await executor.scale(cart, 6)
    expect(requests).toEqual([{ method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/deployments/cart/scale?fieldManager=next-portal', contentType: 'application/merge-patch+json', authorization: 'Bearer sa-token', body: { spec: { replicas: 6 } } }])
  })

  it("rolls back by putting the previous ReplicaSet's template back, without its hash label", async () => {
    const { toRevision } = await executor.rollback(cart)
    expect(toRevision).toBe('2')
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /apis/apps/v1/namespaces/shop/deployments/cart',
      'GET /apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dcart',
      'PATCH /apis/apps/v1/namespaces/shop/deployments/cart?fieldManager=next-portal',
    ])
    const patch = requests[2]!
    expect(patch.contentType).toBe('application/json-patch+json')
    expect(patch.body).toEqual([{ op: 'replace', path: '/spec/template', value: template('cart:2.0') }])
  })

  it('reads the workload state for verification', async () => {
    expect(await executor.state(cart)).toEqual({ replicas: 3, readyReplicas: 3, updatedReplicas: 3, revision: '3', image: 'cart:3.0' })
  })

  it('surfaces the API server refusing a call', async () => {
    await expect(executor.state({ ...cart, deployment: 'missing' })).rejects.toThrow(/404|NotFound/)
  })
})

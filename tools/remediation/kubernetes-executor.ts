import { AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment, type V1ReplicaSet } from '@kubernetes/client-node'
import type { ExecutorCall, Workload, WorkloadExecutor, WorkloadState } from './workload-executor.ts'

const REVISION = 'deployment.kubernetes.io/revision'

/**
 * Playbooks against a Kubernetes API server, doing what `kubectl rollout restart`, `kubectl scale` and
 * `kubectl rollout undo` do: a strategic-merge patch of the pod template's `restartedAt` annotation, a merge
 * patch of the scale subresource, and the previous ReplicaSet's template put back with a JSON patch.
 */
export class KubernetesExecutor implements WorkloadExecutor {
  readonly name = 'kubernetes' as const
  private readonly apps: AppsV1Api

  constructor(config: KubeConfig) {
    this.apps = config.makeApiClient(AppsV1Api)
  }

  /** From `KUBECONFIG` / `~/.kube/config`, or in-cluster service account, as kubectl finds them. */
  static fromDefault(): KubernetesExecutor {
    const config = new KubeConfig()
    config.loadFromDefault()
    return new KubernetesExecutor(config)
  }

  async state({ namespace, deployment }: Workload): Promise<WorkloadState> {
    const current = await this.apps.readNamespacedDeployment({ name: deployment, namespace })
    return stateOf(current)
  }

  async restart({ namespace, deployment }: Workload, at: Date): Promise<ExecutorCall[]> {
    const body = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at.toISOString() } } } } }
    await this.apps.patchNamespacedDeployment({ name: deployment, namespace, body, fieldManager: 'next-portal' }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch))
    return [{ method: 'PATCH', path: `/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}`, summary: `restartedAt=${at.toISOString()}` }]
  }

  async scale({ namespace, deployment }: Workload, replicas: number): Promise<ExecutorCall[]> {
    await this.apps.patchNamespacedDeploymentScale({ name: deployment, namespace, body: { spec: { replicas } }, fieldManager: 'next-portal' }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))
    return [{ method: 'PATCH', path: `/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}/scale`, summary: `replicas=${replicas}` }]
  }

  async rollback({ namespace, deployment }: Workload): Promise<{ calls: ExecutorCall[]; toRevision: string }> {
    const current = await this.apps.readNamespacedDeployment({ name: deployment, namespace })
    const labels = current.spec?.selector?.matchLabels ?? {}
    const labelSelector = Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',')
    const sets = await this.apps.listNamespacedReplicaSet({ namespace, labelSelector })
    const owned = sets.items
      .filter((set: V1ReplicaSet) => set.metadata?.ownerReferences?.some((owner) => owner.kind === 'Deployment' && owner.uid === current.metadata?.uid))
      .sort((left: V1ReplicaSet, right: V1ReplicaSet) => revisionOf(right) - revisionOf(left))
    const currentRevision = Number(current.metadata?.annotations?.[REVISION] ?? revisionOf(owned[0]!))
    const previous = owned.find((set: V1ReplicaSet) => revisionOf(set) < currentRevision)
    if (!previous?.spec?.template) throw new Error(`${namespace}/${deployment} has no previous revision to roll back to`)
    // The ReplicaSet's template carries the hash label its controller added; the Deployment's must not.
    const template = structuredClone(previous.spec.template)
    if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash']
    const body = [{ op: 'replace', path: '/spec/template', value: template }]
    await this.apps.patchNamespacedDeployment({ name: deployment, namespace, body, fieldManager: 'next-portal' }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch))
    const toRevision = String(revisionOf(previous))
    return {
      calls: [
        { method: 'GET', path: `/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}`, summary: `revision ${currentRevision}` },
        { method: 'GET', path: `/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${labelSelector}`, summary: `${owned.length} revisions` },
        { method: 'PATCH', path: `/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}`, summary: `template of revision ${toRevision}` },
      ],
      toRevision,
    }
  }
}

function revisionOf(set: V1ReplicaSet | undefined): number {
  return Number(set?.metadata?.annotations?.[REVISION] ?? 0)
}

function stateOf(deployment: V1Deployment): WorkloadState {
  return {
    replicas: deployment.spec?.replicas ?? 0,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
    updatedReplicas: deployment.status?.updatedReplicas ?? 0,
    revision: deployment.metadata?.annotations?.[REVISION] ?? '',
    image: deployment.spec?.template?.spec?.containers?.[0]?.image,
  }
}

import type { FaultType } from '../rca/signal-types.ts'
import type { ExecutorCall, Workload, WorkloadExecutor, WorkloadState } from './workload-executor.ts'

/**
 * The simulator executor's world: a deployment per service, with pods that restart and scale and pod
 * templates with revisions to roll back to. It is what the demo and the evals act on where no cluster is
 * connected; the Kubernetes executor implements the same operations against a real API server.
 */
export interface SimulatedPod {
  name: string
  startedAt: string
  ready: boolean
}

export interface SimulatedDeployment {
  name: string
  replicas: number
  /** Bumped by every change to the pod template, as Kubernetes does. */
  generation: number
  /** Pod template revisions, oldest first; the last one runs. */
  revisions: Array<{ revision: number; image: string }>
  pods: SimulatedPod[]
}

/**
 * A fault the simulated cluster knows about, and what ends it: a bad deployment or config change lives in a
 * revision's pod template (a rollback ends it), a memory leak in the running pods (new pods relieve it), and
 * the others live outside the workload (a saturated database, a slow dependency, a noisy neighbour, an
 * expired certificate): nothing done to the deployment ends them.
 */
interface SimulatedFault {
  type: FaultType
  image?: string
  generation?: number
}

/** One change the cluster underwent, in order: what the evals count runs by. */
export interface SimulatedAction {
  deployment: string
  action: 'restart' | 'scale' | 'rollback'
  at: string
}

export class SimulatedCluster implements WorkloadExecutor {
  readonly name = 'simulator' as const
  private readonly deployments = new Map<string, SimulatedDeployment>()
  private readonly faults = new Map<string, SimulatedFault[]>()
  private readonly log: SimulatedAction[] = []
  private podSequence = 0

  constructor(private readonly defaultReplicas = 3) {}

  deployment(name: string): SimulatedDeployment {
    let deployment = this.deployments.get(name)
    if (!deployment) {
      deployment = { name, replicas: this.defaultReplicas, generation: 1, revisions: [{ revision: 1, image: `${name}:1.0.0` }, { revision: 2, image: `${name}:1.1.0` }], pods: [] }
      deployment.pods = Array.from({ length: deployment.replicas }, () => this.newPod(name, deployment!.generation, new Date()))
      this.deployments.set(name, deployment)
    }
    return structuredClone(deployment)
  }

  async state({ deployment }: Workload): Promise<WorkloadState> {
    const current = this.deployment(deployment)
    const ready = current.pods.filter((pod) => pod.ready).length
    return { replicas: current.replicas, readyReplicas: ready, updatedReplicas: current.pods.filter((pod) => pod.name.includes(`-g${current.generation}-`)).length, revision: String(current.revisions.at(-1)!.revision), image: current.revisions.at(-1)!.image, symptoms: this.activeFaults(deployment).map((fault) => fault.type) }
  }

  /**
   * Makes a deployment suffer a simulated fault (the evals inject the fault their signals show). A bad
   * deployment or config change rolls out as a new revision, as it would in a cluster.
   */
  injectFault(name: string, type: FaultType, at = new Date()): void {
    this.deployment(name)
    const deployment = this.deployments.get(name)!
    const fault: SimulatedFault = { type }
    if (type === 'bad-deployment' || type === 'config-change') {
      const last = deployment.revisions.at(-1)!
      fault.image = `${name}:${last.revision + 1}.0.0-${type}`
      deployment.revisions.push({ revision: last.revision + 1, image: fault.image })
      deployment.generation++
      deployment.pods = deployment.pods.map(() => this.newPod(name, deployment.generation, at))
    }
    if (type === 'memory-leak') fault.generation = deployment.generation
    this.faults.set(name, [...(this.faults.get(name) ?? []), fault])
  }

  /** Every change made through the executor, oldest first. */
  actions(): SimulatedAction[] {
    return [...this.log]
  }

  private activeFaults(name: string): SimulatedFault[] {
    const deployment = this.deployments.get(name)!
    return (this.faults.get(name) ?? []).filter((fault) => (fault.image ? deployment.revisions.at(-1)!.image === fault.image : fault.generation === undefined || fault.generation === deployment.generation))
  }

  async restart({ deployment: name }: Workload, at: Date): Promise<ExecutorCall[]> {
    this.deployment(name)
    const deployment = this.deployments.get(name)!
    deployment.generation++
    deployment.pods = deployment.pods.map(() => this.newPod(name, deployment.generation, at))
    this.log.push({ deployment: name, action: 'restart', at: at.toISOString() })
    return [{ method: 'PATCH', path: `simulator/deployments/${name}`, summary: `restartedAt=${at.toISOString()}` }]
  }

  async scale({ deployment: name }: Workload, replicas: number): Promise<ExecutorCall[]> {
    this.deployment(name)
    const deployment = this.deployments.get(name)!
    deployment.replicas = replicas
    deployment.pods = deployment.pods.slice(0, replicas)
    while (deployment.pods.length < replicas) deployment.pods.push(this.newPod(name, deployment.generation, new Date()))
    this.log.push({ deployment: name, action: 'scale', at: new Date().toISOString() })
    return [{ method: 'PATCH', path: `simulator/deployments/${name}/scale`, summary: `replicas=${replicas}` }]
  }

  async rollback({ deployment: name }: Workload): Promise<{ calls: ExecutorCall[]; toRevision: string }> {
    this.deployment(name)
    const deployment = this.deployments.get(name)!
    const previous = deployment.revisions.at(-2)
    if (!previous) throw new Error(`${name} has no previous revision to roll back to`)
    // As Kubernetes does: the old template comes back as the newest revision.
    deployment.revisions = [...deployment.revisions.filter((revision) => revision !== previous), { revision: deployment.revisions.at(-1)!.revision + 1, image: previous.image }]
    deployment.generation++
    deployment.pods = deployment.pods.map(() => this.newPod(name, deployment.generation, new Date()))
    this.log.push({ deployment: name, action: 'rollback', at: new Date().toISOString() })
    return { calls: [{ method: 'PATCH', path: `simulator/deployments/${name}`, summary: `template of revision ${previous.revision} (${previous.image})` }], toRevision: String(previous.revision) }
  }

  private newPod(name: string, generation: number, at: Date): SimulatedPod {
    this.podSequence++
    return { name: `${name}-g${generation}-${this.podSequence.toString(36).padStart(5, '0')}`, startedAt: at.toISOString(), ready: true }
  }
}

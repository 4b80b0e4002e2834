/**
 * The simulator executor's world: a deployment per service, with pods that restart and scale. It is what the
 * demo and the evals act on where no Kubernetes cluster is connected; real executors (Kubernetes, webhooks)
 * implement the same operations against real systems.
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
  pods: SimulatedPod[]
}

export class SimulatedCluster {
  private readonly deployments = new Map<string, SimulatedDeployment>()
  private podSequence = 0

  constructor(private readonly now: () => Date = () => new Date(), private readonly defaultReplicas = 3) {}

  deployment(name: string): SimulatedDeployment {
    let deployment = this.deployments.get(name)
    if (!deployment) {
      deployment = { name, replicas: this.defaultReplicas, generation: 1, pods: [] }
      deployment.pods = Array.from({ length: deployment.replicas }, () => this.newPod(name, deployment!.generation))
      this.deployments.set(name, deployment)
    }
    return structuredClone(deployment)
  }

  /** A rolling restart: every pod is replaced by a new one of the next template generation. */
  restart(name: string): { before: SimulatedDeployment; after: SimulatedDeployment } {
    const before = this.deployment(name)
    const deployment = this.deployments.get(name)!
    deployment.generation++
    deployment.pods = deployment.pods.map(() => this.newPod(name, deployment.generation))
    return { before, after: structuredClone(deployment) }
  }

  scale(name: string, replicas: number): { before: SimulatedDeployment; after: SimulatedDeployment } {
    const before = this.deployment(name)
    const deployment = this.deployments.get(name)!
    deployment.replicas = replicas
    deployment.pods = deployment.pods.slice(0, replicas)
    while (deployment.pods.length < replicas) deployment.pods.push(this.newPod(name, deployment.generation))
    return { before, after: structuredClone(deployment) }
  }

  private newPod(name: string, generation: number): SimulatedPod {
    this.podSequence++
    return { name: `${name}-g${generation}-${this.podSequence.toString(36).padStart(5, '0')}`, startedAt: this.now().toISOString(), ready: true }
  }
}

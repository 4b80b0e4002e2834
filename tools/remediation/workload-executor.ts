/** The deployment that runs a service, as the executor addresses it. */
export interface Workload {
  entity: string
  namespace: string
  deployment: string
}

export interface WorkloadState {
  replicas: number
  readyReplicas: number
  updatedReplicas: number
  /** The pod template's revision (`deployment.kubernetes.io/revision`). */
  revision: string
  image?: string
  /**
   * What is still wrong with the service, where the executor can tell (the simulator knows the faults it
   * simulates); absent otherwise. Verification wants it empty.
   */
  symptoms?: string[]
}

/** One call an executor made, for the run's record and the audit log. */
export interface ExecutorCall {
  method: string
  path: string
  summary: string
}

/**
 * What remediation playbooks do to workloads. The Kubernetes executor calls the cluster's API; the simulator
 * acts on the simulated cluster, so the demo and the evals can watch recovery.
 */
export interface WorkloadExecutor {
  readonly name: 'kubernetes' | 'simulator'
  state(workload: Workload): Promise<WorkloadState>
  /** A rolling restart: a new pod template generation (the `restartedAt` annotation), pods replaced. */
  restart(workload: Workload, at: Date): Promise<ExecutorCall[]>
  scale(workload: Workload, replicas: number): Promise<ExecutorCall[]>
  /** Back to the previous revision's pod template; returns the revision it rolled back to. */
  rollback(workload: Workload): Promise<{ calls: ExecutorCall[]; toRevision: string }>
}

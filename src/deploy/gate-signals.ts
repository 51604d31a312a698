import type { ContainerStatus, Deployment, KubeEvent, Pod } from './types.js';

/**
 * The readiness gate's judgement of one object, as pure functions of what the API server said: a decisive
 * failure (fail now, no point waiting), or nothing. Tested on recorded pod objects.
 */
export interface Signal {
  /** The pod (or ReplicaSet, Deployment) the signal is about. */
  object: string;
  container?: string;
  /** Kubernetes' own word for it: CrashLoopBackOff, OOMKilled, Unschedulable, ... */
  reason: string;
  /** What Kubernetes said, in one line. */
  detail: string;
  /** When Kubernetes saw it, when the object says (RFC 3339). */
  at?: string;
}

/** Container waiting reasons that never fix themselves without a new image or config. */
export const FATAL_WAITING = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'CrashLoopBackOff',
]);

/** What to tell the user to do about each reason. */
export const REASON_HINTS: Record<string, string> = {
  ImagePullBackOff: 'The node cannot pull the image: check that the digest was pushed to the registry and that imagePullSecrets give access.',
  ErrImagePull: 'The node cannot pull the image: check that the digest was pushed to the registry and that imagePullSecrets give access.',
  InvalidImageName: 'The image reference is malformed; check image.repository.',
  CreateContainerConfigError: 'A ConfigMap, Secret or key the container needs is missing; create it or fix the reference.',
  CreateContainerError: 'The container runtime could not create the container; the message above says why.',
  CrashLoopBackOff: 'The model server exits at start; its last log lines above say why.',
  Restarts: 'The model server keeps restarting (a failing liveness probe or a crash); its last log lines above say why.',
  OOMKilled: 'The model server used more memory than its limit; raise resources.limits.memory or load a smaller model.',
  Killed: 'The model server was killed (exit code 137): usually memory over its limit; raise resources.limits.memory, or check what sends it SIGKILL.',
  Unschedulable: 'No node can run the pod (not enough CPU, memory or GPUs, or taints); free capacity or lower the requests.',
  ProgressDeadlineExceeded: 'The Deployment made no progress within its progressDeadlineSeconds.',
  FailedCreate: 'The ReplicaSet cannot create pods (Pod Security admission, a quota or a missing ServiceAccount); the event says which.',
  NotReady: 'The pods did not pass their readiness probe in time; raise canary.readinessTimeout for large models, or fix the readiness endpoint.',
};

/** The first decisive failure in a pod's status, or undefined while it may still become Ready. */
export function podSignal(pod: Pod, maxRestarts: number): Signal | undefined {
  const name = pod.metadata.name;
  // A pod being deleted (an older rollout's, reused by this revision) is stopped and killed on purpose.
  if (pod.metadata.deletionTimestamp) return undefined;
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return withAt({ object: name, reason: 'Unschedulable', detail: scheduled.message ?? 'no node fits the pod' }, scheduled.lastTransitionTime);
  }
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const c of statuses) {
    const signal = containerSignal(name, c, maxRestarts);
    if (signal) return signal;
  }
  return undefined;
}

function containerSignal(pod: string, c: ContainerStatus, maxRestarts: number): Signal | undefined {
  const base = { object: pod, container: c.name };
  const killed = [c.state?.terminated, c.lastState?.terminated].find((t) => t && (t.reason === 'OOMKilled' || t.exitCode === 137));
  if (killed) {
    const oom = killed.reason === 'OOMKilled';
    const detail = oom
      ? `container ${c.name} ran out of memory (OOMKilled, exit code ${killed.exitCode ?? 137}) after ${c.restartCount} restart(s)`
      : `container ${c.name} was killed with exit code 137 (SIGKILL: out of memory, or not stopping within its grace period) after ${c.restartCount} restart(s)`;
    return withAt({ ...base, reason: oom ? 'OOMKilled' : 'Killed', detail }, killed.finishedAt);
  }
  const waiting = c.state?.waiting;
  if (waiting?.reason && FATAL_WAITING.has(waiting.reason)) {
    const last = c.lastState?.terminated;
    const exit = last ? `; last exit code ${last.exitCode ?? '?'}${last.reason ? ` (${last.reason})` : ''}` : '';
    return withAt({ ...base, reason: waiting.reason, detail: `${oneLine(waiting.message ?? waiting.reason)}${exit}` }, last?.finishedAt);
  }
  if (c.restartCount > maxRestarts) {
    const last = c.lastState?.terminated;
    return withAt(
      {
        ...base,
        reason: 'Restarts',
        detail: `container ${c.name} restarted ${c.restartCount} times (canary.maxRestarts is ${maxRestarts})${last ? `; last exit code ${last.exitCode ?? '?'}` : ''}`,
      },
      last?.finishedAt,
    );
  }
  return undefined;
}

/** ProgressDeadlineExceeded on the Deployment: the controller gave up. */
export function deploymentSignal(deployment: Deployment): Signal | undefined {
  const progressing = deployment.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { object: deployment.metadata.name, reason: 'ProgressDeadlineExceeded', detail: oneLine(progressing.message ?? 'no progress') };
  }
  return undefined;
}

/** A ReplicaSet that cannot create its pods says so only in an event (FailedCreate). */
export function eventSignal(event: KubeEvent, replicaSet: string): Signal | undefined {
  if (event.involvedObject.kind === 'ReplicaSet' && event.involvedObject.name === replicaSet && event.reason === 'FailedCreate') {
    return withAt({ object: replicaSet, reason: 'FailedCreate', detail: oneLine(event.message ?? 'pods cannot be created') }, eventTime(event));
  }
  return undefined;
}

export function podReady(pod: Pod): boolean {
  return !pod.metadata.deletionTimestamp && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** What a pod is doing, in a few words, for the progress line: "ContainerCreating 6s", "Running, not Ready 12s". */
export function podPhrase(pod: Pod, now: number): string {
  const age = pod.metadata.creationTimestamp ? ` ${Math.max(0, Math.round((now - Date.parse(pod.metadata.creationTimestamp)) / 1000))}s` : '';
  if (podReady(pod)) return `Ready${age}`;
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return `Pending (${scheduled.reason ?? 'not scheduled'})${age}`;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.find((c) => c.state?.waiting)?.state?.waiting;
  if (waiting) return `${waiting.reason ?? 'Waiting'}${age}`;
  const restarts = statuses.reduce((n, c) => n + c.restartCount, 0);
  const phase = pod.status?.phase ?? 'Pending';
  return `${phase}${phase === 'Running' ? ', not Ready' : ''}${restarts > 0 ? `, ${restarts} restart(s)` : ''}${age}`;
}

/** The progress line the gate prints at least every 10 s. */
export function progressLine(label: string, pods: Pod[], desired: number, now: number): string {
  const ready = pods.filter(podReady).length;
  const waiting = pods.filter((p) => !podReady(p)).map((p) => `pod ${p.metadata.name}: ${podPhrase(p, now)}`);
  const rest = pods.length === 0 ? '; no pods yet' : waiting.length > 0 ? `; ${waiting.join('; ')}` : '';
  return `${label} ${ready}/${desired} ready${rest}`;
}

export function eventTime(e: KubeEvent): string | undefined {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? undefined;
}

function withAt(signal: Signal, at: string | undefined): Signal {
  return at ? { ...signal, at } : signal;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 600 ? `${line.slice(0, 597)}...` : line;
}

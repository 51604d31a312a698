import type { KubeClient, WatchEvent } from '../kube/client.js';
import { keepWatching } from '../kube/watch.js';
import type { Logger } from '../log/logger.js';
import { describeFailure, GateFailure } from './gate-report.js';
import { deploymentSignal, eventSignal, eventTime, podPhrase, podReady, podSignal, progressLine, type Signal } from './gate-signals.js';
import type { Deployment, KubeEvent, Pod, ReplicaSet } from './types.js';
import { apiPath } from '../kube/resources.js';

/**
 * The readiness gate: watches the pods of the Deployment's CURRENT ReplicaSet (and the namespace's events)
 * and fails at the first decisive signal (gate-signals.ts) instead of waiting for a deadline; passes when
 * every pod the Deployment wants is Ready. Prints a progress line every few seconds while it waits.
 */
/** Signals that must persist this long before they are decisive (see evaluate). */
const SETTLE_MS = 10_000;
const SETTLING = new Set(['CreateContainerConfigError', 'CreateContainerError', 'FailedCreate']);

export interface GateOptions {
  namespace: string;
  deployment: string;
  /** How messages name what is gated: "canary", "stable". */
  label: string;
  timeoutMs: number;
  maxRestarts: number;
  logger: Logger;
  progressEveryMs?: number;
}

export interface GateResult {
  revision: string;
  replicaSet: string;
  readyPods: string[];
  elapsedMs: number;
}

const REVISION = 'deployment.kubernetes.io/revision';

export async function gateDeployment(client: KubeClient, options: GateOptions): Promise<GateResult> {
  const started = Date.now();
  const { namespace, label, logger } = options;
  const deadline = started + options.timeoutMs;
  const current = await currentReplicaSet(client, options, deadline, started);
  const { deployment, replicaSet, revision } = current;
  const desired = deployment.spec.replicas ?? 1;
  const hash = replicaSet.metadata.labels?.['pod-template-hash'] ?? '';
  const selector = Object.entries({ ...deployment.spec.selector.matchLabels, 'pod-template-hash': hash })
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  logger.info(
    `Gating ${label} Deployment ${options.deployment}: revision ${revision}, ReplicaSet ${replicaSet.metadata.name}, ${desired} pod(s), budget ${Math.round(options.timeoutMs / 1000)}s`,
  );

  const pods = new Map<string, Pod>();
  const events: KubeEvent[] = [];
  const abort = new AbortController();
  let settle: { resolve: (r: GateResult) => void; reject: (e: unknown) => void } | undefined;
  const outcome = new Promise<GateResult>((resolve, reject) => (settle = { resolve, reject }));
  let done = false;
  const finish = (result: GateResult | Error): void => {
    if (done) return;
    done = true;
    abort.abort();
    if (result instanceof Error) settle?.reject(result);
    else settle?.resolve(result);
  };
  const fail = (signal: Signal): void => {
    if (done) return;
    const detectedAt = Date.now();
    const pod = pods.get(signal.object);
    done = true;
    abort.abort();
    void describeFailure(client, namespace, label, signal, pod, events).then(
      (message) => settle?.reject(new GateFailure(message, signal, detectedAt, started)),
      (err: unknown) => settle?.reject(err),
    );
  };
  const live = (): Pod[] => [...pods.values()].filter((p) => !p.metadata.deletionTimestamp);
  // Some signals also show up for a moment on a healthy start (the kubelet has not yet seen a ConfigMap
  // applied a second ago, the ReplicaSet controller not yet the new ServiceAccount): they count only when
  // they are still there SETTLE_MS after they were first seen.
  const firstSeen = new Map<string, number>();
  const decisive = (signal: Signal): boolean => {
    if (!SETTLING.has(signal.reason)) return true;
    const key = `${signal.object}|${signal.reason}`;
    const seen = firstSeen.get(key) ?? Date.now();
    firstSeen.set(key, seen);
    return Date.now() - seen >= SETTLE_MS;
  };
  let pendingCreate: Signal | undefined;
  const evaluate = (): void => {
    if (done) return;
    for (const pod of live()) {
      const signal = podSignal(pod, options.maxRestarts);
      if (signal && decisive(signal)) return fail(signal);
    }
    if (pendingCreate) {
      if (live().length >= desired) pendingCreate = undefined;
      else if (decisive(pendingCreate)) return fail(pendingCreate);
    }
    const ready = live()
      .filter(podReady)
      .map((p) => p.metadata.name)
      .sort();
    if (ready.length >= desired) finish({ revision, replicaSet: replicaSet.metadata.name, readyPods: ready, elapsedMs: Date.now() - started });
  };

  const podsPath = apiPath('Pod', namespace);
  const listed = await client.list<Pod>(podsPath, selector);
  for (const p of listed.items) pods.set(p.metadata.name, p);
  const onPod = (e: WatchEvent<Pod>): void => {
    if (e.type === 'DELETED') pods.delete(e.object.metadata.name);
    else if (e.type === 'ADDED' || e.type === 'MODIFIED') pods.set(e.object.metadata.name, e.object);
    evaluate();
  };
  const since = new Date(started - 2000).toISOString();
  const onEvent = (e: WatchEvent<KubeEvent>): void => {
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
    const ev = e.object;
    if ((eventTime(ev) ?? since) < since) return;
    const name = ev.involvedObject.name ?? '';
    if (name !== replicaSet.metadata.name && !pods.has(name) && !name.startsWith(`${replicaSet.metadata.name}-`)) return;
    events.push(ev);
    if (events.length > 200) events.shift();
    const signal = eventSignal(ev, replicaSet.metadata.name);
    if (signal) {
      pendingCreate = signal;
      evaluate();
    }
  };
  void keepWatching(client, podsPath, { labelSelector: selector }, listed.metadata.resourceVersion, onPod, abort.signal, logger);
  // Events from now on: a one-item list gives the resourceVersion to watch from, without replaying history.
  const eventsPath = apiPath('Event', namespace);
  const eventsNow = await client.get<{ metadata?: { resourceVersion?: string } }>(`${eventsPath}?limit=1`);
  void keepWatching(client, eventsPath, {}, eventsNow?.metadata?.resourceVersion, onEvent, abort.signal, logger);
  evaluate();

  let lastPrinted = 0;
  const tick = async (): Promise<void> => {
    if (done) return;
    const now = Date.now();
    if (now >= deadline) return fail(timeoutSignal(label, live(), desired, options.timeoutMs, now));
    evaluate();
    try {
      const d = await client.get<Deployment>(apiPath('Deployment', namespace, options.deployment));
      const signal = d
        ? deploymentSignal(d)
        : { object: options.deployment, reason: 'Deleted', detail: `Deployment ${options.deployment} was deleted while it was gated` };
      if (signal) return fail(signal);
    } catch (err) {
      logger.warn(`Reading Deployment ${options.deployment} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!done && now - lastPrinted >= (options.progressEveryMs ?? 5000)) {
      logger.info(progressLine(label, live(), desired, now));
      lastPrinted = now;
    }
  };
  const interval = setInterval(() => void tick(), 1000);
  try {
    return await outcome;
  } finally {
    clearInterval(interval);
    abort.abort();
  }
}

function timeoutSignal(label: string, pods: Pod[], desired: number, timeoutMs: number, now: number): Signal {
  const waiting = pods.find((p) => !podReady(p));
  const ready = pods.filter(podReady).length;
  const budget = `${Math.round(timeoutMs / 1000)}s (canary.readinessTimeout)`;
  if (!waiting) return { object: label, reason: 'NotReady', detail: `${ready}/${desired} pods Ready after ${budget}; no pods were created` };
  return {
    object: waiting.metadata.name,
    reason: 'NotReady',
    detail: `${ready}/${desired} pods Ready after ${budget}; this pod is ${podPhrase(waiting, now)}`,
  };
}

/** The Deployment once its controller has seen the latest spec, and the ReplicaSet of its current revision. */
async function currentReplicaSet(
  client: KubeClient,
  options: GateOptions,
  deadline: number,
  started: number,
): Promise<{ deployment: Deployment; replicaSet: ReplicaSet; revision: string }> {
  const { namespace } = options;
  const path = apiPath('Deployment', namespace, options.deployment);
  for (;;) {
    const deployment = await client.get<Deployment>(path);
    if (!deployment)
      throw new GateFailure(
        `Deployment ${options.deployment} does not exist.`,
        { object: options.deployment, reason: 'Deleted', detail: 'not found' },
        Date.now(),
        started,
      );
    const revision = deployment.metadata.annotations?.[REVISION];
    const observed = (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
    if (revision && observed) {
      const selector = Object.entries(deployment.spec.selector.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const sets = await client.list<ReplicaSet>(apiPath('ReplicaSet', namespace), selector);
      const replicaSet = sets.items.find(
        (rs) => rs.metadata.annotations?.[REVISION] === revision && rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid),
      );
      if (replicaSet) return { deployment, replicaSet, revision };
    }
    if (Date.now() >= deadline) {
      const signal = {
        object: options.deployment,
        reason: 'NotReady',
        detail: `the Deployment controller made no ReplicaSet for revision ${revision ?? '?'} in time`,
      };
      throw new GateFailure(`${options.label} Deployment ${options.deployment} failed: ${signal.detail}`, signal, Date.now(), started);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

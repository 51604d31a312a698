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
  const deadline = started + options.timeoutMs;
  const current = await currentReplicaSet(client, options, deadline, started);
  const gate = new Gate(client, options, current, started);
  options.logger.info(
    `Gating ${options.label} Deployment ${options.deployment}: revision ${current.revision}, ReplicaSet ${current.replicaSet.metadata.name}, ${gate.desired} pod(s), budget ${Math.round(options.timeoutMs / 1000)}s`,
  );
  await gate.watch();
  let lastPrinted = 0;
  const interval = setInterval(() => {
    void gate.tick(deadline).then(() => {
      const now = Date.now();
      if (!gate.done && now - lastPrinted >= (options.progressEveryMs ?? 5000)) {
        options.logger.info(progressLine(options.label, gate.live(), gate.desired, now));
        lastPrinted = now;
      }
    });
  }, 1000);
  try {
    return await gate.outcome;
  } finally {
    clearInterval(interval);
    gate.stop();
  }
}

/** One gate's state: the current ReplicaSet's pods and the events about them, judged on every change. */
class Gate {
  readonly desired: number;
  readonly outcome: Promise<GateResult>;
  done = false;
  private readonly selector: string;
  private readonly pods = new Map<string, Pod>();
  private readonly events: KubeEvent[] = [];
  private readonly abort = new AbortController();
  // Some signals also show up for a moment on a healthy start (the kubelet has not yet seen a ConfigMap
  // applied a second ago, the ReplicaSet controller not yet the new ServiceAccount): they count only when
  // they are still there SETTLE_MS after they were first seen.
  private readonly firstSeen = new Map<string, number>();
  private pendingCreate: Signal | undefined;
  private settle: { resolve: (r: GateResult) => void; reject: (e: unknown) => void } | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly options: GateOptions,
    private readonly current: { deployment: Deployment; replicaSet: ReplicaSet; revision: string },
    private readonly started: number,
  ) {
    this.desired = current.deployment.spec.replicas ?? 1;
    const hash = current.replicaSet.metadata.labels?.['pod-template-hash'] ?? '';
    this.selector = Object.entries({ ...current.deployment.spec.selector.matchLabels, 'pod-template-hash': hash })
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    this.outcome = new Promise<GateResult>((resolve, reject) => (this.settle = { resolve, reject }));
  }

  live(): Pod[] {
    return [...this.pods.values()].filter((p) => !p.metadata.deletionTimestamp);
  }

  stop(): void {
    this.abort.abort();
  }

  /** Lists the pods, then watches them and the namespace's events from now on. */
  async watch(): Promise<void> {
    const { client, options } = this;
    const podsPath = apiPath('Pod', options.namespace);
    const listed = await client.list<Pod>(podsPath, this.selector);
    for (const p of listed.items) this.pods.set(p.metadata.name, p);
    const onPod = (e: WatchEvent<Pod>): void => {
      if (e.type === 'DELETED') this.pods.delete(e.object.metadata.name);
      else if (e.type === 'ADDED' || e.type === 'MODIFIED') this.pods.set(e.object.metadata.name, e.object);
      this.evaluate();
    };
    void keepWatching(client, podsPath, { labelSelector: this.selector }, listed.metadata.resourceVersion, onPod, this.abort.signal, options.logger);
    // Events from now on: a one-item list gives the resourceVersion to watch from, without replaying history.
    const eventsPath = apiPath('Event', options.namespace);
    const eventsNow = await client.get<{ metadata?: { resourceVersion?: string } }>(`${eventsPath}?limit=1`);
    const onEvent = (e: WatchEvent<KubeEvent>): void => this.onEvent(e, new Date(this.started - 2000).toISOString());
    void keepWatching(client, eventsPath, {}, eventsNow?.metadata?.resourceVersion, onEvent, this.abort.signal, options.logger);
    this.evaluate();
  }

  /** Once a second: the deadline, the pods again, and the Deployment itself (deleted, or its rollout stuck). */
  async tick(deadline: number): Promise<void> {
    if (this.done) return;
    const { options } = this;
    const now = Date.now();
    if (now >= deadline) return this.fail(timeoutSignal(options.label, this.live(), this.desired, options.timeoutMs, now));
    this.evaluate();
    try {
      const d = await this.client.get<Deployment>(apiPath('Deployment', options.namespace, options.deployment));
      const signal = d
        ? deploymentSignal(d)
        : { object: options.deployment, reason: 'Deleted', detail: `Deployment ${options.deployment} was deleted while it was gated` };
      if (signal) this.fail(signal);
    } catch (err) {
      options.logger.warn(`Reading Deployment ${options.deployment} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private onEvent(e: WatchEvent<KubeEvent>, since: string): void {
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
    const ev = e.object;
    if ((eventTime(ev) ?? since) < since) return;
    const rs = this.current.replicaSet.metadata.name;
    const name = ev.involvedObject.name ?? '';
    if (name !== rs && !this.pods.has(name) && !name.startsWith(`${rs}-`)) return;
    this.events.push(ev);
    if (this.events.length > 200) this.events.shift();
    const signal = eventSignal(ev, rs);
    if (signal) {
      this.pendingCreate = signal;
      this.evaluate();
    }
  }

  private decisive(signal: Signal): boolean {
    if (!SETTLING.has(signal.reason)) return true;
    const key = `${signal.object}|${signal.reason}`;
    const seen = this.firstSeen.get(key) ?? Date.now();
    this.firstSeen.set(key, seen);
    return Date.now() - seen >= SETTLE_MS;
  }

  private evaluate(): void {
    if (this.done) return;
    for (const pod of this.live()) {
      const signal = podSignal(pod, this.options.maxRestarts);
      if (signal && this.decisive(signal)) return this.fail(signal);
    }
    if (this.pendingCreate) {
      if (this.live().length >= this.desired) this.pendingCreate = undefined;
      else if (this.decisive(this.pendingCreate)) return this.fail(this.pendingCreate);
    }
    const ready = this.live()
      .filter(podReady)
      .map((p) => p.metadata.name)
      .sort();
    if (ready.length >= this.desired) {
      this.done = true;
      this.abort.abort();
      const { revision, replicaSet } = this.current;
      this.settle?.resolve({ revision, replicaSet: replicaSet.metadata.name, readyPods: ready, elapsedMs: Date.now() - this.started });
    }
  }

  private fail(signal: Signal): void {
    if (this.done) return;
    const detectedAt = Date.now();
    const pod = this.pods.get(signal.object);
    this.done = true;
    this.abort.abort();
    void describeFailure(this.client, this.options.namespace, this.options.label, signal, pod, this.events).then(
      (message) => this.settle?.reject(new GateFailure(message, signal, detectedAt, this.started)),
      (err: unknown) => this.settle?.reject(err),
    );
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

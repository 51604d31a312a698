import { ModelCanaryError } from '../errors.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import { apiPath } from '../kube/resources.js';

/**
 * One release of a model per namespace at a time: a coordination.k8s.io Lease named model-canary-<model>,
 * holding the run's identity and renewed while the run lives. Taken with create, or with replace on the
 * resourceVersion read (so two runs never both win); a lease its holder stopped renewing expires and is
 * taken over.
 */
export const LEASE_SECONDS = 30;
export const RENEW_MS = 10_000;

export interface Lease extends KubeObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

export interface LockOptions {
  namespace: string;
  model: string;
  identity: string;
  timeoutMs: number;
  logger: Logger;
  /** How often to look again while another run holds it. */
  pollMs?: number;
  leaseSeconds?: number;
  renewMs?: number;
}

export const leaseName = (model: string): string => `model-canary-${model}`;
export const leasePath = (namespace: string, model: string): string => apiPath('Lease', namespace, leaseName(model));

/** Whether a lease is free to take: nobody holds it, we do, or its holder stopped renewing it. */
export function leaseFree(lease: Lease, identity: string, now: number): boolean {
  const holder = lease.spec?.holderIdentity;
  if (!holder || holder === identity) return true;
  const renewed = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
  if (Number.isNaN(renewed)) return true;
  return renewed + (lease.spec?.leaseDurationSeconds ?? LEASE_SECONDS) * 1000 < now;
}

export class ReleaseLock {
  private timer: NodeJS.Timeout | undefined;
  private lost = false;

  private constructor(
    private readonly client: KubeClient,
    private readonly options: LockOptions,
  ) {}

  /** Takes the lock, waiting up to timeoutMs for another run to finish; fails naming the holder. */
  static async acquire(client: KubeClient, options: LockOptions): Promise<ReleaseLock> {
    const lock = new ReleaseLock(client, options);
    await lock.take();
    lock.timer = setInterval(() => void lock.renew(), options.renewMs ?? RENEW_MS);
    lock.timer.unref();
    return lock;
  }

  /** Stops renewing and deletes the lease if it still holds our identity. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await releaseLease(this.client, this.options.namespace, this.options.model, this.options.identity);
  }

  private async take(): Promise<void> {
    const { namespace, model, identity, timeoutMs, logger } = this.options;
    const started = Date.now();
    const path = leasePath(namespace, model);
    let told = '';
    for (;;) {
      const now = new Date();
      const lease = await this.client.get<Lease>(path);
      if (!lease) {
        const created = await this.client.create<Lease>({ ...this.leaseObject(), spec: this.spec(now, 0) });
        if (created.created) break;
        if (created.status !== 409)
          throw new ModelCanaryError(
            'cluster',
            `Creating the lock Lease ${leaseName(model)} failed with HTTP ${created.status}: ${JSON.stringify(created.body)}`,
            'Check that the Role allows create on leases (docs/rbac.md).',
          );
        continue;
      }
      if (leaseFree(lease, identity, now.getTime())) {
        const holder = lease.spec?.holderIdentity;
        if (holder && holder !== identity)
          logger.warn(`The lock ${leaseName(model)} held by ${holder} expired (not renewed since ${lease.spec?.renewTime ?? '?'}); taking it over.`);
        const transitions = (lease.spec?.leaseTransitions ?? 0) + (holder === identity ? 0 : 1);
        const replaced = await this.client.replace<Lease>({ ...lease, spec: this.spec(now, transitions) });
        if (replaced.ok) break;
        continue;
      }
      const holder = lease.spec?.holderIdentity ?? '?';
      const waited = Date.now() - started;
      if (waited >= timeoutMs) {
        throw new ModelCanaryError(
          'cluster',
          `Another release of ${model} in namespace ${namespace} holds the lock ${leaseName(model)}: ${holder} (since ${lease.spec?.acquireTime ?? '?'}, renewed ${lease.spec?.renewTime ?? '?'}). Waited ${Math.round(waited / 1000)}s (canary.lockTimeout).`,
          `Wait for that run to finish, or raise canary.lockTimeout. A run that was killed releases the lock when its lease expires (${LEASE_SECONDS}s without renewal).`,
        );
      }
      if (told !== holder) logger.info(`Waiting for the lock ${leaseName(model)}, held by ${holder} (up to ${Math.round(timeoutMs / 1000)}s)...`);
      told = holder;
      await new Promise((r) => setTimeout(r, Math.min(this.options.pollMs ?? 2000, Math.max(100, timeoutMs - waited))));
    }
    logger.info(`Took the lock ${leaseName(model)} in namespace ${namespace} as ${identity}.`);
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    const { namespace, model, identity, logger } = this.options;
    try {
      const lease = await this.client.get<Lease>(leasePath(namespace, model));
      if (!lease || lease.spec?.holderIdentity !== identity) {
        this.lost = true;
        logger.warn(
          `The lock ${leaseName(model)} is no longer ours (held by ${lease?.spec?.holderIdentity ?? 'nobody'}); another run may change the model now.`,
        );
        return;
      }
      await this.client.replace<Lease>({ ...lease, spec: { ...lease.spec, renewTime: microTime(new Date()) } });
    } catch (err) {
      logger.warn(`Could not renew the lock ${leaseName(model)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private leaseObject(): Lease {
    const { namespace, model } = this.options;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: leaseName(model), namespace, labels: { 'app.kubernetes.io/managed-by': 'model-canary', 'app.kubernetes.io/name': model } },
    };
  }

  private spec(now: Date, transitions: number): NonNullable<Lease['spec']> {
    const t = microTime(now);
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.options.leaseSeconds ?? LEASE_SECONDS,
      acquireTime: t,
      renewTime: t,
      leaseTransitions: transitions,
    };
  }
}

/** Deletes the lease when (and only when) it holds this identity; true when it did. */
export async function releaseLease(client: KubeClient, namespace: string, model: string, identity: string): Promise<boolean> {
  const path = leasePath(namespace, model);
  const lease = await client.get<Lease>(path);
  if (!lease || lease.spec?.holderIdentity !== identity) return false;
  return client.delete(path);
}

/** MicroTime as the Lease API wants it: RFC 3339 with microseconds. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

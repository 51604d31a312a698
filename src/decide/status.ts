import type { Config } from '../config/types.js';
import type { KubeClient } from '../kube/client.js';
import { canaryName } from '../deploy/canary-plan.js';
import { leasePath, type Lease } from '../deploy/lock.js';
import type { Deployment } from '../deploy/types.js';
import { readHistory, type ReleaseRecord } from './history.js';
import { modelImage } from './promote.js';
import { deploymentPath } from './stable-rollout.js';
import { cell as markdownCell } from '../log/markdown.js';

export interface ModelStatus {
  namespace: string;
  stable?: { image: string; ready: number; replicas: number };
  canary?: { image: string; ready: number; replicas: number };
  lockHolder?: string;
  history: ReleaseRecord[];
}

/** What runs now (stable, canary, who holds the lock) and the recorded releases, newest first. */
export async function readStatus(client: KubeClient, config: Pick<Config, 'cluster' | 'image' | 'model'>, stable: string): Promise<ModelStatus> {
  const namespace = config.cluster.namespace;
  const view = (d: Deployment | undefined): ModelStatus['stable'] =>
    d ? { image: modelImage(d.spec.template, config.image.repository), ready: d.status?.readyReplicas ?? 0, replicas: d.spec.replicas ?? 0 } : undefined;
  const [s, c, lease, history] = await Promise.all([
    client.get<Deployment>(deploymentPath(namespace, stable)),
    client.get<Deployment>(deploymentPath(namespace, canaryName(stable))),
    client.get<Lease>(leasePath(namespace, config.model.name)),
    readHistory(client, namespace, config.model.name),
  ]);
  const status: ModelStatus = { namespace, history: [...history].reverse() };
  const sv = view(s);
  const cv = view(c);
  if (sv) status.stable = sv;
  if (cv) status.canary = cv;
  if (lease?.spec?.holderIdentity) status.lockHolder = lease.spec.holderIdentity;
  return status;
}

export function statusLines(model: string, s: ModelStatus): string[] {
  const lines = [
    `${model} in namespace ${s.namespace}:`,
    `  stable: ${s.stable ? `${s.stable.image} (${s.stable.ready}/${s.stable.replicas} Ready)` : 'none'}`,
    `  canary: ${s.canary ? `${s.canary.image} (${s.canary.ready}/${s.canary.replicas} Ready)` : 'none'}`,
    `  lock: ${s.lockHolder ? `held by ${s.lockHolder}` : 'free'}`,
    s.history.length ? `Releases (newest first):` : 'No releases recorded.',
  ];
  for (const r of s.history) {
    lines.push(
      `  #${r.revision} ${r.time} ${r.verdict} ${r.version} ${r.digest.slice(0, 19)} ${r.commit ? r.commit.slice(0, 7) : '-'} ${r.environment ?? '-'} ${r.smoke ?? ''}`.trimEnd(),
    );
  }
  return lines;
}

export function statusMarkdown(model: string, s: ModelStatus): string {
  const cell = (t: string | undefined): string => markdownCell(t ?? '');
  const lines = [
    `### Releases of ${model}`,
    '',
    `Stable: ${s.stable ? `\`${s.stable.image}\` (${s.stable.ready}/${s.stable.replicas} Ready)` : 'none'}; canary: ${s.canary ? `\`${s.canary.image}\`` : 'none'}; lock: ${s.lockHolder ? `held by ${cell(s.lockHolder)}` : 'free'}.`,
    '',
  ];
  if (s.history.length === 0) return [...lines, 'No releases recorded yet.'].join('\n');
  lines.push('| Revision | Time | Verdict | Version | Digest | Commit | Environment | Smoke |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of s.history) {
    lines.push(
      `| ${r.revision} | ${r.time} | ${r.verdict}${r.restoredFrom ? ` (from #${r.restoredFrom})` : ''} | ${cell(r.version)} | \`${r.digest.slice(0, 19)}\` | ${r.commit ? `\`${r.commit.slice(0, 7)}\`` : ''} | ${cell(r.environment)} | ${cell(r.smoke)} |`,
    );
  }
  return lines.join('\n');
}

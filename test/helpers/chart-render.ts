import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseObjects, type KubeObject } from '../../src/render/objects.js';
import { HELM } from '../fixtures/render/context.js';
import { tempDir } from './temp.js';

// model-canary's chart rendered by the real pinned helm (the one cluster:up leaves in the build cache).

export const CHART = path.resolve(import.meta.dirname, '..', '..', 'templates', 'chart');
export const DIGEST = `sha256:${'1'.repeat(64)}`;

/** Values the chart requires, plus extra (merged one level deep). */
export function chartValues(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: { name: 'iris', version: '1.0.0', framework: 'sklearn' },
    image: { repository: '127.0.0.1:5000/models/iris', digest: DIGEST },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    ...extra,
  };
}

/** helm template on the chart with the values (as a JSON file) and, when given, the APIs the cluster serves. */
export function renderChart(vals: Record<string, unknown>, apiVersions: string[] = []): KubeObject[] {
  const file = path.join(tempDir('chart-render-'), 'values.json');
  writeFileSync(file, JSON.stringify(vals));
  const args = ['template', 'iris', CHART, '--namespace', 'models', '--values', file, ...apiVersions.flatMap((a) => ['--api-versions', a])];
  return parseObjects(execFileSync(HELM, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), 'helm template');
}

/** The message helm fails with for these values. */
export function chartRenderError(vals: Record<string, unknown>): string {
  try {
    renderChart(vals);
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
  throw new Error('helm template did not fail');
}

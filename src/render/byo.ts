import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StageContext } from '../core/context.js';
import { assertTreeContained, containedFile } from '../config/contained.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError, userError } from '../errors.js';
import { resolveTool } from '../tools/resolve.js';
import { helmTemplate } from './helm.js';
import { assertKustomizeContained } from './kustomize-tree.js';
import { parseObjects, type KubeObject } from './objects.js';

/** Renders the user's own deployment: their chart, their kustomize directory or their manifests. */
export async function renderUserObjects(config: Config, ctx: StageContext): Promise<KubeObject[]> {
  const { render } = config;
  switch (render.mode) {
    case 'chart':
      return renderUserChart(config, ctx);
    case 'kustomize':
      return renderKustomize(required(render.kustomize, 'kustomize'), config, ctx);
    case 'manifests':
      return readManifests(required(render.manifests, 'manifests'), config.run.workspace);
    default:
      throw new ModelCanaryError('internal', `renderUserObjects called for render.mode ${render.mode}`);
  }
}

function required<T>(value: T | undefined, key: string): T {
  if (value === undefined) throw userError(`render.${key} is required with render.mode ${key}.`, `Set render.${key} in the model file.`);
  return value;
}

/** helm template of the user's chart (a folder or an oci:// reference) with their values; no values of ours. */
async function renderUserChart(config: Config, ctx: StageContext): Promise<KubeObject[]> {
  const chart = required(config.render.chart, 'chart');
  const helm = await resolveTool('helm', ctx.tools);
  const shown = chart.startsWith('oci://') ? chart : path.relative(config.run.workspace, chart) || '.';
  // helm follows every symlink in a chart folder: the whole tree is checked before helm reads it.
  if (!chart.startsWith('oci://')) assertTreeContained(config.run.workspace, chart, 'render.chart');
  return helmTemplate(ctx.exec, helm.path, {
    release: config.model.name,
    chart,
    ...(config.render.chartVersion !== undefined ? { version: config.render.chartVersion } : {}),
    namespace: config.cluster.namespace,
    valuesFiles: containedValuesFiles(config),
    // Only the user's values: their chart's values need not look like ours. The image is set on the objects.
    ...(Object.keys(config.render.values).length > 0 ? { values: config.render.values } : {}),
    tempDir: config.run.tempDir,
    describe: `your chart ${shown}`,
    valuesHint: `Fix render.values (or render.valuesFiles) as helm says above; the path it names is in your chart's values.`,
  });
}

/** render.valuesFiles, each checked to be (symlinks followed) inside the workspace before helm reads it. */
export function containedValuesFiles(config: Pick<Config, 'render' | 'run'>): string[] {
  return config.render.valuesFiles.map((file, i) => {
    containedFile(config.run.workspace, file, `render.valuesFiles[${i}]`);
    return file;
  });
}

/** `kubectl kustomize DIR`, through the exec wrapper. */
async function renderKustomize(dir: string, config: Config, ctx: StageContext): Promise<KubeObject[]> {
  const kubectl = await resolveTool('kubectl', ctx.tools);
  const shown = path.relative(config.run.workspace, dir) || '.';
  assertKustomizeContained(config.run.workspace, dir);
  const result = await ctx.exec(kubectl.path, ['kustomize', dir], { allowFailure: true, timeoutMs: 5 * 60_000, echo: true });
  if (result.exitCode !== 0) {
    const text = result.stderr.trim().split('\n').slice(-20).join('\n  ');
    throw userError(
      `kubectl kustomize could not build ${shown}:\n  ${text || '(no message)'}`,
      `Fix the kustomization in ${shown}; \`kubectl kustomize ${shown}\` shows the same error.`,
    );
  }
  return parseObjects(result.stdout, `the output of kubectl kustomize ${shown}`);
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Reads manifest files, and the .yaml, .yml and .json files of manifest folders (not recursive), in order. */
export function readManifests(entries: readonly string[], workspace: string): KubeObject[] {
  const files = entries.flatMap((entry, i) => {
    const what = `render.manifests[${i}]`;
    if (!statSync(containedFile(workspace, entry, what)).isDirectory()) return [entry];
    const inside = readdirSync(entry)
      .filter((name) => MANIFEST_FILE.test(name))
      .sort()
      .map((name) => path.join(entry, name))
      .filter((file) => statSync(containedFile(workspace, file, what)).isFile());
    if (inside.length === 0)
      throw userError(
        `render.manifests: ${path.relative(workspace, entry) || '.'} holds no .yaml, .yml or .json files.`,
        'Point render.manifests at your manifest files or the folder holding them.',
      );
    return inside;
  });
  const objects = files.flatMap((file) => parseObjects(readFileSync(file, 'utf8'), path.relative(workspace, file)));
  if (objects.length === 0) throw userError('render.manifests holds no Kubernetes objects.', 'Point render.manifests at your manifest files.');
  return objects;
}

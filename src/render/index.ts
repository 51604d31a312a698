import path from 'node:path';
import type { BuiltImage } from '../image/index.js';
import type { StageContext } from '../core/context.js';
import type { Config } from '../config/types.js';
import { ModelCanaryError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { assetRoot } from '../tools/assets.js';
import { resolveTool } from '../tools/resolve.js';
import { containedValuesFiles, renderUserObjects } from './byo.js';
import { lookupDigest } from './digest.js';
import { helmTemplate } from './helm.js';
import { injectImage, targetReference } from './inject.js';
import { objectId, type KubeObject } from './objects.js';
import { checkPolicy, type Finding } from './policy.js';
import { objectLines, renderMarkdown } from './summary.js';
import { chartDefaults, chartValues, type TargetImage } from './values.js';
import { writeRendered } from './write.js';

export type { KubeObject } from './objects.js';
export type { Finding } from './policy.js';

/** What the render stage made: the objects (as data), what the policy found, and where the file is. */
export interface RenderResult {
  objects: KubeObject[];
  findings: Finding[];
  /** Absolute path of the rendered file (render.output). */
  output: string;
  /** Where the objects came from, in words. */
  source: string;
  /** The image reference the model's containers run. */
  image: string;
  /** Fields the model's image was set in. */
  injected: string[];
}

/** Renders the model's Kubernetes objects through Helm (or the user's own manifests). */
export async function renderObjects(config: Config, image: BuiltImage, ctx: StageContext): Promise<KubeObject[]> {
  const result = await render(config, image, ctx);
  const failed = policyFailure(result, config);
  if (failed) throw failed;
  return result.objects;
}

/**
 * The render stage: objects from model-canary's chart (or the user's chart, kustomize directory or
 * manifests), the model's image set by digest, the policy checked, the objects written to render.output.
 * Policy findings are returned, not thrown: the caller reports them, then fails with policyFailure().
 */
export async function render(config: Config, image: BuiltImage, ctx: StageContext): Promise<RenderResult> {
  const { logger } = ctx.host;
  const target = targetImage(config, image);
  const builtin = config.render.mode === 'builtin' || config.render.mode === 'kserve';
  const source = describeSource(config);
  const rendered = builtin ? await renderChart(config, target, ctx) : await renderUserObjects(config, ctx);

  const injection = injectImage(rendered, target);
  if (!builtin && injection.replaced.length === 0) {
    const seen = injection.others.map((u) => `${u.object} ${u.field}: ${u.image}`);
    throw new ModelCanaryError(
      'user',
      `No container in ${source} runs the model's image ${config.image.repository}${seen.length ? `; the images are:\n${seen.map((s) => `  - ${s}`).join('\n')}` : ' (there are no containers)'}.`,
      `Use ${config.image.repository} (any tag) as the model server's image; model-canary sets its digest.`,
    );
  }
  const objects = injection.objects;
  for (const hook of objects.filter((o) => o.metadata.annotations?.['helm.sh/hook'] !== undefined)) {
    logger.warn(`${objectId(hook)} is a helm hook (${hook.metadata.annotations?.['helm.sh/hook'] ?? ''}); model-canary applies it as an ordinary object.`);
  }
  for (const other of objects.filter((o) => o.metadata.namespace !== undefined && o.metadata.namespace !== config.cluster.namespace)) {
    logger.warn(`${objectId(other)} names namespace ${other.metadata.namespace ?? ''}, not cluster.namespace ${config.cluster.namespace}.`);
  }
  const findings = checkPolicy(objects, config.render.policy);
  const reference = targetReference(target);
  writeRendered(config.render.output, objects, [
    `Rendered by model-canary from ${source}: ${objects.length} objects for model ${config.model.name} ${config.model.version}.`,
    `Image: ${reference}`,
  ]);

  const result: RenderResult = {
    objects,
    findings,
    output: config.render.output,
    source,
    image: reference,
    injected: injection.replaced.map((r) => `${r.object} ${r.field}`),
  };
  logSummary(logger, config, result);
  return result;
}

/** The error to fail with when a policy rule at level error found something; undefined when none did. */
export function policyFailure(result: RenderResult, config: Pick<Config, 'run'>): ModelCanaryError | undefined {
  const errors = result.findings.filter((f) => f.level === 'error');
  if (errors.length === 0) return undefined;
  return new ModelCanaryError(
    'user',
    `The rendered objects break ${errors.length} policy rule(s):\n${errors.map((f) => `  - ${f.rule}: ${f.message}`).join('\n')}`,
    `Fix each as it says, or set the rule to warn or off in render.policy. The objects are in ${relative(config, result.output)}.`,
  );
}

/** The job summary section for a render result. */
export function renderSection(result: RenderResult, config: Pick<Config, 'run'>): string {
  return renderMarkdown(result, relative(config, result.output));
}

/**
 * The image for `command: render` run on its own: the digest the registry gives repository:tag (the build
 * step pushed it), or, when that cannot be read, the tag (the unpinnedImage rule then decides).
 */
export async function imageForRender(config: Pick<Config, 'image' | 'run'>, logger: Logger): Promise<BuiltImage> {
  const byTag = `${config.image.repository}:${config.image.tag}`;
  if (!config.image.tag) return { reference: config.image.repository, digest: '' };
  try {
    const digest = await lookupDigest({
      repository: config.image.repository,
      tag: config.image.tag,
      ...(config.run.registryAuth ? { auth: config.run.registryAuth } : {}),
    });
    logger.info(`${byTag} is ${digest}`);
    return { reference: `${config.image.repository}@${digest}`, digest };
  } catch (err) {
    logger.warn(`Could not read the digest of ${byTag} from the registry (${err instanceof Error ? err.message : String(err)}); rendering with the tag.`);
    return { reference: byTag, digest: '' };
  }
}

function targetImage(config: Pick<Config, 'image'>, image: BuiltImage): TargetImage {
  if (image.digest) return { repository: config.image.repository, digest: image.digest };
  return config.image.tag ? { repository: config.image.repository, tag: config.image.tag } : { repository: config.image.repository };
}

async function renderChart(config: Config, target: TargetImage, ctx: StageContext): Promise<KubeObject[]> {
  const helm = await resolveTool('helm', ctx.tools);
  const apiVersions = CLUSTER_RENDERS.includes(config.run.command) ? await servedCapabilities(ctx) : [];
  return helmTemplate(ctx.exec, helm.path, {
    apiVersions,
    release: config.model.name,
    chart: chartPath(),
    namespace: config.cluster.namespace,
    defaults: chartDefaults(config),
    valuesFiles: containedValuesFiles(config),
    values: chartValues(config, target),
    tempDir: config.run.tempDir,
    describe: "model-canary's chart",
    valuesHint:
      "Fix render.values at the path helm names: '/resources/requests' is render.values.resources.requests, which must give cpu and memory. The chart's values are described in templates/chart/values.yaml and checked by its values.schema.json.",
  });
}

/** The commands whose render is applied to the cluster, so the chart may ask what the cluster serves. */
const CLUSTER_RENDERS: readonly Config['run']['command'][] = ['release', 'deploy'];
/** The optional APIs the chart renders for when the cluster serves them (templates/chart: the PodMonitor). */
const OPTIONAL_APIS = [{ groupVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' }];

/**
 * Which of OPTIONAL_APIS the cluster serves, as helm's --api-versions (group/version/Kind). helm template
 * alone knows no cluster, so without this the chart never renders them. A cluster that cannot be asked
 * gives none (a warning says so): the release goes on without the optional objects.
 */
async function servedCapabilities(ctx: StageContext): Promise<string[]> {
  const served: string[] = [];
  try {
    const client = await ctx.kube.client();
    for (const api of OPTIONAL_APIS) {
      const list = await client.get<{ resources?: { kind: string }[] }>(`/apis/${api.groupVersion}`);
      if (list?.resources?.some((r) => r.kind === api.kind)) served.push(`${api.groupVersion}/${api.kind}`);
    }
  } catch (err) {
    ctx.host.logger.warn(
      `Could not ask the cluster which optional APIs it serves (${err instanceof Error ? err.message : String(err)}); rendering without them (no PodMonitor).`,
    );
  }
  if (served.length > 0) ctx.host.logger.info(`The cluster serves ${served.join(', ')}: the chart renders for it.`);
  return served;
}

/** model-canary's own chart, shipped beside the code. */
export function chartPath(): string {
  return path.join(assetRoot(), 'templates', 'chart');
}

function describeSource(config: Pick<Config, 'render' | 'run'>): string {
  const { render } = config;
  switch (render.mode) {
    case 'builtin':
      return "model-canary's chart";
    case 'kserve':
      return "model-canary's chart (KServe InferenceService)";
    case 'chart':
      return `your chart ${render.chart?.startsWith('oci://') ? render.chart : relative(config, render.chart ?? '')}`;
    case 'kustomize':
      return `your kustomize directory ${relative(config, render.kustomize ?? '')}`;
    case 'manifests':
      return `your manifests ${(render.manifests ?? []).map((m) => relative(config, m)).join(', ')}`;
  }
}

function relative(config: Pick<Config, 'run'>, file: string): string {
  return path.relative(config.run.workspace, file) || '.';
}

function logSummary(logger: Logger, config: Pick<Config, 'run'>, result: RenderResult): void {
  logger.info(`Rendered ${result.objects.length} objects from ${result.source} into ${relative(config, result.output)}:`);
  for (const line of objectLines(result.objects)) logger.info(`  ${line}`);
  for (const f of result.findings) {
    if (f.level === 'error') logger.error(`policy ${f.rule}: ${f.message}`);
    else logger.warn(`policy ${f.rule}: ${f.message}`);
  }
}

import path from 'node:path';
import { canaryName } from '../deploy/canary-plan.js';
import type { Config } from '../config/types.js';
import type { StageContext } from '../core/context.js';
import { loadCases } from '../smoke/cases.js';
import { formatDuration } from '../log/report.js';
import { inspectTool, type ToolStatus } from '../tools/resolve.js';
import type { ToolName } from '../tools/specs.js';
import { checkRender, type RenderCheck } from './plan-render.js';

/** What a release would do, computed from the config and the tools found, changing nothing. */
export interface ReleasePlan {
  model: { name: string; version: string; framework: string };
  namespace: string;
  image: { reference: string; tags: string[]; build: string; push: boolean };
  stages: { name: string; action: string }[];
  tools: ToolStatus[];
  objects: { source: string; canary: string[] };
  /** The objects rendered as the render stage will, with the chart's values schema and the policy checked. */
  render: RenderCheck;
  canarySteps: string[];
  smoke: { protocol: string; cases: string[]; generated: number; limits: string } | undefined;
  /** Things that would stop a release (missing tools); the plan fails when there are any. */
  blockers: string[];
}

/** Tools a release needs for this config. */
export function toolsNeeded(config: Config): ToolName[] {
  const tools: ToolName[] = ['docker'];
  if (config.scan.enabled) tools.push('trivy');
  if (config.render.mode !== 'kustomize' && config.render.mode !== 'manifests') tools.push('helm');
  tools.push('kubectl');
  return tools;
}

/**
 * The plan; throws the error the render stage would give (the chart refusing the values, a policy rule)
 * when the objects can be rendered here, so a plan that passes is not refused later for its config.
 */
export async function planRelease(config: Config, ctx: StageContext): Promise<ReleasePlan> {
  const rel = (p: string): string => path.relative(config.run.workspace, p) || '.';
  const { model, image, canary, smoke, decide } = config;
  const tag = image.tag || '<commit SHA>';
  const tags = [...new Set([tag, ...(config.run.commitSha && config.run.commitSha !== tag ? [config.run.commitSha] : []), ...image.extraTags])];
  const build = image.dockerfile
    ? `your Dockerfile ${rel(image.dockerfile)} (context ${rel(image.context)})`
    : `the ${image.template ?? ''} template serving ${model.artifact ? rel(model.artifact) : 'the model'} (context ${rel(image.context)})`;

  const statuses = await Promise.all(toolsNeeded(config).map((name) => inspectTool(name, ctx.tools)));
  const blockers = statuses.flatMap((s) => (s.state === 'missing' ? [s.problem] : []));
  if (!image.tag) blockers.push('No image tag: there is no commit SHA in this run; give the image-tag input (or --image-tag).');

  const source = {
    builtin: "model-canary's Helm chart",
    kserve: "model-canary's Helm chart in KServe mode (an InferenceService)",
    chart: `your Helm chart ${config.render.chart ?? ''}`,
    kustomize: `your kustomize directory ${config.render.kustomize ? rel(config.render.kustomize) : ''}`,
    manifests: `your manifests ${(config.render.manifests ?? []).map(rel).join(', ')}`,
  }[config.render.mode];

  const canaryObjects =
    canary.strategy === 'replicas'
      ? [`Deployment/${canaryName(model.name)} (${canary.replicas} pod(s), label track=canary, same Service as stable)`]
      : canary.strategy === 'traffic'
        ? [
            `Deployment/${canaryName(model.name)}`,
            `Service/${canaryName(model.name)}`,
            `HTTPRoute/${model.name} (stable ${100 - canary.weight}% / canary ${canary.weight}% via Gateway ${canary.gateway?.name ?? ''})`,
          ]
        : [`InferenceService/${model.name} with canaryTrafficPercent ${canary.weight}`];

  const decideStep =
    decide.mode === 'manual'
      ? 'Hold: keep the canary running with its smoke report for a promote or rollback dispatch'
      : `Promote on a passing verdict (stable takes the new digest, its rollout is gated, the canary is removed); otherwise ${decide.onFailure === 'rollback' ? 'roll back (remove the canary, stable untouched)' : 'hold the canary for inspection'}`;

  const canarySteps = [
    `Take the lock Lease model-canary-${model.name} in namespace ${config.cluster.namespace} (wait up to ${formatDuration(canary.lockTimeoutMs)})`,
    `Apply ${canaryObjects.join(', ')} with server-side apply (field manager ${config.cluster.fieldManager}); on a first deploy the release becomes stable directly`,
    `Gate: wait up to ${formatDuration(canary.readinessTimeoutMs)} for every canary pod to be Ready; fail at once on image pull errors, crash loops, more than ${canary.maxRestarts} restart(s), OOMKilled or Unschedulable`,
    smoke.enabled ? `Smoke: ${smoke.protocol} predictions to each Ready canary pod, compared with stable` : 'Smoke: disabled; the gate alone decides',
    decideStep,
    `Record the release (digest, commit, verdict) in the cluster's history (last ${decide.historyLimit} kept) and release the lock`,
  ];

  const render = await checkRender(config, ctx, statuses);

  let smokePlan: ReleasePlan['smoke'];
  if (smoke.enabled) {
    const cases = smoke.cases ? loadCases(smoke.cases).map((c) => c.name) : [];
    const limits = [
      `error rate <= ${smoke.thresholds.errorRate}`,
      smoke.thresholds.p50Ms !== undefined ? `p50 <= ${smoke.thresholds.p50Ms} ms` : undefined,
      `p95 <= ${smoke.thresholds.p95Ms} ms`,
      smoke.thresholds.p99Ms !== undefined ? `p99 <= ${smoke.thresholds.p99Ms} ms` : undefined,
      smoke.parity.enabled ? `parity with stable >= ${smoke.parity.minAgreement}` : undefined,
    ].filter((x): x is string => x !== undefined);
    smokePlan = { protocol: smoke.protocol, cases, generated: smoke.generateCases, limits: limits.join(', ') };
  }

  return {
    model: { name: model.name, version: model.version, framework: model.framework },
    namespace: config.cluster.namespace,
    image: { reference: `${image.repository}:${tag}`, tags, build, push: image.push },
    stages: [
      { name: 'build', action: `Build ${image.repository} from ${build}; tags ${tags.join(', ')}; ${image.push ? 'push and deploy by digest' : 'no push'}` },
      {
        name: 'scan',
        action: config.scan.enabled
          ? `Trivy: fail on ${config.scan.failOn.join(', ')}${config.scan.ignoreUnfixed ? ' (fixed only)' : ''}; full SARIF to ${rel(config.scan.sarif)}; secrets ${config.scan.secrets}`
          : 'disabled',
      },
      { name: 'render', action: `Render the objects from ${source}` },
      { name: 'deploy', action: `Canary by ${canary.strategy} in namespace ${config.cluster.namespace}` },
      { name: 'smoke', action: smoke.enabled ? `${smoke.protocol} on port ${smoke.port}` : 'disabled' },
      { name: 'decide', action: decide.mode === 'manual' ? 'manual (hold for a dispatch)' : `auto (on failure: ${decide.onFailure})` },
    ],
    tools: statuses,
    objects: { source, canary: canaryObjects },
    render,
    canarySteps,
    smoke: smokePlan,
    blockers,
  };
}

function toolLine(status: ToolStatus): string {
  switch (status.state) {
    case 'found':
      return `${status.tool.name} ${status.tool.version} (${status.tool.path})`;
    case 'will-install':
      return `${status.name}: will install the pinned ${status.version} (${status.reason})`;
    case 'missing':
      return `${status.name}: MISSING - ${status.problem}`;
  }
}

/** The plan as log lines. */
export function planLines(plan: ReleasePlan): string[] {
  const lines = [
    `Model ${plan.model.name} ${plan.model.version} (${plan.model.framework}) to namespace ${plan.namespace}`,
    `Image: ${plan.image.reference}`,
    '',
    'Stages:',
    ...plan.stages.map((s, i) => `  ${i + 1}. ${s.name}: ${s.action}`),
    '',
    'Tools:',
    ...plan.tools.map((t) => `  - ${toolLine(t)}`),
    '',
    `Objects: rendered at release time from ${plan.objects.source}; the canary adds:`,
    ...plan.objects.canary.map((o) => `  - ${o}`),
    `Render check: ${plan.render.detail}`,
    '',
    'Canary steps:',
    ...plan.canarySteps.map((s, i) => `  ${i + 1}. ${s}`),
  ];
  if (plan.smoke) {
    lines.push(
      '',
      `Smoke (${plan.smoke.protocol}): ${plan.smoke.cases.length} case(s) from the cases file${plan.smoke.generated ? ` + ${plan.smoke.generated} generated from the model card` : ''}; limits: ${plan.smoke.limits}`,
    );
    lines.push(...plan.smoke.cases.map((c) => `  - ${c}`));
  }
  if (plan.blockers.length > 0) lines.push('', 'Blockers:', ...plan.blockers.map((b) => `  - ${b}`));
  return lines;
}

/** The plan as a job summary section. */
export function planMarkdown(plan: ReleasePlan): string {
  const out = [
    `### Release plan for \`${plan.model.name}\` ${plan.model.version}`,
    '',
    `Image \`${plan.image.reference}\` to namespace \`${plan.namespace}\``,
    '',
    '| # | Stage | What it would do |',
    '| --- | --- | --- |',
    ...plan.stages.map((s, i) => `| ${i + 1} | ${s.name} | ${s.action.replace(/\|/g, '\\|')} |`),
    '',
    '**Canary steps**',
    '',
    ...plan.canarySteps.map((s, i) => `${i + 1}. ${s}`),
    '',
    '**Tools**',
    '',
    ...plan.tools.map((t) => `- ${toolLine(t)}`),
    '',
    `**Render check**: ${plan.render.detail}`,
  ];
  if (plan.smoke) out.push('', `**Smoke**: ${plan.smoke.cases.length} case(s); ${plan.smoke.limits}`);
  if (plan.blockers.length > 0) out.push('', '**Blockers**', '', ...plan.blockers.map((b) => `- ${b}`));
  return out.join('\n');
}

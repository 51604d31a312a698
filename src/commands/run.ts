import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BuiltImage } from '../build/index.js';
import { DEPLOYMENT_COMMANDS } from '../config/inputs.js';
import type { Config } from '../config/types.js';
import type { GitHubReport } from '../github/index.js';
import { ModelCanaryError } from '../errors.js';
import { runStage } from '../log/stage.js';
import type { StageContext } from './context.js';
import { planLines, planMarkdown, planRelease } from './plan.js';

// The stages are imported when a command needs them (ncc puts each in a chunk beside the bundle), so
// plan and the other short commands do not load and compile the code of the build, scan, deploy and
// smoke stages, nor what those import (node:crypto, node:http), at every start.
const buildImage: typeof import('../build/index.js').buildImage = async (...a) => (await import('../build/index.js')).buildImage(...a);
const scanImage: typeof import('../scan/index.js').scanImage = async (...a) => (await import('../scan/index.js')).scanImage(...a);
const deliverRelease: typeof import('../decide/index.js').deliverRelease = async (...a) => (await import('../decide/index.js')).deliverRelease(...a);
const smokeCanary: typeof import('../smoke/index.js').smokeCanary = async (...a) => (await import('../smoke/index.js')).smokeCanary(...a);
const promote: typeof import('../decide/index.js').promote = async (...a) => (await import('../decide/index.js')).promote(...a);
const rollback: typeof import('../decide/index.js').rollback = async (...a) => (await import('../decide/index.js')).rollback(...a);
const status: typeof import('../decide/index.js').status = async (...a) => (await import('../decide/index.js')).status(...a);

/**
 * Runs the command the config names. Stages record themselves in ctx.report. With github-token, release,
 * promote and rollback also record a GitHub Deployment (src/github, loaded only then); its reporting never
 * changes the outcome.
 */
export async function runCommand(config: Config, ctx: StageContext): Promise<void> {
  const github = config.run.github && DEPLOYMENT_COMMANDS.includes(config.run.command) ? (await import('../github/index.js')).gitHubReporter(config, ctx) : undefined;
  if (!github) return runSelected(config, ctx);
  try {
    await runSelected(config, ctx, github);
  } catch (err) {
    await github.finish(err);
    throw err;
  }
  await github.finish(undefined);
}

async function runSelected(config: Config, ctx: StageContext, github?: GitHubReport): Promise<void> {
  const { logger } = ctx.host;
  const stage = <T>(name: string, fn: () => Promise<{ value: T; detail: string }>): Promise<T> =>
    runStage(logger, ctx.report, name, fn);

  switch (config.run.command) {
    case 'plan':
      return runPlan(config, ctx);
    case 'release': {
      // With input image, a build job already built and scanned it: this run renders and releases it.
      const prebuilt = prebuiltImage(config, ctx, true);
      const image = prebuilt ?? (await runBuildStage(config, ctx));
      if (!prebuilt) await runScan(config, image, ctx);
      const rendered = await runRenderStage(config, ctx, image);
      await github?.start({ image: rendered.image, digest: image.digest });
      await deliverRelease(config, rendered.objects, rendered.image, ctx);
      return;
    }
    case 'build':
      await runBuildStage(config, ctx);
      return;
    case 'scan':
      await runScan(config, { reference: `${config.image.repository}:${config.image.tag}`, digest: '' }, ctx);
      return;
    case 'render':
      await runRenderStage(config, ctx, prebuiltImage(config, ctx, false));
      return;
    case 'deploy': {
      // deploy on its own: render, apply the canary and gate it, then hold it for `promote` or `rollback`.
      const rendered = await runRenderStage(config, ctx, prebuiltImage(config, ctx, false));
      const held = { ...config, smoke: { ...config.smoke, enabled: false }, decide: { ...config.decide, mode: 'manual' as const } };
      await deliverRelease(held, rendered.objects, rendered.image, ctx);
      return;
    }
    case 'smoke':
      // Alone, smoke tests the canary that is there (deployed by model-canary or by your own tooling): the
      // current ReplicaSet of Deployment <model>-canary, compared with <model>. The stage records its summary
      // section and the error-rate, p95-ms and report outputs; the verdict output and a failing exit are here.
      await stage('smoke', async () => {
        const { smokeOutputs, SmokeFailed } = await import('../smoke/index.js');
        const report = await smokeCanary(config, { revision: '', readyPods: [] }, ctx);
        Object.assign(ctx.report.outputs, smokeOutputs(report));
        if (report.verdict === 'fail') throw new SmokeFailed(report);
        return { value: report, detail: `passed: ${report.cases} case(s) on ${report.pods.length} pod(s), error rate ${report.errorRate}, p95 ${report.p95Ms} ms` };
      });
      return;
    case 'promote':
      await github?.start();
      await stage('promote', async () => ({ value: await promote(config, ctx), detail: 'canary promoted to stable' }));
      return;
    case 'rollback':
      await github?.start();
      await stage('rollback', async () => ({ value: await rollback(config, ctx), detail: `rolled back (revision ${config.run.revision || 'previous'})` }));
      return;
    case 'status':
      await stage('status', async () => {
        const s = await status(config, ctx);
        return { value: s, detail: `${s.history.length} release(s) recorded${s.canary ? ', a canary is in place' : ''}` };
      });
      return;
  }
}

/**
 * The render stage: with the image a release just built, or on its own with the digest the registry gives
 * image.repository:tag. Writes render.output, adds the summary section, fails on policy errors.
 */
async function runRenderStage(config: Config, ctx: StageContext, built?: BuiltImage) {
  return runStage(ctx.host.logger, ctx.report, 'render', async () => {
    const { imageForRender, render, renderSection, policyFailure } = await import('../render/index.js');
    const image = built ?? (await imageForRender(config, ctx.host.logger));
    const result = await render(config, image, ctx);
    ctx.report.outputs.report = result.output;
    if (!built) Object.assign(ctx.report.outputs, { image: result.image, digest: image.digest });
    ctx.report.sections.push(renderSection(result, config));
    const failed = policyFailure(result, config);
    if (failed) throw failed;
    return { value: result, detail: `${result.objects.length} objects, ${result.findings.length} policy finding(s)` };
  });
}

/**
 * The image of input image (built and scanned by an earlier job), set as the image and digest outputs;
 * for a release, build and scan are recorded as skipped. Undefined when the input is not given.
 */
function prebuiltImage(config: Config, ctx: StageContext, release: boolean): BuiltImage | undefined {
  const given = config.run.prebuiltImage;
  if (!given) return undefined;
  Object.assign(ctx.report.outputs, { image: given.reference, digest: given.digest });
  ctx.host.logger.info(`Using ${given.reference} from input image: built and scanned by an earlier job${release ? '; no build, no scan here' : ''}.`);
  if (release) {
    for (const name of ['build', 'scan']) {
      ctx.report.stages.push({ name, status: 'skipped', durationMs: 0, detail: `input image ${given.digest.slice(0, 19)}: done by the job that built it` });
    }
  }
  return { reference: given.reference, digest: given.digest };
}

async function runBuildStage(config: Config, ctx: StageContext): Promise<BuiltImage> {
  const built = await runStage(ctx.host.logger, ctx.report, 'build', async () => {
    const image = await buildImage(config, ctx);
    const size = image.sizeBytes !== undefined ? `, ${(image.sizeBytes / 1024 / 1024).toFixed(0)} MiB` : '';
    return { value: image, detail: `${image.reference} (${image.builder ?? 'docker'}${size})` };
  });
  Object.assign(ctx.report.outputs, { image: built.reference, digest: built.digest });
  const warnings = (built.findings ?? []).filter((f) => f.level === 'warn');
  ctx.report.sections.push(
    [
      '### Image',
      '',
      `- Reference: \`${built.reference}\``,
      `- Tags: ${(built.tags ?? []).map((t) => `\`${t}\``).join(', ')}`,
      `- Built with ${built.builder === 'buildx' ? 'docker buildx' : 'the legacy docker builder'}${built.sizeBytes !== undefined ? `, ${(built.sizeBytes / 1024 / 1024).toFixed(1)} MiB` : ''}`,
      ...(warnings.length > 0 ? ['', '**Guard warnings**', '', ...warnings.map((w) => `- ${w.guard}: ${w.message}`)] : []),
    ].join('\n'),
  );
  return built;
}

async function runScan(config: Config, image: BuiltImage, ctx: StageContext): Promise<void> {
  if (!config.scan.enabled) {
    ctx.report.stages.push({ name: 'scan', status: 'skipped', durationMs: 0, detail: 'scan.enabled is false' });
    return;
  }
  const verdict = await runStage(ctx.host.logger, ctx.report, 'scan', async () => {
    const result = await scanImage(config, image, ctx);
    const counts = Object.entries(result.gate.counts).filter(([, n]) => n > 0).map(([sev, n]) => `${n} ${sev}`);
    return { value: result, detail: `passed (${counts.join(', ') || 'no vulnerabilities'})` };
  });
  ctx.report.outputs.report = verdict.reportPath;
  ctx.report.sections.push(
    [
      '### Scan',
      '',
      '| Severity | Found |',
      '| --- | --- |',
      ...Object.entries(verdict.gate.counts).map(([sev, n]) => `| ${sev} | ${n} |`),
      '',
      `Secrets found: ${verdict.gate.secrets.length}. Full SARIF (all severities): \`${verdict.sarifPath}\``,
    ].join('\n'),
  );
}

async function runPlan(config: Config, ctx: StageContext): Promise<void> {
  const { logger } = ctx.host;
  const plan = await runStage(logger, ctx.report, 'plan', async () => {
    const result = await planRelease(config, ctx.tools);
    for (const line of planLines(result)) logger.info(line);
    return { value: result, detail: result.blockers.length ? `${result.blockers.length} blocker(s)` : 'a release can run' };
  });
  const reportPath = path.join(config.run.workspace, '.model-canary', 'plan.json');
  mkdirSync(path.dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, `${JSON.stringify(plan, null, 2)}\n`);
  ctx.report.sections.push(planMarkdown(plan));
  Object.assign(ctx.report.outputs, { image: plan.image.reference, verdict: 'planned', report: reportPath });
  if (plan.blockers.length > 0) {
    throw new ModelCanaryError(
      'tool',
      `A release with this config would fail:\n${plan.blockers.map((b) => `  - ${b}`).join('\n')}`,
      'Fix the blockers above; the rest of the plan is valid.',
    );
  }
}

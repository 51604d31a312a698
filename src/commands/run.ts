import { writeWorkspaceReport } from '../config/contained.js';
import { DEPLOYMENT_COMMANDS } from '../config/inputs.js';
import type { Config } from '../config/types.js';
import type { GitHubReport } from '../github/index.js';
import { ModelCanaryError } from '../errors.js';
import { runStage } from '../log/stage.js';
import type { StageContext } from '../core/context.js';
import { planLines, planMarkdown, planRelease } from './plan.js';
import { runDeployOnly, runRelease } from '../pipeline/release.js';
import { prebuiltImage, runBuildStage, runRenderStage, runScan } from '../pipeline/stages.js';

// The stages are imported when a command needs them (ncc puts each in a chunk beside the bundle), so
// plan and the other short commands do not load and compile the code of the build, scan, deploy and
// smoke stages, nor what those import (node:crypto, node:http), at every start.
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
  const github =
    config.run.github && DEPLOYMENT_COMMANDS.includes(config.run.command) ? (await import('../github/index.js')).gitHubReporter(config, ctx) : undefined;
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
  const stage = <T>(name: string, fn: () => Promise<{ value: T; detail: string }>): Promise<T> => runStage(logger, ctx.report, name, fn);

  switch (config.run.command) {
    case 'plan':
      return runPlan(config, ctx);
    case 'release':
      await runRelease(config, ctx, github);
      return;
    case 'build':
      await runBuildStage(config, ctx);
      return;
    case 'scan':
      await runScan(config, { reference: `${config.image.repository}:${config.image.tag}`, digest: '' }, ctx);
      return;
    case 'render':
      await runRenderStage(config, ctx, prebuiltImage(config, ctx, false));
      return;
    case 'deploy':
      await runDeployOnly(config, ctx);
      return;
    case 'smoke':
      // Alone, smoke tests the canary that is there (deployed by model-canary or by your own tooling): the
      // current ReplicaSet of Deployment <model>-canary, compared with <model>. The stage records its summary
      // section and the error-rate, p95-ms and report outputs; the verdict output and a failing exit are here.
      await stage('smoke', async () => {
        const { smokeOutputs, SmokeFailed } = await import('../smoke/index.js');
        const report = await smokeCanary(config, { revision: '', readyPods: [] }, ctx);
        Object.assign(ctx.report.outputs, smokeOutputs(report));
        if (report.verdict === 'fail') throw new SmokeFailed(report);
        return {
          value: report,
          detail: `passed: ${report.cases} case(s) on ${report.pods.length} pod(s), error rate ${report.errorRate}, p95 ${report.p95Ms} ms`,
        };
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

async function runPlan(config: Config, ctx: StageContext): Promise<void> {
  const { logger } = ctx.host;
  const plan = await runStage(logger, ctx.report, 'plan', async () => {
    const result = await planRelease(config, ctx);
    for (const line of planLines(result)) logger.info(line);
    return { value: result, detail: result.blockers.length ? `${result.blockers.length} blocker(s)` : 'a release can run' };
  });
  const reportPath = writeWorkspaceReport(config.run.workspace, 'plan.json', `${JSON.stringify(plan, null, 2)}\n`);
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

import type { StageContext } from '../core/context.js';
import type { Config, GitHubSettings } from '../config/types.js';
import { readHistory, type ReleaseRecord } from '../decide/history.js';
import { GitHubApi } from './api.js';
import { clip, createDeployment, markSupersededInactive, setDeploymentStatus, type DeploymentState } from './deployments.js';
import { OPEN_DEPLOYMENT_STATE, type OpenDeployment } from './open-deployment.js';
import { pullRequestNumber, upsertVerdictComment } from './pr-comment.js';

/*
 * What a release, promote or rollback tells GitHub when github-token is given: a Deployment for the
 * environment (in_progress when the cluster work starts, then success, failure, or queued for a held
 * canary), the superseded deployments marked inactive, and on a pull request the verdict comment.
 *
 * Reporting never decides the outcome: every failure here becomes a warning and a line of the job
 * summary, and the step passes or fails on what happened in the cluster. It never throws.
 */

export interface GitHubReport {
  /** Creates the deployment and sets it in_progress. Call when the cluster work starts; once. */
  start(details?: { image?: string; digest?: string }): Promise<void>;
  /** Final status, superseded deployments inactive, the pull-request comment, the summary section. */
  finish(error: unknown): Promise<void>;
}

export function gitHubReporter(config: Config, ctx: StageContext, api?: GitHubApi): GitHubReport {
  return new Reporter(config, ctx, api);
}

class Reporter implements GitHubReport {
  private readonly settings: GitHubSettings;
  private readonly client: GitHubApi;
  private readonly lines: string[] = [];
  private readonly warnings: string[] = [];
  private deploymentId: number | undefined;
  private started: { image?: string; digest?: string } = {};

  constructor(
    private readonly config: Config,
    private readonly ctx: StageContext,
    api?: GitHubApi,
  ) {
    this.settings = config.run.github as GitHubSettings;
    this.client = api ?? new GitHubApi({ baseUrl: this.settings.apiUrl, token: this.settings.token, logger: ctx.host.logger });
  }

  /** fn's result, or undefined with a warning: reporting never fails the release. */
  private async attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const hint = (err as { hint?: unknown }).hint;
      const text = `GitHub reporting: could not ${what}: ${message}${typeof hint === 'string' ? ` ${hint}` : ''}`;
      this.warnings.push(text);
      this.ctx.host.logger.warn(`${text} The release itself is not affected.`);
      return undefined;
    }
  }

  async start(details: { image?: string; digest?: string } = {}): Promise<void> {
    if (this.deploymentId !== undefined) return;
    const { config, settings } = this;
    const command = config.run.command;
    this.started = details;
    const digest = details.digest || config.run.expect?.digest || config.run.prebuiltImage?.digest || '';
    const revision = command === 'rollback' ? config.run.revision : config.run.expect?.revision;
    const id = await this.attempt(`create a deployment for environment ${settings.environment}`, () =>
      createDeployment(this.client, {
        repository: settings.repository,
        ref: settings.sha,
        environment: settings.environment,
        description: startDescription(config, digest),
        payload: {
          model: config.model.name,
          version: config.model.version,
          namespace: config.cluster.namespace,
          command,
          ...(details.image ? { image: details.image } : {}),
          ...(digest ? { digest } : {}),
          ...(revision !== undefined ? { revision: String(revision) } : {}),
          ...(settings.runUrl ? { run_url: settings.runUrl } : {}),
        },
      }),
    );
    if (id === undefined) return;
    this.deploymentId = id;
    this.ctx.report.outputs['deployment-id'] = String(id);
    // If the run is cancelled before finish, the post step sets this deployment to error.
    const open: OpenDeployment = { id, repository: settings.repository, apiUrl: settings.apiUrl, ...(settings.runUrl ? { runUrl: settings.runUrl } : {}) };
    this.ctx.host.saveState(OPEN_DEPLOYMENT_STATE, JSON.stringify(open));
    this.ctx.host.logger.info(`Recorded GitHub deployment ${id} for environment ${settings.environment}.`);
    await this.attempt(`set deployment ${id} in_progress`, () =>
      setDeploymentStatus(this.client, settings.repository, id, {
        state: 'in_progress',
        description: `${command} of ${config.model.name} running`,
        ...logUrl(settings),
      }),
    );
  }

  async finish(error: unknown): Promise<void> {
    const outputs = this.ctx.report.outputs;
    const verdict = outputs.verdict || (error ? 'failed' : '');
    const record = await recordOf(this.config, this.ctx, outputs.revision);
    const digest = outputs.digest || record?.digest || this.started.digest || this.config.run.expect?.digest || '';
    await this.finishDeployment(
      finalState(this.config.run.command, verdict, error),
      finalDescription(this.config, verdict, outputs.revision, digest, record, error),
    );
    await this.commentOnPullRequest(verdict, digest);
    this.summarise();
  }

  /** The deployment's final status; on success, the ones it supersedes inactive. */
  private async finishDeployment(state: DeploymentState, description: string): Promise<void> {
    if (this.deploymentId === undefined) return;
    const id = this.deploymentId;
    const { settings } = this;
    const set = await this.attempt(`set deployment ${id} to ${state}`, async () => {
      await setDeploymentStatus(this.client, settings.repository, id, { state, description, ...logUrl(settings) });
      return true;
    });
    this.ctx.host.saveState(OPEN_DEPLOYMENT_STATE, '');
    if (set) this.lines.push(`- Deployment ${id} to \`${settings.environment}\`: **${state}** (${description})`);
    if (set && state === 'success') {
      const marked = await this.attempt(`mark the deployments ${id} supersedes inactive`, () =>
        markSupersededInactive(this.client, settings.repository, settings.environment, id),
      );
      if (marked && marked.length > 0) this.lines.push(`- Marked inactive: ${marked.map((m) => `deployment ${m}`).join(', ')}`);
    }
  }

  /** On a pull request, the verdict comment (added, or updated in place). */
  private async commentOnPullRequest(verdict: string, digest: string): Promise<void> {
    const { config, ctx, settings } = this;
    const command = config.run.command;
    const pr = pullRequestNumber(settings.eventName, settings.eventPath);
    if (pr === undefined) return;
    const comment = await this.attempt(`write the verdict comment on pull request #${pr}`, () =>
      upsertVerdictComment(this.client, settings.repository, pr, {
        model: config.model.name,
        version: config.model.version,
        environment: settings.environment,
        command,
        verdict,
        digest,
        revision: ctx.report.outputs.revision,
        gate: stageDetail(ctx, command === 'release' ? 'deploy' : command),
        smoke: smokeFigures(ctx),
        sha: settings.sha,
        ...(settings.runUrl ? { runUrl: settings.runUrl } : {}),
        ...(this.deploymentId !== undefined ? { deploymentId: this.deploymentId } : {}),
      }),
    );
    if (comment?.warning) {
      this.warnings.push(`GitHub reporting: ${comment.warning}`);
      ctx.host.logger.warn(`GitHub reporting: ${comment.warning}`);
    }
    if (comment) this.lines.push(`- Pull request #${pr}: verdict comment ${comment.updated ? 'updated' : 'added'}${comment.url ? ` (${comment.url})` : ''}`);
  }

  /** The summary's GitHub section, with the problems reporting met. */
  private summarise(): void {
    if (this.lines.length === 0 && this.warnings.length === 0) return;
    this.ctx.report.sections.push(
      [
        '### GitHub',
        '',
        ...this.lines,
        ...(this.warnings.length > 0
          ? ['', '**Reporting problems** (the release is not affected):', '', ...this.warnings.map((w) => `- ${w.replace(/\r?\n/g, ' ')}`)]
          : []),
      ].join('\n'),
    );
  }
}

function logUrl(settings: GitHubSettings): { logUrl?: string } {
  return settings.runUrl ? { logUrl: settings.runUrl } : {};
}

function short(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest;
}

function startDescription(config: Config, digest: string): string {
  const model = `${config.model.name} ${config.model.version}`;
  switch (config.run.command) {
    case 'rollback':
      return `rollback of ${config.model.name} to ${config.run.revision === 'previous' || !config.run.revision ? 'the previous revision' : `revision ${config.run.revision}`}`;
    case 'promote':
      return `promote the held canary of ${model}${digest ? ` (${short(digest)})` : ''}`;
    default:
      return `release ${model}${digest ? ` (${short(digest)})` : ''}`;
  }
}

/** success when the command did what it was asked; queued for a canary held for a manual promote. */
export function finalState(command: string, verdict: string, error: unknown): DeploymentState {
  if (error) return 'failure';
  if (verdict === 'promoted') return 'success';
  if (verdict === 'rolled-back') return command === 'rollback' ? 'success' : 'failure';
  if (verdict === 'held') return 'queued';
  return verdict === 'failed' ? 'failure' : 'success';
}

function finalDescription(config: Config, verdict: string, revision: string, digest: string, record: ReleaseRecord | undefined, error: unknown): string {
  const rev = revision ? ` as revision ${revision}` : '';
  if (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return clip(`${verdict || 'failed'}${rev}: ${message}`);
  }
  if (config.run.command === 'rollback') {
    if (record?.restoredFrom !== undefined) return clip(`rollback to revision ${record.restoredFrom} (${short(record.digest)}), recorded${rev}`);
    return clip(`rollback: canary removed, stable untouched, recorded${rev}`);
  }
  if (verdict === 'held') return clip(`canary held after smoke${rev} (${short(digest)}); promote or roll back by dispatch`);
  return clip(`${verdict}${rev} (${short(digest)})`);
}

/** The history record of the revision this run wrote, for its digest and what a rollback restored. */
async function recordOf(config: Config, ctx: StageContext, revision: string): Promise<ReleaseRecord | undefined> {
  if (!revision || config.run.command === 'release') return undefined;
  try {
    const history = await readHistory(await ctx.kube.client(), config.cluster.namespace, config.model.name);
    return history.find((r) => String(r.revision) === revision);
  } catch {
    return undefined;
  }
}

function stageDetail(ctx: StageContext, name: string): string {
  return ctx.report.stages.find((s) => s.name === name)?.detail ?? '';
}

function smokeFigures(ctx: StageContext): string {
  const { outputs } = ctx.report;
  if (outputs['error-rate'] === '' && outputs['p95-ms'] === '') return stageDetail(ctx, 'smoke');
  return `error rate ${outputs['error-rate'] || '—'}, p95 ${outputs['p95-ms'] || '—'} ms`;
}

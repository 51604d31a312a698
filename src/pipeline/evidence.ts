import type { StepOptions } from '../analysis/index.js';
import type { ShareResult } from '../analysis/types.js';
import type { Config } from '../config/types.js';
import type { StageContext } from '../core/context.js';
import type { Delivery, Row } from '../core/strategy.js';
import type { Evidence } from '../core/verdict.js';
import { ModelCanaryError } from '../errors.js';

export type SmokeFn = typeof import('../smoke/index.js').smokeCanary;
export const defaultSmoke: SmokeFn = async (...a) => (await import('../smoke/index.js')).smokeCanary(...a);

/** What smoke (and the analysis after it) found: the outcome, its rows in the decision table, a note for the history. */
export interface EvidenceReport {
  outcome: Evidence;
  rows: Row[];
  note: string;
  /** The error a failing step ends with. */
  error?: unknown;
  /** With canary.steps: the share of the Gateway's traffic the canary got at the step. */
  share?: ShareResult;
}

/** The smoke stage on the delivery's pods; skipped (and passing) when smoke is off or the strategy has no pods. */
export async function smokeEvidence(config: Config, delivery: Delivery, ctx: StageContext, smoke: SmokeFn): Promise<EvidenceReport> {
  if (!delivery.pods) {
    ctx.report.stages.push({
      name: 'smoke',
      status: 'skipped',
      durationMs: 0,
      detail: `strategy ${config.canary.strategy}: its own conditions gate the canary`,
    });
    return { outcome: 'pass', rows: [], note: `${config.canary.strategy} conditions` };
  }
  if (!config.smoke.enabled) {
    ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: 0, detail: 'smoke.enabled is false: the gate decides' });
    return { outcome: 'pass', rows: [['Smoke', 'smoke disabled']], note: 'smoke disabled' };
  }
  const pods = delivery.pods;
  return ctx.host.logger.group('smoke', async () => {
    const started = Date.now();
    const done = (outcome: Evidence, summary: string, error?: unknown): EvidenceReport => ({
      outcome,
      rows: [['Smoke', summary]],
      note: summary,
      ...(error ? { error } : {}),
    });
    try {
      const report = await smoke(config, pods, ctx);
      const summary = `${report.verdict}: error rate ${(report.errorRate * 100).toFixed(1)}%, p95 ${Math.round(report.p95Ms)} ms`;
      const { smokeOutputs, SmokeFailed } = await import('../smoke/index.js');
      // The smoke figures; the verdict output is the decision's, set by decide.
      Object.assign(ctx.report.outputs, { ...smokeOutputs(report), verdict: ctx.report.outputs.verdict });
      ctx.report.stages.push({ name: 'smoke', status: report.verdict === 'pass' ? 'ok' : 'failed', durationMs: Date.now() - started, detail: summary });
      return report.verdict === 'pass' ? done('pass', summary) : done('fail', summary, new SmokeFailed(report));
    } catch (err) {
      if (err instanceof ModelCanaryError && err.kind === 'unavailable') {
        ctx.host.logger.warn('The smoke stage is not available in this version: smoke is skipped and the readiness gate decides.');
        ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: Date.now() - started, detail: 'not available: the gate decides' });
        return done('pass', 'skipped (not available)');
      }
      const message = err instanceof Error ? err.message : String(err);
      const line = message.split('\n')[0] ?? message;
      ctx.report.stages.push({ name: 'smoke', status: 'failed', durationMs: Date.now() - started, detail: line });
      return done('fail', `error: ${line}`, err);
    }
  });
}

/** The error a release whose evidence failed ends with. */
export function evidenceError(evidence: EvidenceReport): unknown {
  return (
    evidence.error ??
    new ModelCanaryError(
      'model',
      `The canary failed its checks (${evidence.note}).`,
      'See the smoke and analysis sections of the summary for the failing measurements.',
    )
  );
}

/**
 * The analysis window after a passing smoke stage, for a canary beside a stable one. Off (with a warning)
 * when analysis.duration is 0s; not run for a first release (nothing to compare with) or a strategy
 * without pods of its own.
 */
export async function analysisEvidence(
  config: Config,
  delivery: Delivery,
  smoked: EvidenceReport,
  ctx: StageContext,
  step?: StepOptions,
): Promise<EvidenceReport> {
  const skip = (detail: string): EvidenceReport => {
    ctx.report.stages.push({ name: 'analysis', status: 'skipped', durationMs: 0, detail });
    return smoked;
  };
  if (smoked.outcome !== 'pass') return skip('smoke did not pass');
  if (!delivery.pods) return skip(`strategy ${config.canary.strategy}: no canary pods of its own to compare`);
  if (delivery.mode === 'first') return skip('first release: no stable to compare with');
  if (config.analysis.durationMs === 0) {
    ctx.host.logger.warn(
      'analysis.duration is 0s: no bake window; the canary is judged on the readiness gate and smoke alone, and nothing watches it under load before it is promoted.',
    );
    return skip('analysis.duration is 0s');
  }
  const pods = delivery.pods;
  const { analyseCanary } = await import('../analysis/index.js');
  const started = Date.now();
  const name = step ? `analysis at ${step.weight}%` : 'analysis';
  return ctx.host.logger.group(name, async () => {
    const a = await analyseCanary(config, { canary: pods.deployment, stable: pods.stable, workers: pods.workers ?? [] }, ctx, step);
    const status = a.outcome === 'fail' ? 'failed' : 'ok';
    ctx.report.stages.push({ name, status, durationMs: Date.now() - started, detail: a.note });
    return {
      outcome: a.outcome,
      rows: [...smoked.rows, ...a.rows],
      note: `${smoked.note}; ${a.note}`,
      ...(a.share ? { share: a.share } : {}),
      ...(a.error ? { error: a.error } : {}),
    };
  });
}

import { shareLine } from '../analysis/share.js';
import type { Config } from '../config/types.js';
import type { StageContext } from '../core/context.js';
import type { Delivery, Row } from '../core/strategy.js';
import { stepRouteWeight } from '../deploy/traffic/step.js';
import { ModelCanaryError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { analysisEvidence, type EvidenceReport } from './evidence.js';

/**
 * canary.steps (strategy traffic): the deploy stage routed the first step's weight; each step runs its own
 * analysis window, and the route's weight advances only when it passes. The first step that does not pass
 * ends the walk with its outcome, for decide; a share through the Gateway outside the interval of its
 * weight ends it inconclusive (the route is not doing what it says, so the analysis did not see what it
 * meant to). Without steps, or for a first release, this is the one analysis window.
 */
export async function steppedEvidence(
  client: KubeClient,
  config: Config,
  delivery: Delivery,
  smoked: EvidenceReport,
  ctx: StageContext,
): Promise<EvidenceReport> {
  const steps = config.canary.steps ?? [];
  const route = delivery.pods?.stable;
  if (steps.length === 0 || delivery.mode === 'first' || smoked.outcome !== 'pass' || !route) return analysisEvidence(config, delivery, smoked, ctx);
  const { logger } = ctx.host;
  const url = config.canary.gateway?.url;
  const host = config.canary.hostnames?.[0];
  const gateway = url ? { url, ...(host ? { host } : {}) } : undefined;
  const rows: Row[] = [...smoked.rows];
  const notes: string[] = [smoked.note];
  for (const [i, weight] of steps.entries()) {
    if (i > 0) {
      if (ctx.signal?.aborted)
        throw new ModelCanaryError('cancelled', 'The run was cancelled between canary steps.', 'Nothing was promoted; the canary is removed as the run ends.');
      logger.info(`Step ${i + 1} of ${steps.length}: the canary's weight goes to ${weight}%.`);
      await stepRouteWeight(client, config.cluster.namespace, route, weight, config.cluster.fieldManager, logger);
    }
    const step = await analysisEvidence(config, delivery, { outcome: 'pass', rows: [], note: '' }, ctx, { weight, ...(gateway ? { gateway } : {}) });
    const share = step.share ? `; ${shareLine(step.share)}` : '';
    const note = `step ${weight}%: ${step.note.replace(/^; /, '')}${share}`;
    rows.push([`Step ${weight}%`, note]);
    notes.push(note);
    const done = (outcome: EvidenceReport['outcome'], error?: unknown): EvidenceReport => ({
      outcome,
      rows,
      note: notes.join('; '),
      ...(error ? { error } : {}),
    });
    if (step.outcome !== 'pass') return done(step.outcome, step.error);
    if (step.share && !step.share.within) {
      logger.warn(
        `Step ${weight}%: the Gateway sent the canary ${shareLine(step.share)}, outside the interval of the route's weight; the analysis did not see the traffic it meant to, so the walk stops inconclusive.`,
      );
      return done('inconclusive');
    }
  }
  logger.info(`All ${steps.length} step(s) passed (${steps.join('%, ')}%).`);
  return { outcome: 'pass', rows, note: notes.join('; ') };
}

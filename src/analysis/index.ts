import path from 'node:path';
import type { Config } from '../config/types.js';
import type { StageContext } from '../core/context.js';
import type { Row } from '../core/strategy.js';
import type { Evidence } from '../core/verdict.js';
import { ModelCanaryError } from '../errors.js';
import { casesFor } from '../smoke/index.js';
import { protocolFor } from '../smoke/protocols/index.js';
import type { Protocol } from '../smoke/protocols/protocol.js';
import { AutoChannel, TransportChoice, type Channel, type PodTarget } from '../smoke/transport/channel.js';
import { currentPods } from '../smoke/transport/pods.js';
import type { SmokeCase } from '../smoke/types.js';
import type { AnalysisRules } from './judge.js';
import { analysisOutputs } from './outputs.js';
import { judgeShare, shareLine } from './share.js';
import { cell } from '../log/markdown.js';
import { gatewayAsk, routeShare } from './sources/route-share.js';
import { analysisSection, writeAnalysisReport } from './report.js';
import { pairedLoad } from './sources/paired-load.js';
import { podWatch } from './sources/pod-watch.js';
import { prometheusSource } from './sources/prometheus.js';
import { PrometheusError } from './prometheus/client.js';
import type { AnalysisVerdict, EvidenceSource, ShareResult } from './types.js';
import { runWindow, type WindowResult } from './window.js';

export type { AnalysisVerdict } from './types.js';
export { judgeAnalysis } from './judge.js';

/** What the analysis needs of the config. */
export type AnalysisSettings = Pick<Config, 'analysis' | 'smoke' | 'model' | 'cluster' | 'run'> & { canary: Pick<Config['canary'], 'maxRestarts'> };

export interface AnalysisOutcome {
  /** What the decision acts on (with mode report: only the pod watch's word). */
  outcome: Evidence;
  verdict?: AnalysisVerdict;
  /** With a step and a Gateway address: the share of the Gateway's traffic the canary really got. */
  share?: ShareResult;
  rows: Row[];
  note: string;
  error?: unknown;
}

/** The canary failed its analysis, as the error a release ends with. */
export class AnalysisFailed extends ModelCanaryError {
  constructor(readonly verdict: AnalysisVerdict) {
    super(
      'model',
      `The canary failed its analysis: ${verdict.line}.`,
      'See the analysis section of the summary (and the JSON report) for every figure; fix the model, or adjust analysis.latency.margin / analysis.errors.maxRate if the limits are wrong.',
    );
    this.name = 'AnalysisFailed';
  }
}

/** The run was cancelled (SIGINT, SIGTERM) during the window. */
export class AnalysisCancelled extends ModelCanaryError {
  constructor() {
    super('cancelled', 'The run was cancelled during the analysis window.', 'Nothing was promoted; the canary is removed as the run ends.');
    this.name = 'AnalysisCancelled';
  }
}

export const rulesOf = (s: AnalysisSettings): AnalysisRules => ({
  minSamples: s.analysis.minSamples,
  margin: s.analysis.latency.margin,
  maxErrorRate: s.analysis.errors.maxRate,
  minAgreement: s.analysis.agreement.minimum,
  relativeTolerance: s.smoke.parity.relativeTolerance,
  pairedLoad: s.analysis.load.rps > 0,
  ...(s.analysis.prometheus
    ? {
        live: {
          maxErrorRate: s.analysis.errors.maxRate,
          margin: s.analysis.latency.margin,
          minSamples: s.analysis.minSamples,
          quantile: s.analysis.prometheus.quantile,
        },
      }
    : {}),
});

/**
 * The bake window between smoke and decide: the canary's and stable's pods are watched, paired requests go
 * to both, and the canary is judged against stable. Writes the JSON report and the summary section;
 * changes nothing in the cluster (decide acts on the outcome).
 */
export interface StepOptions {
  /** The canary's route weight at this step (percent). */
  weight: number;
  /** Where the runner reaches the Gateway (canary.gateway.url) and the Host the route matches. */
  gateway?: { url: string; host?: string };
}

export async function analyseCanary(
  s: AnalysisSettings,
  target: { canary: string; stable: string; workers?: string[] },
  ctx: StageContext,
  step?: StepOptions,
): Promise<AnalysisOutcome> {
  const { logger } = ctx.host;
  const a = s.analysis;
  const ns = s.cluster.namespace;
  const client = await ctx.kube.client();
  const canaryPods = await currentPods(client, ns, target.canary, s.smoke.port);
  const stablePods = await currentPods(client, ns, target.stable, s.smoke.port);
  if (!canaryPods || canaryPods.ready.length === 0)
    throw new ModelCanaryError(
      'model',
      `The canary ${ns}/${target.canary} has no Ready pod to analyse.`,
      'Look at the canary pods (kubectl describe pod) to see why they are not Ready.',
    );
  // The canary's batch workers: watched with its pods (a worker that crashes on its jobs fails the canary).
  const workerSelectors: string[] = [];
  for (const worker of target.workers ?? []) {
    const pods = await currentPods(client, ns, worker, s.smoke.port);
    if (pods) workerSelectors.push(pods.podSelector);
  }
  const cases = loadCases(s, logger);
  const choice = new TransportChoice(logger);
  const channels = new Map<string, Channel>();
  const channel = (pod: PodTarget): Channel => {
    let c = channels.get(pod.name);
    if (!c) {
      c = new AutoChannel(client.baseUrl, pod, choice, () => ctx.kube.kubectl(), logger, ctx.counter, s.cluster.context);
      channels.set(pod.name, c);
    }
    return c;
  };
  const stableReady = stablePods?.ready ?? [];
  const protocol = protocolFor(s.smoke, s.model.name);
  const rps = stableReady.length > 0 && cases.length > 0 ? a.load.rps : 0;
  logger.info(
    `Analysis window ${Math.round(a.durationMs / 1000)}s: watching ${canaryPods.ready.length} canary and ${stableReady.length} stable pod(s)` +
      (workerSelectors.length > 0 ? ` and the canary worker(s) ${(target.workers ?? []).join(', ')}` : '') +
      (rps > 0
        ? `; ${rps} paired request(s)/s from ${cases.length} case(s), the first ${a.warmup} not counted`
        : '; no paired load (analysis.load.rps is 0, or no stable pod or case): the comparison will be inconclusive') +
      `; latency margin ${a.latency.margin * 100}%, error limit ${a.errors.maxRate * 100}%, minimum ${a.minSamples} pairs; mode ${a.mode}.`,
  );
  const sources = [
    podWatch(
      client,
      ns,
      [
        { track: 'canary', selector: canaryPods.podSelector, maxRestarts: s.canary.maxRestarts },
        ...workerSelectors.map((selector) => ({ track: 'canary' as const, selector, maxRestarts: s.canary.maxRestarts })),
        ...(stablePods ? [{ track: 'stable' as const, selector: stablePods.podSelector, maxRestarts: s.canary.maxRestarts }] : []),
      ],
      logger,
    ),
    pairedLoad({ cases, protocol, canary: canaryPods.ready, stable: stableReady, channel, rps, warmup: a.warmup, requestTimeoutMs: s.smoke.requestTimeoutMs }),
  ];
  if (a.prometheus) sources.push(prometheusSource(a.prometheus, { namespace: ns, model: s.model.name, selector: a.prometheus.selector }, a.intervalMs, logger));
  const share = step ? await shareSource(step, protocol, canaryPods.ready[0], stableReady[0], channel, s, logger) : undefined;
  if (share) sources.push(share);
  let result: WindowResult;
  try {
    result = await runWindow(
      sources,
      {
        durationMs: a.durationMs,
        intervalMs: a.intervalMs,
        maxDurationMs: a.maxDurationMs,
        extend: a.onInconclusive === 'extend',
        rules: rulesOf(s),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      logger,
    );
  } catch (err) {
    // Prometheus refused before the window opened (wrong URL, down, a query that does not parse).
    if (!(err instanceof PrometheusError)) throw err;
    const note = `analysis error: ${err.message}`;
    logger.error(`${err.message} The analysis window did not open; the canary is not promoted.`);
    ctx.report.sections.push(`### Analysis: ❌ error\n\n${cell(err.message)}\n\n${cell(err.hint ?? '')}`);
    return { outcome: 'fail', rows: [['Analysis', note]], note, error: err };
  } finally {
    await Promise.all([...channels.values()].map((c) => c.close()));
  }
  if (result.cancelled) throw new AnalysisCancelled();
  return concludeWindow(s, target, ctx, result, { revision: canaryPods.revision, transport: choice.mode }, step);
}

/**
 * After the window: the JSON report and the summary section, the outputs, and the outcome the decision acts
 * on (missing live data is a failure whatever analysis.mode says; mode report acts on the pod watch alone).
 */
function concludeWindow(
  s: AnalysisSettings,
  target: { canary: string; stable: string },
  ctx: StageContext,
  result: WindowResult,
  seen: { revision: string; transport: TransportChoice['mode'] },
  step: StepOptions | undefined,
): AnalysisOutcome {
  const { logger } = ctx.host;
  const a = s.analysis;
  const file = reportFile(s, step?.weight);
  const shared = step && result.measurements.share ? judgeShare(result.measurements.share, step.weight) : undefined;
  if (shared)
    logger.info(`step ${step?.weight}%: ${shareLine(shared)}${shared.within ? '' : ': outside the interval, the Gateway does not send what the route says'}`);
  writeAnalysisReport(file, result, {
    model: s.model.name,
    namespace: s.cluster.namespace,
    canary: target.canary,
    stable: target.stable,
    revision: seen.revision,
    mode: a.mode,
    rules: rulesOf(s),
    transport: seen.transport,
    ...(step ? { step: step.weight } : {}),
    ...(shared ? { share: shared } : {}),
  });
  const section = analysisSection(result, rulesOf(s), a.mode, file);
  ctx.report.sections.push(
    step
      ? section.replace(/^### Analysis:/, `### Analysis at ${step.weight}%:`) +
          (shared ? `\n\nRoute share: ${cell(shareLine(shared))}${shared.within ? '' : ' (outside the interval: the walk stops inconclusive)'}.` : '')
      : section,
  );
  const v = result.verdict;
  Object.assign(ctx.report.outputs, analysisOutputs(v));
  const missing = result.measurements.liveError;
  if (missing) {
    // Never promoted on missing data, whatever analysis.mode says: the live figures are not there to judge.
    const note = `analysis error: ${missing.message}`;
    logger.error(`${missing.message} The canary is not promoted.`);
    return { outcome: 'fail', verdict: v, rows: [['Analysis', note]], note, error: missing };
  }
  logger.info(`analysis ${v.outcome}: ${v.line}`);
  if (result.signalToEndMs !== undefined && v.signal)
    logger.info(`The window ended ${(result.signalToEndMs / 1000).toFixed(2)}s after the pod watch saw ${v.signal.reason} on ${v.signal.pod}.`);
  const acted: Evidence = a.mode === 'report' ? (v.signal?.track === 'canary' ? 'fail' : 'pass') : v.outcome;
  if (a.mode === 'report' && acted !== v.outcome)
    logger.warn(`analysis.mode is report: the analysis says ${v.outcome}, and the decision goes on as if it passed.`);
  const note = `analysis ${v.outcome}${a.mode === 'report' ? ' (report only)' : ''}: ${v.line}`;
  return {
    outcome: acted,
    verdict: v,
    rows: [['Analysis', note]],
    note,
    ...(shared ? { share: shared } : {}),
    ...(acted === 'fail' ? { error: new AnalysisFailed(v) } : {}),
  };
}

function loadCases(s: AnalysisSettings, logger: StageContext['host']['logger']): SmokeCase[] {
  try {
    return casesFor(s as Config).filter((c) => !c.async);
  } catch (err) {
    logger.warn(`The analysis has no cases to send (${err instanceof Error ? err.message : String(err)}); only the pod watch runs.`);
    return [];
  }
}

function reportFile(s: AnalysisSettings, step?: number): string {
  const base = s.run.tempDir ? path.join(s.run.tempDir, 'model-canary') : path.join(s.run.workspace, '.model-canary');
  return path.join(base, `analysis-${s.model.name}-${s.run.runId.replace(/[^A-Za-z0-9._-]+/g, '-')}${step === undefined ? '' : `-step-${step}`}.json`);
}

/**
 * The route-share probe for a step: asks one canary and one stable pod directly which version each runs,
 * then counts which of the two answers requests sent through the Gateway. Undefined (with the reason in
 * the log) when there is no Gateway address, the protocol cannot ask, or the two tracks answer alike.
 */
async function shareSource(
  step: StepOptions,
  protocol: Protocol,
  canary: PodTarget | undefined,
  stable: PodTarget | undefined,
  channel: (p: PodTarget) => Channel,
  s: AnalysisSettings,
  logger: StageContext['host']['logger'],
): Promise<EvidenceSource | undefined> {
  const skip = (why: string): undefined => {
    logger.info(`step ${step.weight}%: the canary's share of real traffic is not measured: ${why}.`);
    return undefined;
  };
  if (!step.gateway) return skip('canary.gateway.url is not set (where this runner reaches the Gateway)');
  const identity = protocol.identity;
  if (!identity) return skip(`smoke.protocol ${protocol.name} has no way to ask a server its version`);
  if (!canary || !stable) return skip('no Ready pod on one of the tracks');
  const ask = async (pod: PodTarget): Promise<string | undefined> => {
    try {
      const answer = await channel(pod).send(identity.request, s.smoke.requestTimeoutMs);
      return answer.status === 200 ? identity.read(answer.body) : undefined;
    } catch {
      return undefined;
    }
  };
  const identities = { canary: await ask(canary), stable: await ask(stable) };
  if (!identities.canary || !identities.stable)
    return skip(`a pod did not say its version (canary ${identities.canary ?? '?'}, stable ${identities.stable ?? '?'})`);
  if (identities.canary === identities.stable) return skip(`canary and stable both report version ${identities.canary}`);
  const throughGateway = gatewayAsk({
    url: step.gateway.url,
    ...(step.gateway.host ? { host: step.gateway.host } : {}),
    request: identity.request,
    read: identity.read,
    timeoutMs: s.smoke.requestTimeoutMs,
  });
  const rps = Math.max(5, s.analysis.load.rps);
  logger.info(
    `step ${step.weight}%: ${rps} request(s)/s through the Gateway at ${step.gateway.url}${step.gateway.host ? ` (Host ${step.gateway.host})` : ''}, told apart by version (canary ${identities.canary}, stable ${identities.stable}).`,
  );
  const source = routeShare({
    ask: throughGateway,
    identities: { canary: identities.canary, stable: identities.stable },
    rps,
    settleMs: Math.min(3_000, Math.round(s.analysis.durationMs / 5)),
  });
  return source;
}

import type { StageContext } from '../core/context.js';
import { canaryName } from '../deploy/canary-plan.js';
import { containedFile } from '../config/contained.js';
import type { Config } from '../config/types.js';
import type { CanaryState } from '../core/canary.js';
import { ModelCanaryError, userError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import { generateCases, loadCases } from './cases.js';
import { judge } from './judge.js';
import { protocolFor, type Protocol } from './protocols/index.js';
import { waitReady } from './readiness.js';
import { annotateFailures, logReport, reportPath, smokeOutputs, smokeSection, writeReport } from './report.js';
import { runBounded, runCase } from './send.js';
import { AutoChannel, TransportChoice, type Channel, type PodTarget } from './transport/channel.js';
import { currentPods, type CurrentPods } from './transport/pods.js';
import type { CaseResult, SmokeCase, SmokeReport } from './types.js';

export { loadCases, generateCases } from './cases.js';
export type { SmokeCase, SmokeReport, CaseResult } from './types.js';
export { smokeOutputs, smokeSection } from './report.js';

/** The smoke verdict was fail, as an error for the `smoke` command to end with; carries the report. */
export class SmokeFailed extends ModelCanaryError {
  constructor(readonly report: SmokeReport) {
    super(
      'model',
      `The canary failed its smoke test: ${report.failures.join('; ')}${report.failingCases.length ? `. Failing cases: ${report.failingCases.join(', ')}` : ''}.`,
      `See the smoke report (${report.path}) for each case's answer on each pod; fix the model or the limits in smoke.thresholds / smoke.parity.`,
    );
    this.name = 'SmokeFailed';
  }
}

/** Deployment names the smoke stage uses: `<model>-canary` and `<model>` in cluster.namespace. */
export const canaryDeployment = (config: Config): string => canaryName(config.model.name);
export const stableDeployment = (config: Config): string => config.model.name;

/**
 * Sends every smoke case to every Ready pod of the canary's current ReplicaSet (through the API server's
 * pods proxy, or kubectl port-forward where the API server cannot reach pods), the same cases to stable's
 * Ready pods for parity, and judges the answers. Writes the JSON report, logs the figures from it,
 * annotates failing cases and records the summary section and the error-rate, p95-ms and report outputs;
 * all from the one report it returns, whatever its verdict (the caller decides what a fail does).
 *
 * The canary is Deployment `<model>-canary` in cluster.namespace, unless the deploy stage says which
 * Deployment it gated (on a first release, the stable one itself: then there is nothing to compare with).
 */
export async function smokeCanary(config: Config, canary: CanaryState & { deployment?: string; stable?: string }, ctx: StageContext): Promise<SmokeReport> {
  const { logger } = ctx.host;
  const smoke = config.smoke;
  const started = Date.now();
  const deadline = started + smoke.maxDurationMs;
  const cases = casesFor(config);
  const protocol = protocolFor(smoke, config.model.name);
  const client = await ctx.kube.client();
  const ns = config.cluster.namespace;

  const { canaryPods, stablePods } = await smokeTargets(config, canary, client, cases.length, logger);

  const choice = new TransportChoice(logger);
  const proxyUrl = client.baseUrl;
  const channels = new Map<string, Channel>();
  const channel = (pod: PodTarget): Channel => {
    let c = channels.get(pod.name);
    if (!c) {
      c = new AutoChannel(proxyUrl, pod, choice, () => ctx.kube.kubectl(), logger, ctx.counter, config.cluster.context);
      channels.set(pod.name, c);
    }
    return c;
  };

  try {
    const { unready, stableReady, canaryResults, stableResults } = await sendCases(config, cases, protocol, canaryPods, stablePods, channel, deadline);

    const transports = Object.fromEntries([...channels].map(([name, c]) => [name, c.transport]));
    const judged = judge(
      smoke,
      canaryResults,
      stableResults.filter((r) => r.error === undefined),
      transports,
      unready,
    );
    const report: SmokeReport = {
      ...judged,
      protocol: protocol.name,
      namespace: ns,
      deployment: canaryPods.deployment,
      revision: canaryPods.revision,
      replicaSet: canaryPods.replicaSet,
      transport: choice.mode,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      cases: cases.length,
      results: [...canaryResults, ...stableResults],
      path: reportPath(config),
    };
    if (choice.note) report.transportNote = choice.note;
    if (stablePods && stableReady.length < stablePods.ready.length)
      report.parity.note = `stable pod(s) not ready: ${stablePods.ready
        .filter((p) => !stableReady.includes(p))
        .map((p) => p.name)
        .join(', ')}`;
    writeReport(report);
    logReport(report, logger);
    annotateFailures(report, logger);
    recordSmoke(report, config, ctx);
    return report;
  } finally {
    await Promise.all([...channels.values()].map((c) => c.close()));
  }
}

/** The canary's Ready pods (checked against what deploy gated) and, for parity, stable's. */
async function smokeTargets(
  config: Config,
  canary: CanaryState & { deployment?: string; stable?: string },
  client: KubeClient,
  caseCount: number,
  logger: Logger,
): Promise<{ canaryPods: CurrentPods; stablePods: CurrentPods | undefined }> {
  const smoke = config.smoke;
  const ns = config.cluster.namespace;
  const target = canary.deployment ?? canaryDeployment(config);
  const canaryPods = await waitForPods(client, ns, target, smoke.port, smoke.readyTimeoutMs);
  if (canary.revision !== '' && canary.revision !== canaryPods.revision) {
    throw new ModelCanaryError(
      'cluster',
      `The canary Deployment ${ns}/${canaryPods.deployment} is at revision ${canaryPods.revision}, not ${canary.revision} as deployed.`,
      'Something else changed the canary while this run was going; run the release again.',
    );
  }
  const missing = canary.readyPods.filter((p) => !canaryPods.ready.some((r) => r.name === p));
  if (missing.length > 0) logger.warn(`Canary pod(s) ${missing.join(', ')} were Ready after deploy but are not Ready now; smoking the Ready ones.`);
  if (canaryPods.notReady.length > 0) logger.info(`Not Ready, not smoked: ${canaryPods.notReady.join(', ')}`);
  const stable = canary.stable ?? stableDeployment(config);
  const stablePods = smoke.parity.enabled && target !== stable ? await currentPods(client, ns, stable, smoke.port).catch(() => undefined) : undefined;
  logger.info(
    `Smoking ${caseCount} case(s) on ${canaryPods.ready.length} canary pod(s) of ${canaryPods.deployment} revision ${canaryPods.revision} (${canaryPods.ready.map((p) => p.name).join(', ')})` +
      (stablePods ? `; stable ${stablePods.deployment} revision ${stablePods.revision} has ${stablePods.ready.length} Ready pod(s) for parity` : ''),
  );
  return { canaryPods, stablePods };
}

/**
 * The cases on every canary pod that answers ready (after the warm-up), and each once on a ready stable pod,
 * at most smoke.concurrency at a time and none started after the deadline.
 */
async function sendCases(
  config: Config,
  cases: SmokeCase[],
  protocol: Protocol,
  canaryPods: CurrentPods,
  stablePods: CurrentPods | undefined,
  channel: (pod: PodTarget) => Channel,
  deadline: number,
): Promise<{ unready: Record<string, string>; stableReady: PodTarget[]; canaryResults: CaseResult[]; stableResults: CaseResult[] }> {
  const smoke = config.smoke;
  const unready: Record<string, string> = {};
  const readyBudget = Math.max(1000, Math.min(smoke.readyTimeoutMs, deadline - Date.now()));
  await Promise.all(
    canaryPods.ready.map(async (pod) => {
      const why = await waitReady(channel(pod), protocol, readyBudget, smoke.requestTimeoutMs);
      if (why) unready[pod.name] = why;
    }),
  );
  const smokedPods = canaryPods.ready.filter((p) => !unready[p.name]);
  const stableReady: PodTarget[] = [];
  await Promise.all(
    (stablePods?.ready ?? []).map(async (pod) => {
      if (!(await waitReady(channel(pod), protocol, Math.min(readyBudget, 30_000), smoke.requestTimeoutMs))) stableReady.push(pod);
    }),
  );
  stableReady.sort((a, b) => a.name.localeCompare(b.name));

  await warmUp(smokedPods, cases, smoke.warmup, (pod, c) => runCase(channel(pod), protocol, c, pod.name, 'canary', smoke.requestTimeoutMs));
  const skipped = (c: SmokeCase, pod: string, track: CaseResult['track']): CaseResult => ({
    case: c.name,
    pod,
    track,
    status: 0,
    latencyMs: 0,
    verdict: 'fail',
    why: [`not sent: smoke.maxDuration (${smoke.maxDurationMs} ms) ran out`],
    error: 'not sent',
  });
  const canaryTasks = cases.flatMap((c) => smokedPods.map((pod) => ({ c, pod })));
  const canaryResults = await runBounded(
    canaryTasks,
    smoke.concurrency,
    deadline,
    (t) => runCase(channel(t.pod), protocol, t.c, t.pod.name, 'canary', smoke.requestTimeoutMs),
    (t) => skipped(t.c, t.pod.name, 'canary'),
  );
  const stableTasks = stableReady.length > 0 ? cases.map((c, i) => ({ c, pod: stableReady[i % stableReady.length] as PodTarget })) : [];
  const stableResults = await runBounded(
    stableTasks,
    smoke.concurrency,
    deadline,
    (t) => runCase(channel(t.pod), protocol, t.c, t.pod.name, 'stable', smoke.requestTimeoutMs),
    (t) => skipped(t.c, t.pod.name, 'stable'),
  );

  return { unready, stableReady, canaryResults, stableResults };
}

/** Records a smoke report in the run: the job summary section and the error-rate, p95-ms and report outputs. */
function recordSmoke(report: SmokeReport, config: Config, ctx: StageContext): void {
  const { verdict: _verdict, ...outputs } = smokeOutputs(report);
  Object.assign(ctx.report.outputs, outputs);
  ctx.report.sections.push(smokeSection(report, config.smoke.thresholds));
}

/** The cases file's cases, then the ones generated from the model card. */
export function casesFor(config: Config): SmokeCase[] {
  const smoke = config.smoke;
  const cases: SmokeCase[] = smoke.cases ? loadCases(inWorkspace(config, smoke.cases, 'smoke.cases')) : [];
  if (smoke.generateCases > 0) {
    if (!config.model.card)
      throw userError('smoke.generateCases is set but model.card is not.', 'Set model.card to a JSON model card with feature_names, or write smoke.cases.');
    const names = new Set(cases.map((c) => c.name));
    cases.push(...generateCases(inWorkspace(config, config.model.card, 'model.card'), smoke.generateCases).filter((c) => !names.has(c.name)));
  }
  if (cases.length === 0) throw userError('The smoke stage has no cases.', 'Set smoke.cases to a cases file, or smoke.generateCases with model.card.');
  return cases;
}

/** The file as configured, once it is known (symlinks followed) to be inside the workspace. */
function inWorkspace(config: Config, file: string, what: string): string {
  containedFile(config.run.workspace, file, what);
  return file;
}

/** Waits (within the budget) until the Deployment's current ReplicaSet has at least one Ready pod. */
async function waitForPods(client: KubeClient, ns: string, name: string, port: number, budgetMs: number): Promise<CurrentPods> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const found = await currentPods(client, ns, name, port);
    if (!found) {
      throw new ModelCanaryError(
        'user',
        `There is no canary Deployment ${ns}/${name} to smoke.`,
        `Deploy the canary first (command: deploy), or name your own Deployment ${name} in ${ns} (the stable one is the model's name).`,
      );
    }
    if (found.ready.length > 0) return found;
    if (Date.now() > deadline) {
      throw new ModelCanaryError(
        'model',
        `The canary Deployment ${ns}/${name} revision ${found.revision} has no Ready pod (${found.notReady.join(', ') || 'no pods'}).`,
        'Look at the canary pods (kubectl describe pod, kubectl logs) to see why they are not Ready.',
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** `count` untimed requests per pod, cycling through the (synchronous) cases; their answers are not judged. */
async function warmUp(pods: PodTarget[], cases: SmokeCase[], count: number, send: (pod: PodTarget, c: SmokeCase) => Promise<CaseResult>): Promise<void> {
  const sync = cases.filter((c) => !c.async);
  if (count <= 0 || sync.length === 0) return;
  await Promise.all(
    pods.map(async (pod) => {
      for (let i = 0; i < count; i++) await send(pod, sync[i % sync.length] as SmokeCase);
    }),
  );
}

export type { Protocol };

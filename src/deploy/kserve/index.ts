import type { StageContext } from '../../core/context.js';
import type { Config } from '../../config/types.js';
import { ModelCanaryError } from '../../errors.js';
import type { KubeClient, KubeObject } from '../../kube/client.js';
import type { Logger } from '../../log/logger.js';
import { applyObjects, removeObjects } from '../apply.js';
import { describeStatus, inferenceServiceState, type Expectation } from './conditions.js';
import {
  canaryInferenceService,
  DEPLOYMENT_MODE,
  firstInferenceService,
  isInferenceService,
  predictorImage,
  promotedInferenceService,
  rawDeployment,
  renderedInferenceService,
  rollbackInferenceServices,
  type InferenceService,
} from './plan.js';
import { apiPath } from '../../kube/resources.js';

export * from './plan.js';
export * from './conditions.js';

export const isvcPath = (namespace: string, name: string): string => apiPath('InferenceService', namespace, name);

/** The InferenceService's rollout failed for a reason no wait fixes, or did not finish within the budget. */
export class InferenceServiceFailure extends ModelCanaryError {
  constructor(
    readonly isvc: string,
    readonly reason: string,
    detail: string,
  ) {
    super(
      'model',
      `InferenceService ${isvc} failed: ${reason}. Status: ${detail}`,
      'Look at the predictor revision and its pods (kubectl describe inferenceservice, kubectl get revisions / pods); fix the model or its spec and release again.',
    );
    this.name = 'InferenceServiceFailure';
  }
}

export interface KServeDeployResult {
  mode: 'first' | 'canary';
  namespace: string;
  name: string;
  image: string;
  /** What stable ran before (a canary), for messages and the history. */
  previousImage: string;
  /** Objects this run created (a failed first release removes exactly these). */
  created: KubeObject[];
  /** Rendered objects besides the InferenceService, applied on promote. */
  shared: KubeObject[];
  elapsedMs: number;
}

/**
 * Strategy kserve: with no InferenceService yet, applies the rendered objects (a first release, all
 * traffic to its one revision); otherwise sets the new predictor with `canaryTrafficPercent:
 * canary.weight`. Then waits on the InferenceService's conditions until KServe reports the change rolled
 * out as expected, fails at a decisive condition, or the readiness budget runs out.
 */
export async function deployInferenceService(config: Config, objects: KubeObject[], ctx: StageContext): Promise<KServeDeployResult> {
  const { logger } = ctx.host;
  const client = await ctx.kube.client();
  const namespace = config.cluster.namespace;
  const fieldManager = config.cluster.fieldManager;
  const rendered = renderedInferenceService(objects);
  const name = rendered.metadata.name;
  const others = objects
    .filter((o) => !isInferenceService(o))
    .map((o) => (o.metadata.namespace || o.kind === 'Namespace' ? o : { ...o, metadata: { ...o.metadata, namespace } }));
  const live = await client.get<InferenceService>(isvcPath(namespace, name));
  const image = predictorImage(rendered.spec.predictor);
  if (!live) {
    logger.info(`No InferenceService ${name} in namespace ${namespace} yet: this first release is applied with all traffic to it, and its conditions gate it.`);
    const created = await applyObjects(client, [...others, firstInferenceService(rendered, namespace)], fieldManager, ctx.cleanup, logger);
    try {
      const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
      return { mode: 'first', namespace, name, image, previousImage: '', created, shared: [], elapsedMs };
    } catch (err) {
      logger.info(`The first release of ${name} failed; removing the ${created.length} object(s) it created.`);
      await removeObjects(client, created, ctx.cleanup, logger);
      throw err;
    }
  }
  if (rawDeployment(live) || rawDeployment(rendered)) {
    throw new ModelCanaryError(
      'user',
      `InferenceService ${name} runs in RawDeployment mode (${DEPLOYMENT_MODE}), where KServe has no revisions to split traffic between: canaryTrafficPercent needs Serverless mode.`,
      'Deploy the InferenceService in Serverless mode (remove the deploymentMode annotation where Knative is installed), or release it with render.mode builtin and canary.strategy replicas or traffic.',
    );
  }
  const previousImage = predictorImage(live.spec.predictor);
  const desired = canaryInferenceService(rendered, live, config.canary.weight, namespace);
  logger.info(`InferenceService ${name} runs ${previousImage}; sending ${config.canary.weight}% of its traffic to ${image} (canaryTrafficPercent).`);
  await client.apply(desired, fieldManager);
  const elapsedMs = await waitForInferenceService(
    client,
    namespace,
    name,
    { kind: 'canary', weight: config.canary.weight },
    config.canary.readinessTimeoutMs,
    logger,
  );
  return { mode: 'canary', namespace, name, image, previousImage, created: [], shared: others, elapsedMs };
}

/** Promotion: `canaryTrafficPercent` removed (100% to the latest revision), waited on like the canary. */
export async function promoteInferenceService(
  client: KubeClient,
  config: Config,
  name: string,
  logger: Logger,
  shared: readonly KubeObject[] = [],
): Promise<{ image: string; elapsedMs: number }> {
  const namespace = config.cluster.namespace;
  const live = await liveInferenceService(client, namespace, name);
  const desired = promotedInferenceService(live);
  const image = predictorImage(desired.spec.predictor);
  for (const o of shared) await client.apply(o, config.cluster.fieldManager);
  logger.info(`Promoting InferenceService ${name}: all traffic to ${image} (canaryTrafficPercent removed).`);
  await client.apply(desired, config.cluster.fieldManager);
  const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
  return { image, elapsedMs };
}

/**
 * Rollback: `canaryTrafficPercent: 0` with the previous predictor spec (KServe pins all traffic to the last
 * revision rolled out at once), then, once the restored spec's revision is Ready, the same spec without
 * it. When that revision does not become Ready, the InferenceService stays pinned (stable keeps all
 * traffic) and the error says so.
 */
export async function rollbackInferenceService(client: KubeClient, config: Config, name: string, logger: Logger): Promise<{ image: string; removed: string }> {
  const namespace = config.cluster.namespace;
  const live = await liveInferenceService(client, namespace, name);
  const { pinned, restored } = rollbackInferenceServices(live);
  const removed = predictorImage(live.spec.predictor);
  const image = predictorImage(restored.spec.predictor);
  logger.info(
    `Rolling back InferenceService ${name}: all traffic pinned to the last revision rolled out (canaryTrafficPercent 0), predictor back to ${image}.`,
  );
  await client.apply(pinned, config.cluster.fieldManager);
  try {
    await waitForInferenceService(client, namespace, name, { kind: 'pinned' }, config.canary.readinessTimeoutMs, logger);
  } catch (err) {
    logger.error(`InferenceService ${name} stays pinned to its previous revision (canaryTrafficPercent 0): the restored spec's revision did not become Ready.`);
    throw err;
  }
  await client.apply(restored, config.cluster.fieldManager);
  await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
  return { image, removed };
}

async function liveInferenceService(client: KubeClient, namespace: string, name: string): Promise<InferenceService> {
  const live = await client.get<InferenceService>(isvcPath(namespace, name));
  if (!live)
    throw new ModelCanaryError(
      'user',
      `There is no InferenceService ${name} in namespace ${namespace}.`,
      'Release the model first (command release), or check cluster.namespace and model.name.',
    );
  return live;
}

/**
 * Polls the InferenceService until its status matches the expectation (returns the time it took), a
 * decisive condition fails it, or the budget runs out; prints a progress line every 10 s.
 */
export async function waitForInferenceService(
  client: KubeClient,
  namespace: string,
  name: string,
  expect: Expectation,
  timeoutMs: number,
  logger: Logger,
  options: { pollMs?: number; progressEveryMs?: number } = {},
): Promise<number> {
  const started = Date.now();
  const pollMs = options.pollMs ?? 1000;
  const progressEvery = options.progressEveryMs ?? 10_000;
  let lastProgress = started;
  for (;;) {
    const live = await client.get<InferenceService>(isvcPath(namespace, name));
    if (!live)
      throw new ModelCanaryError(
        'cluster',
        `InferenceService ${namespace}/${name} disappeared while model-canary waited on it.`,
        'Something else deleted it; release again.',
      );
    const s = inferenceServiceState(live, expect);
    const elapsed = Date.now() - started;
    if (s.state === 'ready') {
      logger.info(`InferenceService ${name} rolled out (${expectationText(expect)}) in ${(elapsed / 1000).toFixed(1)}s: ${s.detail}`);
      return elapsed;
    }
    if (s.state === 'failed') throw new InferenceServiceFailure(name, s.reason, s.detail);
    if (elapsed >= timeoutMs) {
      throw new InferenceServiceFailure(
        name,
        `not rolled out (${expectationText(expect)}) within ${Math.round(timeoutMs / 1000)}s (canary.readinessTimeout)`,
        describeStatus(live),
      );
    }
    if (Date.now() - lastProgress >= progressEvery) {
      logger.info(`InferenceService ${name}: waiting ${Math.round(elapsed / 1000)}s: ${s.detail}`);
      lastProgress = Date.now();
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function expectationText(e: Expectation): string {
  return e.kind === 'canary'
    ? `latest revision Ready with ${e.weight}% of the traffic`
    : e.kind === 'full'
      ? 'latest revision Ready with all traffic'
      : 'all traffic pinned to the previous revision';
}

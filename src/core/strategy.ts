import type { KubeObject } from '../kube/client.js';
import type { CanaryState } from './canary.js';
import type { Verdict } from './verdict.js';

/** One row of the decision table in the job summary. */
export type Row = [string, string];

/** What a strategy's deploy did, as the pipeline needs it. */
export interface Delivery {
  /** first: nothing ran yet, so the release itself became stable and was gated. */
  mode: 'first' | 'canary';
  image: string;
  /** One line for the stage table, and the Gate row of the decision table. */
  detail: string;
  gate: string;
  /**
   * The canary's Deployment and Ready pods, for smoke and analysis to send to; undefined when the strategy
   * gives no pods of its own to reach (KServe names its pods after revisions and gates them by conditions).
   * `workers`: the canary's batch worker Deployments, watched through the bake window with it.
   */
  pods?: CanaryState & { deployment: string; stable: string; workers?: string[] };
}

/** How a deploy that threw was cleaned up: the verdict to record and why. */
export interface FailedDelivery {
  verdict: Verdict;
  image: string;
  rows: Row[];
  note: string;
}

/**
 * How a canary strategy puts a release on the cluster and finishes it. The pipeline (src/pipeline) runs
 * deploy, then the evidence stages on `pods`, then one of the endings the verdict function chose; each
 * ending returns the rows it adds to the decision table. Implementations live in src/decide/strategies.
 */
export interface ReleaseStrategy<D extends Delivery = Delivery> {
  readonly name: string;
  deploy(objects: KubeObject[], image: string): Promise<D>;
  /** deploy threw: remove or hold what it left, per decide.onFailure. Rethrows what it cannot handle. */
  afterFailedDeploy(err: unknown, objects: KubeObject[], image: string): Promise<FailedDelivery>;
  /** A first release passed: what it created stays (the post step must no longer remove it). */
  keepFirst(delivery: D): Promise<void>;
  /** A first release failed its evidence: remove what it created. */
  removeFirst(delivery: D): Promise<void>;
  /** The canary becomes stable; throws a GateFailure when stable's rollout fails (and was reverted). */
  promote(delivery: D): Promise<Row[]>;
  /** Remove the canary (traffic back to stable first); stable untouched. */
  rollback(delivery: D): Promise<void>;
  /** Keep the canary for a person to promote or roll back. */
  hold(delivery: D): Promise<void>;
}

import type { Evidence } from '../core/verdict.js';
import type { PrometheusError } from './prometheus/client.js';
import type { LiveFigures } from './prometheus/figures.js';
import type { LiveVerdict } from './prometheus/judge.js';

/** One answer of a paired request. */
export interface Shot {
  pod: string;
  /** 0 when nothing answered. */
  status: number;
  latencyMs: number;
  /** A 2xx answer whose outputs decode. */
  ok: boolean;
  outputs?: unknown[];
  error?: string;
}

/** The same payload sent to a canary pod and a stable pod, back to back, in random order. */
export interface Pair {
  /** ms since the window opened, when the pair was sent. */
  at: number;
  case: string;
  canaryFirst: boolean;
  /** Sent during analysis.warmup: shown, not counted. */
  warmup: boolean;
  canary: Shot;
  stable: Shot;
}

/** Something the pod watch saw that ends the window at once. */
export interface WatchSignal {
  track: 'canary' | 'stable';
  pod: string;
  reason: string;
  detail: string;
  /** ms since the window opened. */
  at: number;
}

/** Everything the sources measured: plain data, so the judgement is a pure function of it. */
export interface Measurements {
  pairs: Pair[];
  signals: WatchSignal[];
  elapsedMs: number;
  /** Pairs the load could not send on time (the servers were slower than the rate). */
  skipped: number;
  /** With canary.steps and a Gateway address: which track answered the requests sent through the Gateway. */
  share?: ShareSample;
  /** With analysis.prometheus: the live traffic per track, read last. */
  live?: LiveFigures;
  /** With analysis.prometheus: Prometheus could not be read (the release is never promoted on it). */
  liveError?: PrometheusError;
}

/** Requests through the Gateway by the track that answered (told apart by the model version each reports). */
export interface ShareSample {
  sent: number;
  canary: number;
  stable: number;
  /** Answered 2xx with a version that is neither track's. */
  other: number;
  failed: number;
}

/** The measured share against the route's weight. */
export interface ShareResult extends ShareSample {
  /** The canary's route weight, percent. */
  weight: number;
  /** canary / (canary + stable). */
  share: number;
  /** Two-sided 99.9 % Clopper-Pearson interval of the share. */
  lower: number;
  upper: number;
  /** The weight lies inside the interval: the Gateway sends what the route says. */
  within: boolean;
}

/** A source of evidence over the window (the pod watch, the paired load; later Prometheus). */
export interface EvidenceSource {
  readonly name: string;
  /** Starts measuring; `decisive` ends the window at once. */
  start(opened: number, decisive: (signal: WatchSignal) => void): Promise<void>;
  /** Adds what it has measured so far (it keeps measuring). */
  measure(into: Measurements): void;
  /** Stops, waiting for what is in flight. */
  stop(): Promise<void>;
}

export interface LatencyResult {
  n: number;
  /** Hodges-Lehmann estimate of canary/stable latency, with its 95 % interval. */
  ratio: number;
  lower: number;
  upper: number;
  /** Wilcoxon signed-rank p-values of ln(canary/stable) against ln(1 + margin): slower, and not slower. */
  pSlower: number;
  pNotSlower: number;
  method: 'exact' | 'normal';
  /** Matched-pairs rank-biserial correlation against the margin. */
  effect: number;
  outcome: Evidence;
}

export interface ErrorResult {
  n: number;
  canary: number;
  stable: number;
  /** Pairs where only the canary failed, only stable failed. */
  onlyCanary: number;
  onlyStable: number;
  mcnemarP: number;
  /** One-sided 95 % Clopper-Pearson bounds on the canary's error rate. */
  lower: number;
  upper: number;
  outcome: Evidence;
}

export interface AgreementResult {
  kind: 'classification' | 'regression';
  compared: number;
  agreed: number;
  rate: number;
  outcome: Evidence;
}

export interface ClassShare {
  classes: string[];
  canary: Record<string, number>;
  stable: Record<string, number>;
  pValue: number | undefined;
}

/** One row of the per-interval chart. */
export interface IntervalFigures {
  endsAt: number;
  canaryP50: number | undefined;
  stableP50: number | undefined;
  canaryErrors: number;
  stableErrors: number;
  pairs: number;
}

export interface AnalysisVerdict {
  outcome: Evidence;
  /** The one line that says why, naming the test, statistic, p-value or bound, effect and n. */
  line: string;
  reasons: string[];
  counted: number;
  minSamples: number;
  signal?: WatchSignal;
  latency?: LatencyResult;
  errors: ErrorResult;
  agreement?: AgreementResult;
  classes?: ClassShare;
  /** With analysis.prometheus: the verdict on live traffic. */
  live?: LiveVerdict;
}

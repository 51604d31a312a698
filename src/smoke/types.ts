/**
 * The smoke stage's data: cases as read from the cases file, requests and answers as the transport
 * sees them, and the report every number the user sees is written from.
 */

/** What a case expects of each answer; every field is optional. */
export interface CaseExpectation {
  /** HTTP status, or any of a list. Default: any 2xx. */
  status?: number | number[];
  /** The outputs (one per input row), compared exactly, or within `tolerance` for numbers. */
  outputs?: unknown[];
  /** Numbers may differ from `outputs` by this much: absolute, or relative to the expected value. */
  tolerance?: { absolute?: number; relative?: number };
  /** Every output must be one of these classes. */
  classes?: unknown[];
  /** Largest latency allowed for this case, in ms. */
  maxLatencyMs?: number;
}

/** An asynchronous batch case: submit a job (202 and an id), then poll its result until done. */
export interface AsyncJob {
  /** Path the job is submitted to (POST); default the protocol's predict path. */
  submitPath?: string;
  /** Path polled for the result; `{id}` is replaced by the job id. */
  resultPath: string;
  /** Where the id is in the submit answer (a top-level field); default `id`. */
  idField?: string;
  /** Field of the poll answer holding the job state, and the values meaning done or failed. */
  statusField?: string;
  doneValues?: string[];
  failedValues?: string[];
  /** Poll interval and budget, in ms. */
  pollIntervalMs?: number;
  budgetMs?: number;
  /** Submit `{<inputsField>: inputs}` (the case's inputs as written) instead of the protocol's request. */
  inputsField?: string;
  /** Add `{<trackField>: "canary" | "stable"}` to the submit body: a job queue that runs it on that track's workers. */
  trackField?: string;
  /** Read the outputs from this field of the result (a list) instead of decoding it with the protocol. */
  outputsField?: string;
}

export interface SmokeCase {
  name: string;
  /** The inputs in the protocol's shape: usually a list of rows. */
  inputs: unknown;
  expect?: CaseExpectation;
  /** V2: which output to compare (default `predict`, else the first). */
  output?: string;
  /** V2: input tensor name and datatype (default `input-0`, FP32 or INT64 or BYTES from the data). */
  tensor?: { name?: string; datatype?: string };
  async?: AsyncJob;
  /** Where the case came from: the cases file, or generated from the model card. */
  source?: 'file' | 'generated';
}

/** One HTTP request to a model server, relative to the pod. */
export interface ModelRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
}

/** The answer as the model server gave it (never an API server error). */
export interface ModelResponse {
  status: number;
  body: unknown;
  /** Time from sending to the full body, in ms. */
  latencyMs: number;
}

/** One answer of one case from one pod, judged. */
export interface CaseResult {
  case: string;
  pod: string;
  track: 'canary' | 'stable';
  status: number;
  latencyMs: number;
  outputs?: unknown[];
  verdict: 'pass' | 'fail';
  /** Why it failed (empty when it passed). */
  why: string[];
  /** The start of a non-2xx answer's body, to say what the server said. */
  answer?: string;
  /** Transport error (connection reset, timeout) when there was no answer. */
  error?: string;
  /** Parity with stable's answer for the same case, when compared. */
  parity?: { stable: unknown[] | undefined; agreed: number; compared: number; maxRelativeError?: number };
  /** An asynchronous case: how long the job waited in the queue and ran, when the job's answer says (ms). */
  job?: { queueWaitMs?: number; serviceMs?: number; ranOn?: string };
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface PodSummary {
  pod: string;
  transport: 'pods-proxy' | 'port-forward';
  requests: number;
  failed: number;
  errorRate: number;
  latency: LatencySummary;
}

export interface SmokeReport {
  verdict: 'pass' | 'fail';
  /** Share of failed canary requests, 0 to 1. */
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  protocol: string;
  namespace: string;
  deployment: string;
  revision: string;
  replicaSet: string;
  transport: 'pods-proxy' | 'port-forward';
  /** Why the transport is what it is (the fallback's reason). */
  transportNote?: string;
  startedAt: string;
  durationMs: number;
  cases: number;
  pods: PodSummary[];
  overall: PodSummary;
  parity: {
    enabled: boolean;
    stablePods: string[];
    kind?: 'classification' | 'regression';
    agreement?: number;
    maxRelativeError?: number;
    passed: boolean;
    note?: string;
  };
  /** Each failed threshold or check, said in words. */
  failures: string[];
  /** Names of the cases that failed on any pod. */
  failingCases: string[];
  results: CaseResult[];
  /** Where the JSON report was written. */
  path: string;
}

/**
 * The typed config every stage receives. Built once from model-canary.yaml, the action inputs (or CLI
 * flags) and the run's context; validated, defaults filled in, paths made absolute, durations in ms.
 */
export type Level = 'error' | 'warn' | 'off';
export type Command = 'release' | 'plan' | 'build' | 'scan' | 'render' | 'deploy' | 'smoke' | 'promote' | 'rollback' | 'status';
export const COMMANDS: readonly Command[] = ['release', 'plan', 'build', 'scan', 'render', 'deploy', 'smoke', 'promote', 'rollback', 'status'];

export type Framework = 'sklearn' | 'onnx' | 'xgboost' | 'pytorch' | 'tensorflow' | 'custom';
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
export type RenderMode = 'builtin' | 'kserve' | 'chart' | 'kustomize' | 'manifests';
export type CanaryStrategy = 'replicas' | 'traffic' | 'kserve';
export type SmokeProtocol = 'kserve-v1' | 'open-inference-v2' | 'tf-serving' | 'torchserve' | 'bentoml' | 'http';

export interface ModelConfig {
  name: string;
  version: string;
  framework: Framework;
  /** Absolute path of the model artifact. */
  artifact?: string;
  /** Absolute path of the model card. */
  card?: string;
}

export interface ImageGuards {
  sizeBudgetMb: number;
  size: Level;
  rootUser: Level;
  notebooks: Level;
  datasets: Level;
  datasetMaxMb: number;
  git: Level;
  trainingScripts: Level;
  pycache: Level;
  secretFiles: Level;
}

export interface ImageConfig {
  repository: string;
  /** Tag to push: the image-tag input, else image.tag, else the commit SHA. */
  tag: string;
  extraTags: string[];
  /** Absolute path of the user's Dockerfile; absent when a template is used. */
  dockerfile?: string;
  template?: 'sklearn' | 'onnx';
  /** Absolute path of the build context. */
  context: string;
  /** Absolute path of a folder of wheels a template installs from, offline; copied into its context as wheels/. */
  wheelhouse?: string;
  buildArgs: Record<string, string>;
  push: boolean;
  guards: ImageGuards;
}

export interface ScanConfig {
  enabled: boolean;
  failOn: Severity[];
  ignoreUnfixed: boolean;
  /** Absolute path; used only when the file exists. */
  ignoreFile: string;
  /** Absolute path the SARIF report is written to. */
  sarif: string;
  secrets: Level;
}

export interface RenderPolicy {
  missingResources: Level;
  missingReadinessProbe: Level;
  unpinnedImage: Level;
  latestTag: Level;
  privileged: Level;
  runAsRoot: Level;
  hostAccess: Level;
  gpuWithoutTolerations: Level;
  replicasWithHpa: Level;
  inlineSecrets: Level;
}

export interface RenderConfig {
  mode: RenderMode;
  /** Absolute path of a local chart, or an oci:// reference. */
  chart?: string;
  chartVersion?: string;
  kustomize?: string;
  manifests?: string[];
  values: Record<string, unknown>;
  valuesFiles: string[];
  output: string;
  policy: RenderPolicy;
}

export interface ClusterConfig {
  namespace: string;
  context?: string;
  fieldManager: string;
}

export interface CanaryConfig {
  strategy: CanaryStrategy;
  replicas: number;
  weight: number;
  /** Strategy traffic: route weights stepped through, each analysed before the next (percent, increasing). */
  steps?: number[];
  /** url: the Gateway listener as the runner reaches it, to measure the share each step really gets. */
  gateway?: { name: string; namespace?: string; url?: string };
  /** Host names the HTTPRoute matches (strategy traffic). */
  hostnames?: string[];
  readinessTimeoutMs: number;
  maxRestarts: number;
  lockTimeoutMs: number;
}

export interface SmokeConfig {
  enabled: boolean;
  protocol: SmokeProtocol;
  port: number;
  cases?: string;
  generateCases: number;
  http?: { method: 'GET' | 'POST' | 'PUT'; path: string; readyPath: string };
  readyTimeoutMs: number;
  warmup: number;
  concurrency: number;
  requestTimeoutMs: number;
  maxDurationMs: number;
  thresholds: { errorRate: number; p50Ms?: number; p95Ms: number; p99Ms?: number };
  parity: { enabled: boolean; minAgreement: number; relativeTolerance: number };
}

/** The bake window: the canary watched and compared with stable under paired load (src/analysis). */
export interface AnalysisConfig {
  /** 0: no window (only the gate and smoke decide). */
  durationMs: number;
  intervalMs: number;
  maxDurationMs: number;
  mode: 'enforce' | 'report';
  onInconclusive: 'hold' | 'fail' | 'extend';
  minSamples: number;
  warmup: number;
  load: { rps: number };
  latency: { margin: number };
  errors: { maxRate: number };
  agreement: { minimum: number };
  /** Live per-track figures from Prometheus (src/analysis/sources/prometheus.ts); absent when not configured. */
  prometheus?: PrometheusConfig;
  /** minReadySeconds for the promoted stable rollout, in ms; 0: off. */
  postPromotionMs: number;
}

export interface PrometheusQuery {
  name: string;
  query: string;
  max?: number;
  min?: number;
}

export interface PrometheusConfig {
  url: string;
  /** Extra label matchers, without braces ('' for none). */
  selector: string;
  quantile: number;
  timeoutMs: number;
  queries: PrometheusQuery[];
}

export interface DecideConfig {
  mode: 'auto' | 'manual';
  onFailure: 'rollback' | 'hold';
  historyLimit: number;
}

/** Facts about this run that come from the runner or the CLI, not from the model file. */
export interface RunContext {
  command: Command;
  /** Absolute path of the model file. */
  configPath: string;
  /** Absolute path every config path must stay inside (GITHUB_WORKSPACE or the current directory). */
  workspace: string;
  /** GitHub environment name, when the workflow gives one. */
  environment?: string;
  /** Revision to roll back to: `previous` or a revision listed by `status`. */
  revision: string;
  /** Full commit SHA being released, when known. */
  commitSha?: string;
  /** owner/name of the repository, when known. */
  repository?: string;
  /** The GitHub server, for links and the image's source label. */
  serverUrl?: string;
  /** Registry credentials from the environment; the password only ever reaches docker on stdin. */
  registryAuth?: { username: string; password: string };
  /** Link to the workflow run, when known. */
  runUrl?: string;
  /** Identity written into the lock and the history: who is releasing. */
  runId: string;
  /** Scratch folder for this run (RUNNER_TEMP or the OS temp folder). */
  tempDir: string;
  /** Input image: built and scanned by an earlier job; release renders and releases it, no build, no scan. */
  prebuiltImage?: { reference: string; digest: string };
  /** For promote: what the held canary must still be (inputs expect-digest, expect-revision). */
  expect?: { digest?: string; revision?: number };
  /** Kubeconfig content from the kubeconfig input (a secret), with the values to mask; written to a 0600 file. */
  kubeconfig?: { content: string; secrets: string[] };
  /** GitHub Deployments and the pull-request comment, when github-token is given. */
  github?: GitHubSettings;
}

/** Where and as what the run reports to GitHub (input github-token and the runner's variables). */
export interface GitHubSettings {
  token: string;
  /** The REST API's base URL, without a trailing slash. */
  apiUrl: string;
  /** owner/name */
  repository: string;
  /** The commit deployed (GITHUB_SHA): the deployment's ref. */
  sha: string;
  /** The deployment's environment: input environment, else the namespace. */
  environment: string;
  /** Link to the workflow run: the statuses' log_url. */
  runUrl?: string;
  eventName?: string;
  eventPath?: string;
}

export interface Config {
  apiVersion: 'model-canary/v1';
  model: ModelConfig;
  image: ImageConfig;
  scan: ScanConfig;
  render: RenderConfig;
  cluster: ClusterConfig;
  canary: CanaryConfig;
  smoke: SmokeConfig;
  analysis: AnalysisConfig;
  decide: DecideConfig;
  run: RunContext;
}

import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, userError } from '../errors.js';
import { parseDuration } from './duration.js';
import { checkInputs, type RawInputs, type RunEnvironment } from './inputs.js';
import { lineOf, scalarSourceAt } from './locate.js';
import { applyOverrides } from './overrides.js';
import { aliasBombError, isAliasBomb, MiB, readUserFile, YAML_MAX_ALIAS_COUNT } from './read-user-file.js';
import { resolveInWorkspace } from './paths.js';
import { runInputs } from './run-inputs.js';
import type { Problem } from './problem.js';
import { validateAgainstSchema } from './schema.js';
import { checkSemantics } from './semantic.js';
import type { Config, PrometheusConfig, RunContext } from './types.js';
import type { ModelCanaryModelFile as ModelFile } from './generated/model-file.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the raw document, before the schema has checked it (toConfig takes the typed ModelFile) */
type Doc = Record<string, any>;

/** A model file is a page of YAML; far larger is a mistake or an attack. */
const MODEL_FILE_MAX_BYTES = 1 * MiB;

/** A problem located in the model file, for annotations. */
export interface LocatedProblem extends Problem {
  line?: number;
}

/**
 * Reads the model file and the inputs once, and returns the typed, validated config; or throws a
 * ConfigError listing every problem at once.
 */
export function loadConfig(inputs: RawInputs, env: RunEnvironment): Config {
  const { command, problems: inputProblems } = checkInputs(inputs);
  const configRel = inputs.config.trim() || 'model-canary.yaml';
  const where = resolveInWorkspace(env.workspace, configRel, { mustExist: true, kind: 'file' });
  if ('problem' in where) {
    throw userError(
      `No usable model file: ${where.problem}.`,
      'Create model-canary.yaml at the repository root (see the README quick start) or set the config input to its path.',
    );
  }
  const configPath = where.path;
  const label = `Model file ${configRel}`;
  const text = readUserFile(configPath, {
    label,
    maxBytes: MODEL_FILE_MAX_BYTES,
    hint: 'Point the config input (--config) at the model file itself, a regular file in the workspace.',
  });
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      configRel,
      doc.errors.map((e) => {
        // prettyErrors appends " at line L, column C:" and a code excerpt; keep the sentence, say the line our way.
        const sentence = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        const line = e.linePos?.[0].line;
        return `YAML syntax: ${sentence}${line ? ` (line ${line})` : ''}`;
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    if (isAliasBomb(err)) throw aliasBombError(label);
    throw err;
  }
  if (data === null || data === undefined) {
    throw new ConfigError(configRel, ['the file is empty; start from the example in the README (apiVersion: model-canary/v1, model, image)']);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(configRel, ['the top level must be a mapping (key: value), not a list or a single value']);
  }
  const document = data as Doc;
  applyOverrides(document, inputs.set);
  // An input already reported as invalid is not applied too: that would report it twice, the second time
  // against a line of the model file that does not hold it.
  const invalidInput = (name: string): boolean => inputProblems.some((p) => p.message.startsWith(`input ${name}:`));
  if (inputs.imageTag !== '' && !invalidInput('image-tag')) setIn(document, ['image', 'tag'], inputs.imageTag);
  if (inputs.namespace !== '' && !invalidInput('namespace')) setIn(document, ['cluster', 'namespace'], inputs.namespace);

  const problems: LocatedProblem[] = [...inputProblems];
  const schemaProblems = validateAgainstSchema(document, (path) => scalarSourceAt(doc, path));
  problems.push(...inDocumentOrder(schemaProblems.map((p) => locate(doc, counter, p))));
  const resolved = new Map<string, string>();
  if (schemaProblems.length === 0) {
    problems.push(...inDocumentOrder(checkSemantics(document, env.workspace, resolved).map((p) => locate(doc, counter, p))));
  }
  const fromInputs = runInputs(inputs, env, document, command);
  problems.push(...fromInputs.problems);
  if (problems.length > 0 || !command) {
    throw new ConfigError(
      configRel,
      problems.map((p) => (p.line ? `${p.message} (line ${p.line})` : p.message)),
    );
  }
  const run: RunContext = {
    command,
    configPath,
    workspace: env.workspace,
    revision: inputs.revision || 'previous',
    runId: runIdentity(env),
    tempDir: env.tempDir,
  };
  if (inputs.environment !== '') run.environment = inputs.environment;
  Object.assign(run, fromInputs.run);
  if (env.commitSha) run.commitSha = env.commitSha;
  if (env.repository) run.repository = env.repository;
  if (env.serverUrl) run.serverUrl = env.serverUrl;
  if (env.registryUsername && env.registryPassword) {
    run.registryAuth = { username: env.registryUsername, password: env.registryPassword };
  }
  if (env.serverUrl && env.repository && env.runId) run.runUrl = `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}`;
  // The validator filled in every default: the document is a ModelFile now (src/config/generated/model-file.d.ts).
  return toConfig(document as unknown as ModelFile, resolved, run);
}

function locate(doc: Parameters<typeof lineOf>[0], counter: LineCounter, problem: Problem): LocatedProblem {
  const line = problem.path.length > 0 ? lineOf(doc, counter, problem.path) : undefined;
  return line === undefined ? problem : { ...problem, line };
}

/** Stable sort by line: problems without a line first, in the order they were found. */
function inDocumentOrder(problems: LocatedProblem[]): LocatedProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function setIn(doc: Doc, path: string[], value: unknown): void {
  let node = doc;
  for (const key of path.slice(0, -1)) {
    if (node[key] === undefined || typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key];
  }
  node[path[path.length - 1] as string] = value;
}

function runIdentity(env: RunEnvironment): string {
  if (env.repository && env.runId) return `${env.repository}/runs/${env.runId}/${env.runAttempt ?? '1'}`;
  return `local-${process.pid}-${Date.now()}`;
}

/** Maps the validated document to the typed config; paths absolute, durations in ms. */
function toConfig(d: ModelFile, resolved: Map<string, string>, run: RunContext): Config {
  const abs = (key: string): string => {
    const value = resolved.get(key);
    if (value === undefined) throw new Error(`internal: path ${key} was not resolved`);
    return value;
  };
  const ms = (text: string): number => parseDuration(text) ?? 0;
  const image = d['image'];
  const tag: string = image['tag'] ?? run.commitSha ?? '';

  const config: Config = {
    apiVersion: 'model-canary/v1',
    model: { name: d['model'].name, version: d['model'].version, framework: d['model'].framework },
    image: {
      repository: image['repository'],
      tag,
      extraTags: image['extraTags'],
      context: abs('image.context'),
      buildArgs: Object.fromEntries(Object.entries(image['buildArgs'] as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
      push: image['push'],
      guards: image['guards'],
    },
    scan: {
      enabled: d['scan'].enabled,
      failOn: d['scan'].failOn,
      ignoreUnfixed: d['scan'].ignoreUnfixed,
      ignoreFile: abs('scan.ignoreFile'),
      sarif: abs('scan.sarif'),
      secrets: d['scan'].secrets,
    },
    render: {
      mode: d['render'].mode,
      values: d['render'].values,
      valuesFiles: (d['render'].valuesFiles as string[]).map((_, i) => abs(`render.valuesFiles[${i}]`)),
      output: abs('render.output'),
      policy: d['render'].policy,
    },
    cluster: { namespace: d['cluster'].namespace, fieldManager: d['cluster'].fieldManager },
    canary: {
      strategy: d['canary'].strategy,
      replicas: d['canary'].replicas,
      weight: d['canary'].weight,
      readinessTimeoutMs: ms(d['canary'].readinessTimeout),
      maxRestarts: d['canary'].maxRestarts,
      lockTimeoutMs: ms(d['canary'].lockTimeout),
    },
    smoke: {
      enabled: d['smoke'].enabled,
      protocol: d['smoke'].protocol,
      port: d['smoke'].port,
      generateCases: d['smoke'].generateCases,
      readyTimeoutMs: ms(d['smoke'].readyTimeout),
      warmup: d['smoke'].warmup,
      concurrency: d['smoke'].concurrency,
      requestTimeoutMs: ms(d['smoke'].requestTimeout),
      maxDurationMs: ms(d['smoke'].maxDuration),
      thresholds: d['smoke'].thresholds,
      parity: d['smoke'].parity,
    },
    analysis: {
      durationMs: ms(d['analysis'].duration),
      intervalMs: ms(d['analysis'].interval),
      maxDurationMs: ms(d['analysis'].maxDuration),
      mode: d['analysis'].mode,
      onInconclusive: d['analysis'].onInconclusive,
      minSamples: d['analysis'].minSamples,
      warmup: d['analysis'].warmup,
      load: d['analysis'].load,
      latency: d['analysis'].latency,
      errors: d['analysis'].errors,
      agreement: d['analysis'].agreement,
      ...(d['analysis'].prometheus ? { prometheus: prometheusConfig(d['analysis'].prometheus) } : {}),
      postPromotionMs: ms(d['analysis'].postPromotion),
    },
    decide: d['decide'],
    run,
  };
  if (d['model'].artifact !== undefined) config.model.artifact = abs('model.artifact');
  if (d['model'].card !== undefined) config.model.card = abs('model.card');
  if (image['dockerfile'] !== undefined) config.image.dockerfile = abs('image.dockerfile');
  if (image['template'] !== undefined) config.image.template = image['template'];
  if (image['wheelhouse'] !== undefined) config.image.wheelhouse = abs('image.wheelhouse');
  const r = d['render'];
  if (r.chart !== undefined) config.render.chart = r.chart.startsWith('oci://') ? r.chart : abs('render.chart');
  if (r.chartVersion !== undefined) config.render.chartVersion = r.chartVersion;
  if (r.kustomize !== undefined) config.render.kustomize = abs('render.kustomize');
  if (r.manifests !== undefined) config.render.manifests = (r.manifests as string[]).map((_, i) => abs(`render.manifests[${i}]`));
  if (d['cluster'].context !== undefined) config.cluster.context = d['cluster'].context;
  if (d['canary'].gateway !== undefined) config.canary.gateway = d['canary'].gateway;
  if (d['canary'].hostnames !== undefined) config.canary.hostnames = d['canary'].hostnames;
  if (d['canary'].steps !== undefined) config.canary.steps = d['canary'].steps;
  if (d['smoke'].cases !== undefined) config.smoke.cases = abs('smoke.cases');
  if (d['smoke'].http !== undefined) config.smoke.http = d['smoke'].http;
  return config;
}

/** The model file path relative to the workspace, for messages. */
export function relativeToWorkspace(config: Pick<Config, 'run'>, absolute: string): string {
  return path.relative(config.run.workspace, absolute) || '.';
}

function prometheusConfig(p: NonNullable<ModelFile['analysis']['prometheus']>): PrometheusConfig {
  return {
    url: String(p['url']).replace(/\/+$/, ''),
    selector: p['selector'],
    quantile: p['quantile'],
    timeoutMs: parseDuration(p['timeout']) ?? 10_000,
    queries: p['queries'],
  };
}

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_INPUTS, type RawInputs, type RunEnvironment } from '../../src/config/inputs.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { ConfigError, ModelCanaryError } from '../../src/errors.js';
import { BASE_CONFIG, fixtureWorkspace } from '../helpers/fixtures.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DNS_HINT = "use a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 53 characters";

function inputs(overrides: Partial<RawInputs> = {}): RawInputs {
  return { ...DEFAULT_INPUTS, command: 'plan', ...overrides };
}

function runEnv(workspace: string, overrides: Partial<RunEnvironment> = {}): RunEnvironment {
  return {
    workspace,
    tempDir: '/tmp/model-canary-run',
    searchPath: '',
    commitSha: SHA,
    repository: 'acme/models',
    serverUrl: 'https://github.com',
    runId: '42',
    runAttempt: '2',
    ...overrides,
  };
}

/** Loads a config and returns the ConfigError it throws; fails the test when it throws nothing else. */
function problemsOf(workspace: string, raw: RawInputs = inputs()): readonly string[] {
  try {
    loadConfig(raw, runEnv(workspace));
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('loadConfig accepted the config');
}

// The fixture model file, by line:
//   1 apiVersion: model-canary/v1
//   2 model:
//   3   name: iris
//   4   version: "1.0"
//   5 image:
//   6   repository: registry.example:5000/team/iris
//   7   dockerfile: Dockerfile
//   8 smoke:
//   9   cases: cases.yaml
// so a section appended at the end starts on line 10.
function edit(from: string, to: string): string {
  if (!BASE_CONFIG.includes(from)) throw new Error(`fixture has no ${JSON.stringify(from)}`);
  return BASE_CONFIG.replace(from, to);
}
const append = (text: string): string => BASE_CONFIG + text;

interface BadCase {
  name: string;
  /** The model file; undefined leaves the fixture's. */
  config?: string;
  inputs?: Partial<RawInputs>;
  /** Extra setup in the workspace (files, symlinks). */
  setup?: (workspace: string) => void;
  /** The exact problems, given the workspace (some name it). */
  problems: string[] | ((workspace: string) => string[]);
}

const BAD: BadCase[] = [
  {
    name: 'missing apiVersion',
    config: edit('apiVersion: model-canary/v1\n', ''),
    // No line: the key is not in the file, and line 1 would point at the unrelated `model:`.
    problems: ["apiVersion is required: version of this file's format. Always model-canary/v1."],
  },
  {
    name: 'wrong apiVersion',
    config: edit('model-canary/v1', 'model-canary/v2'),
    problems: ['apiVersion: "model-canary/v2" is not supported; set `apiVersion: model-canary/v1` (line 1)'],
  },
  {
    name: 'empty file',
    config: '',
    problems: ['the file is empty; start from the example in the README (apiVersion: model-canary/v1, model, image)'],
  },
  {
    name: 'file of comments only',
    config: '# nothing here yet\n',
    problems: ['the file is empty; start from the example in the README (apiVersion: model-canary/v1, model, image)'],
  },
  {
    name: 'top-level list',
    config: '- apiVersion: model-canary/v1\n- model: {}\n',
    problems: ['the top level must be a mapping (key: value), not a list or a single value'],
  },
  {
    name: 'top-level scalar',
    config: 'just some text\n',
    problems: ['the top level must be a mapping (key: value), not a list or a single value'],
  },
  {
    name: 'YAML syntax error (unclosed flow sequence)',
    config: 'apiVersion: model-canary/v1\nimage:\n  extraTags: [a, b\n',
    problems: ['YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ] (line 4)'],
  },
  {
    name: 'duplicate key',
    config: append('model:\n  name: other\n'),
    problems: ['YAML syntax: Map keys must be unique (line 10)'],
  },
  {
    name: 'unknown top-level key with a close match',
    config: append('canry:\n  weight: 20\n'),
    problems: ['unknown key canry; did you mean `canary`? (line 10)'],
  },
  {
    name: 'unknown key smoke.thresholds.p95',
    config: append('  thresholds:\n    p95: 250\n'),
    problems: ['unknown key smoke.thresholds.p95; did you mean `p95Ms`? (line 11)'],
  },
  {
    name: 'analysis: a latency margin out of range',
    config: append('analysis:\n  latency:\n    margin: 0\n'),
    problems: ['analysis.latency.margin: 0 must be over 0; write it as a fraction over 0: 0.1 lets the canary be 10 % slower than stable (line 12)'],
  },
  {
    name: 'analysis: an error rate above 1',
    config: append('analysis:\n  errors:\n    maxRate: 1.5\n'),
    problems: ['analysis.errors.maxRate: 1.5 is over 1; write it as a fraction over 0 and at most 1: 0.05 is 5 % (line 12)'],
  },
  {
    name: 'analysis: a window over the job limit, and an interval longer than the window',
    config: append('analysis:\n  duration: 7h\n  interval: 8h\n'),
    problems: [
      'analysis.duration: 7h is over the 6h limit (a job runs at most 6 hours); use a shorter window (line 11)',
      'analysis.interval: 8h is longer than analysis.duration (7h); use an interval of at most the window (line 12)',
    ],
  },
  {
    name: 'analysis: a duration that is not one',
    config: append('analysis:\n  duration: two minutes\n'),
    problems: ['analysis.duration: "two minutes" is not valid; write a duration like 90s, 5m or 1h30m (line 11)'],
  },
  {
    name: 'analysis: extend with a maximum shorter than the window',
    config: append('analysis:\n  duration: 5m\n  onInconclusive: extend\n  maxDuration: 1m\n'),
    problems: ['analysis.maxDuration: 1m is shorter than analysis.duration (5m); extend needs room to grow: make it longer than the window (line 13)'],
  },
  {
    name: 'analysis: a load over the limit',
    config: append('analysis:\n  load:\n    rps: 5000\n'),
    problems: [
      'analysis.load.rps: 5000 is over 200; send at most 200 paired requests per second (0 sends none): the load must not crowd out real traffic (line 12)',
    ],
  },
  {
    name: 'analysis.prometheus: a URL with a query string, and matchers that break out of the braces',
    config: append('analysis:\n  prometheus:\n    url: "http://prom:9090/?x=1"\n    selector: \'job="a"} or vector(1) #\'\n'),
    problems: [
      'analysis.prometheus.url: "http://prom:9090/?x=1" is not valid; write the URL Prometheus answers on, like http://prometheus.monitoring:9090 (no query string) (line 12)',
      'analysis.prometheus.selector: "job=\\"a\\"} or vector(1) #" is not valid; write label matchers separated by commas, like job="model-servers",cluster="eu" (line 13)',
    ],
  },
  {
    name: 'analysis.prometheus: a query without a threshold',
    config: append('analysis:\n  prometheus:\n    url: http://prom:9090\n    queries:\n      - { name: q1, query: "sum(up)" }\n'),
    problems: ['analysis.prometheus.queries[0]: q1 has no threshold; give it max, min or both (a query without one could never fail the canary) (line 14)'],
  },
  {
    name: 'canary.steps that do not increase',
    config: append('canary:\n  strategy: traffic\n  gateway: { name: gw }\n  steps: [10, 50, 25]\n'),
    problems: ['canary.steps[2]: 25 does not increase on 50; list the weights in increasing order, each once (for example [10, 25, 50]) (line 13)'],
  },
  {
    name: 'canary.steps with the analysis window off',
    config: append('canary:\n  strategy: traffic\n  gateway: { name: gw }\n  steps: [10, 25, 50]\nanalysis:\n  duration: 0s\n'),
    problems: ['canary.steps: need an analysis window to judge each step; set analysis.duration above 0s (for example 1m), or remove canary.steps (line 13)'],
  },
  {
    name: 'canary.gateway.url that is not a scheme, host and port',
    config: append('canary:\n  strategy: traffic\n  gateway: { name: gw, url: "gw.local:8000/path" }\n'),
    problems: [
      'canary.gateway.url: "gw.local:8000/path" is not valid; give the Gateway\'s entrypoint as seen from the runner, such as http://10.0.0.5:8000 (line 12)',
    ],
  },
  {
    name: 'canary.steps with strategy replicas',
    config: append('canary:\n  steps: [10, 50]\n'),
    problems: [
      "canary.steps: need canary.strategy traffic (route weights to step through); with replicas the canary's share is set by its pods, so remove canary.steps (line 11)",
    ],
  },
  {
    name: 'unknown key with no close match lists the allowed keys',
    config: append('canary:\n  zzzzzzzz: 1\n'),
    problems: [
      'unknown key canary.zzzzzzzz; remove it (allowed here: strategy, replicas, weight, steps, gateway, hostnames, readinessTimeout, maxRestarts, lockTimeout) (line 11)',
    ],
  },
  {
    name: 'canary.weight over 100',
    config: append('canary:\n  weight: 150\n'),
    problems: ['canary.weight: 150 is over 100 (line 11)'],
  },
  {
    name: 'negative replicas',
    config: append('canary:\n  replicas: -1\n'),
    problems: ['canary.replicas: -1 is under 1 (line 11)'],
  },
  {
    name: 'non-integer replicas',
    config: append('canary:\n  replicas: 1.5\n'),
    problems: ['canary.replicas: expected a whole number, got number 1.5; use a whole number (line 11)'],
  },
  {
    name: 'weight as a quoted number',
    config: append('canary:\n  weight: "20"\n'),
    problems: ['canary.weight: expected a whole number, got string "20"; write the number without quotes (line 11)'],
  },
  {
    name: 'model.name with uppercase and underscore',
    config: edit('name: iris', 'name: Iris_Model'),
    problems: [`model.name: "Iris_Model" is not valid; ${DNS_HINT} (line 3)`],
  },
  {
    name: 'model.name too long',
    config: edit('name: iris', `name: ${'a'.repeat(54)}`),
    problems: [`model.name: "${'a'.repeat(54)}" is longer than 53 characters; ${DNS_HINT} (line 3)`],
  },
  {
    name: 'version written as a YAML number',
    config: edit('version: "1.0"', 'version: 1.0'),
    problems: ['model.version: expected a string, got integer 1; quote it ("1.0") to keep it as text (line 4)'],
  },
  {
    name: 'version 1.10 is quoted as written, not as YAML read it (1.1)',
    config: edit('version: "1.0"', 'version: 1.10'),
    problems: ['model.version: expected a string, got number 1.1; quote it ("1.10") to keep it as text (line 4)'],
  },
  {
    name: 'duration in words',
    config: append('canary:\n  readinessTimeout: 5 minutes\n'),
    problems: ['canary.readinessTimeout: "5 minutes" is not valid; write a duration like 90s, 5m or 1h30m (line 11)'],
  },
  {
    name: 'zero duration',
    config: append('canary:\n  readinessTimeout: 0s\n'),
    problems: ['canary.readinessTimeout: "0s" must be longer than zero (line 11)'],
  },
  {
    name: 'enum typo',
    config: append('canary:\n  strategy: replica\n'),
    problems: ['canary.strategy: "replica" is not one of replicas, traffic, kserve; did you mean `replicas`? (line 11)'],
  },
  {
    name: 'path escaping with ..',
    config: edit('dockerfile: Dockerfile', 'dockerfile: ../Dockerfile'),
    problems: (ws) => [`image.dockerfile: "../Dockerfile" is outside the workspace (${ws}); use a path inside the repository (line 7)`],
  },
  {
    name: 'absolute path outside the workspace',
    config: edit('dockerfile: Dockerfile', 'dockerfile: /etc/passwd'),
    problems: (ws) => [`image.dockerfile: "/etc/passwd" is outside the workspace (${ws}); use a path inside the repository (line 7)`],
  },
  {
    name: 'symlink leading outside the workspace',
    config: edit('dockerfile: Dockerfile', 'dockerfile: docker/Dockerfile'),
    setup: (ws) => {
      const outside = tempDir('model-canary-outside-');
      writeFileSync(path.join(outside, 'Dockerfile'), 'FROM scratch\n');
      mkdirSync(path.join(ws, 'docker'));
      symlinkSync(path.join(outside, 'Dockerfile'), path.join(ws, 'docker', 'Dockerfile'));
      outsideTarget.set(ws, path.join(outside, 'Dockerfile'));
    },
    problems: (ws) => [
      `image.dockerfile: "docker/Dockerfile" is a symlink that leads outside the workspace (to ${outsideTarget.get(ws)}); copy the file into the repository (line 7)`,
    ],
  },
  {
    name: 'missing Dockerfile',
    config: edit('dockerfile: Dockerfile', 'dockerfile: build/Dockerfile'),
    problems: (ws) => [`image.dockerfile: "build/Dockerfile" does not exist in the workspace (${ws}) (line 7)`],
  },
  {
    name: 'dockerfile and template both set',
    config: edit('  dockerfile: Dockerfile\n', '  dockerfile: Dockerfile\n  template: sklearn\n').replace(
      'version: "1.0"\n',
      'version: "1.0"\n  artifact: model.joblib\n',
    ),
    setup: (ws) => writeFileSync(path.join(ws, 'model.joblib'), 'model'),
    problems: ['image: set either dockerfile (your own Dockerfile) or template, not both (line 6)'],
  },
  {
    name: 'neither dockerfile nor template',
    config: edit('  dockerfile: Dockerfile\n', ''),
    problems: ['image: say how to build the image: set image.dockerfile to your Dockerfile, or image.template (sklearn or onnx) with model.artifact (line 5)'],
  },
  {
    name: 'template without artifact',
    config: edit('dockerfile: Dockerfile', 'template: onnx'),
    problems: ['model.artifact: is required with image.template onnx; point it at the model file (for example model.joblib) (line 2)'],
  },
  {
    name: 'render.mode chart without chart',
    config: append('render:\n  mode: chart\n'),
    problems: ['render.chart: is required with render.mode chart (line 10)'],
  },
  {
    name: 'render.chart with mode builtin',
    config: append('render:\n  chart: charts/iris\n'),
    setup: (ws) => mkdirSync(path.join(ws, 'charts', 'iris'), { recursive: true }),
    problems: ['render.chart: is only used with render.mode chart; set render.mode: chart or remove it (line 11)'],
  },
  {
    name: 'traffic strategy without gateway',
    config: append('canary:\n  strategy: traffic\n'),
    problems: ['canary.gateway: is required with canary.strategy traffic; name the Gateway the HTTPRoute attaches to (line 10)'],
  },
  {
    name: 'kserve strategy without render.mode kserve',
    config: append('canary:\n  strategy: kserve\n'),
    problems: ['canary.strategy: kserve needs render.mode kserve (an InferenceService to set canaryTrafficPercent on) (line 11)'],
  },
  {
    name: 'render.mode kserve with the replicas strategy',
    config: append('render:\n  mode: kserve\n'),
    // canary is not in the file at all: no line rather than line 1.
    problems: ['canary.strategy: replicas cannot canary an InferenceService; use canary.strategy kserve with render.mode kserve'],
  },
  {
    name: 'smoke protocol http without http',
    config: append('  protocol: http\n'),
    problems: ['smoke.http: is required with smoke.protocol http; give at least path (for example /predict) (line 8)'],
  },
  {
    name: 'smoke with no cases',
    config: edit('  cases: cases.yaml\n', '  warmup: 1\n'),
    problems: ['smoke: has no cases: set smoke.cases to a cases file, or smoke.generateCases with model.card, or smoke.enabled: false (line 8)'],
  },
  {
    name: 'p95Ms below p50Ms',
    config: append('  thresholds:\n    p50Ms: 500\n    p95Ms: 100\n'),
    problems: ['smoke.thresholds.p95Ms: 100 is below p50Ms (500); a higher percentile needs an equal or higher limit (line 12)'],
  },
  {
    name: 'image.repository with a tag',
    config: edit('team/iris', 'team/iris:v1'),
    problems: [
      'image.repository: "registry.example:5000/team/iris:v1" carries a tag; give the repository alone and put the tag in image.tag or the image-tag input (line 6)',
    ],
  },
  {
    name: 'image.repository with uppercase',
    config: edit('team/iris', 'team/Iris'),
    problems: [
      'image.repository: "registry.example:5000/team/Iris" is not a valid image reference: "Iris" has uppercase letters; repository names are lowercase (line 6)',
    ],
  },
  {
    name: 'bad input image-tag',
    inputs: { imageTag: '-rc1' },
    problems: [`input image-tag: "-rc1" is not a valid tag; use at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`],
  },
  {
    name: 'bad input namespace',
    inputs: { namespace: 'Team_A' },
    problems: [`input namespace: "Team_A" is not a valid namespace; use lowercase letters, digits and '-' (at most 63)`],
  },
  {
    name: 'bad input command',
    inputs: { command: 'deploi' },
    problems: ['input command: "deploi" is not one of release, plan, build, scan, render, deploy, smoke, promote, rollback, status'],
  },
  {
    name: 'bad input revision',
    inputs: { revision: 'last week' },
    problems: ['input revision: "last week" is not a revision; use previous or a revision listed by command status'],
  },
  {
    name: 'render.values.replicas too many',
    config: append('render:\n  values:\n    replicas: 99999999999\n'),
    problems: ['render.values.replicas: 99999999999 is over 1000; run 0 to 1000 stable pods; above that, use autoscaling (line 12)'],
  },
  {
    name: 'render.values.replicas negative',
    config: append('render:\n  values:\n    replicas: -1\n'),
    problems: ['render.values.replicas: -1 is under 0; run 0 to 1000 stable pods; above that, use autoscaling (line 12)'],
  },
  {
    name: 'render.values.replicas negative through --set',
    inputs: { set: ['render.values.replicas=-1'] },
    problems: ['render.values.replicas: -1 is under 0; run 0 to 1000 stable pods; above that, use autoscaling'],
  },
  {
    name: 'canary.replicas too many',
    config: append('canary:\n  replicas: 100000\n'),
    problems: ['canary.replicas: 100000 is over 100 (line 11)'],
  },
  {
    name: 'autoscaling replicas out of range',
    config: append('render:\n  values:\n    autoscaling: { enabled: true, minReplicas: 0, maxReplicas: 5000 }\n'),
    problems: [
      'render.values.autoscaling.minReplicas: 0 is under 1; give 1 to 1000 replicas (line 12)',
      'render.values.autoscaling.maxReplicas: 5000 is over 1000; give 1 to 1000 replicas (line 12)',
    ],
  },
  {
    name: 'a million GPUs',
    config: append('render:\n  values:\n    gpu: { count: 1000000 }\n'),
    problems: ['render.values.gpu.count: 1000000 is over 16; ask for 0 to 16 GPUs per pod: no node has more (line 12)'],
  },
  {
    name: 'resource quantities out of range or malformed',
    config: append(
      'render:\n  values:\n    resources:\n      requests: { cpu: "1e99", memory: 1Gi, nvidia.com/gpu: 1000000 }\n      limits: { memory: 100Pi, cpu: abc, ephemeral-storage: "-1" }\n',
    ),
    problems: [
      'render.values.resources.requests.cpu: "1e99" is over 1024 cores; no node has that much, so the pod would never be scheduled (line 13)',
      'render.values.resources.requests.nvidia.com/gpu: 1000000 is over 16 per pod; no node has that much, so the pod would never be scheduled (line 13)',
      'render.values.resources.limits.memory: "100Pi" is over 16Ti; no node has that much, so the pod would never be scheduled (line 14)',
      'render.values.resources.limits.cpu: "abc" is not a Kubernetes quantity; write it like 500m, 2 or 4Gi (line 14)',
      'render.values.resources.limits.ephemeral-storage: "-1" is negative; a quantity is 0 or more (line 14)',
    ],
  },
  {
    name: 'an annotation value over 64 KiB',
    inputs: { set: [`render.values.annotations.note=${'x'.repeat(65537)}`] },
    problems: [
      `render.values.annotations.note: "${'x'.repeat(56)}... is longer than 65536 characters; an annotation value is at most 65536 characters (Kubernetes allows 256 KiB for all of an object's annotations together)`,
    ],
  },
  {
    name: 'annotations over 256 KiB together',
    config: append(`render:\n  values:\n    podAnnotations:\n${[0, 1, 2, 3, 4].map((i) => `      a${i}: "${'x'.repeat(60000)}"\n`).join('')}`),
    problems: [
      'render.values.podAnnotations: 300010 bytes in all, over the 262144 bytes (256 KiB) Kubernetes allows for the annotations of an object; keep large data out of annotations (line 12)',
    ],
  },
  {
    name: 'a label value over 63 characters',
    config: append(`render:\n  values:\n    labels: { team: "${'x'.repeat(64)}" }\n`),
    problems: [
      `render.values.labels.team: "${'x'.repeat(56)}... is longer than 63 characters; a label value is at most 63 characters (a Kubernetes limit); put longer text in an annotation (line 12)`,
    ],
  },
  {
    name: 'too many extra tags',
    config: edit('  dockerfile: Dockerfile\n', `  dockerfile: Dockerfile\n  extraTags: [${Array.from({ length: 33 }, (_, i) => `t${i}`).join(', ')}]\n`),
    problems: ['image.extraTags has 33 items, over the limit of 32; push at most 32 extra tags (line 8)'],
  },
  {
    name: 'an image repository over 255 characters',
    config: edit('team/iris', `team/${'i'.repeat(251)}`),
    problems: [
      `image.repository: "registry.example:5000/team/${'i'.repeat(29)}... is longer than 255 characters; an image repository is at most 255 characters (registry host and path) (line 6)`,
    ],
  },
  {
    name: 'a path over 4096 characters',
    config: edit('dockerfile: Dockerfile', `dockerfile: ${'d/'.repeat(2048)}Dockerfile`),
    problems: [`image.dockerfile: "${'d/'.repeat(28)}... is longer than 4096 characters; a path is at most 4096 characters (line 7)`],
  },
  {
    name: 'a latency limit over 10 minutes',
    config: append('  thresholds:\n    p99Ms: 3600000\n'),
    problems: ['smoke.thresholds.p99Ms: 3600000 is over 600000; give a latency over 0 and at most 600000 ms (10 minutes) (line 11)'],
  },
];

/** Symlink targets made by a case's setup, by workspace. */
const outsideTarget = new Map<string, string>();

describe('loadConfig rejects bad configs with exact problems', () => {
  it('has at least 25 cases', () => {
    expect(BAD.length).toBeGreaterThanOrEqual(25);
  });

  it.each(BAD)('$name', (bad) => {
    const ws = fixtureWorkspace(bad.config === undefined ? {} : { 'model-canary.yaml': bad.config });
    bad.setup?.(ws);
    const expected = typeof bad.problems === 'function' ? bad.problems(ws) : bad.problems;
    expect(problemsOf(ws, inputs(bad.inputs))).toEqual(expected);
  });

  it('lists every problem of a config with several at once, inputs first, then in file order', () => {
    const config = edit('name: iris', 'name: Iris') + 'canary:\n  weight: 150\n  strategy: replica\n  replicas: 0\n';
    const ws = fixtureWorkspace({ 'model-canary.yaml': config });
    let error: unknown;
    try {
      loadConfig(inputs({ command: 'ship', namespace: 'NS' }), runEnv(ws));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = [
      'input command: "ship" is not one of release, plan, build, scan, render, deploy, smoke, promote, rollback, status',
      `input namespace: "NS" is not a valid namespace; use lowercase letters, digits and '-' (at most 63)`,
      `model.name: "Iris" is not valid; ${DNS_HINT} (line 3)`,
      'canary.weight: 150 is over 100 (line 11)',
      'canary.strategy: "replica" is not one of replicas, traffic, kserve; did you mean `replicas`? (line 12)',
      'canary.replicas: 0 is under 1 (line 13)',
    ];
    const configError = error as ConfigError;
    expect(configError.problems).toEqual(problems);
    expect(configError.kind).toBe('user');
    expect(configError.message).toBe(`model-canary.yaml has 6 problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  });

  it('says the model file is missing without a ConfigError', () => {
    const ws = tempDir();
    expect(() => loadConfig(inputs(), runEnv(ws))).toThrow(
      expect.objectContaining({
        kind: 'user',
        message: `No usable model file: "model-canary.yaml" does not exist in the workspace (${ws}).`,
      }),
    );
  });

  it('refuses a config input outside the workspace', () => {
    const ws = fixtureWorkspace();
    expect(() => loadConfig(inputs({ config: '../model-canary.yaml' }), runEnv(ws))).toThrow(
      `No usable model file: "../model-canary.yaml" is outside the workspace (${ws}); use a path inside the repository.`,
    );
  });
});

/** The typed config of the fixture workspace with every default filled in. */
function defaults(ws: string): Config {
  return {
    apiVersion: 'model-canary/v1',
    model: { name: 'iris', version: '1.0', framework: 'custom' },
    image: {
      repository: 'registry.example:5000/team/iris',
      tag: SHA,
      extraTags: [],
      dockerfile: path.join(ws, 'Dockerfile'),
      context: ws,
      buildArgs: {},
      push: true,
      guards: {
        sizeBudgetMb: 1024,
        size: 'error',
        rootUser: 'error',
        notebooks: 'error',
        datasets: 'error',
        datasetMaxMb: 10,
        git: 'error',
        trainingScripts: 'warn',
        pycache: 'warn',
        secretFiles: 'error',
      },
    },
    scan: {
      enabled: true,
      failOn: ['CRITICAL', 'HIGH'],
      ignoreUnfixed: false,
      ignoreFile: path.join(ws, '.trivyignore'),
      sarif: path.join(ws, 'model-canary-scan.sarif'),
      secrets: 'error',
    },
    render: {
      mode: 'builtin',
      values: {},
      valuesFiles: [],
      output: path.join(ws, '.model-canary', 'rendered.yaml'),
      policy: {
        missingResources: 'error',
        missingReadinessProbe: 'error',
        unpinnedImage: 'error',
        latestTag: 'error',
        privileged: 'error',
        runAsRoot: 'error',
        hostAccess: 'error',
        gpuWithoutTolerations: 'warn',
        replicasWithHpa: 'error',
        inlineSecrets: 'error',
      },
    },
    cluster: { namespace: 'default', fieldManager: 'model-canary' },
    canary: {
      strategy: 'replicas',
      replicas: 1,
      weight: 10,
      readinessTimeoutMs: 300_000,
      maxRestarts: 1,
      lockTimeoutMs: 120_000,
    },
    smoke: {
      enabled: true,
      protocol: 'open-inference-v2',
      port: 8080,
      cases: path.join(ws, 'cases.yaml'),
      generateCases: 0,
      readyTimeoutMs: 120_000,
      warmup: 2,
      concurrency: 2,
      requestTimeoutMs: 10_000,
      maxDurationMs: 120_000,
      thresholds: { errorRate: 0, p95Ms: 1000 },
      parity: { enabled: true, minAgreement: 0.99, relativeTolerance: 0.01 },
    },
    analysis: {
      durationMs: 120_000,
      intervalMs: 10_000,
      maxDurationMs: 600_000,
      mode: 'enforce',
      onInconclusive: 'hold',
      minSamples: 50,
      warmup: 5,
      load: { rps: 5 },
      latency: { margin: 0.1 },
      errors: { maxRate: 0.05 },
      agreement: { minimum: 0.99 },
      postPromotionMs: 30_000,
    },
    decide: { mode: 'auto', onFailure: 'rollback', historyLimit: 10 },
    run: {
      command: 'plan',
      configPath: path.join(ws, 'model-canary.yaml'),
      workspace: ws,
      revision: 'previous',
      commitSha: SHA,
      repository: 'acme/models',
      serverUrl: 'https://github.com',
      runUrl: 'https://github.com/acme/models/actions/runs/42',
      runId: 'acme/models/runs/42/2',
      tempDir: '/tmp/model-canary-run',
    },
  };
}

describe('loadConfig accepts good configs', () => {
  it('maps analysis.prometheus to its typed form: the URL without a trailing slash, the timeout in ms, defaults filled in', () => {
    const ws = fixtureWorkspace({
      'model-canary.yaml': append(
        'analysis:\n  prometheus:\n    url: http://prom.monitoring:9090/prefix/\n    queries:\n      - { name: slow, query: "max(x{track=\\"$track\\"})", max: 2 }\n',
      ),
    });
    expect(loadConfig(inputs(), runEnv(ws)).analysis.prometheus).toEqual({
      url: 'http://prom.monitoring:9090/prefix',
      selector: '',
      quantile: 0.95,
      timeoutMs: 10_000,
      queries: [{ name: 'slow', query: 'max(x{track="$track"})', max: 2 }],
    });
    expect(loadConfig(inputs(), runEnv(fixtureWorkspace())).analysis.prometheus).toBeUndefined();
  });

  it('fills in every default of a minimal config', () => {
    const ws = fixtureWorkspace();
    expect(loadConfig(inputs(), runEnv(ws))).toEqual(defaults(ws));
  });

  it("accepts resources and counts within the limits of model-canary's chart, and leaves your own chart's values to it", () => {
    const resources = 'resources: { requests: { cpu: 500m, memory: 16Ti, nvidia.com/gpu: 8 }, limits: { cpu: 1024, memory: 1.5Gi, ephemeral-storage: 1e12 } }';
    const ours = fixtureWorkspace({ 'model-canary.yaml': append(`render:\n  values:\n    replicas: 1000\n    gpu: { count: 16 }\n    ${resources}\n`) });
    expect(loadConfig(inputs(), runEnv(ours)).render.values['replicas']).toBe(1000);
    const yours = fixtureWorkspace({
      'model-canary.yaml': append('render:\n  mode: chart\n  chart: charts/iris\n  values:\n    replicas: 99999999999\n    resources: { cpu: "1e99" }\n'),
      'charts/iris/Chart.yaml': 'apiVersion: v2\nname: iris\nversion: 0.1.0\n',
    });
    expect(loadConfig(inputs(), runEnv(yours)).render.values['replicas']).toBe(99999999999);
  });

  it('lets the inputs and set overrides win over the model file', () => {
    const ws = fixtureWorkspace({
      'model-canary.yaml': append('  warmup: 5\ncluster:\n  namespace: staging\ncanary:\n  weight: 5\n').replace(
        '  dockerfile: Dockerfile\n',
        '  dockerfile: Dockerfile\n  tag: from-file\n',
      ),
      'charts/keep.txt': '',
    });
    const config = loadConfig(
      inputs({
        command: 'release',
        imageTag: 'v1.2.3',
        namespace: 'prod',
        environment: 'production',
        revision: '7',
        set: ['canary.weight=20', 'smoke.thresholds.p95Ms=250', 'image.push=false', 'model.version="2.0"'],
      }),
      runEnv(ws),
    );
    const expected = defaults(ws);
    expected.image.tag = 'v1.2.3';
    expected.image.push = false;
    expected.model.version = '2.0';
    expected.cluster.namespace = 'prod';
    expected.canary.weight = 20;
    expected.smoke.warmup = 5;
    expected.smoke.thresholds.p95Ms = 250;
    expected.run = { ...expected.run, command: 'release', environment: 'production', revision: '7' };
    expect(config).toEqual(expected);
  });

  it('takes image.tag from the file when no input overrides it, and has no tag without a commit', () => {
    const ws = fixtureWorkspace({ 'model-canary.yaml': edit('  dockerfile: Dockerfile\n', '  dockerfile: Dockerfile\n  tag: from-file\n') });
    expect(loadConfig(inputs(), runEnv(ws)).image.tag).toBe('from-file');
    const bare = fixtureWorkspace();
    const config = loadConfig(inputs(), { workspace: bare, tempDir: '/tmp/x', searchPath: '' });
    expect(config.image.tag).toBe('');
    expect(config.run.commitSha).toBeUndefined();
    expect(config.run.runUrl).toBeUndefined();
    expect(config.run.runId).toMatch(/^local-\d+-\d+$/);
  });

  it('defaults the image template from model.framework and model.artifact', () => {
    const ws = fixtureWorkspace({
      'model-canary.yaml': edit('  dockerfile: Dockerfile\n', '').replace(
        'version: "1.0"\n',
        'version: "1.0"\n  framework: sklearn\n  artifact: model/model.joblib\n',
      ),
      'model/model.joblib': 'joblib bytes',
    });
    const config = loadConfig(inputs(), runEnv(ws));
    expect(config.image.template).toBe('sklearn');
    expect(config.image.dockerfile).toBeUndefined();
    expect(config.model).toEqual({
      name: 'iris',
      version: '1.0',
      framework: 'sklearn',
      artifact: path.join(ws, 'model', 'model.joblib'),
    });
  });

  it('reads durations with several units into milliseconds', () => {
    const ws = fixtureWorkspace({ 'model-canary.yaml': append('  requestTimeout: 1.5s\n  maxDuration: 1h30m\ncanary:\n  lockTimeout: 250ms\n') });
    const config = loadConfig(inputs(), runEnv(ws));
    expect(config.smoke.requestTimeoutMs).toBe(1500);
    expect(config.smoke.maxDurationMs).toBe(5_400_000);
    expect(config.canary.lockTimeoutMs).toBe(250);
  });
});

describe('set overrides', () => {
  const load = (set: string[]): Config => loadConfig(inputs({ set }), runEnv(fixtureWorkspace()));

  it('rejects an override without =', () => {
    expect(() => load(['canary.weight'])).toThrow(
      expect.objectContaining({
        kind: 'user',
        message: '--set "canary.weight" is not path=value.',
        hint: 'Write it as, for example, --set canary.weight=20.',
      }),
    );
    expect(() => load(['=20'])).toThrow('--set "=20" is not path=value.');
  });

  it('rejects __proto__ and other prototype paths, and pollutes nothing', () => {
    expect(() => load(['__proto__.polluted=yes'])).toThrow(
      expect.objectContaining({ kind: 'user', message: '--set "__proto__.polluted=yes" has an invalid path "__proto__.polluted".' }),
    );
    expect(() => load(['canary.constructor.prototype.polluted=yes'])).toThrow('has an invalid path "canary.constructor.prototype.polluted"');
    expect(() => load(['canary..weight=1'])).toThrow('has an invalid path "canary..weight"');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('rejects a list or mapping value', () => {
    expect(() => load(['image.extraTags=[a, b]'])).toThrow('--set "image.extraTags=[a, b]" sets image.extraTags to a list or mapping.');
  });

  it('checks overridden values like the file, with did-you-mean', () => {
    const ws = fixtureWorkspace();
    expect(problemsOf(ws, inputs({ set: ['smoke.thresholds.p95=5'] }))).toEqual(['unknown key smoke.thresholds.p95; did you mean `p95Ms`? (line 8)']);
  });

  it('gives no line for a value only an override set', () => {
    const ws = fixtureWorkspace();
    expect(problemsOf(ws, inputs({ set: ['canary.weight=150'] }))).toEqual(['canary.weight: 150 is over 100']);
  });

  it('is a ModelCanaryError, not a ConfigError', () => {
    let error: unknown;
    try {
      load(['nope']);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ModelCanaryError);
    expect(error).not.toBeInstanceOf(ConfigError);
  });
});

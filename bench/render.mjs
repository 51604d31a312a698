// Render benchmark: `command render` against the bare `helm template` call it makes, on the same values.
//
//   node bench/render.mjs [runs]     (default 20 runs of each)
//
// In one process, alternating, so drift on the machine hits all alike:
//   bare      helm template of model-canary's chart with the values files render passes (one process)
//   render    command render in-process (runEntry, bundled with ncc as dist/ is): load and check the model
//             file, find helm (version cache warm, as on a runner after the first stage), write the values,
//             helm template, parse, set the digest, check the policy, write render.output, the summary
//   cli       node dist/cli/index.js render: the same as a process, so Node's own start-up is in it too
//             (bench/cold-start.mjs measures that start-up on its own)
// The goal is on `render` against `bare`: what render adds to the helm call it cannot avoid.
// The image digest comes from a registry stub on 127.0.0.1 (one HEAD request), as `command render` on its
// own asks the registry for it. Uses the pinned helm in the cluster's cache, or helm on PATH.
// Exits 0 whatever the ratio; 1 only when a run fails.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 20);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`usage: node bench/render.mjs [runs]  (runs must be a whole number >= 1, got ${process.argv[2]})`);
  process.exit(2);
}
const cache = process.env.MODEL_CANARY_CACHE ?? '/var/cache/model-canary';
const pinnedHelm = path.join(cache, 'bin', 'helm-v3.22.0');
const searchPath = [existsSync(path.join(pinnedHelm, 'helm')) ? pinnedHelm : '', process.env.PATH ?? ''].filter(Boolean).join(path.delimiter);
const helm = searchPath
  .split(path.delimiter)
  .map((d) => path.join(d, 'helm'))
  .find((f) => existsSync(f));
if (!helm) {
  console.error('helm was not found (neither in the cluster cache nor on PATH).');
  process.exit(1);
}
const cli = path.join(root, 'dist', 'cli', 'index.js');
if (!existsSync(cli)) {
  console.error('dist/cli/index.js is missing; run npm run build first.');
  process.exit(1);
}

// The stage code, bundled the way dist/ is, inside the repository so it finds templates/chart.
const bundle = path.join(root, 'build', 'bench-render');
rmSync(bundle, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
    'build',
    path.join(root, 'bench/render-entry.ts'),
    '-o',
    bundle,
    '--target',
    'es2022',
    '--quiet',
  ],
  { stdio: 'inherit' },
);
const mc = await import(pathToFileURL(path.join(bundle, 'index.js')).href);

const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
const registry = createServer((req, res) => res.writeHead(req.method === 'HEAD' ? 200 : 404, { 'docker-content-digest': digest }).end());
await new Promise((resolve) => registry.listen(0, '127.0.0.1', resolve));
const registryHost = `127.0.0.1:${registry.address().port}`;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'model-canary-bench-render-'));
const workspace = path.join(scratch, 'workspace');
mkdirSync(workspace);
writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM scratch\n');
writeFileSync(
  path.join(workspace, 'model-canary.yaml'),
  [
    'apiVersion: model-canary/v1',
    'model: { name: iris, version: "1.0.0", framework: sklearn }',
    `image: { repository: "${registryHost}/models/iris", dockerfile: Dockerfile, tag: bench }`,
    'render:',
    '  values:',
    '    resources: { requests: { cpu: 250m, memory: 512Mi }, limits: { memory: 1Gi } }',
    '    autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 6 }',
    '    settings: { LOG_LEVEL: info }',
    'cluster: { namespace: models }',
    'smoke: { enabled: false }',
    '',
  ].join('\n'),
);
const env = { workspace, tempDir: path.join(scratch, 'tmp'), searchPath, cacheDir: path.join(scratch, 'tool-cache') };
const inputs = { ...mc.DEFAULT_INPUTS, command: 'render' };

// The exact values files render hands helm, for the bare call.
const config = mc.loadConfig(inputs, env);
const defaultsFile = path.join(scratch, 'defaults.json');
const valuesFile = path.join(scratch, 'values.json');
writeFileSync(defaultsFile, JSON.stringify(mc.chartDefaults(config)));
writeFileSync(valuesFile, JSON.stringify(mc.chartValues(config, { repository: config.image.repository, digest })));
const bareArgs = ['template', 'iris', mc.chartPath(), '--namespace', 'models', '--skip-tests', '--values', defaultsFile, '--values', valuesFile];

const host = () => {
  const h = { logger: new mc.MemoryLogger(), outputs: undefined, setOutputs: (o) => (h.outputs = o), writeSummary: async () => {}, saveState: () => {} };
  return h;
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Runs a process to its end (asynchronously: the registry stub in this process must keep answering). */
function run(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) =>
      error ? reject(new Error(`${path.basename(file)} ${args[0]} failed: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout),
    );
  });
}

async function bare() {
  const started = now();
  await run(helm, bareArgs);
  return now() - started;
}

async function inProcess() {
  const h = host();
  const started = now();
  const code = await mc.runEntry(h, inputs, env);
  const ms = now() - started;
  if (code !== 0 || h.outputs?.digest !== digest) throw new Error(`command render failed:\n${h.logger.lines.join('\n')}`);
  return ms;
}

async function viaCli() {
  const started = now();
  await run(process.execPath, [cli, 'render', '--config', 'model-canary.yaml'], {
    cwd: workspace,
    env: { PATH: searchPath, HOME: scratch, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: env.tempDir, RUNNER_TOOL_CACHE: env.cacheDir },
  });
  return now() - started;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const describe = (values) => `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;

const times = { bare: [], render: [], cli: [] };
let failed;
try {
  // One untimed run of each: file caches warm, the helm version probe cached as after a job's first stage.
  await bare();
  await inProcess();
  await viaCli();
  for (let i = 0; i < runs; i++) {
    times.bare.push(await bare());
    times.render.push(await inProcess());
    times.cli.push(await viaCli());
  }
} catch (err) {
  failed = err;
}
registry.close();
rmSync(scratch, { recursive: true, force: true });
rmSync(bundle, { recursive: true, force: true });
if (failed) {
  console.error(`bench failed: ${failed instanceof Error ? failed.message : String(failed)}`);
  process.exit(1);
}

const ratio = (a, b) => (median(a) / median(b)).toFixed(2);
console.log(`node ${process.version}, ${helm}, ${runs} runs each, alternating`);
console.log(`helm template (bare):               ${describe(times.bare)}`);
console.log(`command render, in-process:         ${describe(times.render)}`);
console.log(`command render, as a CLI process:   ${describe(times.cli)} (${ratio(times.cli, times.bare)}x, Node start-up included)`);
console.log(
  `render ratio: ${ratio(times.render, times.bare)}x of the medians (goal <= 1.3x); ${(Math.min(...times.render) / Math.min(...times.bare)).toFixed(2)}x of the fastest runs`,
);

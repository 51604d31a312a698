// Cold start of the action: how much longer `node dist/index.js` with command plan takes than `node -e 0`.
//
//   node bench/cold-start.mjs [runs]     (default 15 runs of each; npm run bench:cold-start)
//
// Both commands run alternately in one process, so drift on the machine hits both alike. The plan runs
// as on a runner: a temp copy of test/fixtures/workspace, fresh GITHUB_OUTPUT / GITHUB_STEP_SUMMARY /
// GITHUB_STATE files, and a PATH holding only the fake docker, kubectl, helm and trivy of
// test/fixtures/bin. Each plan run gets an empty tool cache, so it probes the four tool versions the way
// a job's first run does; a second series with a warm version cache is reported for comparison.
// Exits 0 whatever the ratio; exits 1 only when a run fails (then the numbers would mean nothing).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const main = path.join(root, 'dist', 'index.js');
const runs = Number(process.argv[2] ?? 15);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`usage: node bench/cold-start.mjs [runs]  (runs must be a whole number >= 1, got ${process.argv[2]})`);
  process.exit(2);
}
if (!existsSync(main)) {
  console.error(`${path.relative(process.cwd(), main)} is missing; run npm run build first.`);
  process.exit(1);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'model-canary-bench-'));
const workspace = path.join(scratch, 'workspace');
cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
const warmCache = path.join(scratch, 'warm-tool-cache');

/** The environment of the action's main step; nothing inherited from this shell. */
function actionEnv(toolCache) {
  const files = {
    GITHUB_OUTPUT: path.join(scratch, 'github_output'),
    GITHUB_STEP_SUMMARY: path.join(scratch, 'step_summary.md'),
    GITHUB_STATE: path.join(scratch, 'github_state'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return {
    PATH: path.join(root, 'test', 'fixtures', 'bin'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    RUNNER_TEMP: path.join(scratch, 'runner-temp'),
    RUNNER_TOOL_CACHE: toolCache,
    INPUT_COMMAND: 'plan',
    ...files,
  };
}

/** Wall time of one run in ms; throws when the run fails. */
function time(args, env, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`\`node ${args.join(' ')}\` exited with ${result.status}:\n${result.stdout}${result.stderr}`);
  }
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const describe = (values) => `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;

const bare = [];
const cold = [];
const warm = [];
try {
  // One untimed run of each so the file cache holds node and the bundle, as it does on a runner that
  // has just checked the action out.
  time(['-e', '0'], { PATH: '' }, scratch);
  time([main], actionEnv(warmCache), workspace);
  for (let i = 0; i < runs; i++) {
    bare.push(time(['-e', '0'], { PATH: '' }, scratch));
    const fresh = path.join(scratch, `tool-cache-${i}`);
    cold.push(time([main], actionEnv(fresh), workspace));
    rmSync(fresh, { recursive: true, force: true });
    warm.push(time([main], actionEnv(warmCache), workspace));
  }
} catch (err) {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
}
rmSync(scratch, { recursive: true, force: true });

console.log(`node ${process.version}, ${runs} runs each, alternating`);
console.log(`node -e 0:                          ${describe(bare)}`);
console.log(`node dist/index.js plan:            ${describe(cold)}`);
console.log(`  same, warm tool-version cache:    ${describe(warm)} (${(median(warm) / median(bare)).toFixed(2)}x)`);
console.log(`cold-start ratio: ${(median(cold) / median(bare)).toFixed(2)}x (goal <= 2.0x)`);

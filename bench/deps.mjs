// What the toolkit packages model-canary does not load would cost: each is bundled alone with ncc (as
// scripts/build.mjs bundles the action), then the bundle's size and its start time are measured against
// the same bundle of an empty entry, alternately in one run, so drift hits every variant alike.
//
//   node bench/deps.mjs [runs]     (default 20 starts of each; npm run bench:deps)
//
// Variants: empty; @actions/core (what workflow-commands.ts replaces); @actions/github's getOctokit (what
// src/github/api.ts replaces); @actions/exec (what src/exec/exec.ts replaces); @actions/tool-cache (used,
// loaded only to install a tool). Exits 1 only when a bundle fails to build or run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ncc = require('@vercel/ncc');
const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 20);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`usage: node bench/deps.mjs [runs]  (a whole number >= 1, got ${process.argv[2]})`);
  process.exit(2);
}

const variants = {
  empty: '',
  '@actions/core': "import * as core from '@actions/core'; core.info('x');",
  '@actions/github': "import { getOctokit } from '@actions/github'; getOctokit('t');",
  '@actions/exec': "import * as exec from '@actions/exec'; void exec.getExecOutput;",
  '@actions/tool-cache': "import * as tc from '@actions/tool-cache'; void tc.find;",
};

const scratch = mkdtempSync(path.join(os.tmpdir(), 'model-canary-deps-'));
const bundles = {};
try {
  for (const [name, code] of Object.entries(variants)) {
    const entry = path.join(root, 'bench', `.deps-entry-${Object.keys(bundles).length}.mjs`);
    writeFileSync(entry, `${code}\nprocess.stdout.write('');\n`);
    try {
      // As scripts/build.mjs bundles the action: ES module sources into one CommonJS file.
      const { code: out } = await ncc(entry, { target: 'es2022', quiet: true, minify: false, esm: false });
      const file = path.join(scratch, `${Object.keys(bundles).length}.cjs`);
      writeFileSync(file, out);
      bundles[name] = { file, bytes: statSync(file).size, ms: [] };
    } finally {
      rmSync(entry, { force: true });
    }
  }
  // GITHUB_OUTPUT etc. unset: core writes to stdout, which is ignored.
  for (let i = 0; i < runs; i++) {
    for (const b of Object.values(bundles)) {
      const started = process.hrtime.bigint();
      const run = spawnSync(process.execPath, [b.file], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH } });
      if (run.status !== 0) {
        console.error(`bundle ${b.file} failed: ${run.stderr}`);
        process.exit(1);
      }
      b.ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = bundles.empty;
  console.log(`bundle size and start time against an empty bundle (median of ${runs} starts each, one run):`);
  for (const [name, b] of Object.entries(bundles)) {
    if (b === base) continue;
    const extraKb = ((b.bytes - base.bytes) / 1024).toFixed(0);
    const ratio = (median(b.ms) / median(base.ms)).toFixed(2);
    const extraMs = (median(b.ms) - median(base.ms)).toFixed(0);
    console.log(`  ${name.padEnd(20)} +${extraKb} KiB, start ${ratio}x the empty bundle (+${extraMs} ms)`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

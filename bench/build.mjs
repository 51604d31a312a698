#!/usr/bin/env node
// Build benchmark, in one run on this machine (needs Docker, the local registry and `npm run build` first):
//
//  1. Warm rebuild of the iris example with nothing changed: `model-canary build` (the built CLI, dist/) against
//     the bare `docker build` of the same Dockerfile, context and build args, alternated ROUNDS times after one
//     warm-up each; the medians and their ratio (goal: model-canary <= 1.2x docker). model-canary's time includes
//     what it does on top of the build: the builder check, reading the image back for the guards (inspect,
//     history, export and listing of the file system) and the push, which for a warm image sends only the manifest.
//  2. The final image size of each template (sklearn, onnx), built by `model-canary build` from a workspace with
//     only a tiny trained model (and, for onnx, a wheelhouse of onnxruntime made with pip download on the host).
//
// The size budget (image.guards.sizeBudgetMb) we would set: 400 MiB for these templates on a Debian base. They
// come out near 300 MiB: Python 3.11 and its standard library (~35 MiB), numpy with OpenBLAS/LAPACK (~80 MiB),
// then scikit-learn + scipy (~110 MiB) or onnxruntime (~70 MiB), and Debian's own base (~60 MiB). A budget at
// about 1.3x what the model needs catches the usual mistakes at once (a CUDA wheel, compilers left behind, a
// dataset or checkpoint copied in: each adds hundreds of MiB) without failing on a library's next minor release.
// The default stays 1024 MiB because it has to fit any model, GPU-free PyTorch included.
//
//   node bench/build.mjs            ROUNDS=5 node bench/build.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'index.js');
const CACHE = process.env.MODEL_CANARY_CACHE ?? '/var/cache/model-canary';
const REGISTRY = '127.0.0.1:5000';
const ML_IMAGE = `${REGISTRY}/model-canary/debian-ml:bookworm`;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

if (!existsSync(CLI)) {
  console.error('dist/cli/index.js is missing: run `npm run build` first.');
  process.exit(2);
}

function run(cmd, args, options = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: options.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...options.env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${(r.stderr ?? '').slice(-4000)}${(r.stdout ?? '').slice(-2000)}`);
  }
  return { seconds, stdout: r.stdout, stderr: r.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (image) => Number(execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', image], { encoding: 'utf8' }).trim()) / 2 ** 20;

// ---- 1. warm rebuild of the example
const example = path.join(ROOT, 'examples', 'iris');
const mcArgs = [CLI, 'build', '--config', 'examples/iris/model-canary.yaml', '--image-tag', 'bench-warm', '--set', `image.buildArgs.BASE_IMAGE=${ML_IMAGE}`];
const dockerArgs = ['build', '--file', path.join(example, 'Dockerfile'), '--tag', `${REGISTRY}/models/iris:bench-bare`];
dockerArgs.push('--build-arg', `BASE_IMAGE=${ML_IMAGE}`, '--build-arg', 'VARIANT=v1', ROOT);

console.error('warming up: one build each');
run('node', mcArgs);
run('docker', dockerArgs);
const times = { modelCanary: [], docker: [] };
for (let i = 0; i < ROUNDS; i++) {
  times.modelCanary.push(run('node', mcArgs).seconds);
  times.docker.push(run('docker', dockerArgs).seconds);
  console.error(`round ${i + 1}: model-canary build ${times.modelCanary.at(-1).toFixed(2)}s, docker build ${times.docker.at(-1).toFixed(2)}s`);
}
const mc = median(times.modelCanary);
const bare = median(times.docker);

// Where model-canary's extra time goes: the same steps it runs after the build, timed alone on the warm image.
const warmTag = `${REGISTRY}/models/iris:bench-warm`;
const step = (fn) => {
  const t = process.hrtime.bigint();
  fn();
  return Number((Number(process.hrtime.bigint() - t) / 1e9).toFixed(2));
};
const tarDir = mkdtempSync(path.join(os.tmpdir(), 'model-canary-bench-export-'));
const breakdown = {
  nodeStartSeconds: step(() => run('node', [CLI, '--help'])),
  inspectAndHistorySeconds: step(() => {
    run('docker', ['image', 'inspect', warmTag]);
    run('docker', ['history', '--no-trunc', '--human=false', '--format', '{{json .}}', warmTag]);
  }),
  exportAndListSeconds: step(() => {
    const id = run('docker', ['create', warmTag, 'x']).stdout.trim();
    run('docker', ['export', '--output', path.join(tarDir, 'rootfs.tar'), id]);
    run('tar', ['--list', '--verbose', '--numeric-owner', '--file', path.join(tarDir, 'rootfs.tar')]);
    run('docker', ['rm', '--force', id]);
  }),
  pushSeconds: step(() => run('docker', ['push', warmTag])),
};
rmSync(tarDir, { recursive: true, force: true });

// ---- 2. template image sizes
/** Same wheelhouse cache as test/e2e/templates.test.ts: keyed by the requirement list and the target Python. */
function wheelhouse(requirements, py) {
  const target = ['--only-binary=:all:', '--python-version', py, '--implementation', 'cp', '--abi', `cp${py}`];
  for (const p of ['manylinux_2_28_x86_64', 'manylinux_2_17_x86_64', 'manylinux2014_x86_64', 'any']) target.push('--platform', p);
  const key = createHash('sha256')
    .update(JSON.stringify([requirements, target]))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(CACHE, 'wheelhouse', key);
  if (existsSync(path.join(dir, '.complete'))) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  run('python3', ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-cache-dir', '-d', partial, ...target, ...requirements]);
  writeFileSync(path.join(partial, '.complete'), `${requirements.join('\n')}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

const py = run('docker', ['run', '--rm', '--network', 'none', ML_IMAGE, 'python3', '-c', 'import sys; print("%d%d" % sys.version_info[:2])']).stdout.trim();
const runtimeWheels = wheelhouse(['onnxruntime==1.32.0'], py);
const convertWheels = wheelhouse(['skl2onnx==1.20.0', 'onnx==1.23.2', 'ml_dtypes==0.5.4'], py);
const fixture = path.join(ROOT, 'test', 'e2e', 'fixtures', 'templates');
const sizes = {};
const tmp = mkdtempSync(path.join(os.tmpdir(), 'model-canary-bench-'));
try {
  for (const [template, artifact] of [
    ['sklearn', 'model.joblib'],
    ['onnx', 'model.onnx'],
  ]) {
    const ws = path.join(tmp, template);
    mkdirSync(ws);
    const mounts = ['-v', `${ws}:/out`, '-v', `${fixture}:/src:ro`, '-v', `${convertWheels}:/wheels:ro`];
    const script =
      template === 'onnx'
        ? 'PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q --no-index --find-links /wheels --prefix /tmp/c --root-user-action=ignore skl2onnx onnx && PYTHONPATH=/tmp/c/local/lib/python3.11/dist-packages python3 /src/train.py --out-dir /out --onnx'
        : 'python3 /src/train.py --out-dir /out';
    run('docker', ['run', '--rm', '--network', 'none', ...mounts, ML_IMAGE, 'sh', '-c', script]);
    if (template === 'onnx') {
      mkdirSync(path.join(ws, 'wheels'));
      for (const f of readdirSync(runtimeWheels).filter((f) => f.endsWith('.whl'))) cpSync(path.join(runtimeWheels, f), path.join(ws, 'wheels', f));
    }
    const config = [
      'apiVersion: model-canary/v1',
      `model: { name: bench-${template}, version: "1.0.0", artifact: ${artifact} }`,
      'image:',
      `  repository: ${REGISTRY}/bench/${template}`,
      `  template: ${template}`,
      ...(template === 'onnx' ? ['  wheelhouse: wheels'] : []),
      `  buildArgs: { BASE_IMAGE: "${ML_IMAGE}" }`,
      'smoke: { enabled: false }',
      '',
    ].join('\n');
    writeFileSync(path.join(ws, 'model-canary.yaml'), config);
    const built = run('node', [CLI, 'build', '--image-tag', 'bench', '--workspace', ws, '--config', 'model-canary.yaml'], { cwd: ws });
    sizes[template] = { mib: mib(`${REGISTRY}/bench/${template}:bench`), buildSeconds: built.seconds };
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const result = {
  warmRebuild: {
    rounds: ROUNDS,
    modelCanaryBuildSeconds: Number(mc.toFixed(2)),
    dockerBuildSeconds: Number(bare.toFixed(2)),
    ratio: Number((mc / bare).toFixed(2)),
    goal: 1.2,
    breakdown,
    all: { modelCanary: times.modelCanary.map((t) => Number(t.toFixed(2))), docker: times.docker.map((t) => Number(t.toFixed(2))) },
  },
  templateImageMiB: Object.fromEntries(Object.entries(sizes).map(([t, s]) => [t, Number(s.mib.toFixed(1))])),
  suggestedSizeBudgetMb: 400,
};
console.log(
  `warm rebuild of examples/iris: model-canary build ${mc.toFixed(2)}s, docker build ${bare.toFixed(2)}s, ratio ${result.warmRebuild.ratio}x (goal <= 1.2x)`,
);
console.log(
  `  of model-canary's time: node start ${breakdown.nodeStartSeconds}s, inspect+history ${breakdown.inspectAndHistorySeconds}s, export+listing for the guards ${breakdown.exportAndListSeconds}s, push ${breakdown.pushSeconds}s`,
);
for (const [t, s] of Object.entries(sizes)) console.log(`template ${t}: final image ${s.mib.toFixed(1)} MiB (cold-ish build ${s.buildSeconds.toFixed(1)}s)`);
console.log(JSON.stringify(result, null, 2));

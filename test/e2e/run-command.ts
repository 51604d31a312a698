import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runEntry } from '../../src/commands/entry.js';
import { DEFAULT_INPUTS, type RawInputs, type RunEnvironment } from '../../src/config/inputs.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { tempDir } from '../helpers/temp.js';
import { REGISTRY, REPO_ROOT } from './cluster-env.js';

// Runs model-canary commands in-process against the real Docker engine, registry and tools: a temporary
// workspace with a model file, and the same entry the action and the CLI use.

const CACHE = process.env['MODEL_CANARY_CACHE'] ?? '/var/cache/model-canary';
const BUILDX = path.join(CACHE, 'bin', 'buildx-v0.38.2', 'buildx');
export const BASE_IMAGE = `${REGISTRY}/model-canary/debian-python:bookworm`;

/** The offline Trivy database of invented advisories (cluster/trivy-db.sh), built once and cached. */
export function trivyCacheDir(): string {
  return (
    execFileSync('bash', [path.join(REPO_ROOT, 'cluster', 'trivy-db.sh')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop() ?? ''
  );
}

/** Tool folders built by cluster/build.sh, first on the PATH the commands search. */
export function toolPath(): string {
  const versions = ['trivy-v0.74.0', 'helm-v3.22.0', 'kubernetes-v1.34.4'].map((d) => path.join(CACHE, 'bin', d));
  return [...versions, process.env['PATH'] ?? ''].join(path.delimiter);
}

export function dockerConfig(withBuildx: boolean): string {
  const dir = tempDir('docker-config-');
  if (withBuildx) {
    mkdirSync(path.join(dir, 'cli-plugins'));
    symlinkSync(BUILDX, path.join(dir, 'cli-plugins', 'docker-buildx'));
  }
  return dir;
}

export function workspace(files: Record<string, string | Buffer>, config: string): string {
  const ws = tempDir('build-ws-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
    writeFileSync(path.join(ws, name), content);
  }
  writeFileSync(path.join(ws, 'model-canary.yaml'), config);
  return ws;
}

function env(ws: string, sha: string): RunEnvironment {
  return {
    workspace: ws,
    tempDir: tempDir('build-tmp-'),
    searchPath: toolPath(),
    commitSha: sha,
    repository: 'model-canary/e2e',
    serverUrl: 'https://github.example',
  };
}

/** Runs a command with extra environment variables (DOCKER_CONFIG, TRIVY_*) set only for its duration. */
export async function runCommandIn(
  ws: string,
  sha: string,
  vars: Record<string, string>,
  inputs: Partial<RawInputs> = {},
): Promise<{ code: number; host: MemoryHost }> {
  const host = new MemoryHost();
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    const code = await runEntry(host, { ...DEFAULT_INPUTS, command: 'build', ...inputs }, env(ws, sha));
    return { code, host };
  } finally {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A 40-hex commit SHA unique to this run, so tags never collide across runs. */
export function uniqueSha(): string {
  return `${Date.now().toString(16)}${Math.random().toString(16).slice(2)}${'0'.repeat(40)}`.slice(0, 40);
}

export const SERVER_DOCKERFILE = [
  'ARG BASE_IMAGE',
  'FROM ${BASE_IMAGE}',
  'COPY server.py /app/server.py',
  'USER 10001:10001',
  'CMD ["python3", "/app/server.py"]',
  '',
].join('\n');

export const modelFile = (name: string, extra = ''): string =>
  [
    'apiVersion: model-canary/v1',
    `model: { name: ${name}, version: "1.0.0" }`,
    'image:',
    `  repository: ${REGISTRY}/e2e/${name}`,
    '  dockerfile: Dockerfile',
    `  buildArgs: { BASE_IMAGE: "${BASE_IMAGE}" }`,
    extra,
    'smoke: { enabled: false }',
    'analysis: { duration: 0s, postPromotion: 0s }',
    '',
  ].join('\n');

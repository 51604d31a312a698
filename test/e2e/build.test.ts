import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEntry } from '../../src/commands/entry.js';
import { DEFAULT_INPUTS, type RawInputs, type RunEnvironment } from '../../src/config/inputs.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';
import { exec, REGISTRY } from './cluster-env.js';

// `command: build` for real: the local Docker engine builds, the local registry receives the push, and
// the guards read the image itself. Both builders run: the buildx plugin (built from the Go module proxy
// by cluster/build.sh, as runners have it) and the legacy builder (Debian's docker.io has no buildx).

const CACHE = process.env['MODEL_CANARY_CACHE'] ?? '/var/cache/model-canary';
const BUILDX = path.join(CACHE, 'bin', 'buildx-v0.38.2', 'buildx');
const BASE_IMAGE = `${REGISTRY}/model-canary/debian-python:bookworm`;

function dockerConfig(withBuildx: boolean): string {
  const dir = tempDir('docker-config-');
  if (withBuildx) {
    mkdirSync(path.join(dir, 'cli-plugins'));
    symlinkSync(BUILDX, path.join(dir, 'cli-plugins', 'docker-buildx'));
  }
  return dir;
}

function workspace(files: Record<string, string | Buffer>, config: string): string {
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
    searchPath: process.env['PATH'] ?? '',
    commitSha: sha,
    repository: 'model-canary/e2e',
    serverUrl: 'https://github.example',
  };
}

async function build(ws: string, sha: string, dockerConfigDir: string, extra: Partial<RawInputs> = {}): Promise<{ code: number; host: MemoryHost }> {
  const host = new MemoryHost();
  const previous = process.env['DOCKER_CONFIG'];
  process.env['DOCKER_CONFIG'] = dockerConfigDir;
  try {
    const code = await runEntry(host, { ...DEFAULT_INPUTS, command: 'build', ...extra }, env(ws, sha));
    return { code, host };
  } finally {
    if (previous === undefined) delete process.env['DOCKER_CONFIG'];
    else process.env['DOCKER_CONFIG'] = previous;
  }
}

const SERVER_DOCKERFILE = [
  'ARG BASE_IMAGE',
  'FROM ${BASE_IMAGE}',
  'COPY server.py /app/server.py',
  'USER 10001:10001',
  'CMD ["python3", "/app/server.py"]',
  '',
].join('\n');

const config = (name: string, extra = ''): string =>
  [
    'apiVersion: model-canary/v1',
    `model: { name: ${name}, version: "1.0.0" }`,
    'image:',
    `  repository: ${REGISTRY}/e2e/${name}`,
    '  dockerfile: Dockerfile',
    `  buildArgs: { BASE_IMAGE: "${BASE_IMAGE}" }`,
    extra,
    'smoke: { enabled: false }',
    '',
  ].join('\n');

afterAll(removeTempDirs);

describe.each([
  { builder: 'buildx', withBuildx: true },
  { builder: 'legacy', withBuildx: false },
])('command build with the $builder builder', ({ builder, withBuildx }) => {
  it('builds, passes the guards, pushes by digest and labels the image', async () => {
    const name = `hello-${builder}`;
    const sha = `${Date.now().toString(16)}${'a'.repeat(40)}`.slice(0, 40);
    const ws = workspace({ Dockerfile: SERVER_DOCKERFILE, 'server.py': 'print("serving")\n' }, config(name));
    const { code, host } = await build(ws, sha, dockerConfig(withBuildx));
    expect(code, host.log).toBe(0);
    expect(host.log).toContain(withBuildx ? 'with docker buildx' : 'with the legacy docker builder');
    const outputs = host.outputs;
    expect(outputs?.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(outputs?.image).toBe(`${REGISTRY}/e2e/${name}@${outputs?.digest}`);

    // The registry serves that digest for the SHA tag.
    const manifest = await fetch(`http://${REGISTRY}/v2/e2e/${name}/manifests/${sha}`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(outputs?.digest);

    // Labels read back from the image itself.
    const inspect = await exec('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', `${REGISTRY}/e2e/${name}:${sha}`]);
    const labels = JSON.parse(inspect.stdout) as Record<string, string>;
    expect(labels).toMatchObject({
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.source': 'https://github.example/model-canary/e2e',
      'dev.model-canary.model.name': name,
      'dev.model-canary.model.version': '1.0.0',
    });
    expect(Date.parse(labels['org.opencontainers.image.created'] ?? '')).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(host.summary).toContain('### Image');
  }, 300_000);
});

describe('content guards on a fat image', () => {
  it('fails with the notebook, the dataset and the root user named, and pushes nothing', async () => {
    const name = 'fat';
    const sha = `${Date.now().toString(16)}${'b'.repeat(40)}`.slice(0, 40);
    const dataset = Buffer.alloc(12 * 1024 * 1024, 'x');
    const dockerfile = ['ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}', 'COPY . /app', 'CMD ["python3", "/app/server.py"]', ''].join('\n');
    const ws = workspace(
      { Dockerfile: dockerfile, 'server.py': 'print(1)\n', 'explore.ipynb': '{"cells": []}', 'data/train.csv': dataset },
      config(name),
    );
    const { code, host } = await build(ws, sha, dockerConfig(false));
    expect(code).toBe(1);
    const error = host.logger.lines.filter((l) => l.startsWith('error:')).join('\n');
    expect(error).toContain('notebooks: the image holds notebooks: /app/explore.ipynb. Add `*.ipynb` to .dockerignore.');
    expect(error).toMatch(/datasets: the image holds datasets over 10 MiB: \/app\/data\/train\.csv \(12\.0 MiB\)/);
    expect(error).toContain('rootUser: the image runs as root (User is unset). Add a numeric non-root user to the Dockerfile');
    expect(host.outputs?.digest).toBe('');
    const manifest = await fetch(`http://${REGISTRY}/v2/e2e/${name}/manifests/${sha}`);
    expect(manifest.status).toBe(404);
  }, 300_000);
});


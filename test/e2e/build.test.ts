import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../helpers/temp.js';
import { exec, REGISTRY } from './cluster-env.js';
import { dockerConfig, modelFile, runCommandIn, SERVER_DOCKERFILE, uniqueSha, workspace } from './run-command.js';

// `command: build` for real: the local Docker engine builds, the local registry receives the push, and
// the guards read the image itself. Both builders run: the buildx plugin (built from the Go module proxy
// by cluster/build.sh, as runners have it) and the legacy builder (Debian's docker.io has no buildx).

afterAll(removeTempDirs);

describe.each([
  { builder: 'buildx', withBuildx: true },
  { builder: 'legacy', withBuildx: false },
])('command build with the $builder builder', ({ builder, withBuildx }) => {
  it('builds, passes the guards, pushes by digest and labels the image', async () => {
    const name = `hello-${builder}`;
    const sha = uniqueSha();
    const ws = workspace({ Dockerfile: SERVER_DOCKERFILE, 'server.py': 'print("serving")\n' }, modelFile(name));
    const { code, host } = await runCommandIn(ws, sha, { DOCKER_CONFIG: dockerConfig(withBuildx) });
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
    const sha = uniqueSha();
    const dataset = Buffer.alloc(12 * 1024 * 1024, 'x');
    const dockerfile = ['ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}', 'COPY . /app', 'CMD ["python3", "/app/server.py"]', ''].join('\n');
    const ws = workspace({ Dockerfile: dockerfile, 'server.py': 'print(1)\n', 'explore.ipynb': '{"cells": []}', 'data/train.csv': dataset }, modelFile(name));
    const { code, host } = await runCommandIn(ws, sha, { DOCKER_CONFIG: dockerConfig(false) });
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

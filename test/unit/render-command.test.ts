import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntry } from '../../src/commands/entry.js';
import { DEFAULT_INPUTS } from '../../src/config/inputs.js';
import { baseUrl, lookupDigest } from '../../src/render/digest.js';
import { parseObjects } from '../../src/render/objects.js';
import { parseImageRef } from '../../src/image/image-ref.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { makeWorkspace, removeTempDirs, tempDir } from '../helpers/temp.js';
import { DIGEST } from '../fixtures/render/context.js';

// `command render` as the action and the CLI run it, with the process edge faked by a helm script and the
// registry by a local HTTP server that asks for a bearer token, as registries do.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let registry = '';
let handler: Handler = (_req, res) => res.writeHead(500).end();
const seen: { method: string; url: string; authorization: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? '' });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  removeTempDirs();
});

/** A registry that hands out a token for basic credentials u:pw-3xq9 and serves team/iris:v1 with DIGEST. */
function tokenRegistry(): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', `http://${registry}`);
    if (url.pathname === '/token') {
      if (req.headers.authorization !== `Basic ${Buffer.from('u:pw-3xq9').toString('base64')}`) return void res.writeHead(401).end();
      if (url.searchParams.get('scope') !== 'repository:team/iris:pull' || url.searchParams.get('service') !== 'test-registry')
        return void res.writeHead(400).end();
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'T0K' }));
    }
    if (req.headers.authorization !== 'Bearer T0K') {
      return void res
        .writeHead(401, { 'www-authenticate': `Bearer realm="http://${registry}/token",service="test-registry",scope="repository:team/iris:pull"` })
        .end();
    }
    if (req.method === 'HEAD' && url.pathname === '/v2/team/iris/manifests/v1') return void res.writeHead(200, { 'docker-content-digest': DIGEST }).end();
    res.writeHead(404).end();
  };
}

describe('lookupDigest', () => {
  it("answers the bearer challenge with the run's credentials and reads Docker-Content-Digest", async () => {
    handler = tokenRegistry();
    seen.length = 0;
    expect(await lookupDigest({ repository: `${registry}/team/iris`, tag: 'v1', auth: { username: 'u', password: 'pw-3xq9' } })).toBe(DIGEST);
    expect(seen.map((s) => `${s.method} ${s.url.split('?')[0]}`)).toEqual(['HEAD /v2/team/iris/manifests/v1', 'GET /token', 'HEAD /v2/team/iris/manifests/v1']);
  });

  it('says why it could not: no credentials, no such tag, no registry host', async () => {
    handler = tokenRegistry();
    await expect(lookupDigest({ repository: `${registry}/team/iris`, tag: 'v1' })).rejects.toThrow(
      /token service answered 401; a private image needs MODEL_CANARY_REGISTRY_USERNAME/,
    );
    await expect(lookupDigest({ repository: `${registry}/team/iris`, tag: 'v2', auth: { username: 'u', password: 'pw-3xq9' } })).rejects.toThrow(
      `the registry has no ${registry}/team/iris:v2 (was it built and pushed?)`,
    );
    await expect(lookupDigest({ repository: 'team/iris', tag: 'v1' })).rejects.toThrow('team/iris names no registry host');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(lookupDigest({ repository: `127.0.0.1:${port}/team/iris`, tag: 'v1' })).rejects.toThrow(
      `could not reach http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    handler = () => undefined; // never answers
    await expect(lookupDigest({ repository: `${registry}/team/iris`, tag: 'v1', timeoutMs: 200 })).rejects.toThrow(
      `http://${registry} did not answer within 0.2s`,
    );
  });

  it('speaks HTTPS except to a registry on this machine', () => {
    expect(baseUrl(parseImageRef('127.0.0.1:5000/a'))).toBe('http://127.0.0.1:5000');
    expect(baseUrl(parseImageRef('localhost/a'))).toBe('http://localhost');
    expect(baseUrl(parseImageRef('registry.example:5000/a'))).toBe('https://registry.example:5000');
  });
});

describe('command render', () => {
  /** A fake helm on PATH: prints its version, or the objects in $FAKE_HELM_OUTPUT for `helm template`. */
  function fakeHelm(output: string): string {
    const bin = tempDir('fake-helm-');
    const objects = path.join(bin, 'objects.yaml');
    writeFileSync(objects, output);
    writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\ncase "$1" in\n  version) echo v3.22.0 ;;\n  template) cat '${objects}' ;;\nesac\n`);
    chmodSync(path.join(bin, 'helm'), 0o755);
    return bin;
  }

  const deployment = (resources: string): string =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: iris, namespace: models }',
      'spec:',
      '  template:',
      '    spec:',
      '      securityContext: { runAsNonRoot: true }',
      '      containers:',
      `        - { name: model-server, image: "${registry}/team/iris:v1", readinessProbe: {}, resources: ${resources} }`,
      '',
    ].join('\n');

  async function renderCommand(output: string): Promise<{ code: number; host: MemoryHost; ws: string }> {
    handler = tokenRegistry();
    const ws = makeWorkspace({
      Dockerfile: 'FROM scratch\n',
      'model-canary.yaml': [
        'apiVersion: model-canary/v1',
        'model: { name: iris, version: "1.0.0" }',
        `image: { repository: "${registry}/team/iris", dockerfile: Dockerfile, tag: v1 }`,
        'cluster: { namespace: models }',
        'smoke: { enabled: false }',
        '',
      ].join('\n'),
    });
    const host = new MemoryHost();
    const code = await runEntry(
      host,
      { ...DEFAULT_INPUTS, command: 'render' },
      {
        workspace: ws,
        tempDir: tempDir('render-cmd-tmp-'),
        searchPath: fakeHelm(output),
        registryUsername: 'u',
        registryPassword: 'pw-3xq9',
      },
    );
    return { code, host, ws };
  }

  it("pins the image by the registry's digest, writes render.output, and sets the outputs and the summary", async () => {
    const { code, host, ws } = await renderCommand(deployment('{ requests: { cpu: 1, memory: 1Gi }, limits: { memory: 1Gi } }'));
    expect(code, host.log).toBe(0);
    const output = path.join(ws, '.model-canary', 'rendered.yaml');
    expect(host.outputs).toMatchObject({ image: `${registry}/team/iris@${DIGEST}`, digest: DIGEST, report: output });
    const [object] = parseObjects(readFileSync(output, 'utf8'), 'render.output');
    expect(JSON.stringify(object)).toContain(`${registry}/team/iris@${DIGEST}`);
    expect(host.summary).toContain('| render | ✅ ok |');
    expect(host.summary).toContain('### Rendered objects');
    expect(host.summary).toContain('| Deployment | iris | replicas from its autoscaler |');
  });

  it('fails on a policy error with the findings in the summary and the file written', async () => {
    const { code, host } = await renderCommand(deployment('{}'));
    expect(code).toBe(1);
    expect(host.log).toContain(
      'error: policy missingResources: Deployment/iris spec.template.spec.containers[0].resources: container "model-server" has no requests.cpu',
    );
    expect(host.summary).toContain('**Policy findings**');
    expect(host.summary).toContain('The rendered objects break 1 policy rule(s)');
    expect(host.outputs?.report).toMatch(/rendered\.yaml$/);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessCounter } from '../../src/exec/exec.js';
import { KubeClient } from '../../src/kube/client.js';
import { httpRequest, unixBase } from '../../src/kube/http.js';
import { startKubeProxy } from '../../src/kube/proxy.js';
import { MemoryLogger } from '../../src/log/logger.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(removeTempDirs);

/**
 * A stand-in for `kubectl proxy --unix-socket=PATH`: serves an API-server-like answer on the socket and
 * prints kubectl's line. It records its argv, so the test sees that no TCP port was asked for.
 */
function fakeKubectl(): { bin: string; argvFile: string } {
  const dir = tempDir('proxy-bin-');
  const argvFile = path.join(dir, 'argv.json');
  const bin = path.join(dir, 'kubectl');
  writeFileSync(
    bin,
    [
      `#!${process.execPath}`,
      "const http = require('node:http');",
      `require('node:fs').writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(process.argv.slice(2)));`,
      "const socket = process.argv.find((a) => a.startsWith('--unix-socket=')).slice('--unix-socket='.length);",
      "http.createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ kind: 'APIVersions', path: req.url })); })",
      "  .listen(socket, () => console.log('Starting to serve on ' + socket));",
      '',
    ].join('\n'),
  );
  chmodSync(bin, 0o755);
  return { bin, argvFile };
}

describe("the run's kubectl proxy", () => {
  it('serves on a 0600 Unix socket in a 0700 folder of its own, no TCP port, and is removed on stop', async () => {
    const { bin, argvFile } = fakeKubectl();
    const socketDir = tempDir('proxy-sock-');
    const proxy = await startKubeProxy(new MemoryLogger(), new ProcessCounter(), bin, { socketDir, context: 'ci' });
    try {
      const argv = JSON.parse(readFileSync(argvFile, 'utf8')) as string[];
      expect(argv.filter((a) => a.startsWith('--port') || a.startsWith('--address'))).toEqual([]);
      expect(argv).toEqual(expect.arrayContaining(['proxy', '--keepalive=30s', '--context', 'ci']));
      const socket = decodeURIComponent(proxy.url.replace(/^unix:\/\//, ''));
      expect(path.dirname(path.dirname(socket))).toBe(socketDir);
      expect(statSync(socket).isSocket()).toBe(true);
      expect(statSync(socket).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);
      // The one client reaches it through the socket.
      const client = new KubeClient(proxy.url, new MemoryLogger());
      expect(await client.get<{ path: string }>('/api?x=1')).toEqual({ kind: 'APIVersions', path: '/api?x=1' });
    } finally {
      await proxy.stop();
    }
    expect(existsSync(path.dirname(decodeURIComponent(proxy.url.replace(/^unix:\/\//, ''))))).toBe(false);
    await proxy.stop(); // twice is harmless
  });

  it.runIf(process.getuid?.() === 0)('another local user cannot connect to it (run as root: tried as nobody)', async () => {
    const { bin } = fakeKubectl();
    const socketDir = tempDir('proxy-sock-');
    chmodSync(socketDir, 0o755); // the parent is open: only the proxy's own folder and socket keep others out
    const proxy = await startKubeProxy(new MemoryLogger(), new ProcessCounter(), bin, { socketDir });
    try {
      const socket = decodeURIComponent(proxy.url.replace(/^unix:\/\//, ''));
      const probe = `require('node:http').get({ socketPath: ${JSON.stringify(socket)}, path: '/api' }, (r) => { console.log('CONNECTED ' + r.statusCode); process.exit(0); }).on('error', (e) => { console.log('REFUSED ' + e.code); process.exit(0); });`;
      const asNobody = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', probe], { encoding: 'utf8', timeout: 20_000 });
      expect(asNobody.stdout.trim()).toBe('REFUSED EACCES');
      // The same probe as this user connects: the refusal above is the permissions, not a broken socket.
      expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim()).toBe('CONNECTED 200');
    } finally {
      await proxy.stop();
    }
  });
});

describe('httpRequest over TCP and Unix sockets', () => {
  it('builds socket URLs that take an appended path, and refuses other schemes', async () => {
    expect(unixBase('/tmp/a b/proxy.sock')).toBe('unix://%2Ftmp%2Fa%20b%2Fproxy.sock');
    await expect(httpRequest('ftp://x/y', { method: 'GET' })).rejects.toThrow(/unsupported URL/);
  });

  it('reports a missing socket with its code, as a connection refused would be', async () => {
    const err = await httpRequest(`${unixBase(path.join(tempDir('nosock-'), 'gone.sock'))}/api`, { method: 'GET' }).catch(
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('a timeout is a TimeoutError, as fetch reports it', async () => {
    // A server that never answers: a socket someone listens on and ignores.
    const dir = tempDir('slow-');
    const socket = path.join(dir, 's.sock');
    const server = (await import('node:net')).createServer(() => undefined).listen(socket);
    try {
      const err = await httpRequest(`${unixBase(socket)}/x`, { method: 'GET', signal: AbortSignal.timeout(200) }).catch((e: unknown) => e as Error);
      expect((err as Error).name).toBe('TimeoutError');
    } finally {
      server.close();
    }
  });
});

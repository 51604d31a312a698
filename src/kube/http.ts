import http from 'node:http';
import https from 'node:https';

/*
 * HTTP to the run's kubectl proxy and to pods, over TCP or a Unix socket. The proxy listens on a Unix
 * socket in a folder only this user can enter (./proxy.ts), which fetch cannot reach; node:http can
 * (socketPath). A base URL for a socket is `unix://<the socket path, percent-encoded>`, so code that
 * builds URLs by appending a path (`${base}/api/v1/...`) works for both.
 */

/** The base URL of a server on a Unix socket. */
export function unixBase(socketPath: string): string {
  return `unix://${encodeURIComponent(socketPath)}`;
}

export interface HttpCall {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  /** Aborts the call; an abort error has name 'AbortError' or 'TimeoutError', as with fetch. */
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  /** The body, as it arrives (a watch reads it as a stream). */
  stream: AsyncIterable<Buffer>;
  /** The whole body as text. */
  text(): Promise<string>;
}

interface Target {
  socketPath?: string;
  protocol: 'http:' | 'https:';
  hostname: string;
  port?: string;
  path: string;
}

function target(url: string): Target {
  const unix = /^unix:\/\/([^/]+)(\/.*)?$/.exec(url);
  if (unix) return { socketPath: decodeURIComponent(unix[1] as string), protocol: 'http:', hostname: 'localhost', path: unix[2] ?? '/' };
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`internal: unsupported URL ${url}`);
  return { protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), ...(u.port ? { port: u.port } : {}), path: `${u.pathname}${u.search}` };
}

/** One HTTP request; resolves once the status and headers are in. Errors carry node's `code` (ECONNREFUSED...). */
export function httpRequest(url: string, call: HttpCall): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const t = target(url);
    const lib = t.protocol === 'https:' ? https : http;
    const headers = { ...call.headers };
    if (call.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(call.body));
    const req = lib.request(
      {
        method: call.method,
        path: t.path,
        headers,
        ...(t.socketPath ? { socketPath: t.socketPath } : { hostname: t.hostname, ...(t.port ? { port: t.port } : {}) }),
        ...(call.signal ? { signal: call.signal } : {}),
      },
      (res) => {
        const answer: HttpAnswer = {
          status: res.statusCode ?? 0,
          stream: res,
          async text() {
            const chunks: Buffer[] = [];
            for await (const chunk of res) chunks.push(chunk as Buffer);
            return Buffer.concat(chunks).toString('utf8');
          },
        };
        resolve(answer);
      },
    );
    req.on('error', (err) => reject(abortReason(err, call.signal)));
    if (call.body !== undefined) req.write(call.body);
    req.end();
  });
}

/** node:http reports an abort as AbortError whatever the reason; a timeout signal's reason says TimeoutError. */
function abortReason(err: Error, signal: AbortSignal | undefined): Error {
  if (signal?.aborted && signal.reason instanceof Error && signal.reason.name === 'TimeoutError') return signal.reason;
  return err;
}

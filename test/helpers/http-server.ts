import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Requests received, by path. */
  hits: Map<string, number>;
  /** Serves body at path from now on (replacing what was there). */
  serve(path: string, body: Buffer | string): void;
  close(): Promise<void>;
}

/** A local HTTP server on a random port of 127.0.0.1 serving fixed bodies; 404 for anything else. */
export async function startFileServer(): Promise<FileServer> {
  const bodies = new Map<string, Buffer>();
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = bodies.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    serve(path, body) {
      bodies.set(path, Buffer.isBuffer(body) ? body : Buffer.from(body));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../../src/smoke/cases.js';
import { kserveV1 } from '../../src/smoke/protocols/kserve-v1.js';
import { runCase } from '../../src/smoke/send.js';
import { DirectChannel } from '../../src/smoke/transport/channel.js';
import type { SmokeCase } from '../../src/smoke/types.js';

// A tiny batch server of our own: POST /jobs takes {"instances": rows} and answers 202 {"id"}; GET /jobs/ID
// answers 202 {"status": "running"} for a while, then 200 {"status": "done", "result": {"predictions": sums}}.
// Rows holding a negative number make a job that fails; rows holding 999 a job that never finishes.
interface Job {
  rows: number[][];
  polls: number;
}
const jobs = new Map<string, Job>();
let server: Server;
let base = '';
let posts = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'POST' && req.url === '/jobs') {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        posts++;
        const id = `job-${jobs.size + 1}`;
        jobs.set(id, { rows: (JSON.parse(text) as { instances: number[][] }).instances, polls: 0 });
        json(202, { id, status: 'queued' });
      });
      return;
    }
    const job = jobs.get(/^\/jobs\/(.+)$/.exec(req.url ?? '')?.[1] ?? '');
    if (!job) return json(404, { error: 'no such job' });
    job.polls++;
    if (job.rows.flat().includes(999) || job.polls < 3) return json(202, { status: 'running' });
    if (job.rows.flat().some((v) => v < 0)) return json(200, { status: 'failed', error: 'negative input' });
    json(200, { status: 'done', result: { predictions: job.rows.map((r) => r.reduce((a, b) => a + b, 0)) } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const batch = loadCases(path.resolve(import.meta.dirname, '..', 'fixtures', 'smoke', 'cases.yaml')).find((c) => c.name === 'batch-job') as SmokeCase;
const protocol = kserveV1('sum');

describe('an asynchronous batch case', () => {
  it('submits the job, polls the result until done and judges its outputs', async () => {
    const r = await runCase(new DirectChannel(base), protocol, batch, 'pod-a', 'canary', 2000);
    expect(r).toMatchObject({ case: 'batch-job', verdict: 'pass', status: 200, outputs: [3, 7], why: [] });
    expect(r.latencyMs).toBeGreaterThanOrEqual(40); // two polls of 20 ms before done
    expect(posts).toBe(1);
  });

  it('fails a job the server says failed, and one not done within the budget', async () => {
    const failing = await runCase(new DirectChannel(base), protocol, { ...batch, name: 'neg', inputs: [[-1, 2]] }, 'pod-a', 'canary', 2000);
    expect(failing.verdict).toBe('fail');
    expect(failing.why[0]).toMatch(/job job-\d+ failed/);
    const stuck = await runCase(
      new DirectChannel(base),
      protocol,
      { ...batch, name: 'stuck', inputs: [[999, 1]], async: { ...batch.async!, budgetMs: 150 } },
      'pod-a',
      'canary',
      2000,
    );
    expect(stuck.verdict).toBe('fail');
    expect(stuck.why[0]).toMatch(/not done within 150 ms/);
  });

  it('fails when the outputs are wrong', async () => {
    const wrong = await runCase(new DirectChannel(base), protocol, { ...batch, expect: { outputs: [3, 8] } }, 'pod-a', 'canary', 2000);
    expect(wrong.verdict).toBe('fail');
    expect(wrong.why).toEqual(['outputs [3,7], expected [3,8]']);
  });
});

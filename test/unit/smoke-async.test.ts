import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../../src/smoke/cases.js';
import { kserveV1 } from '../../src/smoke/protocols/kserve-v1.js';
import { runCase } from '../../src/smoke/send.js';
import { DirectChannel } from '../../src/smoke/transport/channel.js';
import { jobLines } from '../../src/smoke/report.js';
import type { CaseResult, SmokeCase } from '../../src/smoke/types.js';

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

// model-canary's own job API (templates/docker/README.md, "Batch jobs"): POST /v1/jobs {"inputs": rows, "track"},
// GET /v1/jobs/ID with the worker's track and the job's times. A row holding 77 is run by stable's workers whatever
// track it was submitted for (a canary with no worker to take it); one holding 88 answers a result without predictions.
describe("an asynchronous case on model-canary's job API", () => {
  const submitted: { inputs: number[][]; track?: string }[] = [];
  let jobApi: Server;
  let url = '';
  const jobCase = (rows: number[][]): SmokeCase => ({
    name: 'job',
    inputs: rows,
    expect: { outputs: rows.map((r) => r.length) },
    async: { submitPath: '/v1/jobs', resultPath: '/v1/jobs/{id}', inputsField: 'inputs', trackField: 'track', outputsField: 'predictions', pollIntervalMs: 10 },
  });

  beforeAll(async () => {
    jobApi = createServer((req, res) => {
      const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'POST' && req.url === '/v1/jobs') {
        let text = '';
        req.on('data', (c: Buffer) => (text += c.toString()));
        req.on('end', () => {
          submitted.push(JSON.parse(text) as { inputs: number[][]; track?: string });
          json(202, { id: String(submitted.length - 1), status: 'pending' });
        });
        return;
      }
      const job = submitted[Number(/^\/v1\/jobs\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1)];
      if (!job) return json(404, { error: 'no such job' });
      const flat = job.inputs.flat();
      const track = flat.includes(77) ? 'stable' : job.track;
      const result = flat.includes(88) ? { answer: 'no predictions' } : { predictions: job.inputs.map((r) => r.length) };
      json(200, { id: 'x', status: 'done', result, worker: { name: 'w-1', track, version: '2' }, queue_wait_ms: 12.5, service_ms: 3.25 });
    });
    await new Promise<void>((r) => jobApi.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(jobApi.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => jobApi.close(() => r())));

  it("submits the case's rows for the pod's track, reads the predictions and says how long the job waited and ran", async () => {
    const r = await runCase(new DirectChannel(url), protocol, jobCase([[1, 2, 3, 4]]), 'pod-c', 'canary', 2000);
    expect(submitted.at(-1)).toEqual({ inputs: [[1, 2, 3, 4]], track: 'canary' });
    expect(r).toMatchObject({ verdict: 'pass', outputs: [4], why: [], job: { queueWaitMs: 12.5, serviceMs: 3.25, ranOn: 'canary' } });
    const s = await runCase(new DirectChannel(url), protocol, jobCase([[1, 2]]), 'pod-s', 'stable', 2000);
    expect(submitted.at(-1)?.track).toBe('stable');
    expect(s).toMatchObject({ verdict: 'pass', outputs: [2], job: { ranOn: 'stable' } });
  });

  it("fails a job for the canary that stable's workers ran, and a result without the outputs field", async () => {
    const handed = await runCase(new DirectChannel(url), protocol, jobCase([[77, 1]]), 'pod-c', 'canary', 2000);
    expect(handed.verdict).toBe('fail');
    expect(handed.why).toContain('the job submitted for the canary ran on the stable workers: no canary worker took it');
    const empty = await runCase(new DirectChannel(url), protocol, jobCase([[88, 1]]), 'pod-c', 'canary', 2000);
    expect(empty.verdict).toBe('fail');
    expect(empty.why[0]).toBe('the job\'s result has no list "predictions": {"answer":"no predictions"}');
  });
});

describe('the smoke report of the asynchronous cases', () => {
  it('gives each track its jobs and median queue wait and service time; nothing without jobs', () => {
    const r = (track: 'canary' | 'stable', queueWaitMs: number, serviceMs: number): CaseResult => ({
      case: 'job',
      pod: 'p',
      track,
      status: 200,
      latencyMs: 1,
      verdict: 'pass',
      why: [],
      job: { queueWaitMs, serviceMs, ranOn: track },
    });
    const results = [r('canary', 10, 2), r('canary', 30, 4), r('canary', 20, 9), r('stable', 5, 1), r('stable', 7, 3)];
    expect(jobLines({ results })).toEqual([
      'jobs on canary: 3, queue wait p50 20 ms, service time p50 4 ms',
      'jobs on stable: 2, queue wait p50 6 ms, service time p50 2 ms',
    ]);
    const { job: _none, ...plain } = r('canary', 1, 1);
    expect(jobLines({ results: [plain] })).toEqual([]);
  });
});

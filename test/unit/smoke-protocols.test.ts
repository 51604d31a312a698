import { describe, expect, it } from 'vitest';
import type { SmokeConfig } from '../../src/config/types.js';
import { protocolFor } from '../../src/smoke/protocols/index.js';
import type { SmokeCase } from '../../src/smoke/types.js';

const base = { http: { method: 'POST' as const, path: '/score', readyPath: '/healthy' } } as Pick<SmokeConfig, 'http'>;
const proto = (protocol: SmokeConfig['protocol']) => protocolFor({ ...base, protocol } as SmokeConfig, 'iris');
const rows: SmokeCase = {
  name: 'c',
  inputs: [
    [5.1, 3.5, 1.4, 0.2],
    [6.3, 3.3, 6.0, 2.5],
  ],
};
const answer = (status: number, body?: unknown) => ({ status, body, latencyMs: 1 });

describe('smoke protocols', () => {
  it('KServe V1: instances in, predictions out', () => {
    const p = proto('kserve-v1');
    expect(p.readyPaths).toEqual(['/v1/models/iris']);
    expect(p.encode(rows)).toEqual({ method: 'POST', path: '/v1/models/iris:predict', body: { instances: rows.inputs } });
    expect(p.decode(rows, { predictions: ['setosa', 'virginica'] })).toEqual({ outputs: ['setosa', 'virginica'] });
    expect(p.decode(rows, { error: 'x' })).toMatchObject({ error: expect.stringMatching(/no "predictions"/) });
    expect(p.isReady('/v1/models/iris', answer(200, { name: 'iris', ready: true }))).toBe(true);
    expect(p.isReady('/v1/models/iris', answer(200, { name: 'iris', ready: false }))).toBe(false);
    expect(p.isReady('/v1/models/iris', answer(503, { error: 'loading' }))).toBe(false);
  });

  it('Open Inference V2: rows become one FP32 tensor; outputs are read by name and reshaped', () => {
    const p = proto('open-inference-v2');
    expect(p.readyPaths).toEqual(['/v2/health/ready', '/v2/models/iris/ready']);
    expect(p.encode(rows)).toEqual({
      method: 'POST',
      path: '/v2/models/iris/infer',
      body: { inputs: [{ name: 'input-0', shape: [2, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6.0, 2.5] }] },
    });
    expect((p.encode({ name: 't', inputs: [['a'], ['b']], tensor: { name: 'text' } }).body as { inputs: unknown[] }).inputs[0]).toEqual({
      name: 'text',
      shape: [2, 1],
      datatype: 'BYTES',
      data: ['a', 'b'],
    });
    const raw = { inputs: [{ name: 'x', shape: [1], datatype: 'INT64', data: [1] }] };
    expect(p.encode({ name: 'raw', inputs: raw }).body).toBe(raw);
    // MLServer answers shape [N, 1]; KServe [N]; predict_proba [N, 3] becomes one row per input.
    expect(p.decode(rows, { outputs: [{ name: 'predict', shape: [2, 1], datatype: 'BYTES', data: ['setosa', 'virginica'] }] })).toEqual({
      outputs: ['setosa', 'virginica'],
    });
    const both = {
      outputs: [
        { name: 'predict_proba', shape: [2, 3], datatype: 'FP64', data: [1, 0, 0, 0, 0.2, 0.8] },
        { name: 'predict', shape: [2], datatype: 'BYTES', data: ['setosa', 'virginica'] },
      ],
    };
    expect(p.decode(rows, both)).toEqual({ outputs: ['setosa', 'virginica'] });
    expect(p.decode({ ...rows, output: 'predict_proba' }, both)).toEqual({
      outputs: [
        [1, 0, 0],
        [0, 0.2, 0.8],
      ],
    });
    expect(p.decode({ ...rows, output: 'nope' }, both)).toMatchObject({ error: expect.stringMatching(/no output "nope"/) });
    // Triton and MLServer say 400 while loading; KServe 503; an empty 200 (MLServer) is ready.
    expect(p.isReady('/v2/health/ready', answer(400, { error: 'Model not ready' }))).toBe(false);
    expect(p.isReady('/v2/health/ready', answer(200, undefined))).toBe(true);
    expect(p.isReady('/v2/models/iris/ready', answer(200, { ready: false }))).toBe(false);
  });

  it('TF Serving: ready only when a version is AVAILABLE', () => {
    const p = proto('tf-serving');
    expect(p.isReady('/v1/models/iris', answer(404, { error: 'Could not find any versions of model iris' }))).toBe(false);
    expect(p.isReady('/v1/models/iris', answer(200, { model_version_status: [{ version: '1', state: 'LOADING' }] }))).toBe(false);
    expect(p.isReady('/v1/models/iris', answer(200, { model_version_status: [{ version: '1', state: 'AVAILABLE' }] }))).toBe(true);
    expect(p.encode(rows).path).toBe('/v1/models/iris:predict');
    expect(p.decode(rows, { predictions: [[0.1], [0.9]] })).toEqual({ outputs: [[0.1], [0.9]] });
  });

  it('TorchServe: /ping answers 500 until workers start; predictions are the body', () => {
    const p = proto('torchserve');
    expect(p.isReady('/ping', answer(500, { status: 'Unhealthy' }))).toBe(false);
    expect(p.isReady('/ping', answer(200, { status: 'Healthy' }))).toBe(true);
    expect(p.encode(rows)).toEqual({ method: 'POST', path: '/predictions/iris', body: rows.inputs });
    expect(p.decode(rows, ['setosa', 'virginica'])).toEqual({ outputs: ['setosa', 'virginica'] });
    expect(p.decode(rows, 'setosa')).toEqual({ outputs: ['setosa'] });
  });

  it('BentoML and plain HTTP use smoke.http', () => {
    const b = proto('bentoml');
    expect(b.readyPaths).toEqual(['/healthy']);
    expect(b.encode(rows).path).toBe('/score');
    expect(b.decode(rows, { predictions: [1, 2] })).toEqual({ outputs: [1, 2] });
    const h = proto('http');
    expect(h.encode(rows)).toEqual({ method: 'POST', path: '/score', body: rows.inputs });
    expect(h.isReady('/healthy', answer(503))).toBe(false);
    expect(() => protocolFor({ protocol: 'http' } as SmokeConfig, 'iris')).toThrow(/smoke.http is not set/);
  });
});

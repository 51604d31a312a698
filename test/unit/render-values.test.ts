import { afterAll, describe, expect, it } from 'vitest';
import { chartDefaults, chartValues, deepMerge, probePaths } from '../../src/render/values.js';
import { removeTempDirs } from '../helpers/temp.js';
import { configFrom, DIGEST } from '../fixtures/render/context.js';

afterAll(removeTempDirs);

const model = (extra: string): string =>
  [
    'apiVersion: model-canary/v1',
    'model: { name: iris, version: "1.0.0", framework: sklearn }',
    'image: { repository: "127.0.0.1:5000/models/iris", dockerfile: Dockerfile }',
    extra,
    '',
  ].join('\n');

describe('chartValues', () => {
  it('puts what model-canary owns over render.values, and keeps the rest of render.values', () => {
    const config = configFrom(
      model(
        [
          'render:',
          '  values:',
          '    replicas: 3',
          '    image: { repository: elsewhere/iris, pullPolicy: Always }',
          '    model: { name: other }',
          '    serving: { port: 1, readinessPath: /custom }',
          'smoke: { enabled: false, port: 9000, protocol: kserve-v1 }',
        ].join('\n'),
      ),
    );
    expect(chartValues(config, { repository: config.image.repository, digest: DIGEST })).toEqual({
      mode: 'deployment',
      replicas: 3,
      model: { name: 'iris', version: '1.0.0', framework: 'sklearn' },
      image: { repository: '127.0.0.1:5000/models/iris', digest: DIGEST, pullPolicy: 'Always' },
      serving: { port: 9000, protocol: 'kserve-v1', readinessPath: '/custom' },
    });
  });

  it('passes the tag when there is no digest, and mode kserve for render.mode kserve', () => {
    const config = configFrom(model('render: { mode: kserve }\ncanary: { strategy: kserve }\nsmoke: { enabled: false }'));
    const values = chartValues(config, { repository: config.image.repository, tag: 'abc' });
    expect(values['image']).toEqual({ repository: '127.0.0.1:5000/models/iris', tag: 'abc' });
    expect(values['mode']).toBe('kserve');
  });

  it('leaves the track and the probe paths as defaults the user can change', () => {
    const config = configFrom(model('smoke: { enabled: false, protocol: torchserve }'));
    expect(chartDefaults(config)).toEqual({ track: 'stable', serving: { readinessPath: '/ping', livenessPath: '' } });
  });
});

describe('probePaths', () => {
  it.each([
    ['open-inference-v2', '', '/v2/models/iris/ready', '/v2/health/live'],
    ['kserve-v1', '', '/v1/models/iris', ''],
    ['tf-serving', '', '/v1/models/iris', ''],
    ['torchserve', '', '/ping', ''],
    ['bentoml', '', '/readyz', '/livez'],
    ['http', ', http: { path: /predict, readyPath: /healthz }', '/healthz', ''],
  ])('%s: readiness on the model-ready endpoint', (protocol, extra, readinessPath, livenessPath) => {
    const config = configFrom(model(`smoke: { enabled: false, protocol: ${protocol}${extra} }`));
    expect(probePaths(config)).toEqual({ readinessPath, livenessPath });
  });
});

describe('deepMerge', () => {
  it('merges objects key by key and replaces lists and scalars', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3], e: { f: 1 } }, d: { g: 1 } })).toEqual({ a: { b: 1, c: [3], e: { f: 1 } }, d: { g: 1 } });
  });

  it('does not change its inputs', () => {
    const base = { a: { b: 1 } };
    deepMerge(base, { a: { b: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
  });
});

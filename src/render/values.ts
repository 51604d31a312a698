import type { Config, SmokeProtocol } from '../config/types.js';
import { isRecord } from './objects.js';

/** The image the objects run: repository, and the digest (or, without one, the tag). */
export interface TargetImage {
  repository: string;
  digest?: string;
  tag?: string;
}

export type Values = Record<string, unknown>;

/** The model server's ready and live endpoints, by protocol (see REFERENCE.md, model-server protocols). */
export function probePaths(config: Pick<Config, 'model' | 'smoke'>): { readinessPath: string; livenessPath: string } {
  const model = config.model.name;
  const byProtocol: Record<SmokeProtocol, { readinessPath: string; livenessPath: string }> = {
    'kserve-v1': { readinessPath: `/v1/models/${model}`, livenessPath: '' },
    'open-inference-v2': { readinessPath: `/v2/models/${model}/ready`, livenessPath: '/v2/health/live' },
    'tf-serving': { readinessPath: `/v1/models/${model}`, livenessPath: '' },
    torchserve: { readinessPath: '/ping', livenessPath: '' },
    bentoml: { readinessPath: '/readyz', livenessPath: '/livez' },
    http: { readinessPath: config.smoke.http?.readyPath ?? '/readyz', livenessPath: '' },
  };
  return byProtocol[config.smoke.protocol];
}

/**
 * Values model-canary derives but the user may change (in render.valuesFiles or render.values): the track
 * (stable; the canary stage sets canary) and the probe paths for the protocol. Passed to helm first.
 */
export function chartDefaults(config: Config): Values {
  return { track: 'stable', serving: probePaths(config) };
}

/**
 * The values passed to helm last: the model file's render.values, under what model-canary owns (the
 * model's name and version, the image, the serving port and protocol, the mode). Built as data; helm gets
 * it as a JSON file.
 */
export function chartValues(config: Config, image: TargetImage): Values {
  const imageValues: Values = { repository: image.repository };
  if (image.digest) imageValues['digest'] = image.digest;
  else if (image.tag) imageValues['tag'] = image.tag;
  const owned: Values = {
    mode: config.render.mode === 'kserve' ? 'kserve' : 'deployment',
    model: { name: config.model.name, version: config.model.version, framework: config.model.framework },
    image: imageValues,
    serving: { port: config.smoke.port, protocol: config.smoke.protocol },
  };
  return deepMerge(config.render.values, owned);
}

/** Merges override into base: objects merge key by key, anything else (lists included) is replaced. */
export function deepMerge(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? deepMerge(current, value) : value;
  }
  return out;
}

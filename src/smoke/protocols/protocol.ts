import type { SmokeCase, ModelRequest, ModelResponse } from '../types.js';

/** What a protocol module does: say how readiness is asked, turn a case into a request and an answer into outputs. */
export interface Protocol {
  readonly name: string;
  /** Paths polled (GET, in order) until each answers as `isReady` wants. */
  readonly readyPaths: readonly string[];
  /** True when this answer to a readiness path means ready; a loading server answers 503, 400, 404 or 500. */
  isReady(path: string, response: ModelResponse): boolean;
  /** The prediction request for a case. */
  encode(c: SmokeCase): ModelRequest;
  /** The outputs of an answer, one per input row; or why they could not be read. */
  decode(c: SmokeCase, body: unknown): Decoded;
  /**
   * How to ask a server which model version it runs (where the protocol has a way): the analysis tells a
   * canary's answer through the Gateway from stable's by it.
   */
  readonly identity?: { request: ModelRequest; read(body: unknown): string | undefined };
}

export type Decoded = { outputs: unknown[] } | { error: string };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short, one-line rendering of a value for messages. */
export function brief(value: unknown, max = 120): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The `predictions` list of a KServe V1 / TF Serving answer. */
export function predictionsOf(body: unknown): Decoded {
  if (isRecord(body) && Array.isArray(body['predictions'])) return { outputs: body['predictions'] };
  if (isRecord(body) && Array.isArray(body['outputs'])) return { outputs: body['outputs'] };
  return { error: `the answer has no "predictions" list: ${brief(body)}` };
}

/** An answer of a plain JSON endpoint: a list as is, `predictions`/`outputs` when present, else the value. */
export function plainOutputs(body: unknown): Decoded {
  if (Array.isArray(body)) return { outputs: body };
  if (isRecord(body)) {
    for (const key of ['predictions', 'outputs', 'prediction', 'output', 'result']) {
      const v = body[key];
      if (v !== undefined) return { outputs: Array.isArray(v) ? v : [v] };
    }
  }
  if (body === undefined || body === '') return { error: 'the answer is empty' };
  return { outputs: [body] };
}

export const ok200 = (_path: string, r: ModelResponse): boolean => r.status === 200;

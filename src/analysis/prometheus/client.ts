import { ModelCanaryError } from '../../errors.js';
import { httpRequest } from '../../kube/http.js';

/** One series of an instant query's answer: its labels and its value (NaN stays NaN). */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Prometheus unreachable, a wrong URL, or a query it refused: the analysis cannot judge on it. */
export class PrometheusError extends ModelCanaryError {
  constructor(message: string, hint: string) {
    super('cluster', message, hint);
    this.name = 'PrometheusError';
  }
}

interface ApiAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/**
 * An instant query through Prometheus' HTTP API (POST /api/v1/query, form-encoded, so a long query fits),
 * evaluated at `at` (ms since the epoch). A vector answers its series, a scalar one sample without labels.
 */
export async function instantQuery(baseUrl: string, query: string, at: number, timeoutMs: number): Promise<Sample[]> {
  const body = new URLSearchParams({ query, time: (at / 1000).toFixed(3), timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` }).toString();
  const where = `${baseUrl}/api/v1/query`;
  let status: number;
  let text: string;
  try {
    const answer = await httpRequest(where, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = answer.status;
    text = await answer.text();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000}s` : (e.code ?? e.message);
    throw new PrometheusError(
      `Prometheus at ${baseUrl} could not be reached (${why}).`,
      'Check analysis.prometheus.url: the runner must reach Prometheus there (scheme, host, port; a path prefix if it has one), and Prometheus must be running.',
    );
  }
  let parsed: ApiAnswer;
  try {
    parsed = JSON.parse(text) as ApiAnswer;
  } catch {
    throw new PrometheusError(
      `${where} answered HTTP ${status} with something that is not Prometheus' JSON (${text.slice(0, 120).replace(/\s+/g, ' ')}).`,
      'analysis.prometheus.url must be Prometheus itself (the URL its /api/v1/query answers under), not its UI or a proxy login page.',
    );
  }
  if (parsed.status !== 'success') {
    throw new PrometheusError(
      `Prometheus refused the query ${JSON.stringify(query)}: ${parsed.errorType ?? `HTTP ${status}`}: ${parsed.error ?? 'no reason given'}.`,
      parsed.errorType === 'bad_data'
        ? 'Fix the PromQL in analysis.prometheus.queries (or analysis.prometheus.selector).'
        : "See Prometheus' log; the query may be too heavy for analysis.prometheus.timeout.",
    );
  }
  return samples(parsed.data, query);
}

function samples(data: ApiAnswer['data'], query: string): Sample[] {
  const result = data?.result;
  if (data?.resultType === 'scalar' && Array.isArray(result)) return [{ labels: {}, value: promNumber(result[1]) }];
  if (data?.resultType === 'vector' && Array.isArray(result)) {
    return result.map((r: { metric?: Record<string, string>; value?: [number, string] }) => ({ labels: r.metric ?? {}, value: promNumber(r.value?.[1]) }));
  }
  throw new PrometheusError(
    `The query ${JSON.stringify(query)} answered a ${data?.resultType ?? 'missing'} result, not a number per series.`,
    'Write an instant query that answers a vector or a scalar (no range selector at the top).',
  );
}

/** A sample value as Prometheus writes it: a decimal, "+Inf", "-Inf" or "NaN". */
function promNumber(raw: unknown): number {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(raw);
}

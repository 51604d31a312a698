import type { PrometheusConfig, PrometheusQuery } from '../../config/types.js';

/** What identifies the model server's series: its namespace, its model label, and the user's matchers. */
export interface SeriesScope {
  namespace: string;
  model: string;
  selector: PrometheusConfig['selector'];
}

/** A PromQL string literal (PromQL reads Go's escapes, which JSON's are a subset of). */
const literal = (value: string): string => JSON.stringify(value);

function matchers(scope: SeriesScope): string {
  const own = `namespace=${literal(scope.namespace)},model=${literal(scope.model)},track=~"canary|stable"`;
  const extra = scope.selector.trim().replace(/,\s*$/, '');
  return extra ? `${own},${extra}` : own;
}

/** The three built-in queries over a window of `seconds`, each summed per track. */
export function builtinQueries(scope: SeriesScope, seconds: number): { requests: string; buckets: string; classes: string } {
  const m = matchers(scope);
  const over = `[${seconds}s]`;
  return {
    requests: `sum by (track, status) (increase(model_requests_total{${m}}${over}))`,
    buckets: `sum by (track, le) (increase(model_request_duration_seconds_bucket{${m}}${over}))`,
    classes: `sum by (track, class) (increase(model_predictions_total{${m}}${over}))`,
  };
}

/** Whether a user's query is run once per track. */
export const perTrack = (q: PrometheusQuery): boolean => q.query.includes('$track');

/** A user's query with $namespace, $model, $window and (for one track) $track filled in. */
export function userQuery(q: PrometheusQuery, scope: SeriesScope, seconds: number, track?: 'canary' | 'stable'): string {
  const values: Record<string, string> = { namespace: scope.namespace, model: scope.model, window: `${seconds}s`, track: track ?? '' };
  return q.query.replace(/\$(namespace|model|window|track)\b/g, (_, name: string) => values[name] ?? '');
}

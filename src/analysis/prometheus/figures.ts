import { monotonic, type Bucket } from '../stats/index.js';
import type { Sample } from './client.js';

export type Track = 'canary' | 'stable';

/** One track's live traffic over the window, as Prometheus counted it (increase(), rounded to whole requests). */
export interface TrackFigures {
  requests: number;
  /** Answers with a 5xx status. */
  errors: number;
  byStatus: Record<string, number>;
  /** The request-duration histogram over the window, cumulative, in seconds. */
  buckets: Bucket[];
  /** Rows predicted per class (classifiers). */
  classes: Record<string, number>;
}

/** A user's query at the window's end: the canary's value (and stable's, for a query with $track). */
export interface QueryFigure {
  name: string;
  perTrack: boolean;
  canary?: number;
  stable?: number;
  /** Why there is no value: no series, NaN, or more than one series. */
  noData?: string;
  max?: number;
  min?: number;
}

/** What the Prometheus source measured, at `atMs` into the window, over the last `windowSeconds`. */
export interface LiveFigures {
  atMs: number;
  windowSeconds: number;
  canary: TrackFigures;
  stable: TrackFigures;
  queries: QueryFigure[];
}

/** A bucket's le label: a number, or +Inf (which Number() does not read). */
const bound = (le: string | undefined): number => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le ?? Number.NaN));
const count = (v: number): number => (Number.isFinite(v) && v > 0 ? Math.round(v) : 0);

/** The per-track figures from the three built-in queries' answers. */
export function trackFigures(track: Track, requests: Sample[], buckets: Sample[], classes: Sample[]): TrackFigures {
  const mine = (s: Sample): boolean => s.labels['track'] === track;
  const byStatus: Record<string, number> = {};
  for (const s of requests.filter(mine)) {
    const status = s.labels['status'] ?? 'unknown';
    byStatus[status] = (byStatus[status] ?? 0) + count(s.value);
  }
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const errors = Object.entries(byStatus)
    .filter(([status]) => /^5\d\d$/.test(status))
    .reduce((a, [, n]) => a + n, 0);
  const histogram = monotonic(
    buckets
      .filter(mine)
      .map((s) => ({ le: bound(s.labels['le']), cumulative: count(s.value) }))
      .filter((b) => !Number.isNaN(b.le)),
  );
  const perClass: Record<string, number> = {};
  for (const s of classes.filter(mine)) if (s.labels['class'] !== undefined) perClass[s.labels['class']] = count(s.value);
  return { requests: total, errors, byStatus, buckets: histogram, classes: perClass };
}

/** One user query's answer as a single number, or why it is not one. */
export function oneValue(answer: Sample[]): { value: number } | { noData: string } {
  if (answer.length === 0) return { noData: 'no series' };
  if (answer.length > 1) return { noData: `${answer.length} series (aggregate it to one, with sum() or max())` };
  const value = answer[0]?.value ?? Number.NaN;
  return Number.isFinite(value) ? { value } : { noData: `the value is ${value}` };
}

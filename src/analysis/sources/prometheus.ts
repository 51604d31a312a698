import type { PrometheusConfig } from '../../config/types.js';
import type { Logger } from '../../log/logger.js';
import { instantQuery, PrometheusError } from '../prometheus/client.js';
import { oneValue, trackFigures, type LiveFigures, type QueryFigure } from '../prometheus/figures.js';
import { builtinQueries, perTrack, userQuery, type SeriesScope } from '../prometheus/queries.js';
import type { EvidenceSource, Measurements } from '../types.js';

/** A window shorter than this has too few scrapes for increase() to say anything; the first read waits for it. */
const SHORTEST_WINDOW_S = 15;

/**
 * Live traffic from Prometheus: every interval (and once more as the window ends) the per-track request
 * counts, the duration histogram, the predicted classes and the user's queries, over the window so far.
 * Before the window opens it checks that Prometheus answers and that every user query parses, so a wrong
 * URL or a typo fails before any time is spent. A failure later is kept and reported; the window goes on
 * (the pod watch still guards the canary) and the release then ends with it, never promoted.
 */
export function prometheusSource(p: PrometheusConfig, scope: SeriesScope, intervalMs: number, logger: Logger): EvidenceSource {
  let opened = 0;
  let figures: LiveFigures | undefined;
  let failure: PrometheusError | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const read = async (): Promise<void> => {
    const now = Date.now();
    const seconds = Math.floor((now - opened) / 1000);
    if (seconds < SHORTEST_WINDOW_S) return;
    try {
      figures = await collect(p, scope, now, seconds, now - opened);
      logger.info(
        `prometheus ${seconds}s: canary ${figures.canary.requests} live request(s), ${figures.canary.errors} 5xx; stable ${figures.stable.requests}, ${figures.stable.errors} 5xx`,
      );
    } catch (err) {
      const e =
        err instanceof PrometheusError
          ? err
          : new PrometheusError(
              `Reading Prometheus failed: ${err instanceof Error ? err.message : String(err)}.`,
              'See the log above; this is likely a bug in model-canary if Prometheus answered.',
            );
      if (!failure) logger.warn(`${e.message} The canary will not be promoted on missing data.`);
      failure = e;
    }
  };

  return {
    name: 'prometheus',
    async start(at) {
      opened = at;
      await instantQuery(p.url, 'vector(1)', Date.now(), p.timeoutMs);
      for (const q of p.queries) await instantQuery(p.url, userQuery(q, scope, 60, 'canary'), Date.now(), p.timeoutMs);
      logger.info(`Prometheus at ${p.url} answers: live traffic of ${scope.namespace}/${scope.model} by track, ${p.queries.length} query(ies) of your own.`);
      timer = setInterval(
        () => {
          inFlight = inFlight.then(read);
        },
        Math.max(intervalMs, SHORTEST_WINDOW_S * 1000),
      );
    },
    measure(into: Measurements) {
      if (figures) into.live = figures;
      if (failure) into.liveError = failure;
    },
    async stop() {
      clearInterval(timer);
      await inFlight;
      await read();
    },
  };
}

async function collect(p: PrometheusConfig, scope: SeriesScope, at: number, seconds: number, atMs: number): Promise<LiveFigures> {
  const q = builtinQueries(scope, seconds);
  const [requests, buckets, classes] = await Promise.all([q.requests, q.buckets, q.classes].map((query) => instantQuery(p.url, query, at, p.timeoutMs)));
  const queries: QueryFigure[] = [];
  for (const uq of p.queries) {
    const figure: QueryFigure = {
      name: uq.name,
      perTrack: perTrack(uq),
      ...(uq.max !== undefined ? { max: uq.max } : {}),
      ...(uq.min !== undefined ? { min: uq.min } : {}),
    };
    const canary = oneValue(await instantQuery(p.url, userQuery(uq, scope, seconds, 'canary'), at, p.timeoutMs));
    if ('value' in canary) figure.canary = canary.value;
    else figure.noData = canary.noData;
    if (figure.perTrack) {
      const stable = oneValue(await instantQuery(p.url, userQuery(uq, scope, seconds, 'stable'), at, p.timeoutMs));
      if ('value' in stable) figure.stable = stable.value;
    }
    queries.push(figure);
  }
  const empty = [requests ?? [], buckets ?? [], classes ?? []] as const;
  return { atMs, windowSeconds: seconds, canary: trackFigures('canary', ...empty), stable: trackFigures('stable', ...empty), queries };
}

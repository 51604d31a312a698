import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { judgeAnalysis, type AnalysisRules } from '../../src/analysis/judge.js';
import { instantQuery, PrometheusError } from '../../src/analysis/prometheus/client.js';
import { oneValue, trackFigures, type LiveFigures, type TrackFigures } from '../../src/analysis/prometheus/figures.js';
import { judgeLive, type LiveRules } from '../../src/analysis/prometheus/judge.js';
import { builtinQueries, userQuery } from '../../src/analysis/prometheus/queries.js';
import type { Measurements } from '../../src/analysis/types.js';

const RULES: LiveRules = { maxErrorRate: 0.05, margin: 0.1, minSamples: 50, quantile: 0.95 };
const LE = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, Number.POSITIVE_INFINITY];

/** A track whose requests all took about `seconds` (spread over that bucket), with `errors` 5xx. */
function track(requests: number, errors: number, perBucket: number[], classes: Record<string, number> = {}): TrackFigures {
  let sum = 0;
  const buckets = LE.map((le, i) => ({ le, cumulative: (sum += perBucket[i] ?? 0) }));
  return { requests, errors, byStatus: { '200': requests - errors, ...(errors ? { '500': errors } : {}) }, buckets, classes };
}
const spread = (n: number, at: number): number[] => LE.map((_, i) => (i === at ? n : 0));
const figures = (canary: TrackFigures, stable: TrackFigures, queries: LiveFigures['queries'] = []): LiveFigures => ({
  atMs: 60_000,
  windowSeconds: 60,
  canary,
  stable,
  queries,
});

describe('judgeLive', () => {
  it('passes a canary like stable on enough requests, and says so with the figures', () => {
    // Same latency distribution: 20 % in (2.5, 5] ms, 80 % in (5, 10] ms; enough requests for the bounds.
    const v = judgeLive(figures(track(2000, 0, [0, 0, 400, 1600]), track(6000, 3, [0, 0, 1200, 4800])), RULES);
    expect(v.outcome).toBe('pass');
    expect(v.errors.outcome).toBe('pass');
    expect(v.latency.outcome).toBe('pass');
    expect(v.line).toMatch(/5xx canary 0\/2000 .* stable 3\/6000/);
  });

  it('fails a canary that fails only some inputs, naming the failing share', () => {
    const v = judgeLive(figures(track(131, 40, spread(131, 3)), track(402, 0, spread(402, 3))), RULES);
    expect(v.outcome).toBe('fail');
    expect(v.errors.fisherP).toBeLessThan(0.01);
    expect(v.line).toMatch(/5xx canary 40\/131 \(30\.5%\), stable 0\/402/);
  });

  it('fails a canary whose p95 is surely above stable by more than the margin', () => {
    const v = judgeLive(figures(track(1000, 0, spread(1000, 5)), track(3000, 0, spread(3000, 3))), RULES);
    expect(v.latency.outcome).toBe('fail');
    expect(v.latency.canaryLower).toBeGreaterThan(v.latency.limit);
    expect(v.outcome).toBe('fail');
  });

  it('cannot tell on too few canary requests, never a pass', () => {
    const v = judgeLive(figures(track(20, 0, spread(20, 3)), track(400, 0, spread(400, 3))), RULES);
    expect(v.outcome).toBe('inconclusive');
    expect(v.line).toMatch(/the canary served 20 live request\(s\) in 60s, under analysis.minSamples 50/);
  });

  it("cannot tell when stable's quantile lies past the last finite bucket", () => {
    const v = judgeLive(figures(track(500, 0, spread(500, 7)), track(500, 0, spread(500, 7))), RULES);
    expect(v.latency.outcome).toBe('inconclusive');
    expect(v.latency.why).toMatch(/above the histogram's last bucket/);
  });

  it('makes a query without data inconclusive and a query over its max a fail', () => {
    const ok = track(2000, 0, [0, 0, 400, 1600]);
    const st = track(6000, 0, [0, 0, 1200, 4800]);
    const none = judgeLive(figures(ok, st, [{ name: 'q', perTrack: false, noData: 'no series', max: 1 }]), RULES);
    expect(none.outcome).toBe('inconclusive');
    expect(none.line).toMatch(/query q: no series/);
    const over = judgeLive(figures(ok, st, [{ name: 'q', perTrack: true, canary: 3, stable: 0.5, max: 1 }]), RULES);
    expect(over.outcome).toBe('fail');
    expect(over.line).toBe('query q: canary 3, stable 0.5 (max 1)');
    const under = judgeLive(figures(ok, st, [{ name: 'q', perTrack: false, canary: 0.2, min: 0.5 }]), RULES);
    expect(under.outcome).toBe('fail');
  });

  it('shows the class shares with a chi-square p-value', () => {
    const v = judgeLive(figures(track(2000, 0, [0, 0, 400, 1600], { a: 1000, b: 1000 }), track(6000, 0, [0, 0, 1200, 4800], { a: 5000, b: 1000 })), RULES);
    expect(v.classes?.classes).toEqual(['a', 'b']);
    expect(v.classes?.pValue).toBeLessThan(1e-6);
  });
});

describe('judgeAnalysis with live figures', () => {
  const rules: AnalysisRules = { minSamples: 50, margin: 0.1, maxErrorRate: 0.05, minAgreement: 0.99, relativeTolerance: 0.01, pairedLoad: false, live: RULES };
  const m = (live?: LiveFigures): Measurements => ({ pairs: [], signals: [], elapsedMs: 60_000, skipped: 0, ...(live ? { live } : {}) });

  it('judges on live traffic alone when the paired load is off', () => {
    expect(judgeAnalysis(m(figures(track(2000, 0, [0, 0, 400, 1600]), track(6000, 0, [0, 0, 1200, 4800]))), rules).outcome).toBe('pass');
    expect(judgeAnalysis(m(figures(track(131, 40, spread(131, 3)), track(402, 0, spread(402, 3)))), rules).outcome).toBe('fail');
  });

  it('is inconclusive, never a pass, when Prometheus gave no figures', () => {
    const v = judgeAnalysis(m(), rules);
    expect(v.outcome).toBe('inconclusive');
    expect(v.line).toMatch(/no live figures/);
  });

  it('still fails on a canary pod signal first', () => {
    const v = judgeAnalysis(
      {
        ...m(figures(track(2000, 0, [0, 0, 400, 1600]), track(6000, 0, [0, 0, 1200, 4800]))),
        signals: [{ track: 'canary', pod: 'p', reason: 'OOMKilled', detail: 'd', at: 1000 }],
      },
      rules,
    );
    expect(v.outcome).toBe('fail');
    expect(v.line).toMatch(/OOMKilled/);
  });
});

describe('the queries and their answers', () => {
  const scope = { namespace: 'team-a', model: 'iris', selector: 'job="servers",' };

  it('scopes the built-in queries to the namespace, the model, both tracks and the user matchers', () => {
    const q = builtinQueries(scope, 120);
    expect(q.requests).toBe(
      'sum by (track, status) (increase(model_requests_total{namespace="team-a",model="iris",track=~"canary|stable",job="servers"}[120s]))',
    );
    expect(q.buckets).toContain('model_request_duration_seconds_bucket{');
    expect(q.classes).toContain('sum by (track, class)');
  });

  it('fills $namespace, $model, $window and $track in a user query, and nothing else', () => {
    const q = { name: 'x', query: 'sum(rate(errs{ns="$namespace",m="$model",t="$track",other="$trackless"}[$window]))', max: 1 };
    expect(userQuery(q, scope, 90, 'canary')).toBe('sum(rate(errs{ns="team-a",m="iris",t="canary",other="$trackless"}[90s]))');
  });

  it('adds up the answers per track, counting 5xx as errors and rounding what increase() extrapolates', () => {
    const requests = [
      { labels: { track: 'canary', status: '200' }, value: 90.4 },
      { labels: { track: 'canary', status: '500' }, value: 9.6 },
      { labels: { track: 'canary', status: '404' }, value: 3 },
      { labels: { track: 'stable', status: '200' }, value: 300 },
    ];
    const buckets = [
      { labels: { track: 'canary', le: '0.01' }, value: 50.2 },
      { labels: { track: 'canary', le: '+Inf' }, value: 103 },
      { labels: { track: 'canary', le: '0.005' }, value: 51 },
    ];
    const c = trackFigures('canary', requests, buckets, [{ labels: { track: 'canary', class: 'setosa' }, value: 12 }]);
    expect(c).toEqual({
      requests: 103,
      errors: 10,
      byStatus: { '200': 90, '500': 10, '404': 3 },
      buckets: [
        { le: 0.005, cumulative: 51 },
        { le: 0.01, cumulative: 51 },
        { le: Number.POSITIVE_INFINITY, cumulative: 103 },
      ],
      classes: { setosa: 12 },
    });
    expect(trackFigures('stable', requests, [], []).requests).toBe(300);
  });

  it('takes one number from an answer, or says why there is none', () => {
    expect(oneValue([{ labels: {}, value: 2 }])).toEqual({ value: 2 });
    expect(oneValue([])).toEqual({ noData: 'no series' });
    expect(oneValue([{ labels: {}, value: Number.NaN }])).toEqual({ noData: 'the value is NaN' });
    expect(
      oneValue([
        { labels: { a: '1' }, value: 1 },
        { labels: { a: '2' }, value: 1 },
      ]),
    ).toEqual({ noData: '2 series (aggregate it to one, with sum() or max())' });
  });
});

describe('instantQuery', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
  });
  async function serve(answer: (req: IncomingMessage, body: string) => [number, string]): Promise<string> {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const [status, text] = answer(req, body);
        res.writeHead(status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/prom`;
  }

  it('posts the query form-encoded under the URL path and reads a vector and a scalar', async () => {
    let seen = '';
    const url = await serve((req, body) => {
      seen = `${req.method} ${req.url} ${body}`;
      return [200, JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { track: 'canary' }, value: [1, '4.5'] }] } })];
    });
    expect(await instantQuery(url, 'up{a="b"}', 1_700_000_000_000, 5000)).toEqual([{ labels: { track: 'canary' }, value: 4.5 }]);
    expect(seen).toBe('POST /prom/api/v1/query query=up%7Ba%3D%22b%22%7D&time=1700000000.000&timeout=5s');
  });

  it('names the URL and what to check when nothing answers', async () => {
    const err = await instantQuery('http://127.0.0.1:9', 'vector(1)', Date.now(), 2000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect((err as PrometheusError).message).toBe('Prometheus at http://127.0.0.1:9 could not be reached (ECONNREFUSED).');
    expect((err as PrometheusError).hint).toMatch(/analysis.prometheus.url/);
  });

  it("gives Prometheus' own reason for a query it refuses", async () => {
    const url = await serve(() => [400, JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error: unexpected "}"' })]);
    const err = (await instantQuery(url, 'sum(x}', Date.now(), 2000).catch((e: unknown) => e)) as PrometheusError;
    expect(err.message).toBe('Prometheus refused the query "sum(x}": bad_data: parse error: unexpected "}".');
    expect(err.hint).toMatch(/Fix the PromQL/);
  });

  it('says when the URL is not Prometheus at all', async () => {
    const url = await serve(() => [200, '<html>login</html>']);
    const err = (await instantQuery(url, 'vector(1)', Date.now(), 2000).catch((e: unknown) => e)) as PrometheusError;
    expect(err.message).toMatch(/answered HTTP 200 with something that is not Prometheus' JSON \(<html>login<\/html>\)/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { classDistributionOfCounts, fisherExactGreater, histogramQuantile, quantileRanks, valueAtRank, type Bucket } from '../../src/analysis/stats/index.js';
import { runScipy, SCIPY_IMPORTS } from '../helpers/scipy.js';

// The statistics the `prometheus` analysis source judges live traffic with, each against SciPy run live:
// Fisher's exact test on unpaired 5xx counts, the order-statistic ranks that bound a latency quantile,
// and the chi-square test on class counts. Relative 1e-6, or absolute 1e-12 near 0.

const FISHER = [
  [0, 0, 0, 0],
  [0, 10, 0, 10],
  [1, 1, 0, 1],
  [3, 10, 0, 10],
  [0, 10, 3, 10],
  [5, 50, 5, 50],
  [12, 100, 2, 300],
  [40, 131, 0, 402],
  [2, 1000, 1, 3000],
  [30, 30, 0, 30],
  [1, 5, 40, 100],
  [250, 5000, 180, 5000],
  [7, 7, 7, 7],
  [0, 200, 0, 600],
].map(([a, n, b, m]) => ({ name: `${a}/${n} vs ${b}/${m}`, a: a as number, n: n as number, b: b as number, m: m as number }));

const RANKS = [
  [1, 0.5],
  [5, 0.5],
  [10, 0.95],
  [20, 0.95],
  [50, 0.95],
  [100, 0.95],
  [137, 0.9],
  [1000, 0.95],
  [4000, 0.99],
  [25, 0.5],
  [300, 0.75],
].map(([n, q]) => ({ name: `n=${n} q=${q}`, n: n as number, q: q as number }));

const CLASS_COUNTS = [
  { name: 'same shares', canary: { a: 50, b: 30, c: 20 }, stable: { a: 150, b: 90, c: 60 } },
  { name: 'shifted shares', canary: { a: 30, b: 30, c: 40 }, stable: { a: 150, b: 90, c: 60 } },
  { name: 'a class only stable answered', canary: { a: 40, b: 10 }, stable: { a: 100, b: 30, c: 12 } },
  { name: 'a class never answered by either (counter at 0)', canary: { a: 40, b: 10, z: 0 }, stable: { a: 100, b: 30, z: 0 } },
  { name: 'one class', canary: { a: 4 }, stable: { a: 9 } },
  { name: 'empty canary', canary: {}, stable: { a: 3, b: 1 } },
];

const SCRIPT = `${SCIPY_IMPORTS}
cases = json.loads(sys.argv[1])
fisher = {c['name']: float(stats.fisher_exact([[c['a'], c['n'] - c['a']], [c['b'], c['m'] - c['b']]], alternative='greater')[1]) for c in cases['fisher']}
ranks = {}
for c in cases['ranks']:
    n, q = c['n'], c['q']
    lower, upper = int(stats.binom.ppf(0.05, n, q)), int(stats.binom.ppf(0.95, n, q)) + 1
    # the coverage the ranks promise: P(B >= lower) and P(B <= upper - 1), B ~ Binomial(n, q)
    ranks[c['name']] = {'lower': lower, 'upper': upper, 'lowerCoverage': float(stats.binom.sf(lower - 1, n, q)), 'upperCoverage': float(stats.binom.cdf(upper - 1, n, q))}
classes = {}
for c in cases['classes']:
    names = sorted(set(c['canary']) | set(c['stable']))
    seen = [k for k in names if c['canary'].get(k, 0) + c['stable'].get(k, 0) > 0]
    row = lambda side: [c[side].get(k, 0) for k in seen]
    if len(seen) < 2 or sum(row('canary')) == 0 or sum(row('stable')) == 0:
        classes[c['name']] = None
    else:
        chi2, p, df, _ = stats.chi2_contingency([row('canary'), row('stable')], correction=False)
        classes[c['name']] = {'chi2': float(chi2), 'df': int(df), 'pvalue': float(p)}
print(json.dumps({'fisher': fisher, 'ranks': ranks, 'classes': classes}))
`;

interface Reference {
  fisher: Record<string, number>;
  ranks: Record<string, { lower: number; upper: number; lowerCoverage: number; upperCoverage: number }>;
  classes: Record<string, { chi2: number; df: number; pvalue: number } | null>;
}

let ref: Reference;
beforeAll(() => {
  ref = runScipy<Reference>(SCRIPT, [JSON.stringify({ fisher: FISHER, ranks: RANKS, classes: CLASS_COUNTS })]);
}, 120_000);

const expectClose = (actual: number, expected: number, what: string): void => {
  expect(Math.abs(actual - expected) <= Math.max(1e-6 * Math.abs(expected), 1e-12), `${what}: ${actual} vs SciPy ${expected}`).toBe(true);
};

describe('fisherExactGreater against scipy.stats.fisher_exact(alternative="greater")', () => {
  it.each(FISHER)('$name', ({ name, a, n, b, m }) => {
    expectClose(fisherExactGreater(a, n, b, m), ref.fisher[name] as number, name);
  });

  it('refuses counts that cannot be', () => {
    expect(() => fisherExactGreater(3, 2, 0, 1)).toThrow(RangeError);
    expect(() => fisherExactGreater(1.5, 2, 0, 1)).toThrow(RangeError);
  });
});

describe('quantileRanks against scipy.stats.binom.ppf, with the coverage they promise', () => {
  it.each(RANKS)('$name', ({ name, n, q }) => {
    const expected = ref.ranks[name] as Reference['ranks'][string];
    expect(quantileRanks(n, q, 0.95)).toEqual({ lower: expected.lower, upper: expected.upper });
    expect(expected.lowerCoverage).toBeGreaterThanOrEqual(0.95);
    expect(expected.upperCoverage).toBeGreaterThanOrEqual(0.95);
  });
});

describe('classDistributionOfCounts against scipy.stats.chi2_contingency (no correction)', () => {
  it.each(CLASS_COUNTS)('$name', ({ name, canary, stable }) => {
    const got = classDistributionOfCounts(canary, stable);
    const expected = ref.classes[name];
    if (!expected) {
      expect(got.pValue).toBeUndefined();
      return;
    }
    expect(got.df).toBe(expected.df);
    expectClose(got.chi2, expected.chi2, `${name} chi2`);
    expectClose(got.pValue ?? Number.NaN, expected.pvalue, `${name} p`);
  });
});

describe('the histogram reads', () => {
  // 100 observations: 10 in (0, 0.01], 60 in (0.01, 0.05], 25 in (0.05, 0.1], 5 above 0.1.
  const buckets: Bucket[] = [
    { le: 0.01, cumulative: 10 },
    { le: 0.05, cumulative: 70 },
    { le: 0.1, cumulative: 95 },
    { le: Number.POSITIVE_INFINITY, cumulative: 100 },
  ];

  it('interpolates inside a bucket as histogram_quantile does', () => {
    expect(histogramQuantile(buckets, 0.5)).toBeCloseTo(0.01 + 0.04 * (40 / 60), 12);
    expect(histogramQuantile(buckets, 0.05)).toBeCloseTo(0.005, 12);
    expect(histogramQuantile(buckets, 0.95)).toBeCloseTo(0.1, 12);
  });

  it('answers the highest finite bound for a quantile in +Inf, as Prometheus does, and Infinity for a rank there', () => {
    expect(histogramQuantile(buckets, 0.99)).toBe(0.1);
    expect(valueAtRank(buckets, 99)).toBe(Number.POSITIVE_INFINITY);
    expect(valueAtRank(buckets, 101)).toBe(Number.POSITIVE_INFINITY);
    expect(valueAtRank(buckets, 0)).toBe(0);
  });

  it('is NaN for an empty histogram', () => {
    expect(
      histogramQuantile(
        [
          { le: 0.1, cumulative: 0 },
          { le: Number.POSITIVE_INFINITY, cumulative: 0 },
        ],
        0.5,
      ),
    ).toBeNaN();
  });
});

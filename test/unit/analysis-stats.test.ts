import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import wilcoxon from '@stdlib/stats-wilcoxon';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  classDistribution,
  clopperPearson,
  clopperPearsonUpper,
  hodgesLehmann,
  mcnemarExact,
  rankBiserial,
  signedRankTest,
  type Alternative,
} from '../../src/analysis/stats/index.js';
import { runScipy, SCIPY_IMPORTS } from '../helpers/scipy.js';

// Every expected number here comes from SciPy, run live on the fixture below (regenerate the
// fixture with `node test/fixtures/analysis/make-samples.mjs`). P-values and interval bounds
// must agree to a relative 1e-6, or an absolute 1e-12 when the reference is that close to 0.

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/analysis/samples.json');
const ALTERNATIVES: Alternative[] = ['less', 'greater', 'two-sided'];
const RELATIVE = 1e-6;
const ABSOLUTE = 1e-12;

interface Samples {
  signedRank: { name: string; d: number[]; margin: number }[];
  binomial: { name: string; k: number; n: number; confidence: number }[];
  mcnemar: { name: string; b: number; c: number }[];
  classes: { name: string; canary: string[]; stable: string[] }[];
}

interface Reference {
  signedRank: {
    name: string;
    n: number;
    zeros: number;
    method: 'exact' | 'approx';
    tests: Record<Alternative, { statistic: number; pvalue: number; source: string }>;
    rankBiserial: number;
    hodgesLehmann: Record<string, { estimate: number; lower: number; upper: number; k: number }> | null;
  }[];
  binomial: { name: string; lower: number; upper: number; oneSidedUpper: number }[];
  mcnemar: { name: string; pvalues: Record<Alternative, number> }[];
  classes: {
    name: string;
    classes: string[];
    canary: Record<string, number>;
    stable: Record<string, number>;
    chi2: number | null;
    df: number | null;
    pvalue: number | null;
  }[];
}

// Exits 3 when NumPy or SciPy cannot be imported, so that the next interpreter is tried.
const SCIPY_REFERENCE = `${SCIPY_IMPORTS}
samples = json.load(open(sys.argv[1]))
ALTERNATIVES = ['less', 'greater', 'two-sided']
CONFIDENCES = [0.9, 0.95, 0.99]


def signrank_counts(n):
    # counts[s]: subsets of the ranks 1..n that sum to s (the exact null distribution, times 2^n)
    counts = [1]
    for rank in range(1, n + 1):
        grown = counts + [0] * rank
        for s, c in enumerate(counts):
            grown[s + rank] += c
        counts = grown
    return counts


def exact_pvalues(r_plus, n):
    counts, total = signrank_counts(n), 2 ** n
    at_most, at_least = sum(counts[:r_plus + 1]) / total, sum(counts[r_plus:]) / total
    return {'less': at_most, 'greater': at_least, 'two-sided': min(1.0, 2 * min(at_most, at_least))}


def critical_rank(n, alpha):
    m = n * (n + 1) // 2
    if n <= 50:
        counts, total, cum = signrank_counts(n), 2 ** n, 0
        for k, c in enumerate(counts):
            cum += c
            if cum / total >= alpha / 2:
                break
    else:
        s = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
        k = math.ceil(m / 2 - 0.5 - stats.norm.ppf(1 - alpha / 2) * s)
    return min(max(k, 1), (m + 1) // 2)


def hodges_lehmann(d, confidence):
    n = len(d)
    i, j = np.triu_indices(n)
    walsh = np.sort((d[i] + d[j]) / 2)
    m = len(walsh)
    k = critical_rank(n, 1 - confidence)
    return {'estimate': float(np.median(walsh)), 'lower': float(walsh[k - 1]), 'upper': float(walsh[m - k]), 'k': k}


def signed_rank(sample):
    d = np.array(sample['d'], dtype=float)
    shifted = d - sample['margin']
    nonzero = shifted[shifted != 0]
    n, zeros = len(nonzero), len(shifted) - len(nonzero)
    ties = len(np.unique(np.abs(nonzero))) < n
    normal = n >= 2 and (n > 50 or zeros > 0 or ties)
    ranks = stats.rankdata(np.abs(nonzero))
    r_plus, r_minus = float(ranks[nonzero > 0].sum()), float(ranks[nonzero < 0].sum())
    tests = {}
    if n < 2:
        # SciPy refuses (all zeros) or warns; the exact null distribution answers directly.
        for alternative, p in exact_pvalues(int(r_plus), n).items():
            tests[alternative] = {'statistic': r_plus if alternative != 'two-sided' else min(r_plus, r_minus), 'pvalue': p, 'source': 'exact distribution'}
    else:
        for alternative in ALTERNATIVES:
            res = stats.wilcoxon(shifted, alternative=alternative, zero_method='wilcox', correction=False,
                                 method='approx' if normal else 'exact')
            tests[alternative] = {'statistic': float(res.statistic), 'pvalue': float(res.pvalue), 'source': 'scipy'}
    return {
        'name': sample['name'], 'n': n, 'zeros': zeros, 'method': 'approx' if normal else 'exact', 'tests': tests,
        'rankBiserial': 0.0 if n == 0 else (r_plus - r_minus) / (r_plus + r_minus),
        'hodgesLehmann': {str(c): hodges_lehmann(d, c) for c in CONFIDENCES} if len(d) else None,
    }


def binomial(sample):
    k, n, confidence = sample['k'], sample['n'], sample['confidence']
    alpha = 1 - confidence
    return {
        'name': sample['name'],
        'lower': 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1)),
        'upper': 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k)),
        'oneSidedUpper': 1.0 if k == n else float(stats.beta.ppf(confidence, k + 1, n - k)),
    }


def mcnemar(sample):
    b, c = sample['b'], sample['c']
    return {'name': sample['name'], 'pvalues': {
        alternative: 1.0 if b + c == 0 else float(stats.binomtest(b, b + c, 0.5, alternative=alternative).pvalue)
        for alternative in ALTERNATIVES}}


def classes(sample):
    names = sorted(set(sample['canary']) | set(sample['stable']))
    canary = {c: sample['canary'].count(c) for c in names}
    stable = {c: sample['stable'].count(c) for c in names}
    out = {'name': sample['name'], 'classes': names, 'canary': canary, 'stable': stable, 'chi2': None, 'df': None, 'pvalue': None}
    if len(names) >= 2 and sample['canary'] and sample['stable']:
        chi2, p, df, _ = stats.chi2_contingency([[canary[c] for c in names], [stable[c] for c in names]], correction=False)
        out.update(chi2=float(chi2), df=int(df), pvalue=float(p))
    return out


print(json.dumps({
    'scipy': __import__('scipy').__version__,
    'signedRank': [signed_rank(s) for s in samples['signedRank']],
    'binomial': [binomial(s) for s in samples['binomial']],
    'mcnemar': [mcnemar(s) for s in samples['mcnemar']],
    'classes': [classes(s) for s in samples['classes']],
}))
`;

const samples = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Samples;
let scipy: Reference | Error;

// A missing SciPy fails every test (with the apt-get hint) rather than skipping them.
beforeAll(() => {
  try {
    scipy = runScipy<Reference>(SCIPY_REFERENCE, [FIXTURE]);
  } catch (error) {
    scipy = error instanceof Error ? error : new Error(String(error));
  }
}, 120_000);

function scipyReference(): Reference {
  if (scipy instanceof Error) throw scipy;
  return scipy;
}

function find<T extends { name: string }>(list: T[], name: string): T {
  const found = list.find((item) => item.name === name);
  if (!found) throw new Error(`no SciPy reference for ${name}`);
  return found;
}

function close(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= Math.max(RELATIVE * Math.abs(expected), ABSOLUTE);
}

function expectClose(actual: number, expected: number, what: string): void {
  expect(close(actual, expected), `${what}: ${actual} vs SciPy ${expected}`).toBe(true);
}

describe('signedRankTest against scipy.stats.wilcoxon (zero_method wilcox, no correction)', () => {
  it.each(samples.signedRank)('$name', (sample) => {
    const ref = find(scipyReference().signedRank, sample.name);
    for (const alternative of ALTERNATIVES) {
      const got = signedRankTest(sample.d, { margin: sample.margin, alternative });
      const expected = ref.tests[alternative];
      expect(got).toMatchObject({ n: ref.n, zeros: ref.zeros, method: ref.method === 'approx' ? 'normal' : 'exact' });
      // SciPy reports min(R+, R-) for the two-sided test, R+ otherwise.
      const total = (got.n * (got.n + 1)) / 2;
      expect(alternative === 'two-sided' ? Math.min(got.statistic, total - got.statistic) : got.statistic).toBe(expected.statistic);
      expect(got.pValue).toBeGreaterThanOrEqual(0);
      expect(got.pValue).toBeLessThanOrEqual(1);
      expectClose(got.pValue, expected.pvalue, `${sample.name} ${alternative} (${expected.source})`);
    }
  });

  it('uses the exact distribution up to n = 50 and the normal approximation from n = 51', () => {
    const method = (name: string) => signedRankTest(find(samples.signedRank, name).d, { margin: 0, alternative: 'greater' }).method;
    expect(method('n=50')).toBe('exact');
    expect(method('n=51')).toBe('normal');
    expect(method('with ties')).toBe('normal');
    expect(method('with zeros')).toBe('normal');
  });

  it('gives pValue 1 (exact, n 0) when nothing is left after dropping zeros, rather than NaN or a throw', () => {
    for (const alternative of ALTERNATIVES) {
      expect(signedRankTest([], { margin: 0, alternative })).toEqual({ n: 0, zeros: 0, statistic: 0, pValue: 1, method: 'exact' });
      expect(signedRankTest([0.2, 0.2], { margin: 0.2, alternative })).toEqual({ n: 0, zeros: 2, statistic: 0, pValue: 1, method: 'exact' });
    }
  });

  it('catches the stdlib mu path, which drops the zeros of d instead of those of d - mu', () => {
    const sample = find(samples.signedRank, 'zeros of d and of d - margin');
    const expected = find(scipyReference().signedRank, sample.name).tests.greater.pvalue;
    const viaMu = wilcoxon(sample.d, { mu: sample.margin, alternative: 'greater', correction: false }).pValue;
    expect(close(viaMu, expected)).toBe(false);
    expectClose(signedRankTest(sample.d, { margin: sample.margin, alternative: 'greater' }).pValue, expected, sample.name);
  });

  it('catches the continuity correction that stdlib applies by default and SciPy does not', () => {
    for (const name of ['n=51', 'with ties', 'n=300 latency ratios']) {
      const sample = find(samples.signedRank, name);
      const shifted = sample.d.map((x) => x - sample.margin);
      const ref = find(scipyReference().signedRank, name);
      for (const alternative of ALTERNATIVES) {
        expect(close(wilcoxon(shifted, { alternative }).pValue, ref.tests[alternative].pvalue), `${name} ${alternative}`).toBe(false);
      }
    }
  });

  it('keeps the exact two-sided p-value at 1 where stdlib doubles a tail that holds the centre', () => {
    const sample = find(samples.signedRank, 'n=3 statistic at the centre');
    expect(wilcoxon(sample.d, { correction: false }).pValue).toBeGreaterThan(1);
    expect(signedRankTest(sample.d, { margin: 0, alternative: 'two-sided' }).pValue).toBe(1);
  });
});

describe('rankBiserial', () => {
  it.each(samples.signedRank)('$name', (sample) => {
    const r = rankBiserial(sample.d, sample.margin);
    expect(Math.abs(r - find(scipyReference().signedRank, sample.name).rankBiserial)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r)).toBeLessThanOrEqual(1);
  });
});

describe('hodgesLehmann against the Walsh averages indexed by the signed-rank critical value', () => {
  it.each(samples.signedRank.filter((s) => s.d.length > 0))('$name', (sample) => {
    const ref = find(scipyReference().signedRank, sample.name).hodgesLehmann ?? {};
    for (const [confidence, expected] of Object.entries(ref)) {
      const got = hodgesLehmann(sample.d, Number(confidence));
      // Same doubles, same order, same index: equal to the last bit.
      expect(got, `${sample.name} @${confidence} (k = ${expected.k})`).toEqual({ estimate: expected.estimate, lower: expected.lower, upper: expected.upper });
    }
  });

  it('rejects an empty sample and a confidence outside (0, 1)', () => {
    expect(() => hodgesLehmann([], 0.95)).toThrow(RangeError);
    expect(() => hodgesLehmann([1, 2], 1)).toThrow(RangeError);
  });
});

describe('clopperPearson against scipy.stats.beta.ppf', () => {
  it.each(samples.binomial)('$name', ({ name, k, n, confidence }) => {
    const ref = find(scipyReference().binomial, name);
    const got = clopperPearson(k, n, confidence);
    expectClose(got.lower, ref.lower, `${name} lower`);
    expectClose(got.upper, ref.upper, `${name} upper`);
    expectClose(clopperPearsonUpper(k, n, confidence), ref.oneSidedUpper, `${name} one-sided upper`);
    if (k === 0) expect(got.lower).toBe(0);
    if (k === n) expect(got.upper).toBe(1);
  });

  it('rejects impossible counts', () => {
    expect(() => clopperPearson(3, 2, 0.95)).toThrow(RangeError);
    expect(() => clopperPearson(-1, 2, 0.95)).toThrow(RangeError);
    expect(clopperPearson(0, 0, 0.95)).toEqual({ lower: 0, upper: 1 });
  });
});

describe('mcnemarExact against scipy.stats.binomtest(b, b + c, 0.5)', () => {
  it.each(samples.mcnemar)('$name', ({ name, b, c }) => {
    const ref = find(scipyReference().mcnemar, name);
    for (const alternative of ALTERNATIVES) {
      const got = mcnemarExact(b, c, alternative);
      expect(got.discordant).toBe(b + c);
      expectClose(got.pValue, ref.pvalues[alternative], `${name} ${alternative}`);
    }
  });
});

describe('classDistribution against scipy.stats.chi2_contingency (no correction)', () => {
  it.each(samples.classes)('$name', ({ name, canary, stable }) => {
    const ref = find(scipyReference().classes, name);
    const got = classDistribution(canary, stable);
    expect(got.classes).toEqual(ref.classes);
    expect(got.canary).toEqual(ref.canary);
    expect(got.stable).toEqual(ref.stable);
    if (ref.pvalue === null) {
      expect(got).toMatchObject({ chi2: 0, df: 0, pValue: undefined });
      return;
    }
    expect(got.df).toBe(ref.df);
    expectClose(got.chi2, ref.chi2 ?? Number.NaN, `${name} chi2`);
    expectClose(got.pValue ?? Number.NaN, ref.pvalue, `${name} p-value`);
  });
});

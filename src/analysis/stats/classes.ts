import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

export interface ClassDistribution {
  /** Every class seen on either side, sorted. */
  classes: string[];
  canary: Record<string, number>;
  stable: Record<string, number>;
  chi2: number;
  df: number;
  /** undefined (with chi2 and df 0) when there are fewer than 2 classes or a side is empty. */
  pValue: number | undefined;
}

/** Chi-square test of homogeneity of the canary and stable class counts (2 x k table, no Yates correction). */
export function classDistribution(canary: readonly string[], stable: readonly string[]): ClassDistribution {
  const classes = [...new Set([...canary, ...stable])].sort();
  const canaryCounts = tally(classes, canary);
  const stableCounts = tally(classes, stable);
  const table = { canary: Object.fromEntries(canaryCounts), stable: Object.fromEntries(stableCounts) };
  if (classes.length < 2 || canary.length === 0 || stable.length === 0) {
    return { classes, ...table, chi2: 0, df: 0, pValue: undefined };
  }
  const chi2 = homogeneityStatistic([...canaryCounts.values()], [...stableCounts.values()]);
  const df = classes.length - 1;
  return { classes, ...table, chi2, df, pValue: 1 - chisquareCdf(chi2, df) };
}

function tally(classes: readonly string[], labels: readonly string[]): Map<string, number> {
  const counts = new Map(classes.map((c) => [c, 0]));
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return counts;
}

/** Pearson's statistic sum (O - E)^2 / E over both rows; every column total is positive. */
function homogeneityStatistic(a: readonly number[], b: readonly number[]): number {
  const totalA = sum(a);
  const totalB = sum(b);
  const total = totalA + totalB;
  let chi2 = 0;
  a.forEach((countA, j) => {
    const countB = b[j] ?? 0;
    const column = countA + countB;
    chi2 += deviation(countA, (totalA * column) / total) + deviation(countB, (totalB * column) / total);
  });
  return chi2;
}

function deviation(observed: number, expected: number): number {
  return (observed - expected) ** 2 / expected;
}

function sum(values: readonly number[]): number {
  return values.reduce((acc, x) => acc + x, 0);
}

/** The same test from counts per class (as Prometheus' counters give them). */
export function classDistributionOfCounts(canary: Readonly<Record<string, number>>, stable: Readonly<Record<string, number>>): ClassDistribution {
  const classes = [...new Set([...Object.keys(canary), ...Object.keys(stable)])].sort();
  const a = classes.map((c) => canary[c] ?? 0);
  const b = classes.map((c) => stable[c] ?? 0);
  const table = { canary: Object.fromEntries(classes.map((c, i) => [c, a[i] ?? 0])), stable: Object.fromEntries(classes.map((c, i) => [c, b[i] ?? 0])) };
  const seen = classes.filter((_, i) => (a[i] ?? 0) + (b[i] ?? 0) > 0);
  if (seen.length < 2 || sum(a) === 0 || sum(b) === 0) return { classes, ...table, chi2: 0, df: 0, pValue: undefined };
  const keep = (xs: number[]): number[] => xs.filter((_, i) => (a[i] ?? 0) + (b[i] ?? 0) > 0);
  const chi2 = homogeneityStatistic(keep(a), keep(b));
  const df = seen.length - 1;
  return { classes, ...table, chi2, df, pValue: 1 - chisquareCdf(chi2, df) };
}

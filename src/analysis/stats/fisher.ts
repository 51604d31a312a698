import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import { assertCount } from './checks.js';

/**
 * One-sided Fisher exact test that the canary errs more often than stable, from unpaired counts:
 * canaryErrors of canaryTotal against stableErrors of stableTotal. The p-value is P(X >= canaryErrors)
 * for X hypergeometric (population the requests of both, successes the errors of both, draws the
 * canary's requests), summed over the upper tail so that small p-values keep their precision. It is
 * SciPy's fisher_exact(table, alternative='greater') on [[canaryErrors, canaryOk], [stableErrors, stableOk]].
 */
export function fisherExactGreater(canaryErrors: number, canaryTotal: number, stableErrors: number, stableTotal: number): number {
  for (const [name, v] of [
    ['canaryErrors', canaryErrors],
    ['canaryTotal', canaryTotal],
    ['stableErrors', stableErrors],
    ['stableTotal', stableTotal],
  ] as const)
    assertCount(name, v);
  if (canaryErrors > canaryTotal || stableErrors > stableTotal) throw new RangeError('errors must not exceed the requests they are counted in');
  const population = canaryTotal + stableTotal;
  const errors = canaryErrors + stableErrors;
  if (population === 0 || errors === 0 || errors === population) return 1;
  let p = 0;
  for (let x = canaryErrors; x <= Math.min(canaryTotal, errors); x++) p += hypergeometricPmf(x, population, errors, canaryTotal);
  return Math.min(1, p);
}

import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../src/config/quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    [2, 2],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['+1', 1],
    ['1Ki', 1024],
    ['4Gi', 4 * 2 ** 30],
    ['1Ei', 2 ** 60],
    ['1k', 1000],
    ['1M', 1e6],
    ['1E', 1e18],
    ['1e3', 1000],
    ['1E3', 1000],
    ['5e-1', 0.5],
    ['1e99', 1e99],
    ['-1', -1],
    ['100n', 100e-9],
    ['3u', 3e-6],
  ] as [string | number, number][])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it.each(['', 'abc', '1KB', '1 Gi', '1ki', 'Gi', '1e', '1.2.3', '0x10'])('%j is not a quantity', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  it('refuses a number that is not finite', () => {
    expect(parseQuantity(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

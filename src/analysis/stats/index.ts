export { clopperPearson, clopperPearsonUpper, mcnemarExact } from './binomial.js';
export type { Interval, McNemarResult } from './binomial.js';
export { classDistribution, classDistributionOfCounts } from './classes.js';
export type { ClassDistribution } from './classes.js';
export { hodgesLehmann, rankBiserial, signedRankTest } from './signed-rank.js';
export type { Alternative, HodgesLehmann, SignedRankOptions, SignedRankResult } from './signed-rank.js';
export { fisherExactGreater } from './fisher.js';
export { histogramQuantile, monotonic, quantileRanks, valueAtRank } from './quantile.js';
export type { Bucket } from './quantile.js';

export const id = 312;
export const ids = [312];
export const modules = {

/***/ 94289:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $S: () => (/* binding */ judgeShare),
/* harmony export */   I_: () => (/* binding */ shareLine)
/* harmony export */ });
/* unused harmony export SHARE_CONFIDENCE */
/* harmony import */ var _stats_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(29822);

/** Wide on purpose: a false "the Gateway ignores the weight" should be rarer than one in a thousand steps. */
const SHARE_CONFIDENCE = 0.999;
/** The share the canary got of the answered requests, with its interval, against the route's weight (percent). */
function judgeShare(sample, weight) {
    const n = sample.canary + sample.stable;
    const { lower, upper } = (0,_stats_index_js__WEBPACK_IMPORTED_MODULE_0__/* .clopperPearson */ .mI)(sample.canary, n, SHARE_CONFIDENCE);
    const p = weight / 100;
    return { ...sample, weight, share: n === 0 ? 0 : sample.canary / n, lower, upper, within: n > 0 && lower <= p && p <= upper };
}
const pct = (x) => `${(x * 100).toFixed(1)}%`;
/** "canary 9.8% (49 of 500 through the Gateway; 99.9% interval 6.6–13.9%) at weight 10%" */
function shareLine(r) {
    const n = r.canary + r.stable;
    if (n === 0)
        return `no answer through the Gateway told the tracks apart (${r.sent} sent, ${r.failed} failed, ${r.other} of another version)`;
    const extra = [r.failed ? `${r.failed} failed` : '', r.other ? `${r.other} of another version` : ''].filter(Boolean).join(', ');
    return `canary ${pct(r.share)} (${r.canary} of ${n} through the Gateway${extra ? `, ${extra}` : ''}; ${SHARE_CONFIDENCE * 100}% interval ${pct(r.lower)}–${pct(r.upper)}) at weight ${r.weight}%`;
}


/***/ }),

/***/ 29822:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  fr: () => (/* reexport */ classDistribution),
  _c: () => (/* reexport */ classDistributionOfCounts),
  mI: () => (/* reexport */ clopperPearson),
  _m: () => (/* reexport */ clopperPearsonUpper),
  hb: () => (/* reexport */ fisherExactGreater),
  EV: () => (/* reexport */ histogramQuantile),
  i6: () => (/* reexport */ hodgesLehmann),
  B1: () => (/* reexport */ mcnemarExact),
  x1: () => (/* reexport */ monotonic),
  xV: () => (/* reexport */ quantileRanks),
  sG: () => (/* reexport */ rankBiserial),
  BL: () => (/* reexport */ signedRankTest),
  LR: () => (/* reexport */ valueAtRank)
});

// EXTERNAL MODULE: ./node_modules/@stdlib/stats-base-dists-beta-quantile/lib/index.js
var lib = __webpack_require__(67259);
var lib_default = /*#__PURE__*/__webpack_require__.n(lib);
// EXTERNAL MODULE: ./node_modules/@stdlib/stats-binomial-test/lib/index.js
var stats_binomial_test_lib = __webpack_require__(76925);
var stats_binomial_test_lib_default = /*#__PURE__*/__webpack_require__.n(stats_binomial_test_lib);
;// CONCATENATED MODULE: ./src/analysis/stats/checks.ts
function assertConfidence(confidence) {
    if (!(confidence > 0 && confidence < 1))
        throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}
function assertCount(name, value) {
    if (!Number.isInteger(value) || value < 0)
        throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

;// CONCATENATED MODULE: ./src/analysis/stats/binomial.ts



/** Exact (Clopper-Pearson) two-sided interval for k successes out of n; n = 0 gives [0, 1]. */
function clopperPearson(k, n, confidence) {
    assertTrials(k, n);
    assertConfidence(confidence);
    const alpha = 1 - confidence;
    return {
        lower: k === 0 ? 0 : lib_default()(alpha / 2, k, n - k + 1),
        upper: k === n ? 1 : lib_default()(1 - alpha / 2, k + 1, n - k),
    };
}
/** One-sided Clopper-Pearson upper bound: beta.ppf(confidence, k + 1, n - k), 1 when k = n. */
function clopperPearsonUpper(k, n, confidence) {
    assertTrials(k, n);
    assertConfidence(confidence);
    return k === n ? 1 : lib_default()(confidence, k + 1, n - k);
}
/**
 * Exact McNemar test: b pairs where only the canary failed, c where only the stable one did;
 * the binomial test of b out of b + c at p = 0.5. 'greater' means the canary fails more often.
 * pValue 1 when there is no discordant pair.
 */
function mcnemarExact(b, c, alternative) {
    assertCount('b', b);
    assertCount('c', c);
    const discordant = b + c;
    if (discordant === 0)
        return { pValue: 1, discordant };
    const { pValue } = stats_binomial_test_lib_default()(b, discordant, { p: 0.5, alternative });
    return { pValue: Math.min(1, pValue), discordant };
}
function assertTrials(k, n) {
    assertCount('k', k);
    assertCount('n', n);
    if (k > n)
        throw new RangeError(`k (${k}) must not exceed n (${n})`);
}

// EXTERNAL MODULE: ./node_modules/@stdlib/stats-base-dists-chisquare-cdf/lib/index.js
var stats_base_dists_chisquare_cdf_lib = __webpack_require__(16328);
var stats_base_dists_chisquare_cdf_lib_default = /*#__PURE__*/__webpack_require__.n(stats_base_dists_chisquare_cdf_lib);
;// CONCATENATED MODULE: ./src/analysis/stats/classes.ts

/** Chi-square test of homogeneity of the canary and stable class counts (2 x k table, no Yates correction). */
function classDistribution(canary, stable) {
    const classes = [...new Set([...canary, ...stable])].sort();
    const canaryCounts = tally(classes, canary);
    const stableCounts = tally(classes, stable);
    const table = { canary: Object.fromEntries(canaryCounts), stable: Object.fromEntries(stableCounts) };
    if (classes.length < 2 || canary.length === 0 || stable.length === 0) {
        return { classes, ...table, chi2: 0, df: 0, pValue: undefined };
    }
    const chi2 = homogeneityStatistic([...canaryCounts.values()], [...stableCounts.values()]);
    const df = classes.length - 1;
    return { classes, ...table, chi2, df, pValue: 1 - stats_base_dists_chisquare_cdf_lib_default()(chi2, df) };
}
function tally(classes, labels) {
    const counts = new Map(classes.map((c) => [c, 0]));
    for (const label of labels)
        counts.set(label, (counts.get(label) ?? 0) + 1);
    return counts;
}
/** Pearson's statistic sum (O - E)^2 / E over both rows; every column total is positive. */
function homogeneityStatistic(a, b) {
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
function deviation(observed, expected) {
    return (observed - expected) ** 2 / expected;
}
function sum(values) {
    return values.reduce((acc, x) => acc + x, 0);
}
/** The same test from counts per class (as Prometheus' counters give them). */
function classDistributionOfCounts(canary, stable) {
    const classes = [...new Set([...Object.keys(canary), ...Object.keys(stable)])].sort();
    const a = classes.map((c) => canary[c] ?? 0);
    const b = classes.map((c) => stable[c] ?? 0);
    const table = { canary: Object.fromEntries(classes.map((c, i) => [c, a[i] ?? 0])), stable: Object.fromEntries(classes.map((c, i) => [c, b[i] ?? 0])) };
    const seen = classes.filter((_, i) => (a[i] ?? 0) + (b[i] ?? 0) > 0);
    if (seen.length < 2 || sum(a) === 0 || sum(b) === 0)
        return { classes, ...table, chi2: 0, df: 0, pValue: undefined };
    const keep = (xs) => xs.filter((_, i) => (a[i] ?? 0) + (b[i] ?? 0) > 0);
    const chi2 = homogeneityStatistic(keep(a), keep(b));
    const df = seen.length - 1;
    return { classes, ...table, chi2, df, pValue: 1 - stats_base_dists_chisquare_cdf_lib_default()(chi2, df) };
}

// EXTERNAL MODULE: ./node_modules/@stdlib/stats-base-dists-normal-quantile/lib/index.js
var stats_base_dists_normal_quantile_lib = __webpack_require__(86060);
var stats_base_dists_normal_quantile_lib_default = /*#__PURE__*/__webpack_require__.n(stats_base_dists_normal_quantile_lib);
// EXTERNAL MODULE: ./node_modules/@stdlib/stats-base-dists-signrank-cdf/lib/index.js
var stats_base_dists_signrank_cdf_lib = __webpack_require__(53516);
var stats_base_dists_signrank_cdf_lib_default = /*#__PURE__*/__webpack_require__.n(stats_base_dists_signrank_cdf_lib);
// EXTERNAL MODULE: ./node_modules/@stdlib/stats-base-dists-signrank-quantile/lib/index.js
var stats_base_dists_signrank_quantile_lib = __webpack_require__(74036);
var stats_base_dists_signrank_quantile_lib_default = /*#__PURE__*/__webpack_require__.n(stats_base_dists_signrank_quantile_lib);
// EXTERNAL MODULE: ./node_modules/@stdlib/stats-wilcoxon/lib/index.js
var stats_wilcoxon_lib = __webpack_require__(22716);
var stats_wilcoxon_lib_default = /*#__PURE__*/__webpack_require__.n(stats_wilcoxon_lib);
;// CONCATENATED MODULE: ./src/analysis/stats/signed-rank.ts





// Up to this many differences the exact signed-rank distribution is used (as in @stdlib/stats-wilcoxon).
const EXACT_MAX_N = 50;
/**
 * Wilcoxon signed-rank test of d against the location `margin`: zeros of d - margin are
 * dropped ('wilcox'), no continuity correction. Exact for n <= 50 without zeros or ties,
 * normal approximation (tie-corrected variance) otherwise. With fewer than 2 nonzero
 * differences the exact null distribution is used directly: n = 0 gives pValue 1.
 */
function signedRankTest(d, opts) {
    // Shift here and call stdlib with mu 0: its mu path drops the zeros of d, not of d - mu.
    const shifted = d.map((x) => x - opts.margin);
    const nonzero = shifted.filter((x) => x !== 0);
    const n = nonzero.length;
    const zeros = shifted.length - n;
    if (n < 2) {
        const statistic = rankSums(nonzero).plus;
        return { n, zeros, statistic, pValue: exactPValue(statistic, n, opts.alternative), method: 'exact' };
    }
    const result = stats_wilcoxon_lib_default()(shifted, { alternative: opts.alternative, zeroMethod: 'wilcox', correction: false });
    return {
        n,
        zeros,
        statistic: result.statistic,
        // stdlib doubles a tail that holds the centre of the exact distribution: above 1 there.
        pValue: Math.min(1, result.pValue),
        method: usesNormal(nonzero, zeros) ? 'normal' : 'exact',
    };
}
/** The rule by which @stdlib/stats-wilcoxon leaves the exact distribution. */
function usesNormal(nonzero, zeros) {
    const distinct = new Set(nonzero.map(Math.abs)).size;
    return nonzero.length > EXACT_MAX_N || zeros > 0 || distinct < nonzero.length;
}
function exactPValue(statistic, n, alternative) {
    const atMost = n === 0 ? 1 : stats_base_dists_signrank_cdf_lib_default()(statistic, n);
    const atLeast = n === 0 ? 1 : 1 - stats_base_dists_signrank_cdf_lib_default()(statistic - 1, n);
    if (alternative === 'less')
        return atMost;
    if (alternative === 'greater')
        return atLeast;
    return Math.min(1, 2 * Math.min(atMost, atLeast));
}
/** Average ranks (1-based) of values, ties sharing the mean of their ranks. */
function averageRanks(values) {
    const order = values.map((_, i) => i).sort((a, b) => at(values, a) - at(values, b));
    const ranks = new Array(values.length);
    for (let start = 0; start < order.length;) {
        let end = start + 1;
        while (end < order.length && at(values, at(order, end)) === at(values, at(order, start)))
            end += 1;
        const rank = (start + 1 + end) / 2;
        for (let i = start; i < end; i += 1)
            ranks[at(order, i)] = rank;
        start = end;
    }
    return ranks;
}
function rankSums(nonzero) {
    const ranks = averageRanks(nonzero.map(Math.abs));
    let plus = 0;
    let minus = 0;
    nonzero.forEach((x, i) => {
        if (x > 0)
            plus += at(ranks, i);
        else
            minus += at(ranks, i);
    });
    return { plus, minus };
}
/**
 * Matched-pairs rank-biserial correlation (R+ - R-) / (R+ + R-) of d - margin, zeros
 * dropped; 0 when no nonzero difference is left.
 */
function rankBiserial(d, margin) {
    const nonzero = d.map((x) => x - margin).filter((x) => x !== 0);
    if (nonzero.length === 0)
        return 0;
    const { plus, minus } = rankSums(nonzero);
    return (plus - minus) / (plus + minus);
}
/**
 * Hodges-Lehmann estimate (median of the Walsh averages (d_i + d_j) / 2, i <= j, of all of
 * d, zeros included) and its distribution-free confidence interval.
 *
 * With the M = n(n+1)/2 Walsh averages sorted W(1) <= ... <= W(M) and alpha = 1 - confidence,
 * the interval is [W(k), W(M+1-k)] where k is the signed-rank alpha/2 quantile, the smallest
 * k with P(T <= k) >= alpha/2 (R's wilcox.test convention), so that the coverage is
 * 1 - 2 P(T <= k - 1) >= confidence. For n <= 50, k is exact; beyond, k = ceil(M/2 - 1/2 - z s),
 * z the normal 1 - alpha/2 quantile and s^2 = n(n+1)(2n+1)/24 (no tie correction).
 * k is kept in [1, ceil(M/2)]: for tiny n (n <= 5 at 95%) the interval is [W(1), W(M)] and
 * does not reach the confidence asked.
 */
function hodgesLehmann(d, confidence) {
    if (d.length === 0)
        throw new RangeError('hodgesLehmann needs at least one difference');
    assertConfidence(confidence);
    const walsh = walshAverages(d);
    const m = walsh.length;
    const k = Math.min(Math.max(criticalRank(d.length, 1 - confidence), 1), Math.ceil(m / 2));
    return { estimate: sortedMedian(walsh), lower: at(walsh, k - 1), upper: at(walsh, m - k) };
}
function criticalRank(n, alpha) {
    if (n <= EXACT_MAX_N)
        return stats_base_dists_signrank_quantile_lib_default()(alpha / 2, n);
    const m = (n * (n + 1)) / 2;
    const s = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    return Math.ceil(m / 2 - 0.5 - stats_base_dists_normal_quantile_lib_default()(1 - alpha / 2, 0, 1) * s);
}
/** The sorted Walsh averages (d_i + d_j) / 2, i <= j. */
function walshAverages(d) {
    const n = d.length;
    const out = new Float64Array((n * (n + 1)) / 2);
    let next = 0;
    for (let i = 0; i < n; i += 1) {
        for (let j = i; j < n; j += 1)
            out[next++] = (at(d, i) + at(d, j)) / 2;
    }
    return out.sort();
}
function sortedMedian(sorted) {
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? at(sorted, mid) : (at(sorted, mid - 1) + at(sorted, mid)) / 2;
}
function at(values, i) {
    const value = values[i];
    if (value === undefined)
        throw new RangeError(`index ${i} out of range`);
    return value;
}

// EXTERNAL MODULE: ./node_modules/@stdlib/stats-base-dists-hypergeometric-pmf/lib/index.js
var stats_base_dists_hypergeometric_pmf_lib = __webpack_require__(77392);
var stats_base_dists_hypergeometric_pmf_lib_default = /*#__PURE__*/__webpack_require__.n(stats_base_dists_hypergeometric_pmf_lib);
;// CONCATENATED MODULE: ./src/analysis/stats/fisher.ts


/**
 * One-sided Fisher exact test that the canary errs more often than stable, from unpaired counts:
 * canaryErrors of canaryTotal against stableErrors of stableTotal. The p-value is P(X >= canaryErrors)
 * for X hypergeometric (population the requests of both, successes the errors of both, draws the
 * canary's requests), summed over the upper tail so that small p-values keep their precision. It is
 * SciPy's fisher_exact(table, alternative='greater') on [[canaryErrors, canaryOk], [stableErrors, stableOk]].
 */
function fisherExactGreater(canaryErrors, canaryTotal, stableErrors, stableTotal) {
    for (const [name, v] of [
        ['canaryErrors', canaryErrors],
        ['canaryTotal', canaryTotal],
        ['stableErrors', stableErrors],
        ['stableTotal', stableTotal],
    ])
        assertCount(name, v);
    if (canaryErrors > canaryTotal || stableErrors > stableTotal)
        throw new RangeError('errors must not exceed the requests they are counted in');
    const population = canaryTotal + stableTotal;
    const errors = canaryErrors + stableErrors;
    if (population === 0 || errors === 0 || errors === population)
        return 1;
    let p = 0;
    for (let x = canaryErrors; x <= Math.min(canaryTotal, errors); x++)
        p += stats_base_dists_hypergeometric_pmf_lib_default()(x, population, errors, canaryTotal);
    return Math.min(1, p);
}

// EXTERNAL MODULE: ./node_modules/@stdlib/stats-base-dists-binomial-quantile/lib/index.js
var stats_base_dists_binomial_quantile_lib = __webpack_require__(15490);
var stats_base_dists_binomial_quantile_lib_default = /*#__PURE__*/__webpack_require__.n(stats_base_dists_binomial_quantile_lib);
;// CONCATENATED MODULE: ./src/analysis/stats/quantile.ts


/**
 * Distribution-free one-sided bounds on the q-quantile as order statistics: the `lower`-th smallest of n
 * observations is at or below the quantile with probability at least `confidence`, the `upper`-th at or
 * above it. From B ~ Binomial(n, q): lower = binom.ppf(1 - confidence), upper = binom.ppf(confidence) + 1.
 * A rank under 1 means no observation bounds it (the bound is the smallest possible value, 0); a rank
 * over n, that the sample is too small to bound it from above.
 */
function quantileRanks(n, q, confidence) {
    assertCount('n', n);
    assertConfidence(confidence);
    if (!(q > 0 && q < 1))
        throw new RangeError(`q must be in (0, 1), got ${q}`);
    if (n === 0)
        return { lower: 0, upper: 1 };
    // + 0 turns stdlib's -0 for rank 0 into 0.
    return { lower: stats_base_dists_binomial_quantile_lib_default()(1 - confidence, n, q) + 0, upper: stats_base_dists_binomial_quantile_lib_default()(confidence, n, q) + 1 };
}
/**
 * The value at a rank (1 = the smallest) of the observations in a cumulative histogram, interpolated
 * linearly inside its bucket the way Prometheus' histogram_quantile does (the first bucket starts at 0).
 * Infinity when the rank falls in the +Inf bucket or past the last observation: the histogram cannot say.
 * NaN for an empty histogram.
 */
function valueAtRank(buckets, rank) {
    const total = buckets.at(-1)?.cumulative ?? 0;
    if (total === 0)
        return Number.NaN;
    if (rank <= 0)
        return 0;
    if (rank > total)
        return Number.POSITIVE_INFINITY;
    let below = 0;
    let start = 0;
    for (const b of buckets) {
        if (b.cumulative >= rank) {
            if (!Number.isFinite(b.le))
                return Number.POSITIVE_INFINITY;
            const inside = b.cumulative - below;
            return start + (b.le - start) * ((rank - below) / inside);
        }
        below = b.cumulative;
        start = b.le;
    }
    return Number.POSITIVE_INFINITY;
}
/**
 * Prometheus' histogram_quantile(q) of a cumulative histogram: the rank q·count, interpolated; a rank in
 * the +Inf bucket gives the highest finite bound (as Prometheus answers). NaN for an empty histogram.
 */
function histogramQuantile(buckets, q) {
    const total = buckets.at(-1)?.cumulative ?? 0;
    if (total === 0)
        return Number.NaN;
    const v = valueAtRank(buckets, q * total);
    if (Number.isFinite(v))
        return v;
    const finite = buckets.filter((b) => Number.isFinite(b.le));
    return finite.at(-1)?.le ?? Number.NaN;
}
/** Buckets made cumulative-monotonic and sorted (a scrape between two buckets' reads can break it, as Prometheus also fixes). */
function monotonic(buckets) {
    let max = 0;
    return [...buckets]
        .sort((a, b) => a.le - b.le)
        .map((b) => {
        max = Math.max(max, b.cumulative);
        return { le: b.le, cumulative: max };
    });
}

;// CONCATENATED MODULE: ./src/analysis/stats/index.ts







/***/ }),

/***/ 35312:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deliverRelease: () => (/* binding */ deliverRelease)
});

// EXTERNAL MODULE: ./src/decide/locked.ts
var locked = __webpack_require__(86148);
// EXTERNAL MODULE: ./src/decide/record.ts
var record = __webpack_require__(21659);
// EXTERNAL MODULE: ./src/deploy/apply.ts
var apply = __webpack_require__(42427);
// EXTERNAL MODULE: ./src/deploy/canary-plan.ts
var canary_plan = __webpack_require__(30991);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/deploy/gate.ts
var deploy_gate = __webpack_require__(97772);
// EXTERNAL MODULE: ./src/deploy/traffic/index.ts
var deploy_traffic = __webpack_require__(42613);
// EXTERNAL MODULE: ./src/kube/resources.ts
var resources = __webpack_require__(26804);
// EXTERNAL MODULE: ./src/deploy/gate-report.ts
var gate_report = __webpack_require__(70683);
;// CONCATENATED MODULE: ./src/deploy/index.ts







/**
 * Applies the canary (or, when there is no stable Deployment yet, the whole release as stable) with
 * server-side apply and waits on the readiness gate. A failed gate on a first deploy removes what it
 * created; a failed canary is left for the decide stage to roll back. Call it holding the release lock.
 */
async function deployCanary(config, objects, ctx, image = ctx.report.outputs.image) {
    const { logger } = ctx.host;
    if (config.canary.strategy === 'kserve') {
        throw new errors/* ModelCanaryError */.Md('internal', 'canary.strategy kserve is deployed by deployInferenceService, not deployCanary.');
    }
    if (objects.length === 0)
        throw new errors/* ModelCanaryError */.Md('internal', 'The deploy stage got no rendered objects.');
    const client = await ctx.kube.client();
    const namespace = config.cluster.namespace;
    const fieldManager = config.cluster.fieldManager;
    const model = (0,canary_plan/* modelDeployment */.JG)(objects, image);
    const stable = model.metadata.name;
    const stableLive = await client.get((0,resources/* apiPath */.So)('Deployment', namespace, stable));
    const plan = (0,canary_plan/* planDeploy */.bJ)({
        objects,
        image,
        namespace,
        canaryReplicas: config.canary.replicas,
        canaryWeight: config.canary.weight,
        stableExists: stableLive !== undefined,
    });
    const traffic = config.canary.strategy === 'traffic' ? (0,deploy_traffic/* planTraffic */.H6)({ objects, stable: model, namespace }) : undefined;
    await announce(client, plan, stableLive, config, logger);
    if (traffic && plan.mode === 'canary') {
        // The stable track's Service is shared by every release: applied, never counted as this run's.
        await client.apply(traffic.stableService, fieldManager);
        logger.info(`applied Service/${traffic.stableService.metadata.name}`);
    }
    const extra = traffic ? [plan.mode === 'first' ? traffic.stableService : traffic.canaryService] : [];
    const created = await (0,apply/* applyObjects */.r3)(client, [...extra, ...plan.apply], fieldManager, ctx.cleanup, logger);
    try {
        const gateOptions = {
            namespace,
            label: plan.mode === 'first' ? 'stable' : 'canary',
            timeoutMs: config.canary.readinessTimeoutMs,
            maxRestarts: config.canary.maxRestarts,
            logger,
        };
        const gate = await (0,deploy_gate/* gateDeployment */.T)(client, { ...gateOptions, deployment: plan.gated });
        logger.info(`${plan.gated}: ${gate.readyPods.length} pod(s) Ready in ${(gate.elapsedMs / 1000).toFixed(1)}s: ${gate.readyPods.join(', ')}`);
        for (const worker of plan.gatedWorkers) {
            const w = await (0,deploy_gate/* gateDeployment */.T)(client, { ...gateOptions, deployment: worker });
            logger.info(`${worker}: ${w.readyPods.length} worker pod(s) Ready in ${(w.elapsedMs / 1000).toFixed(1)}s: ${w.readyPods.join(', ')}`);
        }
        if (traffic)
            await routeTraffic(client, config, traffic, plan.mode, created, ctx.cleanup, logger);
        return {
            revision: gate.revision,
            readyPods: gate.readyPods,
            mode: plan.mode,
            namespace,
            deployment: plan.gated,
            stable: plan.stable,
            image,
            replicaSet: gate.replicaSet,
            hpaManaged: plan.hpaManaged,
            created,
            shared: plan.shared,
            workers: plan.gatedWorkers,
            gateMs: gate.elapsedMs,
        };
    }
    catch (err) {
        if (plan.mode === 'first') {
            logger.info(`The first release of ${plan.stable} failed its gate; removing the ${created.length} object(s) it created.`);
            try {
                await (0,apply/* removeObjects */.$M)(client, created, ctx.cleanup, logger);
            }
            catch (removeErr) {
                // What is left behind is the error now; the gate's reason stays in the log.
                logger.error(`The first release of ${plan.stable} failed: ${err instanceof Error ? err.message : String(err)}`);
                throw removeErr;
            }
        }
        throw err;
    }
}
/**
 * Strategy traffic, once the gated pods are Ready: the HTTPRoute sends `canary.weight` percent to the
 * canary's Service (all to stable on a first release), and the controller of the Gateway has accepted it.
 * A route a first release creates joins `created` (removed again if the release fails).
 */
async function routeTraffic(client, config, traffic, mode, created, cleanup, logger) {
    const gateway = config.canary.gateway;
    if (!gateway)
        throw new errors/* ModelCanaryError */.Md('user', 'canary.strategy traffic needs canary.gateway (the Gateway the HTTPRoute attaches to).', 'Set canary.gateway.name (and namespace when the Gateway lives in another namespace).');
    const namespace = config.cluster.namespace;
    const route = (0,deploy_traffic/* httpRoute */.id)({
        name: traffic.route,
        namespace,
        gateway,
        ...(config.canary.hostnames ? { hostnames: config.canary.hostnames } : {}),
        stableService: traffic.stableService.metadata.name,
        canaryService: traffic.canaryService.metadata.name,
        port: traffic.port,
        ...(mode === 'canary' ? { weight: config.canary.weight } : {}),
        labels: { 'app.kubernetes.io/name': config.model.name },
    });
    const existed = (await client.get((0,deploy_traffic/* routePath */.dA)(namespace, route.metadata.name))) !== undefined;
    // Listed before the apply: a run cancelled while it applies still has it removed (a first release) or
    // its weights sent back to stable (a canary; the route then stays, as stable's way in).
    if (mode === 'first' && !existed) {
        cleanup.created((0,apply/* objectKey */.T5)(route));
        created.push(route);
    }
    if (mode === 'canary')
        cleanup.route(route.metadata.name, config.cluster.fieldManager);
    await (0,deploy_traffic/* applyRoute */.QT)(client, route, gateway.namespace ? gateway : { ...gateway, namespace }, config.cluster.fieldManager, logger);
}
/** Says what is about to happen, and warns about what a user should know first. */
async function announce(client, plan, stableLive, config, logger) {
    const namespace = config.cluster.namespace;
    if (plan.mode === 'first' || !stableLive) {
        logger.info(`No Deployment ${plan.stable} in namespace ${namespace} yet: this first release is deployed as stable and gated.`);
        return;
    }
    if (stableLive.spec.selector.matchLabels?.['track'] === undefined) {
        logger.warn(`The selector of Deployment ${plan.stable} has no track label, so it also matches the canary's pods; add track: stable to its selector and pod labels (the builtin chart does).`);
    }
    const left = await client.get((0,resources/* apiPath */.So)('Deployment', namespace, plan.gated));
    if (left)
        logger.warn(`Replacing the canary ${plan.gated} left in place (held, or by a run that died), which ran ${(0,canary_plan/* templateImages */.TD)(left.spec.template).join(', ')}.`);
    logger.info(`Stable ${plan.stable} runs ${(0,canary_plan/* templateImages */.TD)(stableLive.spec.template).join(', ')}; deploying ${plan.gated} (${config.canary.replicas} pod(s)) beside it.`);
}

// EXTERNAL MODULE: ./src/decide/promote.ts
var promote = __webpack_require__(81736);
// EXTERNAL MODULE: ./src/decide/stable-rollout.ts
var stable_rollout = __webpack_require__(51385);
;// CONCATENATED MODULE: ./src/decide/strategies/deployments.ts





/**
 * Strategies replicas and traffic: the canary is a Deployment `<model>-canary` beside stable (with
 * traffic, reached through its own Service and a weighted HTTPRoute); promotion gives stable the
 * canary's pod template.
 */
function deploymentStrategy(config, ctx, client) {
    const { logger } = ctx.host;
    const forget = (created) => {
        for (const o of created)
            ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
    };
    return {
        name: config.canary.strategy,
        async deploy(objects, image) {
            const r = await deployCanary(config, objects, ctx, image);
            const detail = `${r.mode === 'first' ? 'first release as stable' : r.deployment}: revision ${r.revision}, ${r.readyPods.length} Ready pod(s) in ${(r.gateMs / 1000).toFixed(1)}s`;
            return { ...r, detail, gate: `${r.readyPods.length} pod(s) Ready in ${(r.gateMs / 1000).toFixed(1)}s`, pods: r };
        },
        async afterFailedDeploy(err, objects, image) {
            const stable = (0,canary_plan/* modelDeployment */.JG)(objects, image).metadata.name;
            const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
            let verdict;
            if (config.decide.onFailure === 'hold' && (await (0,stable_rollout/* keepCanary */.Gq)(client, config, stable, ctx.cleanup))) {
                logger.info(`Holding the failed canary ${(0,canary_plan/* canaryName */.mh)(stable)} for inspection (decide.onFailure is hold); run command rollback to remove it.`);
                verdict = 'held';
            }
            else {
                const removed = await (0,stable_rollout/* removeCanary */.rd)(client, config, stable, ctx.cleanup, logger);
                verdict = removed && err instanceof gate_report/* GateFailure */.I ? 'rolled-back' : 'failed';
            }
            const rows = [['Reason', reason]];
            if (err instanceof gate_report/* GateFailure */.I) {
                const seconds = ((Date.now() - err.detectedAt) / 1000).toFixed(1);
                rows.push([
                    'Gate',
                    `${err.signal.reason} on ${err.signal.object} after ${((err.detectedAt - err.startedAt) / 1000).toFixed(1)}s; ${verdict} ${seconds}s after the signal was seen`,
                ]);
                logger.info(`Verdict ${verdict} ${seconds}s after the gate saw ${err.signal.reason}.`);
            }
            return { verdict, image, rows, note: 'not run: the gate failed' };
        },
        async keepFirst(d) {
            forget(d.created);
        },
        async removeFirst(d) {
            logger.info(`The first release of ${d.stable} failed; removing what it created.`);
            await (0,apply/* removeObjects */.$M)(client, d.created, ctx.cleanup, logger);
        },
        async promote(d) {
            const promotion = await (0,promote/* promoteCanary */.z)(client, config, d.stable, { cleanup: ctx.cleanup, logger }, d.shared);
            return [['Stable rollout', `${promotion.gate.readyPods.length} pod(s) Ready in ${(promotion.gate.elapsedMs / 1000).toFixed(1)}s`]];
        },
        async rollback(d) {
            await (0,stable_rollout/* removeCanary */.rd)(client, config, d.stable, ctx.cleanup, logger);
        },
        async hold(d) {
            forget(d.created);
            if (config.canary.strategy === 'traffic')
                ctx.cleanup.route(d.stable, undefined);
        },
    };
}

// EXTERNAL MODULE: ./src/deploy/kserve/index.ts + 3 modules
var kserve = __webpack_require__(88270);
;// CONCATENATED MODULE: ./src/decide/strategies/kserve.ts


/**
 * Strategy kserve: KServe runs the canary and its conditions are the gate. In Standard mode the canary is a
 * spec.canary entry, a Deployment of its own: its pods are smoked and analysed beside stable's like any
 * canary's. In Serverless mode (canaryTrafficPercent) KServe names its pods after revisions and gives
 * none of its own to send to, so smoke and analysis do not run there; the README says so.
 */
function kserveStrategy(config, ctx, client) {
    const { logger } = ctx.host;
    return {
        name: 'kserve',
        async deploy(objects) {
            const r = await (0,kserve/* deployInferenceService */.u0)(config, objects, ctx);
            const detail = `${r.mode === 'first' ? 'first release' : `canary at ${config.canary.weight}%`}: InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s`;
            const gate = `InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s${r.standard?.route ? `; ${r.standard.route}` : ''}`;
            return r.standard ? { ...r, detail, gate, pods: r.standard } : { ...r, detail, gate };
        },
        async afterFailedDeploy(err, objects) {
            if (!(err instanceof kserve/* InferenceServiceFailure */.Jx))
                throw err;
            const name = (0,kserve/* renderedInferenceService */.kK)(objects).metadata.name;
            const live = await client.get((0,kserve/* isvcPath */.$N)(config.cluster.namespace, name));
            const image = live ? (0,kserve/* predictorImage */.QV)(live.spec.predictor) : '';
            let verdict = 'failed';
            const inCanary = live !== undefined && ((0,kserve/* standardMode */.xh)(live) ? (0,kserve/* ourCanaryEntry */.rS)(live) !== undefined : live.spec.predictor.canaryTrafficPercent !== undefined);
            if (inCanary && config.decide.onFailure === 'rollback') {
                const r = await (0,kserve/* rollbackInferenceService */.p1)(client, config, name, logger);
                ctx.cleanup.kserveCanary(name, undefined, config.cluster.fieldManager);
                logger.info(`All traffic back on ${r.image}.`);
                verdict = 'rolled-back';
            }
            else if (inCanary) {
                ctx.cleanup.kserveCanary(name, undefined, config.cluster.fieldManager);
                logger.info(`Holding the failed canary of InferenceService ${name} (decide.onFailure is hold); run command rollback to remove it.`);
                verdict = 'held';
            }
            return { verdict, image, rows: [['Reason', err.reason]], note: `not run: ${err.reason}` };
        },
        async keepFirst(d) {
            for (const o of d.created)
                ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
        },
        async removeFirst(d) {
            await (0,apply/* removeObjects */.$M)(client, d.created, ctx.cleanup, logger);
        },
        async promote(d) {
            const promoted = await (0,kserve/* promoteInferenceService */.Bi)(client, config, d.name, logger, d.shared, d.standard?.scaling);
            ctx.cleanup.kserveCanary(d.name, undefined, config.cluster.fieldManager);
            return [
                [
                    'Promotion',
                    d.standard
                        ? `stable retargeted to the canary's Deployment ${d.standard.deployment} in ${(promoted.elapsedMs / 1000).toFixed(1)}s`
                        : `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`,
                ],
            ];
        },
        async rollback(d) {
            await (0,kserve/* rollbackInferenceService */.p1)(client, config, d.name, logger);
            ctx.cleanup.kserveCanary(d.name, undefined, config.cluster.fieldManager);
        },
        async hold(d) {
            ctx.cleanup.kserveCanary(d.name, undefined, config.cluster.fieldManager);
            logger.info(`Holding the canary of InferenceService ${d.name} at ${config.canary.weight}%: run command promote or rollback to finish.`);
        },
    };
}

;// CONCATENATED MODULE: ./src/decide/strategies/index.ts


/** The one place a strategy name picks code: everything after it goes through ReleaseStrategy. */
function strategyFor(config, ctx, client) {
    return config.canary.strategy === 'kserve' ? kserveStrategy(config, ctx, client) : deploymentStrategy(config, ctx, client);
}

;// CONCATENATED MODULE: ./src/decide/verdict.ts
/**
 * The decision rule, in one place and pure: from the evidence and the decide settings to what happens.
 * An inconclusive canary is never promoted: it is held for a person (or failed, per onInconclusive).
 */
function judgeRelease(input) {
    const evidence = input.evidence === 'inconclusive' && input.onInconclusive === 'fail' ? 'fail' : input.evidence;
    if (input.mode === 'first') {
        // Nothing to compare with, nothing to roll back to: a first release stays unless it failed.
        return evidence === 'fail'
            ? { ending: 'remove-first', verdict: 'failed', fails: true, why: 'the first release failed its checks' }
            : { ending: 'keep-first', verdict: 'promoted', fails: false, why: 'first release: it is stable now' };
    }
    if (evidence === 'fail') {
        return input.onFailure === 'rollback'
            ? { ending: 'rollback', verdict: 'rolled-back', fails: true, why: 'the canary failed its checks' }
            : { ending: 'hold', verdict: 'held', fails: true, why: 'the canary failed its checks; decide.onFailure is hold' };
    }
    if (evidence === 'inconclusive')
        return { ending: 'hold', verdict: 'held', fails: false, why: 'the analysis could not tell; held for a person (analysis.onInconclusive is hold)' };
    if (input.decideMode === 'manual')
        return { ending: 'hold', verdict: 'held', fails: false, why: 'decide.mode is manual' };
    return { ending: 'promote', verdict: 'promoted', fails: false, why: 'the canary passed its checks' };
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
;// CONCATENATED MODULE: ./src/deploy/required-access.ts


const CORE = '';
const APPLY = ['get', 'create', 'patch'];
/** How messages and Roles name a resource: `deployments.apps`, `pods/portforward`. */
function resourceLabel(need) {
    return `${need.resource}${need.subresource ? `/${need.subresource}` : ''}${need.group ? `.${need.group}` : ''}`;
}
const accessKey = (n) => `${n.verb} ${resourceLabel(n)} ${n.namespace ?? ''}`;
/** The group of an apiVersion: `apps/v1` → `apps`, `v1` → the core group. */
const groupOf = (apiVersion) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : CORE);
function requiredAccess(config, objects, lookup = resources/* knownResource */._c) {
    const ns = config.cluster.namespace;
    const needs = new Map();
    // extra.namespace: the release's namespace unless given; null for a cluster-scoped resource.
    const add = (verbs, group, resource, use, extra = {}) => {
        const namespace = extra.namespace === null ? undefined : (extra.namespace ?? ns);
        for (const verb of verbs) {
            const need = {
                verb,
                group,
                resource,
                ...(extra.subresource ? { subresource: extra.subresource } : {}),
                ...(namespace !== undefined ? { namespace } : {}),
                uses: [use],
            };
            const key = accessKey(need);
            const seen = needs.get(key);
            if (!seen) {
                needs.set(key, { ...need, ...(extra.optional ? { optional: extra.optional } : {}), ...(extra.route ? { route: extra.route } : {}) });
                continue;
            }
            if (!seen.uses.includes(use))
                seen.uses.push(use);
            // Needed for itself by anything makes it required.
            if (!extra.optional)
                delete seen.optional;
            if (!extra.route)
                delete seen.route;
        }
    };
    add(['get', 'create', 'update', 'delete'], 'coordination.k8s.io', 'leases', 'the release lock');
    add(['get', 'create', 'patch'], CORE, 'configmaps', 'the release history');
    const strategy = config.canary.strategy;
    for (const o of objects) {
        const info = lookup(o.apiVersion, o.kind);
        if (!info)
            throw new errors/* ModelCanaryError */.Md('internal', `requiredAccess: no resource known for ${o.apiVersion} ${o.kind}; resolve it through API discovery first.`);
        const where = info.namespaced ? (o.metadata.namespace ?? ns) : null;
        add(APPLY, groupOf(o.apiVersion), info.plural, `applying ${o.kind}/${o.metadata.name}`, { namespace: where });
        add(['delete'], groupOf(o.apiVersion), info.plural, 'removing a failed first release', { namespace: where });
    }
    if (strategy === 'kserve') {
        add(['get'], 'serving.kserve.io', 'inferenceservices', "the InferenceService's conditions (the gate)");
        return [...needs.values()];
    }
    add(['get', 'patch'], 'apps', 'deployments', 'the canary Deployment and the promoted stable');
    add(['create'], 'apps', 'deployments', 'the canary Deployment');
    add(['delete'], 'apps', 'deployments', 'removing the canary (rollback, promotion, cleanup)');
    add(['list'], 'apps', 'replicasets', "the readiness gate (the Deployment's current ReplicaSet)");
    add(['list', 'watch'], CORE, 'pods', 'the readiness gate and the analysis pod watch');
    add(['list', 'watch'], CORE, 'events', 'the readiness gate');
    add(['get'], CORE, 'pods', "the gate's failure message", {
        subresource: 'log',
        optional: "the gate's failure messages will not quote the container's last log lines",
    });
    add(['list'], 'autoscaling', 'horizontalpodautoscalers', 'promotion (is stable scaled by an HPA?)');
    if (strategy === 'traffic') {
        add([...APPLY, 'delete'], CORE, 'services', "the stable and canary tracks' Services");
        add(['list'], CORE, 'services', "finding the canary's Services to remove");
        add([...APPLY, 'delete'], 'gateway.networking.k8s.io', 'httproutes', "the HTTPRoute's weights");
    }
    const analysed = config.analysis.durationMs > 0 && (config.analysis.load.rps > 0 || config.canary.gateway?.url !== undefined);
    if (config.smoke.enabled || analysed) {
        // The smoke stage and the paired load send through the pods proxy, and switch to port-forward when it is refused.
        const purpose = config.smoke.enabled ? 'the smoke stage' : "the analysis window's paired load";
        const proxy = { purpose, name: "the API server's pods proxy" };
        const portForward = { purpose, name: 'kubectl port-forward' };
        add(['get', 'create'], CORE, 'pods', `${purpose} through ${proxy.name}`, { subresource: 'proxy', route: proxy });
        add(['get'], CORE, 'pods', `${purpose} through ${portForward.name}`, { route: portForward });
        add(['create'], CORE, 'pods', `${purpose} through ${portForward.name}`, { subresource: 'portforward', route: portForward });
    }
    return [...needs.values()];
}

;// CONCATENATED MODULE: ./src/deploy/preflight.ts



/**
 * The permission preflight of a release, before its lock is taken and anything applied: every verb the
 * release will use (requiredAccess) is asked of the API server as a SelfSubjectAccessReview, all at once.
 * A missing one refuses the release naming each, with the Role rules to add (judgeAccess says which are
 * only warnings). A review the API server will not answer is a warning too: the release goes on, as it did
 * before there was a preflight.
 */
async function checkReleaseAccess(config, objects, ctx) {
    const { logger } = ctx.host;
    const client = await ctx.kube.client();
    const kinds = await resolveKinds(client, objects);
    const needs = requiredAccess(config, objects, (apiVersion, kind) => kinds.get(`${apiVersion}/${kind}`));
    const reviews = await reviewAccess(client, needs);
    const unknown = reviews.filter((r) => r.outcome === 'unknown');
    if (unknown.length > 0) {
        logger.warn(`Could not check ${unknown.length} of the ${reviews.length} permission(s) this release needs before applying (${unknown[0]?.detail ?? '?'}); going on, and a missing one fails where it is used. Every authenticated user may create SelfSubjectAccessReviews unless the cluster removed that from the ClusterRole system:basic-user.`);
    }
    const judged = judgeAccess(reviews);
    for (const w of judged.warnings)
        logger.warn(w);
    if (judged.refused.length > 0)
        throw accessRefusal(judged.refused);
    const allowed = reviews.filter((r) => r.outcome === 'allowed').length;
    const missing = reviews.filter((r) => r.outcome === 'denied').length;
    const notes = [...(missing > 0 ? [`${missing} denied, each a warning above`] : []), ...(unknown.length > 0 ? [`${unknown.length} unknown`] : [])];
    logger.info(`Permissions checked before applying: ${allowed} of ${reviews.length} allowed by the API server${notes.length > 0 ? ` (${notes.join(', ')})` : ''}.`);
}
/**
 * What the answers mean: a denied need refuses the release, unless it is optional (a warning) or on a route
 * of a purpose another route of which is fully allowed (a warning that names the way that is left). When
 * no route of a purpose is open, the first route's denied needs are refused, naming the other ways too.
 */
function judgeAccess(reviews) {
    const denied = reviews.filter((r) => r.outcome === 'denied').map((r) => r.need);
    const refused = denied.filter((n) => !n.optional && !n.route);
    const warnings = denied
        .filter((n) => n.optional)
        .map((n) => `The kubeconfig may not ${describeNeed(n)}: ${n.optional ?? ''}. Add it as docs/rbac.yaml has it.`);
    const purposes = new Map();
    for (const r of reviews) {
        if (!r.need.route)
            continue;
        const routes = purposes.get(r.need.route.purpose) ?? new Map();
        routes.set(r.need.route.name, [...(routes.get(r.need.route.name) ?? []), r]);
        purposes.set(r.need.route.purpose, routes);
    }
    for (const [purpose, routes] of purposes) {
        const closed = [...routes.entries()].filter(([, rs]) => rs.some((r) => r.outcome === 'denied'));
        const open = [...routes.keys()].filter((name) => !closed.some(([c]) => c === name));
        const [first] = [...routes.keys()];
        if (open.length > 0) {
            for (const [name, rs] of closed) {
                const lacking = rs.filter((r) => r.outcome === 'denied').map((r) => describeNeed(r.need));
                warnings.push(`The kubeconfig may not ${lacking.join(', nor ')}: ${purpose} cannot go through ${name}, only through ${open.join(' or ')}. Add it as docs/rbac.yaml has it.`);
            }
            continue;
        }
        const others = closed
            .filter(([name]) => name !== first)
            .map(([name, rs]) => `${name}: ${rs.map((r) => `${r.need.verb} ${resourceLabel(r.need)}`).join(', ')}`);
        for (const r of routes.get(first ?? '') ?? []) {
            if (r.outcome === 'denied')
                refused.push({ ...r.need, uses: [...r.need.uses, ...others.map((o) => `or instead ${o}`)] });
        }
    }
    return { refused, warnings };
}
/** One SelfSubjectAccessReview per need, sent together. */
async function reviewAccess(client, needs) {
    return Promise.all(needs.map((need) => reviewOne(client, need)));
}
async function reviewOne(client, need) {
    const review = {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        metadata: { name: '' },
        spec: {
            resourceAttributes: {
                verb: need.verb,
                group: need.group,
                resource: need.resource,
                ...(need.subresource ? { subresource: need.subresource } : {}),
                ...(need.namespace !== undefined ? { namespace: need.namespace } : {}),
            },
        },
    };
    let answer;
    try {
        answer = await client.create(review);
    }
    catch (err) {
        return { need, outcome: 'unknown', detail: err instanceof Error ? err.message : String(err) };
    }
    if (!answer.created) {
        const message = answer.body?.message;
        return { need, outcome: 'unknown', detail: `POST selfsubjectaccessreviews answered HTTP ${answer.status}${message ? `: ${message}` : ''}` };
    }
    const status = answer.object.status;
    if (!status)
        return { need, outcome: 'unknown', detail: 'the SelfSubjectAccessReview came back without a status' };
    if (status.allowed)
        return { need, outcome: 'allowed' };
    const detail = [status.reason, status.evaluationError].filter((s) => s !== undefined && s !== '').join('; ');
    return { need, outcome: 'denied', ...(detail ? { detail } : {}) };
}
/** The refusal: every missing permission with what uses it, and the Role rules that grant them, as YAML. */
function accessRefusal(missing) {
    const lines = missing.map((n) => `  - ${describeNeed(n)} (${n.uses.join('; ')})`);
    const byScope = new Map();
    for (const n of missing)
        byScope.set(n.namespace ?? '', [...(byScope.get(n.namespace ?? '') ?? []), n]);
    const grants = [...byScope.entries()].map(([namespace, needs]) => {
        const where = namespace ? `the Role in namespace ${namespace}` : 'a ClusterRole';
        return `Add to the rules of ${where} bound to the kubeconfig's user:\n${(0,dist/* stringify */.As)(roleRules(needs)).trimEnd()}`;
    });
    return new errors/* ModelCanaryError */.Md('cluster', `The kubeconfig's user lacks ${missing.length} permission(s) this release needs, so nothing was applied (no lock taken, no object changed):\n${lines.join('\n')}`, `${grants.join('\n')}\ndocs/rbac.yaml has every rule model-canary uses (docs/rbac.md says why each is there); apply it, or add the rules above, and run again.`);
}
/** Role rules granting the needs: one per group and resource, with its verbs. */
function roleRules(needs) {
    const rules = new Map();
    for (const n of needs) {
        const resource = n.subresource ? `${n.resource}/${n.subresource}` : n.resource;
        const key = `${n.group} ${resource}`;
        const rule = rules.get(key) ?? { apiGroups: [n.group], resources: [resource], verbs: [] };
        if (!rule.verbs.includes(n.verb))
            rule.verbs.push(n.verb);
        rules.set(key, rule);
    }
    return [...rules.values()];
}
const describeNeed = (n) => `${n.verb} ${resourceLabel(n)}${n.namespace ? ` in namespace ${n.namespace}` : ' (cluster-wide)'}`;
/** Plural and scope of every rendered kind: the known table, else API discovery (a kind the cluster does not serve fails here, before anything is applied). */
async function resolveKinds(client, objects) {
    const kinds = new Map();
    for (const o of objects) {
        const key = `${o.apiVersion}/${o.kind}`;
        if (!kinds.has(key))
            kinds.set(key, await client.resourceFor(o.apiVersion, o.kind));
    }
    return kinds;
}

// EXTERNAL MODULE: ./src/log/stage.ts
var stage = __webpack_require__(43828);
// EXTERNAL MODULE: ./src/analysis/share.ts
var analysis_share = __webpack_require__(94289);
// EXTERNAL MODULE: ./src/deploy/traffic/plan.ts
var plan = __webpack_require__(47202);
;// CONCATENATED MODULE: ./src/deploy/traffic/step.ts




/**
 * A live route with the canary's backend at `weight` percent and the stable backend at the rest, as pure
 * data. The route must already send to both (the deploy stage made it so at the first step).
 */
function routeAtWeight(live, weight) {
    const canary = live.metadata.annotations?.[plan/* CANARY_BACKEND */.mj];
    const isCanary = (name) => (canary !== undefined ? name === canary : (0,canary_plan/* isCanaryName */.kI)(name));
    const route = (0,plan/* cleanRoute */.$4)(live);
    const rules = route.spec.rules ?? [];
    const rule = rules[0];
    const refs = rule?.backendRefs ?? [];
    if (!rule || rules.length !== 1 || refs.length !== 2 || refs.filter((b) => isCanary(b.name)).length !== 1) {
        throw new errors/* ModelCanaryError */.Md('cluster', `HTTPRoute ${live.metadata.name} is not the one-rule stable/canary split model-canary made (${refs.map((b) => b.name).join(', ') || 'no backends'}); cannot step its weight.`, 'Something else changed the route during the release; run command rollback, then release again.');
    }
    rule.backendRefs = refs.map((b) => ({ ...b, weight: isCanary(b.name) ? weight : 100 - weight }));
    return route;
}
/** Moves the live route to the next step's weight and waits for the Gateway's controller to accept it. */
async function stepRouteWeight(client, namespace, name, weight, fieldManager, logger) {
    const live = await client.get((0,deploy_traffic/* routePath */.dA)(namespace, name));
    if (!live)
        throw new errors/* ModelCanaryError */.Md('cluster', `HTTPRoute ${namespace}/${name} is gone; cannot step the canary's weight to ${weight}%.`, 'Something removed the route during the release; run command rollback, then release again.');
    const gateway = (0,plan/* routeGateway */._s)(live) ?? { name: '?' };
    await (0,deploy_traffic/* applyRoute */.QT)(client, routeAtWeight(live, weight), gateway.namespace ? gateway : { ...gateway, namespace }, fieldManager, logger);
}

;// CONCATENATED MODULE: ./src/pipeline/evidence.ts

const defaultSmoke = async (...a) => (await __webpack_require__.e(/* import() */ 12).then(__webpack_require__.bind(__webpack_require__, 1012))).smokeCanary(...a);
/** The smoke stage on the delivery's pods; skipped (and passing) when smoke is off or the strategy has no pods. */
async function smokeEvidence(config, delivery, ctx, smoke) {
    if (!delivery.pods) {
        ctx.report.stages.push({
            name: 'smoke',
            status: 'skipped',
            durationMs: 0,
            detail: `strategy ${config.canary.strategy}: its own conditions gate the canary`,
        });
        return { outcome: 'pass', rows: [], note: `${config.canary.strategy} conditions` };
    }
    if (!config.smoke.enabled) {
        ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: 0, detail: 'smoke.enabled is false: the gate decides' });
        return { outcome: 'pass', rows: [['Smoke', 'smoke disabled']], note: 'smoke disabled' };
    }
    const pods = delivery.pods;
    return ctx.host.logger.group('smoke', async () => {
        const started = Date.now();
        const done = (outcome, summary, error) => ({
            outcome,
            rows: [['Smoke', summary]],
            note: summary,
            ...(error ? { error } : {}),
        });
        try {
            const report = await smoke(config, pods, ctx);
            const summary = `${report.verdict}: error rate ${(report.errorRate * 100).toFixed(1)}%, p95 ${Math.round(report.p95Ms)} ms`;
            const { smokeOutputs, SmokeFailed } = await __webpack_require__.e(/* import() */ 12).then(__webpack_require__.bind(__webpack_require__, 1012));
            // The smoke figures; the verdict output is the decision's, set by decide.
            Object.assign(ctx.report.outputs, { ...smokeOutputs(report), verdict: ctx.report.outputs.verdict });
            ctx.report.stages.push({ name: 'smoke', status: report.verdict === 'pass' ? 'ok' : 'failed', durationMs: Date.now() - started, detail: summary });
            return report.verdict === 'pass' ? done('pass', summary) : done('fail', summary, new SmokeFailed(report));
        }
        catch (err) {
            if (err instanceof errors/* ModelCanaryError */.Md && err.kind === 'unavailable') {
                ctx.host.logger.warn('The smoke stage is not available in this version: smoke is skipped and the readiness gate decides.');
                ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: Date.now() - started, detail: 'not available: the gate decides' });
                return done('pass', 'skipped (not available)');
            }
            const message = err instanceof Error ? err.message : String(err);
            const line = message.split('\n')[0] ?? message;
            ctx.report.stages.push({ name: 'smoke', status: 'failed', durationMs: Date.now() - started, detail: line });
            return done('fail', `error: ${line}`, err);
        }
    });
}
/** The error a release whose evidence failed ends with. */
function evidenceError(evidence) {
    return (evidence.error ??
        new errors/* ModelCanaryError */.Md('model', `The canary failed its checks (${evidence.note}).`, 'See the smoke and analysis sections of the summary for the failing measurements.'));
}
/**
 * The analysis window after a passing smoke stage, for a canary beside a stable one. Off (with a warning)
 * when analysis.duration is 0s; not run for a first release (nothing to compare with) or a strategy
 * without pods of its own.
 */
async function analysisEvidence(config, delivery, smoked, ctx, step) {
    const skip = (detail) => {
        ctx.report.stages.push({ name: 'analysis', status: 'skipped', durationMs: 0, detail });
        return smoked;
    };
    if (smoked.outcome !== 'pass')
        return skip('smoke did not pass');
    if (!delivery.pods)
        return skip(`strategy ${config.canary.strategy}: no canary pods of its own to compare`);
    if (delivery.mode === 'first')
        return skip('first release: no stable to compare with');
    if (config.analysis.durationMs === 0) {
        ctx.host.logger.warn('analysis.duration is 0s: no bake window; the canary is judged on the readiness gate and smoke alone, and nothing watches it under load before it is promoted.');
        return skip('analysis.duration is 0s');
    }
    const pods = delivery.pods;
    const { analyseCanary } = await Promise.all(/* import() */[__webpack_require__.e(12), __webpack_require__.e(275)]).then(__webpack_require__.bind(__webpack_require__, 74275));
    const started = Date.now();
    const name = step ? `analysis at ${step.weight}%` : 'analysis';
    return ctx.host.logger.group(name, async () => {
        const a = await analyseCanary(config, { canary: pods.deployment, stable: pods.stable, workers: pods.workers ?? [] }, ctx, step);
        const status = a.outcome === 'fail' ? 'failed' : 'ok';
        ctx.report.stages.push({ name, status, durationMs: Date.now() - started, detail: a.note });
        return {
            outcome: a.outcome,
            rows: [...smoked.rows, ...a.rows],
            note: `${smoked.note}; ${a.note}`,
            ...(a.share ? { share: a.share } : {}),
            ...(a.error ? { error: a.error } : {}),
        };
    });
}

;// CONCATENATED MODULE: ./src/pipeline/steps.ts




/**
 * canary.steps (strategy traffic): the deploy stage routed the first step's weight; each step runs its own
 * analysis window, and the route's weight advances only when it passes. The first step that does not pass
 * ends the walk with its outcome, for decide; a share through the Gateway outside the interval of its
 * weight ends it inconclusive (the route is not doing what it says, so the analysis did not see what it
 * meant to). Without steps, or for a first release, this is the one analysis window.
 */
async function steppedEvidence(client, config, delivery, smoked, ctx) {
    const steps = config.canary.steps ?? [];
    const route = delivery.pods?.stable;
    if (steps.length === 0 || delivery.mode === 'first' || smoked.outcome !== 'pass' || !route)
        return analysisEvidence(config, delivery, smoked, ctx);
    const { logger } = ctx.host;
    const url = config.canary.gateway?.url;
    const host = config.canary.hostnames?.[0];
    const gateway = url ? { url, ...(host ? { host } : {}) } : undefined;
    const rows = [...smoked.rows];
    const notes = [smoked.note];
    for (const [i, weight] of steps.entries()) {
        if (i > 0) {
            if (ctx.signal?.aborted)
                throw new errors/* ModelCanaryError */.Md('cancelled', 'The run was cancelled between canary steps.', 'Nothing was promoted; the canary is removed as the run ends.');
            logger.info(`Step ${i + 1} of ${steps.length}: the canary's weight goes to ${weight}%.`);
            await stepRouteWeight(client, config.cluster.namespace, route, weight, config.cluster.fieldManager, logger);
        }
        const step = await analysisEvidence(config, delivery, { outcome: 'pass', rows: [], note: '' }, ctx, { weight, ...(gateway ? { gateway } : {}) });
        const share = step.share ? `; ${(0,analysis_share/* shareLine */.I_)(step.share)}` : '';
        const note = `step ${weight}%: ${step.note.replace(/^; /, '')}${share}`;
        rows.push([`Step ${weight}%`, note]);
        notes.push(note);
        const done = (outcome, error) => ({
            outcome,
            rows,
            note: notes.join('; '),
            ...(error ? { error } : {}),
        });
        if (step.outcome !== 'pass')
            return done(step.outcome, step.error);
        if (step.share && !step.share.within) {
            logger.warn(`Step ${weight}%: the Gateway sent the canary ${(0,analysis_share/* shareLine */.I_)(step.share)}, outside the interval of the route's weight; the analysis did not see the traffic it meant to, so the walk stops inconclusive.`);
            return done('inconclusive');
        }
    }
    logger.info(`All ${steps.length} step(s) passed (${steps.join('%, ')}%).`);
    return { outcome: 'pass', rows, note: notes.join('; ') };
}

;// CONCATENATED MODULE: ./src/pipeline/deliver.ts










/**
 * deploy → smoke → analysis → decide, holding the release lock: the part of a release after render. The strategy
 * (src/decide/strategies) deploys and carries out the ending that judgeRelease picks from the evidence;
 * every ending is recorded in the history and the summary by finishRelease. A failure still throws, so
 * the step fails with the reason.
 */
async function deliverRelease(config, objects, image, ctx, deps = {}) {
    // Before the lock too: a Role that cannot remove a canary must not get as far as taking a Lease.
    await checkReleaseAccess(config, objects, ctx);
    return (0,locked/* withReleaseLock */.D)(config, ctx, async (client) => {
        const strategy = strategyFor(atFirstStep(config), ctx, client);
        const delivery = await deployStage(client, config, strategy, objects, image, ctx);
        let evidence;
        try {
            const smoked = await smokeEvidence(config, delivery, ctx, deps.smoke ?? defaultSmoke);
            evidence = await steppedEvidence(client, config, delivery, smoked, ctx);
        }
        catch (err) {
            if (!(err instanceof errors/* ModelCanaryError */.Md && err.kind === 'cancelled'))
                throw err;
            // Cancelled (SIGINT, SIGTERM): nothing is promoted, and the canary does not outlive the run.
            ctx.host.logger.warn('Cancelled: removing the canary; stable untouched.');
            await (delivery.mode === 'first' ? strategy.removeFirst(delivery) : strategy.rollback(delivery));
            ctx.report.outputs.verdict = 'rolled-back';
            throw err;
        }
        return (0,stage/* runStage */.S)(ctx.host.logger, ctx.report, 'decide', async () => {
            const verdict = await decide(client, config, strategy, delivery, evidence, ctx);
            return { value: verdict, detail: verdict };
        });
    });
}
/** With canary.steps the canary is deployed at the first step's weight (steps replace canary.weight). */
function atFirstStep(config) {
    const first = config.canary.steps?.[0];
    return first === undefined ? config : { ...config, canary: { ...config.canary, weight: first } };
}
async function deployStage(client, config, strategy, objects, image, ctx) {
    try {
        return await (0,stage/* runStage */.S)(ctx.host.logger, ctx.report, 'deploy', async () => {
            const d = await strategy.deploy(objects, image);
            return { value: d, detail: d.detail };
        });
    }
    catch (err) {
        // Nothing was applied for a config the deployer refuses; anything else may have left a canary.
        if (err instanceof errors/* ModelCanaryError */.Md && (err.kind === 'unavailable' || err.kind === 'user'))
            throw err;
        const started = Date.now();
        try {
            const failed = await strategy.afterFailedDeploy(err, objects, image);
            ctx.report.stages.push({
                name: failed.verdict === 'held' ? 'hold' : 'rollback',
                status: 'ok',
                durationMs: Date.now() - started,
                detail: failed.verdict === 'rolled-back' ? 'canary removed; stable untouched' : failed.verdict,
            });
            await (0,record/* finishRelease */.pp)(client, config, ctx, {
                verdict: failed.verdict,
                image: failed.image,
                note: failed.note,
                rows: [['Image', failed.image], ...failed.rows],
            });
        }
        catch (cleanupErr) {
            if (cleanupErr !== err)
                ctx.host.logger.warn(`Rolling back after the failed deploy failed too: ${cleanupErr instanceof Error ? cleanupErr.message : String(cleanupErr)}; the post step removes what this run created.`);
        }
        throw err;
    }
}
async function decide(client, config, strategy, delivery, evidence, ctx) {
    const judged = judgeRelease({
        mode: delivery.mode,
        evidence: evidence.outcome,
        decideMode: config.decide.mode,
        onFailure: config.decide.onFailure,
        onInconclusive: config.analysis.onInconclusive,
    });
    ctx.host.logger.info(`Decision: ${judged.ending} (${judged.why}).`);
    const rows = [['Image', delivery.image], ['Gate', delivery.gate], ...evidence.rows];
    const finish = (verdict, error) => (0,record/* finishRelease */.pp)(client, config, ctx, { verdict, image: delivery.image, note: evidence.note, rows, ...(error ? { error } : {}) });
    const failure = judged.fails ? evidenceError(evidence) : undefined;
    switch (judged.ending) {
        case 'keep-first':
            await strategy.keepFirst(delivery);
            break;
        case 'remove-first':
            await strategy.removeFirst(delivery);
            break;
        case 'rollback':
            await strategy.rollback(delivery);
            break;
        case 'hold':
            await strategy.hold(delivery);
            ctx.host.logger.info(`Holding the canary (${judged.why}): run command promote or rollback to finish.`);
            break;
        case 'promote':
            try {
                rows.push(...(await strategy.promote(delivery)));
            }
            catch (err) {
                if (!(err instanceof gate_report/* GateFailure */.I))
                    throw err;
                await strategy.rollback(delivery);
                rows.push(['Stable rollout', `failed (${err.signal.reason}); stable reverted, canary removed`]);
                return finish('failed', err);
            }
            break;
    }
    return finish(judged.verdict, failure);
}


/***/ })

};

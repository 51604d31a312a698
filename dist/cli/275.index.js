export const id = 275;
export const ids = [275];
export const modules = {

/***/ 74275:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  analyseCanary: () => (/* binding */ analyseCanary)
});

// UNUSED EXPORTS: AnalysisCancelled, AnalysisFailed, judgeAnalysis, rulesOf

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/smoke/index.ts + 4 modules
var smoke = __webpack_require__(1012);
// EXTERNAL MODULE: ./src/smoke/protocols/index.ts + 6 modules
var protocols = __webpack_require__(48859);
// EXTERNAL MODULE: ./src/smoke/transport/channel.ts + 1 modules
var transport_channel = __webpack_require__(92760);
// EXTERNAL MODULE: ./src/smoke/transport/pods.ts
var transport_pods = __webpack_require__(97331);
;// CONCATENATED MODULE: ./src/analysis/outputs.ts
/** The verdict's headline figures as action outputs; a figure the window could not measure stays empty. */
function analysisOutputs(v) {
    return {
        analysis: v.outcome,
        'analysis-pairs': String(v.counted),
        'latency-ratio': v.latency ? v.latency.ratio.toFixed(3) : '',
        'error-rate-bound': v.errors.n > 0 ? v.errors.upper.toFixed(4) : '',
        agreement: v.agreement && v.agreement.compared > 0 ? v.agreement.rate.toFixed(4) : '',
    };
}

// EXTERNAL MODULE: ./src/analysis/share.ts
var share = __webpack_require__(94289);
// EXTERNAL MODULE: ./src/log/markdown.ts
var markdown = __webpack_require__(20157);
// EXTERNAL MODULE: ./src/kube/http.ts + 1 modules
var http = __webpack_require__(30964);
;// CONCATENATED MODULE: ./src/analysis/sources/route-share.ts

/**
 * A request through the Gateway's listener as the runner reaches it (`url`), with the route's host name as
 * the Host header (which fetch does not let a caller set; the one HTTP client of src/kube/http.ts does),
 * answered by whichever backend the route's weights picked.
 */
function gatewayAsk(options) {
    const url = `${options.url.replace(/\/$/, '')}${options.request.path}`;
    const headers = { Accept: 'application/json', ...(options.host ? { Host: options.host } : {}) };
    return async () => {
        try {
            const answer = await (0,http/* httpRequest */.a)(url, { method: options.request.method, headers, signal: AbortSignal.timeout(options.timeoutMs) });
            const text = await answer.text();
            let body = text;
            try {
                body = JSON.parse(text);
            }
            catch {
                // not JSON: no identity
            }
            return { status: answer.status, identity: options.read(body) };
        }
        catch (err) {
            return { status: 0, identity: undefined, error: err instanceof Error ? err.message : String(err) };
        }
    };
}
/**
 * The share of the Gateway's traffic the canary really gets at this step: `rps` times a second, a request
 * through the Gateway; the answer's model version says which track took it. Counts only; judging the
 * share against the route's weight is the step's business.
 */
function routeShare(options) {
    const sample = { sent: 0, canary: 0, stable: 0, other: 0, failed: 0 };
    const running = new Set();
    let timer;
    let delay;
    const probe = () => {
        sample.sent++;
        const p = options.ask().then((a) => {
            if (a.status < 200 || a.status >= 300)
                sample.failed++;
            else if (a.identity === options.identities.canary)
                sample.canary++;
            else if (a.identity === options.identities.stable)
                sample.stable++;
            else
                sample.other++;
        });
        running.add(p);
        void p.finally(() => running.delete(p));
    };
    return {
        name: 'route share',
        async start() {
            if (options.rps <= 0)
                return;
            delay = setTimeout(() => {
                timer = setInterval(probe, 1000 / options.rps);
            }, options.settleMs);
        },
        measure(into) {
            into.share = { ...sample };
        },
        async stop() {
            clearTimeout(delay);
            clearInterval(timer);
            await Promise.all(running);
        },
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/smoke/compare.ts
var compare = __webpack_require__(28866);
// EXTERNAL MODULE: ./src/smoke/stats.ts
var stats = __webpack_require__(74542);
// EXTERNAL MODULE: ./src/analysis/stats/index.ts + 6 modules
var analysis_stats = __webpack_require__(29822);
;// CONCATENATED MODULE: ./src/analysis/prometheus/judge.ts

const FAIL_ALPHA = 0.01;
/** Confidence of each one-sided bound (the error rate's and the latency quantile's). */
const CONFIDENCE = 0.95;
/**
 * The live verdict, a pure function of what Prometheus counted over the window: the canary's 5xx ratio
 * against the limit and against stable, its latency quantile against stable's, and each user query against
 * its threshold. A fail anywhere fails; anything that cannot tell (too few requests, a query with no data)
 * is inconclusive; it passes only when every part passes.
 */
function judgeLive(f, rules) {
    const errors = judgeErrors(f.canary, f.stable, rules);
    const latency = judgeLatency(f.canary, f.stable, rules);
    const queries = f.queries.map(judgeQuery);
    const share = (0,analysis_stats/* classDistributionOfCounts */._c)(f.canary.classes, f.stable.classes);
    const classes = share.classes.length > 0 ? { classes: share.classes, canary: share.canary, stable: share.stable, pValue: share.pValue } : undefined;
    const base = { windowSeconds: f.windowSeconds, errors, latency, queries, ...(classes ? { classes } : {}) };
    const reasons = [];
    if (errors.outcome === 'fail')
        reasons.push(`live traffic: the canary answers 5xx too often: ${liveErrorLine(errors, rules)}`);
    if (latency.outcome === 'fail')
        reasons.push(`live traffic: the canary is slower than stable by more than the ${pctOf(rules.margin)} margin: ${liveLatencyLine(latency)}`);
    for (const q of queries.filter((x) => x.outcome === 'fail'))
        reasons.push(`query ${q.name}: ${queryLine(q)}`);
    if (reasons.length > 0)
        return { ...base, outcome: 'fail', reasons, line: reasons[0] };
    const unsure = [];
    if (f.canary.requests < rules.minSamples)
        unsure.push(`the canary served ${f.canary.requests} live request(s) in ${f.windowSeconds}s, under analysis.minSamples ${rules.minSamples}`);
    else if (errors.outcome === 'inconclusive')
        unsure.push(`errors: ${liveErrorLine(errors, rules)}`);
    if (latency.outcome === 'inconclusive' && f.canary.requests >= rules.minSamples)
        unsure.push(`latency: ${latency.why ?? liveLatencyLine(latency)}`);
    for (const q of queries.filter((x) => x.outcome === 'inconclusive'))
        unsure.push(`query ${q.name}: ${q.noData ?? 'no data'}`);
    if (unsure.length > 0) {
        const why = `live traffic cannot tell: ${unsure.join('; ')}`;
        return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
    }
    return { ...base, outcome: 'pass', reasons: [], line: `live traffic passed: ${liveErrorLine(errors, rules)}; ${liveLatencyLine(latency)}` };
}
function judgeErrors(c, s, rules) {
    const fisherP = (0,analysis_stats/* fisherExactGreater */.hb)(c.errors, c.requests, s.errors, s.requests);
    const lower = c.requests > 0 ? (0,analysis_stats/* clopperPearson */.mI)(c.errors, c.requests, 2 * CONFIDENCE - 1).lower : 0;
    const upper = c.requests > 0 ? (0,analysis_stats/* clopperPearsonUpper */._m)(c.errors, c.requests, CONFIDENCE) : 1;
    const worse = c.requests > 0 && (s.requests === 0 || c.errors / c.requests > s.errors / s.requests);
    const enough = c.requests >= rules.minSamples;
    const outcome = (fisherP < FAIL_ALPHA && s.requests > 0) || (lower > rules.maxErrorRate && worse)
        ? 'fail'
        : enough && upper <= rules.maxErrorRate
            ? 'pass'
            : 'inconclusive';
    return { canary: c.errors, canaryRequests: c.requests, stable: s.errors, stableRequests: s.requests, lower, upper, fisherP, outcome };
}
function judgeLatency(c, s, rules) {
    const n = c.buckets.at(-1)?.cumulative ?? 0;
    const m = s.buckets.at(-1)?.cumulative ?? 0;
    const q = rules.quantile;
    const stable = (0,analysis_stats/* histogramQuantile */.EV)(s.buckets, q);
    const limit = stable * (1 + rules.margin);
    const canary = (0,analysis_stats/* histogramQuantile */.EV)(c.buckets, q);
    const ranks = (0,analysis_stats/* quantileRanks */.xV)(n, q, CONFIDENCE);
    const canaryLower = n > 0 ? (0,analysis_stats/* valueAtRank */.LR)(c.buckets, ranks.lower) : Number.NaN;
    const canaryUpper = n > 0 ? (0,analysis_stats/* valueAtRank */.LR)(c.buckets, ranks.upper) : Number.NaN;
    const base = { quantile: q, canary, canaryLower, canaryUpper, stable, limit };
    if (n < rules.minSamples || m < rules.minSamples)
        return { ...base, outcome: 'inconclusive', why: `${n} canary and ${m} stable request(s) in the histogram, under analysis.minSamples ${rules.minSamples}` };
    if (!Number.isFinite((0,analysis_stats/* valueAtRank */.LR)(s.buckets, q * m)))
        return { ...base, outcome: 'inconclusive', why: `stable's p${q * 100} is above the histogram's last bucket: it cannot be measured` };
    if (canaryLower > limit)
        return { ...base, outcome: 'fail' };
    if (canaryUpper <= limit)
        return { ...base, outcome: 'pass' };
    return { ...base, outcome: 'inconclusive' };
}
function judgeQuery(q) {
    if (q.noData !== undefined || q.canary === undefined)
        return { ...q, outcome: 'inconclusive' };
    const over = q.max !== undefined && q.canary > q.max;
    const under = q.min !== undefined && q.canary < q.min;
    return { ...q, outcome: over || under ? 'fail' : 'pass' };
}
const pctOf = (x) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
const ms = (seconds) => (Number.isFinite(seconds) ? `${(seconds * 1000).toFixed(1)} ms` : seconds > 0 ? 'unbounded' : '-');
const fmt = (p) => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
const ratio = (k, n) => (n > 0 ? pctOf(k / n) : '-');
function liveErrorLine(e, rules) {
    return `5xx canary ${e.canary}/${e.canaryRequests} (${ratio(e.canary, e.canaryRequests)}), stable ${e.stable}/${e.stableRequests} (${ratio(e.stable, e.stableRequests)}): Clopper-Pearson 95% bounds ${pctOf(e.lower)}–${pctOf(e.upper)} (limit ${pctOf(rules.maxErrorRate)}), Fisher exact p=${fmt(e.fisherP)}`;
}
function liveLatencyLine(l) {
    const p = `p${+(l.quantile * 100).toFixed(2)}`;
    return `${p} canary ${ms(l.canary)} (95% bounds ${ms(l.canaryLower)}–${ms(l.canaryUpper)}) vs stable ${ms(l.stable)} (limit ${ms(l.limit)}, from the histogram's buckets)`;
}
function queryLine(q) {
    if (q.noData !== undefined || q.canary === undefined)
        return `no data (${q.noData ?? 'no value'}): cannot tell`;
    const bound = [q.max !== undefined ? `max ${q.max}` : '', q.min !== undefined ? `min ${q.min}` : ''].filter(Boolean).join(', ');
    return `canary ${q.canary}${q.stable !== undefined ? `, stable ${q.stable}` : ''} (${bound})`;
}

;// CONCATENATED MODULE: ./src/analysis/judge.ts




/** Fail when slower than the margin at this level; pass (non-inferior) at PASS_ALPHA. */
const judge_FAIL_ALPHA = 0.01;
const PASS_ALPHA = 0.05;
/**
 * The analysis verdict, a pure function of the measurements: a canary pod signal fails at once; a stable
 * pod signal makes the comparison untrustworthy (inconclusive); otherwise each comparison (latency,
 * errors, agreement) passes, fails or cannot tell, and the canary passes only when all pass with at least
 * minSamples counted pairs. A fixed-sample design: the tests are run once on what the window gathered.
 */
function judgeAnalysis(m, rules) {
    const counted = m.pairs.filter((p) => !p.warmup);
    const errors = judge_judgeErrors(counted, rules);
    const both = counted.filter((p) => p.canary.ok && p.stable.ok);
    const latency = both.length >= 2 ? judge_judgeLatency(both, rules.margin) : undefined;
    const agreement = judgeAgreement(both, rules);
    const classes = agreement?.kind === 'classification' ? classShare(both) : undefined;
    const live = rules.live && m.live ? judgeLive(m.live, rules.live) : undefined;
    const base = {
        counted: counted.length,
        minSamples: rules.minSamples,
        errors,
        ...(latency ? { latency } : {}),
        ...(agreement ? { agreement } : {}),
        ...(classes ? { classes } : {}),
        ...(live ? { live } : {}),
    };
    // Without a paired load, live traffic alone is compared (a window of live figures only).
    const usePairs = rules.pairedLoad !== false || !rules.live;
    const canarySignal = m.signals.find((s) => s.track === 'canary');
    if (canarySignal) {
        return {
            ...base,
            outcome: 'fail',
            signal: canarySignal,
            reasons: [`${canarySignal.reason} on canary pod ${canarySignal.pod}: ${canarySignal.detail}`],
            line: `pod watch: ${canarySignal.reason} on ${canarySignal.pod} ${(canarySignal.at / 1000).toFixed(1)}s into the window`,
        };
    }
    const stableSignal = m.signals.find((s) => s.track === 'stable');
    const reasons = [];
    const parts = [['errors', errors.outcome]];
    if (latency)
        parts.push(['latency', latency.outcome]);
    if (agreement)
        parts.push(['agreement', agreement.outcome]);
    if (latency?.outcome === 'fail')
        reasons.push(`the canary is slower than stable by more than the ${pct(rules.margin)} margin: ${latencyLine(latency)}`);
    if (errors.outcome === 'fail')
        reasons.push(`the canary errs too often: ${errorLine(errors, rules)}`);
    if (agreement?.outcome === 'fail')
        reasons.push(`predictions disagree with stable: ${pct(agreement.rate)} of ${agreement.compared} agree, under ${pct(rules.minAgreement)}`);
    if (live?.outcome === 'fail')
        reasons.push(...live.reasons);
    if (reasons.length > 0)
        return { ...base, outcome: 'fail', reasons, line: reasons[0] };
    if (stableSignal) {
        const why = `${stableSignal.reason} on stable pod ${stableSignal.pod}: the comparison cannot be trusted`;
        return { ...base, outcome: 'inconclusive', signal: stableSignal, reasons: [why], line: why };
    }
    if (rules.live && !live) {
        const why = 'Prometheus gave no live figures (the window must be at least 15s for increase() to have two scrapes): cannot tell';
        return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
    }
    if (!usePairs) {
        const verdict = live;
        return { ...base, outcome: verdict.outcome, reasons: verdict.reasons, line: verdict.line };
    }
    if (counted.length < rules.minSamples) {
        const why = `${counted.length} paired request(s) counted, under analysis.minSamples ${rules.minSamples}: never a pass on so few`;
        return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
    }
    if (errors.n > 0 && errors.stable === errors.n) {
        const why = `stable failed every paired request too (${errors.stable}/${errors.n}): the load cannot compare anything; check smoke.protocol, the model name in the URLs and the cases`;
        return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
    }
    const unsure = parts.filter(([, o]) => o === 'inconclusive').map(([n]) => n);
    if (!latency)
        unsure.push('latency (fewer than 2 pairs answered on both sides)');
    if (unsure.length > 0) {
        const why = `cannot tell: ${unsure.join(', ')}${latency ? `; ${latencyLine(latency)}` : ''}; ${errorLine(errors, rules)}`;
        return { ...base, outcome: 'inconclusive', reasons: [why], line: why };
    }
    if (live && live.outcome !== 'pass')
        return { ...base, outcome: live.outcome, reasons: live.reasons, line: live.line };
    return {
        ...base,
        outcome: 'pass',
        reasons: [],
        line: `passed: ${latency ? latencyLine(latency) : ''}; ${errorLine(errors, rules)}${live ? `; ${live.line}` : ''}`,
    };
}
function judge_judgeLatency(both, margin) {
    // Latencies are positive; a 0 ms reading (a clock's resolution) is lifted to 1 µs so its log exists.
    const d = both.map((p) => Math.log(Math.max(p.canary.latencyMs, 0.001)) - Math.log(Math.max(p.stable.latencyMs, 0.001)));
    const bound = Math.log(1 + margin);
    const slower = (0,analysis_stats/* signedRankTest */.BL)(d, { margin: bound, alternative: 'greater' });
    const notSlower = (0,analysis_stats/* signedRankTest */.BL)(d, { margin: bound, alternative: 'less' });
    const hl = (0,analysis_stats/* hodgesLehmann */.i6)(d, 0.95);
    const outcome = slower.pValue < judge_FAIL_ALPHA ? 'fail' : notSlower.pValue < PASS_ALPHA ? 'pass' : 'inconclusive';
    return {
        n: d.length,
        ratio: Math.exp(hl.estimate),
        lower: Math.exp(hl.lower),
        upper: Math.exp(hl.upper),
        pSlower: slower.pValue,
        pNotSlower: notSlower.pValue,
        method: slower.method,
        effect: (0,analysis_stats/* rankBiserial */.sG)(d, bound),
        outcome,
    };
}
function judge_judgeErrors(counted, rules) {
    const n = counted.length;
    const canary = counted.filter((p) => !p.canary.ok).length;
    const stable = counted.filter((p) => !p.stable.ok).length;
    const onlyCanary = counted.filter((p) => !p.canary.ok && p.stable.ok).length;
    const onlyStable = counted.filter((p) => p.canary.ok && !p.stable.ok).length;
    const mcnemar = (0,analysis_stats/* mcnemarExact */.B1)(onlyCanary, onlyStable, 'greater');
    const upper = n > 0 ? (0,analysis_stats/* clopperPearsonUpper */._m)(canary, n, 0.95) : 1;
    const lower = n > 0 ? (0,analysis_stats/* clopperPearson */.mI)(canary, n, 0.9).lower : 0;
    // Over the limit, but stable errs as often on the same requests: the load itself is broken (wrong
    // model name, cases that no server accepts), which says nothing against the canary.
    const worseThanStable = onlyCanary > onlyStable;
    const outcome = mcnemar.pValue < judge_FAIL_ALPHA || (lower > rules.maxErrorRate && worseThanStable) ? 'fail' : upper <= rules.maxErrorRate ? 'pass' : 'inconclusive';
    return { n, canary, stable, onlyCanary, onlyStable, mcnemarP: mcnemar.pValue, lower, upper, outcome };
}
function judgeAgreement(both, rules) {
    const withOutputs = both.filter((p) => p.canary.outputs && p.stable.outputs);
    if (withOutputs.length === 0)
        return undefined;
    const kind = (0,compare/* outputKind */.YW)(withOutputs.flatMap((p) => p.stable.outputs ?? []));
    let agreed = 0;
    let compared = 0;
    for (const p of withOutputs) {
        const c = (0,compare/* compareWithStable */.jY)(p.canary.outputs ?? [], p.stable.outputs ?? [], kind);
        if (kind === 'regression') {
            compared++;
            if ((c.maxRelativeError ?? 0) <= rules.relativeTolerance)
                agreed++;
        }
        else {
            compared += c.compared;
            agreed += c.agreed;
        }
    }
    const rate = compared > 0 ? agreed / compared : 1;
    return { kind, compared, agreed, rate, outcome: rate >= rules.minAgreement ? 'pass' : 'fail' };
}
function classShare(both) {
    const labels = (side) => both.flatMap((p) => (p[side].outputs ?? []).map((o) => String(o)));
    const d = (0,analysis_stats/* classDistribution */.fr)(labels('canary'), labels('stable'));
    return { classes: d.classes, canary: d.canary, stable: d.stable, pValue: d.pValue };
}
/** Median latency and error counts per interval, for the chart. */
function perInterval(pairs, intervalMs, elapsedMs) {
    const rows = [];
    for (let end = intervalMs; end < elapsedMs + intervalMs; end += intervalMs) {
        const inside = pairs.filter((p) => !p.warmup && p.at < end && p.at >= end - intervalMs);
        const median = (side) => {
            const values = inside.filter((p) => p[side].ok).map((p) => p[side].latencyMs);
            return values.length > 0 ? (0,stats/* percentile */.Y)(values, 50) : undefined;
        };
        rows.push({
            endsAt: Math.min(end, elapsedMs),
            canaryP50: median('canary'),
            stableP50: median('stable'),
            canaryErrors: inside.filter((p) => !p.canary.ok).length,
            stableErrors: inside.filter((p) => !p.stable.ok).length,
            pairs: inside.length,
        });
    }
    return rows;
}
function latencyLine(l) {
    return `Wilcoxon signed-rank (${l.method}) on ln(canary/stable) latency, n=${l.n}: ratio ${l.ratio.toFixed(3)} (95% CI ${l.lower.toFixed(3)}–${l.upper.toFixed(3)}), p(slower than margin)=${fmtP(l.pSlower)}, p(not slower)=${fmtP(l.pNotSlower)}, effect r=${l.effect.toFixed(2)}`;
}
function errorLine(e, rules) {
    return `errors canary ${e.canary}/${e.n}, stable ${e.stable}/${e.n}: Clopper-Pearson 95% upper bound ${pct(e.upper)} (limit ${pct(rules.maxErrorRate)}), McNemar exact p=${fmtP(e.mcnemarP)} (${e.onlyCanary} vs ${e.onlyStable} discordant)`;
}
const pct = (x) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
const fmtP = (p) => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));

;// CONCATENATED MODULE: ./src/analysis/report.ts





/** The JSON report: the verdict, every figure, and every pair, for a person or a script to replay. */
function writeAnalysisReport(file, result, meta) {
    (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(file), { recursive: true, mode: 0o700 });
    const { verdict, measurements, intervals } = result;
    (0,external_node_fs_.writeFileSync)(file, `${JSON.stringify({ ...meta, verdict, intervals, elapsedMs: measurements.elapsedMs, skipped: measurements.skipped, signals: measurements.signals, ...(measurements.live ? { live: measurements.live } : {}), ...(measurements.liveError ? { liveError: measurements.liveError.message } : {}), pairs: measurements.pairs }, null, 2)}\n`, { mode: 0o600 });
}
/** The job summary's analysis section: the verdict line, the statistics table, and a chart per interval. */
function analysisSection(result, rules, mode, reportFile) {
    const v = result.verdict;
    const icon = { pass: '✅', fail: '❌', inconclusive: '❔' }[v.outcome];
    const lines = [`### Analysis: ${icon} ${v.outcome}${mode === 'report' ? ' (analysis.mode report: shown, not acted on)' : ''}`, '', v.line, ''];
    lines.push(`Window ${(result.measurements.elapsedMs / 1000).toFixed(0)}s${result.extendedMs > 0 ? ` (extended by ${(result.extendedMs / 1000).toFixed(0)}s)` : ''}, ${v.counted} paired request(s) counted (minimum ${v.minSamples}); fixed-sample tests at the end of the window, no early stop on statistics.`, '');
    lines.push('| Check | Result | Figures |', '| --- | --- | --- |');
    if (v.signal)
        lines.push(`| Pod watch | ${v.signal.track === 'canary' ? 'fail' : 'inconclusive'} | ${(0,markdown/* cell */.Hn)(`${v.signal.reason} on ${v.signal.track} pod ${v.signal.pod} at ${(v.signal.at / 1000).toFixed(1)}s: ${v.signal.detail}`)} |`);
    else
        lines.push('| Pod watch | pass | no pod crashed, restarted or stopped being Ready |');
    if (v.latency)
        lines.push(`| Latency (margin ${pct(rules.margin)}) | ${v.latency.outcome} | ${(0,markdown/* cell */.Hn)(latencyLine(v.latency))} |`);
    else
        lines.push('| Latency | inconclusive | fewer than 2 pairs answered on both sides |');
    lines.push(`| Errors (limit ${pct(rules.maxErrorRate)}) | ${v.errors.outcome} | ${(0,markdown/* cell */.Hn)(errorLine(v.errors, rules))} |`);
    if (v.agreement)
        lines.push(`| Prediction agreement (minimum ${pct(rules.minAgreement)}) | ${v.agreement.outcome} | ${v.agreement.agreed} of ${v.agreement.compared} ${v.agreement.kind === 'classification' ? 'classes' : 'answers'} agree (${pct(v.agreement.rate)}) |`);
    if (v.classes && v.classes.classes.length > 0) {
        const share = (side) => (v.classes ? v.classes.classes.map((c) => `${c} ${v.classes?.[side][c] ?? 0}`).join(', ') : '');
        lines.push(`| Predicted classes | shown | canary: ${(0,markdown/* cell */.Hn)(share('canary'))}; stable: ${(0,markdown/* cell */.Hn)(share('stable'))}${v.classes.pValue !== undefined ? `; chi-square p=${fmtP(v.classes.pValue)}` : ''} |`);
    }
    if (v.live)
        lines.push(...liveRows(v.live, rules));
    else if (result.measurements.liveError)
        lines.push(`| Live traffic (Prometheus) | error | ${(0,markdown/* cell */.Hn)(result.measurements.liveError.message)} |`);
    lines.push('');
    const chart = intervalChart(result);
    if (chart)
        lines.push(chart, '');
    lines.push(`Every pair is in \`${reportFile}\`.`);
    return lines.join('\n');
}
/** Median latency per interval, canary against stable, as a Mermaid chart (GitHub renders it in summaries). */
function intervalChart(result) {
    const rows = result.intervals.filter((r) => r.pairs > 0);
    if (rows.length < 2)
        return undefined;
    const x = rows.map((r) => Math.round(r.endsAt / 1000));
    const series = (f) => `[${rows.map((r) => (f(r) ?? 0).toFixed(2)).join(', ')}]`;
    const top = Math.max(...rows.flatMap((r) => [r.canaryP50 ?? 0, r.stableP50 ?? 0])) * 1.2 || 1;
    const errs = rows.map((r) => `${Math.round(r.endsAt / 1000)}s: ${r.canaryErrors}/${r.stableErrors}`).join(', ');
    return [
        'Median latency per interval (ms): **canary is the first line, stable the second**.',
        '',
        '```mermaid',
        'xychart-beta',
        '  title "p50 latency per interval, canary vs stable"',
        `  x-axis "seconds into the window" [${x.join(', ')}]`,
        `  y-axis "ms" 0 --> ${top.toFixed(1)}`,
        `  line ${series((r) => r.canaryP50)}`,
        `  line ${series((r) => r.stableP50)}`,
        '```',
        '',
        `Errors per interval (canary/stable): ${errs}.`,
    ].join('\n');
}
/** The live-traffic rows of the statistics table (analysis.prometheus). */
function liveRows(live, rules) {
    const rows = [
        `| Live 5xx (Prometheus, ${live.windowSeconds}s; limit ${pct(rules.maxErrorRate)}) | ${live.errors.outcome} | ${(0,markdown/* cell */.Hn)(liveErrorLine(live.errors, rules))} |`,
        `| Live latency (Prometheus; margin ${pct(rules.margin)}) | ${live.latency.outcome} | ${(0,markdown/* cell */.Hn)(live.latency.why ?? liveLatencyLine(live.latency))} |`,
    ];
    const classes = live.classes;
    if (classes) {
        const share = (side) => {
            const total = classes.classes.reduce((n, c) => n + (classes[side][c] ?? 0), 0);
            return classes.classes.map((c) => `${c} ${total > 0 ? pct((classes[side][c] ?? 0) / total) : '-'}`).join(', ');
        };
        rows.push(`| Live predicted classes | shown | canary: ${(0,markdown/* cell */.Hn)(share('canary'))}; stable: ${(0,markdown/* cell */.Hn)(share('stable'))}${classes.pValue !== undefined ? `; chi-square p=${fmtP(classes.pValue)}` : ''} |`);
    }
    for (const q of live.queries)
        rows.push(`| Query ${(0,markdown/* cell */.Hn)(q.name)} | ${q.outcome} | ${(0,markdown/* cell */.Hn)(queryLine(q))} |`);
    return rows;
}

;// CONCATENATED MODULE: ./src/analysis/sources/paired-load.ts

/**
 * The paired load: `rps` times a second, one smoke case (cycling through the synchronous ones) goes to a
 * random canary pod and a random stable pod with the same payload, in random order, back to back, so
 * the two answers share the moment's conditions (node load, GC, noisy neighbours) and their latency
 * ratio measures the model, not the minute. The first `warmup` pairs are marked and not counted.
 */
function pairedLoad(options) {
    const random = options.random ?? Math.random;
    const cases = options.cases.filter((c) => !c.async);
    const pairs = [];
    const running = new Set();
    let timer;
    let skipped = 0;
    let sent = 0;
    const pick = (list) => list[Math.floor(random() * list.length) % list.length];
    const shoot = async (pod, c) => {
        try {
            const answer = await options.channel(pod).send(options.protocol.encode(c), options.requestTimeoutMs);
            const shot = { pod: pod.name, status: answer.status, latencyMs: answer.latencyMs, ok: false };
            if (answer.status < 200 || answer.status >= 300)
                return { ...shot, error: `answered ${answer.status}` };
            const decoded = options.protocol.decode(c, answer.body);
            return 'error' in decoded ? { ...shot, error: decoded.error } : { ...shot, ok: true, outputs: decoded.outputs };
        }
        catch (err) {
            // No answer, or no way to reach the pod at all (a pod that died, a port-forward refused): either
            // way this side of the pair failed; the pod watch says why the pod went.
            const message = err instanceof transport_channel/* NoAnswer */.W_ ? err.message : `unreachable: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
            return { pod: pod.name, status: 0, latencyMs: 0, ok: false, error: message };
        }
    };
    const sendPair = async (opened) => {
        const c = cases[sent % cases.length];
        const warmup = sent < options.warmup;
        sent++;
        const at = Date.now() - opened;
        const canaryFirst = random() < 0.5;
        const canaryPod = pick(options.canary);
        const stablePod = pick(options.stable);
        let canary;
        let stable;
        if (canaryFirst) {
            canary = await shoot(canaryPod, c);
            stable = await shoot(stablePod, c);
        }
        else {
            stable = await shoot(stablePod, c);
            canary = await shoot(canaryPod, c);
        }
        pairs.push({ at, case: c.name, canaryFirst, warmup, canary, stable });
    };
    return {
        name: 'paired load',
        async start(opened) {
            if (options.rps <= 0 || cases.length === 0 || options.canary.length === 0 || options.stable.length === 0)
                return;
            const limit = options.inFlight ?? 4;
            timer = setInterval(() => {
                if (running.size >= limit) {
                    skipped++;
                    return;
                }
                const p = sendPair(opened).finally(() => running.delete(p));
                running.add(p);
            }, 1000 / options.rps);
        },
        measure(into) {
            into.pairs.push(...[...pairs].sort((a, b) => a.at - b.at));
            into.skipped += skipped;
        },
        async stop() {
            if (timer)
                clearInterval(timer);
            await Promise.allSettled([...running]);
        },
    };
}

// EXTERNAL MODULE: ./src/analysis/sources/pod-watch.ts
var pod_watch = __webpack_require__(24242);
;// CONCATENATED MODULE: ./src/analysis/prometheus/client.ts


/** Prometheus unreachable, a wrong URL, or a query it refused: the analysis cannot judge on it. */
class PrometheusError extends errors/* ModelCanaryError */.Md {
    constructor(message, hint) {
        super('cluster', message, hint);
        this.name = 'PrometheusError';
    }
}
/**
 * An instant query through Prometheus' HTTP API (POST /api/v1/query, form-encoded, so a long query fits),
 * evaluated at `at` (ms since the epoch). A vector answers its series, a scalar one sample without labels.
 */
async function instantQuery(baseUrl, query, at, timeoutMs) {
    const body = new URLSearchParams({ query, time: (at / 1000).toFixed(3), timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` }).toString();
    const where = `${baseUrl}/api/v1/query`;
    let status;
    let text;
    try {
        const answer = await (0,http/* httpRequest */.a)(where, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body,
            signal: AbortSignal.timeout(timeoutMs),
        });
        status = answer.status;
        text = await answer.text();
    }
    catch (err) {
        const e = err;
        const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000}s` : (e.code ?? e.message);
        throw new PrometheusError(`Prometheus at ${baseUrl} could not be reached (${why}).`, 'Check analysis.prometheus.url: the runner must reach Prometheus there (scheme, host, port; a path prefix if it has one), and Prometheus must be running.');
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new PrometheusError(`${where} answered HTTP ${status} with something that is not Prometheus' JSON (${text.slice(0, 120).replace(/\s+/g, ' ')}).`, 'analysis.prometheus.url must be Prometheus itself (the URL its /api/v1/query answers under), not its UI or a proxy login page.');
    }
    if (parsed.status !== 'success') {
        throw new PrometheusError(`Prometheus refused the query ${JSON.stringify(query)}: ${parsed.errorType ?? `HTTP ${status}`}: ${parsed.error ?? 'no reason given'}.`, parsed.errorType === 'bad_data'
            ? 'Fix the PromQL in analysis.prometheus.queries (or analysis.prometheus.selector).'
            : "See Prometheus' log; the query may be too heavy for analysis.prometheus.timeout.");
    }
    return samples(parsed.data, query);
}
function samples(data, query) {
    const result = data?.result;
    if (data?.resultType === 'scalar' && Array.isArray(result))
        return [{ labels: {}, value: promNumber(result[1]) }];
    if (data?.resultType === 'vector' && Array.isArray(result)) {
        return result.map((r) => ({ labels: r.metric ?? {}, value: promNumber(r.value?.[1]) }));
    }
    throw new PrometheusError(`The query ${JSON.stringify(query)} answered a ${data?.resultType ?? 'missing'} result, not a number per series.`, 'Write an instant query that answers a vector or a scalar (no range selector at the top).');
}
/** A sample value as Prometheus writes it: a decimal, "+Inf", "-Inf" or "NaN". */
function promNumber(raw) {
    if (raw === '+Inf')
        return Number.POSITIVE_INFINITY;
    if (raw === '-Inf')
        return Number.NEGATIVE_INFINITY;
    return Number(raw);
}

;// CONCATENATED MODULE: ./src/analysis/prometheus/figures.ts

/** A bucket's le label: a number, or +Inf (which Number() does not read). */
const bound = (le) => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le ?? Number.NaN));
const count = (v) => (Number.isFinite(v) && v > 0 ? Math.round(v) : 0);
/** The per-track figures from the three built-in queries' answers. */
function trackFigures(track, requests, buckets, classes) {
    const mine = (s) => s.labels['track'] === track;
    const byStatus = {};
    for (const s of requests.filter(mine)) {
        const status = s.labels['status'] ?? 'unknown';
        byStatus[status] = (byStatus[status] ?? 0) + count(s.value);
    }
    const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
    const errors = Object.entries(byStatus)
        .filter(([status]) => /^5\d\d$/.test(status))
        .reduce((a, [, n]) => a + n, 0);
    const histogram = (0,analysis_stats/* monotonic */.x1)(buckets
        .filter(mine)
        .map((s) => ({ le: bound(s.labels['le']), cumulative: count(s.value) }))
        .filter((b) => !Number.isNaN(b.le)));
    const perClass = {};
    for (const s of classes.filter(mine))
        if (s.labels['class'] !== undefined)
            perClass[s.labels['class']] = count(s.value);
    return { requests: total, errors, byStatus, buckets: histogram, classes: perClass };
}
/** One user query's answer as a single number, or why it is not one. */
function oneValue(answer) {
    if (answer.length === 0)
        return { noData: 'no series' };
    if (answer.length > 1)
        return { noData: `${answer.length} series (aggregate it to one, with sum() or max())` };
    const value = answer[0]?.value ?? Number.NaN;
    return Number.isFinite(value) ? { value } : { noData: `the value is ${value}` };
}

;// CONCATENATED MODULE: ./src/analysis/prometheus/queries.ts
/** A PromQL string literal (PromQL reads Go's escapes, which JSON's are a subset of). */
const literal = (value) => JSON.stringify(value);
function matchers(scope) {
    const own = `namespace=${literal(scope.namespace)},model=${literal(scope.model)},track=~"canary|stable"`;
    const extra = scope.selector.trim().replace(/,\s*$/, '');
    return extra ? `${own},${extra}` : own;
}
/** The three built-in queries over a window of `seconds`, each summed per track. */
function builtinQueries(scope, seconds) {
    const m = matchers(scope);
    const over = `[${seconds}s]`;
    return {
        requests: `sum by (track, status) (increase(model_requests_total{${m}}${over}))`,
        buckets: `sum by (track, le) (increase(model_request_duration_seconds_bucket{${m}}${over}))`,
        classes: `sum by (track, class) (increase(model_predictions_total{${m}}${over}))`,
    };
}
/** Whether a user's query is run once per track. */
const perTrack = (q) => q.query.includes('$track');
/** A user's query with $namespace, $model, $window and (for one track) $track filled in. */
function userQuery(q, scope, seconds, track) {
    const values = { namespace: scope.namespace, model: scope.model, window: `${seconds}s`, track: track ?? '' };
    return q.query.replace(/\$(namespace|model|window|track)\b/g, (_, name) => values[name] ?? '');
}

;// CONCATENATED MODULE: ./src/analysis/sources/prometheus.ts



/** A window shorter than this has too few scrapes for increase() to say anything; the first read waits for it. */
const SHORTEST_WINDOW_S = 15;
/**
 * Live traffic from Prometheus: every interval (and once more as the window ends) the per-track request
 * counts, the duration histogram, the predicted classes and the user's queries, over the window so far.
 * Before the window opens it checks that Prometheus answers and that every user query parses, so a wrong
 * URL or a typo fails before any time is spent. A failure later is kept and reported; the window goes on
 * (the pod watch still guards the canary) and the release then ends with it, never promoted.
 */
function prometheusSource(p, scope, intervalMs, logger) {
    let opened = 0;
    let figures;
    let failure;
    let timer;
    let inFlight = Promise.resolve();
    const read = async () => {
        const now = Date.now();
        const seconds = Math.floor((now - opened) / 1000);
        if (seconds < SHORTEST_WINDOW_S)
            return;
        try {
            figures = await collect(p, scope, now, seconds, now - opened);
            logger.info(`prometheus ${seconds}s: canary ${figures.canary.requests} live request(s), ${figures.canary.errors} 5xx; stable ${figures.stable.requests}, ${figures.stable.errors} 5xx`);
        }
        catch (err) {
            const e = err instanceof PrometheusError
                ? err
                : new PrometheusError(`Reading Prometheus failed: ${err instanceof Error ? err.message : String(err)}.`, 'See the log above; this is likely a bug in model-canary if Prometheus answered.');
            if (!failure)
                logger.warn(`${e.message} The canary will not be promoted on missing data.`);
            failure = e;
        }
    };
    return {
        name: 'prometheus',
        async start(at) {
            opened = at;
            await instantQuery(p.url, 'vector(1)', Date.now(), p.timeoutMs);
            for (const q of p.queries)
                await instantQuery(p.url, userQuery(q, scope, 60, 'canary'), Date.now(), p.timeoutMs);
            logger.info(`Prometheus at ${p.url} answers: live traffic of ${scope.namespace}/${scope.model} by track, ${p.queries.length} query(ies) of your own.`);
            timer = setInterval(() => {
                inFlight = inFlight.then(read);
            }, Math.max(intervalMs, SHORTEST_WINDOW_S * 1000));
        },
        measure(into) {
            if (figures)
                into.live = figures;
            if (failure)
                into.liveError = failure;
        },
        async stop() {
            clearInterval(timer);
            await inFlight;
            await read();
        },
    };
}
async function collect(p, scope, at, seconds, atMs) {
    const q = builtinQueries(scope, seconds);
    const [requests, buckets, classes] = await Promise.all([q.requests, q.buckets, q.classes].map((query) => instantQuery(p.url, query, at, p.timeoutMs)));
    const queries = [];
    for (const uq of p.queries) {
        const figure = {
            name: uq.name,
            perTrack: perTrack(uq),
            ...(uq.max !== undefined ? { max: uq.max } : {}),
            ...(uq.min !== undefined ? { min: uq.min } : {}),
        };
        const canary = oneValue(await instantQuery(p.url, userQuery(uq, scope, seconds, 'canary'), at, p.timeoutMs));
        if ('value' in canary)
            figure.canary = canary.value;
        else
            figure.noData = canary.noData;
        if (figure.perTrack) {
            const stable = oneValue(await instantQuery(p.url, userQuery(uq, scope, seconds, 'stable'), at, p.timeoutMs));
            if ('value' in stable)
                figure.stable = stable.value;
        }
        queries.push(figure);
    }
    const empty = [requests ?? [], buckets ?? [], classes ?? []];
    return { atMs, windowSeconds: seconds, canary: trackFigures('canary', ...empty), stable: trackFigures('stable', ...empty), queries };
}

;// CONCATENATED MODULE: ./src/analysis/window.ts


/**
 * Runs the window: starts every source, prints a progress line each interval, and ends at the window's
 * end, at the first decisive signal (a canary or stable pod in trouble), or when the run is cancelled.
 * With extend, an inconclusive verdict at the end grows the window by one interval at a time, up to
 * maxDuration. The verdict is judgeAnalysis of what the sources measured.
 */
async function runWindow(sources, settings, logger) {
    const opened = Date.now();
    let decisive;
    let wake;
    const onDecisive = (signal) => {
        decisive ??= { signal, seenAt: Date.now() };
        wake?.();
    };
    const onAbort = () => wake?.();
    settings.signal?.addEventListener('abort', onAbort);
    const measure = () => {
        const m = { pairs: [], signals: [], elapsedMs: Date.now() - opened, skipped: 0 };
        for (const s of sources)
            s.measure(m);
        return m;
    };
    const sleep = (ms) => new Promise((resolve) => {
        const t = setTimeout(resolve, Math.max(0, ms));
        wake = () => {
            clearTimeout(t);
            resolve();
        };
    });
    try {
        for (const s of sources)
            await s.start(opened, onDecisive);
        let end = opened + settings.durationMs;
        const limit = opened + Math.max(settings.durationMs, settings.maxDurationMs);
        let nextTick = opened + settings.intervalMs;
        for (;;) {
            await sleep(Math.min(nextTick, end) - Date.now());
            if (decisive || settings.signal?.aborted)
                break;
            const now = Date.now();
            if (now >= nextTick) {
                logger.info(progressLine(measure(), settings, end - opened));
                nextTick += settings.intervalMs;
            }
            if (now < end)
                continue;
            if (!settings.extend)
                break;
            const interim = judgeAnalysis(measure(), settings.rules);
            if (interim.outcome !== 'inconclusive' || end >= limit)
                break;
            end = Math.min(limit, end + settings.intervalMs);
            logger.info(`analysis inconclusive after ${Math.round((now - opened) / 1000)}s (${interim.line}); extending the window to ${Math.round((end - opened) / 1000)}s (analysis.onInconclusive is extend, analysis.maxDuration ${Math.round(settings.maxDurationMs / 1000)}s)`);
        }
    }
    finally {
        settings.signal?.removeEventListener('abort', onAbort);
        await Promise.all(sources.map((s) => s.stop()));
    }
    const measurements = measure();
    const verdict = judgeAnalysis(measurements, settings.rules);
    const result = {
        verdict,
        measurements,
        intervals: perInterval(measurements.pairs, settings.intervalMs, measurements.elapsedMs),
        extendedMs: Math.max(0, measurements.elapsedMs - settings.durationMs),
        cancelled: settings.signal?.aborted === true,
    };
    if (decisive)
        result.signalToEndMs = Date.now() - decisive.seenAt;
    return result;
}
function progressLine(m, settings, windowMs) {
    const counted = m.pairs.filter((p) => !p.warmup);
    const p50 = (side) => {
        const values = counted.filter((p) => p[side].ok).map((p) => p[side].latencyMs);
        return values.length > 0 ? `${(0,stats/* percentile */.Y)(values, 50).toFixed(1)} ms` : '-';
    };
    const errs = (side) => counted.filter((p) => !p[side].ok).length;
    return `analysis ${Math.round(m.elapsedMs / 1000)}s/${Math.round(windowMs / 1000)}s: ${counted.length} paired request(s) counted (minimum ${settings.rules.minSamples}), p50 canary ${p50('canary')} vs stable ${p50('stable')}, errors canary ${errs('canary')} stable ${errs('stable')}${m.skipped ? `, ${m.skipped} not sent (servers slower than analysis.load.rps)` : ''}`;
}

;// CONCATENATED MODULE: ./src/analysis/index.ts

















/** The canary failed its analysis, as the error a release ends with. */
class AnalysisFailed extends errors/* ModelCanaryError */.Md {
    verdict;
    constructor(verdict) {
        super('model', `The canary failed its analysis: ${verdict.line}.`, 'See the analysis section of the summary (and the JSON report) for every figure; fix the model, or adjust analysis.latency.margin / analysis.errors.maxRate if the limits are wrong.');
        this.verdict = verdict;
        this.name = 'AnalysisFailed';
    }
}
/** The run was cancelled (SIGINT, SIGTERM) during the window. */
class AnalysisCancelled extends errors/* ModelCanaryError */.Md {
    constructor() {
        super('cancelled', 'The run was cancelled during the analysis window.', 'Nothing was promoted; the canary is removed as the run ends.');
        this.name = 'AnalysisCancelled';
    }
}
const rulesOf = (s) => ({
    minSamples: s.analysis.minSamples,
    margin: s.analysis.latency.margin,
    maxErrorRate: s.analysis.errors.maxRate,
    minAgreement: s.analysis.agreement.minimum,
    relativeTolerance: s.smoke.parity.relativeTolerance,
    pairedLoad: s.analysis.load.rps > 0,
    ...(s.analysis.prometheus
        ? {
            live: {
                maxErrorRate: s.analysis.errors.maxRate,
                margin: s.analysis.latency.margin,
                minSamples: s.analysis.minSamples,
                quantile: s.analysis.prometheus.quantile,
            },
        }
        : {}),
});
async function analyseCanary(s, target, ctx, step) {
    const { logger } = ctx.host;
    const a = s.analysis;
    const ns = s.cluster.namespace;
    const client = await ctx.kube.client();
    const canaryPods = await (0,transport_pods/* currentPods */.Q)(client, ns, target.canary, s.smoke.port);
    const stablePods = await (0,transport_pods/* currentPods */.Q)(client, ns, target.stable, s.smoke.port);
    if (!canaryPods || canaryPods.ready.length === 0)
        throw new errors/* ModelCanaryError */.Md('model', `The canary ${ns}/${target.canary} has no Ready pod to analyse.`, 'Look at the canary pods (kubectl describe pod) to see why they are not Ready.');
    // The canary's batch workers: watched with its pods (a worker that crashes on its jobs fails the canary).
    const workerSelectors = [];
    for (const worker of target.workers ?? []) {
        const pods = await (0,transport_pods/* currentPods */.Q)(client, ns, worker, s.smoke.port);
        if (pods)
            workerSelectors.push(pods.podSelector);
    }
    const cases = loadCases(s, logger);
    const choice = new transport_channel/* TransportChoice */.tO(logger);
    const channels = new Map();
    const channel = (pod) => {
        let c = channels.get(pod.name);
        if (!c) {
            c = new transport_channel/* AutoChannel */.JO(client.baseUrl, pod, choice, () => ctx.kube.kubectl(), logger, ctx.counter, s.cluster.context);
            channels.set(pod.name, c);
        }
        return c;
    };
    const stableReady = stablePods?.ready ?? [];
    const protocol = (0,protocols/* protocolFor */.i)(s.smoke, s.model.name);
    const rps = stableReady.length > 0 && cases.length > 0 ? a.load.rps : 0;
    logger.info(`Analysis window ${Math.round(a.durationMs / 1000)}s: watching ${canaryPods.ready.length} canary and ${stableReady.length} stable pod(s)` +
        (workerSelectors.length > 0 ? ` and the canary worker(s) ${(target.workers ?? []).join(', ')}` : '') +
        (rps > 0
            ? `; ${rps} paired request(s)/s from ${cases.length} case(s), the first ${a.warmup} not counted`
            : '; no paired load (analysis.load.rps is 0, or no stable pod or case): the comparison will be inconclusive') +
        `; latency margin ${a.latency.margin * 100}%, error limit ${a.errors.maxRate * 100}%, minimum ${a.minSamples} pairs; mode ${a.mode}.`);
    const sources = [
        (0,pod_watch/* podWatch */.B)(client, ns, [
            { track: 'canary', selector: canaryPods.podSelector, maxRestarts: s.canary.maxRestarts },
            ...workerSelectors.map((selector) => ({ track: 'canary', selector, maxRestarts: s.canary.maxRestarts })),
            ...(stablePods ? [{ track: 'stable', selector: stablePods.podSelector, maxRestarts: s.canary.maxRestarts }] : []),
        ], logger),
        pairedLoad({ cases, protocol, canary: canaryPods.ready, stable: stableReady, channel, rps, warmup: a.warmup, requestTimeoutMs: s.smoke.requestTimeoutMs }),
    ];
    if (a.prometheus)
        sources.push(prometheusSource(a.prometheus, { namespace: ns, model: s.model.name, selector: a.prometheus.selector }, a.intervalMs, logger));
    const share = step ? await shareSource(step, protocol, canaryPods.ready[0], stableReady[0], channel, s, logger) : undefined;
    if (share)
        sources.push(share);
    let result;
    try {
        result = await runWindow(sources, {
            durationMs: a.durationMs,
            intervalMs: a.intervalMs,
            maxDurationMs: a.maxDurationMs,
            extend: a.onInconclusive === 'extend',
            rules: rulesOf(s),
            ...(ctx.signal ? { signal: ctx.signal } : {}),
        }, logger);
    }
    catch (err) {
        // Prometheus refused before the window opened (wrong URL, down, a query that does not parse).
        if (!(err instanceof PrometheusError))
            throw err;
        const note = `analysis error: ${err.message}`;
        logger.error(`${err.message} The analysis window did not open; the canary is not promoted.`);
        ctx.report.sections.push(`### Analysis: ❌ error\n\n${(0,markdown/* cell */.Hn)(err.message)}\n\n${(0,markdown/* cell */.Hn)(err.hint ?? '')}`);
        return { outcome: 'fail', rows: [['Analysis', note]], note, error: err };
    }
    finally {
        await Promise.all([...channels.values()].map((c) => c.close()));
    }
    if (result.cancelled)
        throw new AnalysisCancelled();
    return concludeWindow(s, target, ctx, result, { revision: canaryPods.revision, transport: choice.mode }, step);
}
/**
 * After the window: the JSON report and the summary section, the outputs, and the outcome the decision acts
 * on (missing live data is a failure whatever analysis.mode says; mode report acts on the pod watch alone).
 */
function concludeWindow(s, target, ctx, result, seen, step) {
    const { logger } = ctx.host;
    const a = s.analysis;
    const file = reportFile(s, step?.weight);
    const shared = step && result.measurements.share ? (0,share/* judgeShare */.$S)(result.measurements.share, step.weight) : undefined;
    if (shared)
        logger.info(`step ${step?.weight}%: ${(0,share/* shareLine */.I_)(shared)}${shared.within ? '' : ': outside the interval, the Gateway does not send what the route says'}`);
    writeAnalysisReport(file, result, {
        model: s.model.name,
        namespace: s.cluster.namespace,
        canary: target.canary,
        stable: target.stable,
        revision: seen.revision,
        mode: a.mode,
        rules: rulesOf(s),
        transport: seen.transport,
        ...(step ? { step: step.weight } : {}),
        ...(shared ? { share: shared } : {}),
    });
    const section = analysisSection(result, rulesOf(s), a.mode, file);
    ctx.report.sections.push(step
        ? section.replace(/^### Analysis:/, `### Analysis at ${step.weight}%:`) +
            (shared ? `\n\nRoute share: ${(0,markdown/* cell */.Hn)((0,share/* shareLine */.I_)(shared))}${shared.within ? '' : ' (outside the interval: the walk stops inconclusive)'}.` : '')
        : section);
    const v = result.verdict;
    Object.assign(ctx.report.outputs, analysisOutputs(v));
    const missing = result.measurements.liveError;
    if (missing) {
        // Never promoted on missing data, whatever analysis.mode says: the live figures are not there to judge.
        const note = `analysis error: ${missing.message}`;
        logger.error(`${missing.message} The canary is not promoted.`);
        return { outcome: 'fail', verdict: v, rows: [['Analysis', note]], note, error: missing };
    }
    logger.info(`analysis ${v.outcome}: ${v.line}`);
    if (result.signalToEndMs !== undefined && v.signal)
        logger.info(`The window ended ${(result.signalToEndMs / 1000).toFixed(2)}s after the pod watch saw ${v.signal.reason} on ${v.signal.pod}.`);
    const acted = a.mode === 'report' ? (v.signal?.track === 'canary' ? 'fail' : 'pass') : v.outcome;
    if (a.mode === 'report' && acted !== v.outcome)
        logger.warn(`analysis.mode is report: the analysis says ${v.outcome}, and the decision goes on as if it passed.`);
    const note = `analysis ${v.outcome}${a.mode === 'report' ? ' (report only)' : ''}: ${v.line}`;
    return {
        outcome: acted,
        verdict: v,
        rows: [['Analysis', note]],
        note,
        ...(shared ? { share: shared } : {}),
        ...(acted === 'fail' ? { error: new AnalysisFailed(v) } : {}),
    };
}
function loadCases(s, logger) {
    try {
        return (0,smoke.casesFor)(s).filter((c) => !c.async);
    }
    catch (err) {
        logger.warn(`The analysis has no cases to send (${err instanceof Error ? err.message : String(err)}); only the pod watch runs.`);
        return [];
    }
}
function reportFile(s, step) {
    const base = s.run.tempDir ? external_node_path_default().join(s.run.tempDir, 'model-canary') : external_node_path_default().join(s.run.workspace, '.model-canary');
    return external_node_path_default().join(base, `analysis-${s.model.name}-${s.run.runId.replace(/[^A-Za-z0-9._-]+/g, '-')}${step === undefined ? '' : `-step-${step}`}.json`);
}
/**
 * The route-share probe for a step: asks one canary and one stable pod directly which version each runs,
 * then counts which of the two answers requests sent through the Gateway. Undefined (with the reason in
 * the log) when there is no Gateway address, the protocol cannot ask, or the two tracks answer alike.
 */
async function shareSource(step, protocol, canary, stable, channel, s, logger) {
    const skip = (why) => {
        logger.info(`step ${step.weight}%: the canary's share of real traffic is not measured: ${why}.`);
        return undefined;
    };
    if (!step.gateway)
        return skip('canary.gateway.url is not set (where this runner reaches the Gateway)');
    const identity = protocol.identity;
    if (!identity)
        return skip(`smoke.protocol ${protocol.name} has no way to ask a server its version`);
    if (!canary || !stable)
        return skip('no Ready pod on one of the tracks');
    const ask = async (pod) => {
        try {
            const answer = await channel(pod).send(identity.request, s.smoke.requestTimeoutMs);
            return answer.status === 200 ? identity.read(answer.body) : undefined;
        }
        catch {
            return undefined;
        }
    };
    const identities = { canary: await ask(canary), stable: await ask(stable) };
    if (!identities.canary || !identities.stable)
        return skip(`a pod did not say its version (canary ${identities.canary ?? '?'}, stable ${identities.stable ?? '?'})`);
    if (identities.canary === identities.stable)
        return skip(`canary and stable both report version ${identities.canary}`);
    const throughGateway = gatewayAsk({
        url: step.gateway.url,
        ...(step.gateway.host ? { host: step.gateway.host } : {}),
        request: identity.request,
        read: identity.read,
        timeoutMs: s.smoke.requestTimeoutMs,
    });
    const rps = Math.max(5, s.analysis.load.rps);
    logger.info(`step ${step.weight}%: ${rps} request(s)/s through the Gateway at ${step.gateway.url}${step.gateway.host ? ` (Host ${step.gateway.host})` : ''}, told apart by version (canary ${identities.canary}, stable ${identities.stable}).`);
    const source = routeShare({
        ask: throughGateway,
        identities: { canary: identities.canary, stable: identities.stable },
        rps,
        settleMs: Math.min(3_000, Math.round(s.analysis.durationMs / 5)),
    });
    return source;
}


/***/ })

};

"use strict";
exports.id = 12;
exports.ids = [12];
exports.modules = {

/***/ 28866:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   YW: () => (/* binding */ outputKind),
/* harmony export */   Zt: () => (/* binding */ checkExpectation),
/* harmony export */   jY: () => (/* binding */ compareWithStable)
/* harmony export */ });
/* unused harmony exports sameValue, relativeError */
/* harmony import */ var _protocols_protocol_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1123);

/** Equal as JSON values; numbers within the tolerance when one is given. */
function sameValue(actual, expected, tolerance) {
    if (typeof actual === 'number' && typeof expected === 'number') {
        if (actual === expected)
            return true;
        if (!tolerance)
            return false;
        const diff = Math.abs(actual - expected);
        if (tolerance.absolute !== undefined && diff <= tolerance.absolute)
            return true;
        return tolerance.relative !== undefined && diff <= tolerance.relative * Math.abs(expected);
    }
    if (Array.isArray(actual) && Array.isArray(expected)) {
        return actual.length === expected.length && actual.every((a, i) => sameValue(a, expected[i], tolerance));
    }
    if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) {
        const ka = Object.keys(actual).sort();
        const ke = Object.keys(expected).sort();
        return (ka.length === ke.length &&
            ka.every((k, i) => k === ke[i] && sameValue(actual[k], expected[k], tolerance)));
    }
    return actual === expected;
}
/** What is wrong with an answer, given the case's expectations; empty when nothing is. */
function checkExpectation(expect, status, outputs, latencyMs) {
    const why = [];
    const statuses = expect?.status === undefined ? undefined : Array.isArray(expect.status) ? expect.status : [expect.status];
    if (statuses ? !statuses.includes(status) : status < 200 || status > 299) {
        why.push(`status ${status}, expected ${statuses ? statuses.join(' or ') : '2xx'}`);
    }
    if (expect?.outputs && outputs && !sameValue(outputs, expect.outputs, expect.tolerance)) {
        const within = expect.tolerance ? ` (tolerance ${(0,_protocols_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .brief */ .dh)(expect.tolerance)})` : '';
        why.push(`outputs ${(0,_protocols_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .brief */ .dh)(outputs)}, expected ${(0,_protocols_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .brief */ .dh)(expect.outputs)}${within}`);
    }
    if (expect?.classes && outputs) {
        const bad = outputs.filter((o) => !expect.classes?.some((c) => sameValue(o, c)));
        if (bad.length > 0)
            why.push(`output ${(0,_protocols_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .brief */ .dh)(bad[0])} is not one of ${(0,_protocols_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .brief */ .dh)(expect.classes)}`);
    }
    if (expect?.maxLatencyMs !== undefined && latencyMs > expect.maxLatencyMs) {
        why.push(`latency ${Math.round(latencyMs)} ms over the case's limit of ${expect.maxLatencyMs} ms`);
    }
    return why;
}
/** Outputs are a regression's when every leaf is a number and some is not an integer; else a classification's. */
function outputKind(values) {
    const leaves = values.flat(Infinity);
    return leaves.length > 0 && leaves.every((v) => typeof v === 'number') && leaves.some((v) => !Number.isInteger(v)) ? 'regression' : 'classification';
}
/** One case's agreement with stable: equal rows (classification) and the largest relative error (regression). */
function compareWithStable(canary, stable, kind) {
    const compared = Math.max(canary.length, stable.length);
    if (kind === 'classification') {
        let agreed = 0;
        for (let i = 0; i < compared; i++)
            if (i < canary.length && i < stable.length && sameValue(canary[i], stable[i]))
                agreed++;
        return { agreed, compared };
    }
    const a = canary.flat(Infinity);
    const b = stable.flat(Infinity);
    if (a.length !== b.length)
        return { agreed: 0, compared, maxRelativeError: Infinity };
    let max = 0;
    a.forEach((x, i) => {
        const y = b[i];
        const err = typeof x === 'number' && typeof y === 'number' ? relativeError(x, y) : Infinity;
        max = Math.max(max, err);
    });
    return { agreed: max === 0 ? compared : 0, compared, maxRelativeError: max };
}
/** |a - b| relative to |b|; an absolute difference when b is (nearly) zero. */
function relativeError(a, b) {
    const diff = Math.abs(a - b);
    return Math.abs(b) < 1e-12 ? diff : diff / Math.abs(b);
}


/***/ }),

/***/ 1012:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  SmokeFailed: () => (/* binding */ SmokeFailed),
  canaryDeployment: () => (/* binding */ canaryDeployment),
  casesFor: () => (/* binding */ casesFor),
  generateCases: () => (/* reexport */ smoke_cases/* generateCases */.f),
  loadCases: () => (/* reexport */ smoke_cases/* loadCases */.EG),
  smokeCanary: () => (/* binding */ smokeCanary),
  smokeOutputs: () => (/* reexport */ smokeOutputs),
  smokeSection: () => (/* reexport */ smokeSection),
  stableDeployment: () => (/* binding */ stableDeployment)
});

// EXTERNAL MODULE: ./src/deploy/canary-plan.ts
var canary_plan = __webpack_require__(30991);
// EXTERNAL MODULE: ./src/config/contained.ts
var contained = __webpack_require__(53967);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/smoke/cases.ts
var smoke_cases = __webpack_require__(98288);
// EXTERNAL MODULE: ./src/smoke/protocols/protocol.ts
var protocols_protocol = __webpack_require__(1123);
// EXTERNAL MODULE: ./src/smoke/compare.ts
var compare = __webpack_require__(28866);
// EXTERNAL MODULE: ./src/smoke/stats.ts
var stats = __webpack_require__(74542);
;// CONCATENATED MODULE: ./src/smoke/judge.ts



/**
 * Judges the canary's answers. `canary` results already carry their own case verdicts (status, outputs,
 * classes, latency limit); this adds what needs all of them: the error rate, the latency percentiles
 * per pod and overall against smoke.thresholds, and parity with stable's answers (`stable`, one per case).
 * Results that make an aggregate check fail get the reason added, so the failing cases are named.
 */
function judge(smoke, canary, stable, transports, unreadyPods = {}) {
    const failures = [];
    const t = smoke.thresholds;
    const podNames = [...new Set([...canary.map((r) => r.pod), ...Object.keys(unreadyPods)])];
    const summarize = (pod, results) => {
        const failed = results.filter((r) => r.verdict === 'fail').length;
        return {
            pod,
            transport: transports[pod] ?? Object.values(transports)[0] ?? 'pods-proxy',
            requests: results.length,
            failed,
            errorRate: results.length ? failed / results.length : 0,
            latency: (0,stats/* summarizeLatency */.c)(results.filter((r) => r.error === undefined).map((r) => r.latencyMs)),
        };
    };
    const pods = podNames.map((pod) => summarize(pod, canary.filter((r) => r.pod === pod)));
    const overall = summarize('all canary pods', canary);
    for (const [pod, why] of Object.entries(unreadyPods))
        failures.push(`pod ${pod} never became ready: ${why}`);
    if (canary.length === 0)
        failures.push('no smoke request was answered by a canary pod');
    if (overall.errorRate > t.errorRate) {
        failures.push(`error rate ${pct(overall.errorRate)} (${overall.failed} of ${overall.requests}) is over smoke.thresholds.errorRate ${pct(t.errorRate)}`);
    }
    const limits = [
        ['p50Ms', t.p50Ms],
        ['p95Ms', t.p95Ms],
        ['p99Ms', t.p99Ms],
    ];
    for (const [key, limit] of limits) {
        if (limit === undefined)
            continue;
        for (const s of [...pods, overall]) {
            if (s.latency.count > 0 && s.latency[key] > limit) {
                failures.push(`${key.slice(0, 3)} latency ${s.latency[key]} ms on ${s.pod} is over smoke.thresholds.${key} ${limit} ms`);
                for (const r of canary) {
                    if ((s === overall || r.pod === s.pod) && r.error === undefined && r.latencyMs > limit)
                        addWhy(r, `latency ${Math.round(r.latencyMs)} ms over smoke.thresholds.${key} ${limit} ms`);
                }
            }
        }
    }
    const parity = judgeParity(smoke.parity, canary, stable);
    if (!parity.passed && parity.failure)
        failures.push(parity.failure);
    const errorRate = overall.errorRate;
    const failingCases = [...new Set(canary.filter((r) => r.verdict === 'fail').map((r) => r.case))];
    const { failure: _unused, ...parityReport } = parity;
    return {
        verdict: failures.length === 0 ? 'pass' : 'fail',
        errorRate,
        p50Ms: overall.latency.p50Ms,
        p95Ms: overall.latency.p95Ms,
        p99Ms: overall.latency.p99Ms,
        pods,
        overall,
        parity: parityReport,
        failures,
        failingCases,
    };
}
function addWhy(r, why) {
    if (!r.why.includes(why))
        r.why.push(why);
    r.verdict = 'fail';
}
const pct = (x) => `${(Math.round(x * 10000) / 100).toString()}%`;
function judgeParity(parity, canary, stable) {
    const stablePods = [...new Set(stable.map((r) => r.pod))];
    if (!parity.enabled)
        return { enabled: false, stablePods, passed: true, note: 'smoke.parity.enabled is false' };
    const reference = new Map();
    for (const r of stable)
        if (r.outputs && r.status >= 200 && r.status < 300)
            reference.set(r.case, r.outputs);
    if (reference.size === 0) {
        const note = stable.length === 0 ? 'no Ready stable pod to compare with (a first release?)' : 'stable answered none of the cases';
        return { enabled: true, stablePods, passed: true, note };
    }
    const pairs = canary.filter((r) => r.outputs && reference.has(r.case));
    const kind = (0,compare/* outputKind */.YW)(pairs.flatMap((r) => [...(r.outputs ?? []), ...(reference.get(r.case) ?? [])]));
    let agreed = 0;
    let compared = 0;
    let maxRelativeError = 0;
    for (const r of pairs) {
        const ref = reference.get(r.case) ?? [];
        const c = (0,compare/* compareWithStable */.jY)(r.outputs ?? [], ref, kind);
        r.parity = { stable: ref, ...c };
        agreed += c.agreed;
        compared += c.compared;
        if (c.maxRelativeError !== undefined)
            maxRelativeError = Math.max(maxRelativeError, c.maxRelativeError);
    }
    if (compared === 0)
        return { enabled: true, stablePods, kind, passed: true, note: 'no canary answer could be compared' };
    const agreement = agreed / compared;
    if (kind === 'classification') {
        const passed = agreement >= parity.minAgreement;
        const result = { enabled: true, stablePods, kind, agreement, passed };
        if (!passed) {
            result.failure = `parity with stable: ${pct(agreement)} of ${compared} predictions agree, under smoke.parity.minAgreement ${pct(parity.minAgreement)}`;
            for (const r of pairs)
                if (r.parity && r.parity.agreed < r.parity.compared)
                    addWhy(r, `disagrees with stable: canary ${(0,protocols_protocol/* brief */.dh)(r.outputs, 60)}, stable ${(0,protocols_protocol/* brief */.dh)(r.parity.stable, 60)}`);
        }
        return result;
    }
    const passed = maxRelativeError <= parity.relativeTolerance;
    const result = { enabled: true, stablePods, kind, agreement, maxRelativeError, passed };
    if (!passed) {
        result.failure = `parity with stable: relative error up to ${maxRelativeError.toPrecision(3)}, over smoke.parity.relativeTolerance ${parity.relativeTolerance}`;
        for (const r of pairs)
            if ((r.parity?.maxRelativeError ?? 0) > parity.relativeTolerance)
                addWhy(r, `differs from stable by ${(r.parity?.maxRelativeError ?? 0).toPrecision(3)} (relative): canary ${(0,protocols_protocol/* brief */.dh)(r.outputs, 60)}, stable ${(0,protocols_protocol/* brief */.dh)(r.parity?.stable, 60)}`);
    }
    return result;
}

// EXTERNAL MODULE: ./src/smoke/protocols/index.ts + 6 modules
var protocols = __webpack_require__(48859);
// EXTERNAL MODULE: ./src/smoke/transport/channel.ts + 1 modules
var transport_channel = __webpack_require__(92760);
;// CONCATENATED MODULE: ./src/smoke/readiness.ts


/**
 * Polls the protocol's readiness paths on one pod until each says ready or the budget runs out. A model
 * still loading answers 503, 400, 404 or 500, or refuses the connection, depending on the server: none of
 * these is a verdict until the budget is spent. Returns undefined when ready, else the last answer seen.
 */
async function waitReady(channel, protocol, budgetMs, requestTimeoutMs, signal) {
    const deadline = Date.now() + budgetMs;
    let last = 'not asked yet';
    let delay = 200;
    for (;;) {
        let ready = true;
        for (const path of protocol.readyPaths) {
            try {
                const r = await channel.send({ method: 'GET', path }, Math.min(requestTimeoutMs, Math.max(1000, deadline - Date.now())));
                if (!protocol.isReady(path, r)) {
                    last = `GET ${path} answered ${r.status} ${(0,protocols_protocol/* brief */.dh)(r.body, 80)}`;
                    ready = false;
                    break;
                }
            }
            catch (err) {
                if (!(err instanceof transport_channel/* NoAnswer */.W_))
                    throw err;
                last = `GET ${path}: ${err.message}`;
                ready = false;
                break;
            }
        }
        if (ready)
            return undefined;
        if (Date.now() + delay > deadline || signal?.aborted)
            return `${last} (after ${Math.round(budgetMs / 1000)}s of polling)`;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/log/markdown.ts
var markdown = __webpack_require__(20157);
;// CONCATENATED MODULE: ./src/smoke/report.ts



/** Where the JSON report goes: under the run's temp folder, else the workspace's .model-canary/. */
function reportPath(config) {
    const base = config.run.tempDir ? external_node_path_default().join(config.run.tempDir, 'model-canary') : external_node_path_default().join(config.run.workspace, '.model-canary');
    const id = config.run.runId.replace(/[^A-Za-z0-9._-]+/g, '-');
    return external_node_path_default().join(base, `smoke-${config.model.name}-${id}.json`);
}
function writeReport(report) {
    (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(report.path), { recursive: true });
    (0,external_node_fs_.writeFileSync)(report.path, `${JSON.stringify(report, null, 2)}\n`);
}
const report_pct = (x) => `${(Math.round(x * 10000) / 100).toString()}%`;
const ms = (x) => `${x} ms`;
/** The action outputs of a smoke run. */
function smokeOutputs(report) {
    return {
        verdict: report.verdict === 'pass' ? 'passed' : 'failed',
        'error-rate': String(Math.round(report.errorRate * 10000) / 10000),
        'p95-ms': String(report.p95Ms),
        report: report.path,
    };
}
/** Log lines: per pod and overall, then each failure. Written from the report, like the summary. */
function logReport(report, logger) {
    logger.info(`Smoke ${report.verdict === 'pass' ? 'passed' : 'FAILED'}: ${report.cases} case(s) on ${report.pods.length} canary pod(s) of ${report.deployment} revision ${report.revision} (ReplicaSet ${report.replicaSet}) via ${report.transport}, in ${report.durationMs} ms`);
    for (const p of [...report.pods, report.overall]) {
        logger.info(`  ${p.pod}: ${p.requests} request(s), ${p.failed} error(s) (${report_pct(p.errorRate)}), p50 ${ms(p.latency.p50Ms)}, p95 ${ms(p.latency.p95Ms)}, p99 ${ms(p.latency.p99Ms)}`);
    }
    const par = report.parity;
    if (par.enabled && par.agreement !== undefined) {
        logger.info(`  parity with stable (${par.stablePods.join(', ')}): ${par.kind}, agreement ${report_pct(par.agreement)}${par.maxRelativeError !== undefined ? `, max relative error ${par.maxRelativeError.toPrecision(3)}` : ''}`);
    }
    else if (par.note)
        logger.info(`  parity: ${par.note}`);
    for (const line of jobLines(report))
        logger.info(`  ${line}`);
    for (const f of report.failures)
        logger.info(`  ✗ ${f}`);
    logger.info(`  report: ${report.path}`);
}
/** One error annotation per failing case, naming the pods and why. */
function annotateFailures(report, logger) {
    for (const name of report.failingCases) {
        const failed = report.results.filter((r) => r.track === 'canary' && r.case === name && r.verdict === 'fail');
        const why = [...new Set(failed.flatMap((r) => r.why))];
        const pods = [...new Set(failed.map((r) => r.pod))];
        logger.error(`Smoke case "${name}" failed on ${pods.join(', ')}: ${why.join('; ')}`, { title: `Smoke case ${name} failed` });
    }
}
/** The asynchronous cases' jobs, per track: how many, and the median queue wait and service time their answers gave. */
function jobLines(report) {
    const median = (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const mid = Math.floor(sorted.length / 2);
        return sorted.length === 0 ? undefined : sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
    };
    const lines = [];
    for (const track of ['canary', 'stable']) {
        const jobs = report.results.filter((r) => r.track === track && r.job);
        if (jobs.length === 0)
            continue;
        const wait = median(jobs.flatMap((r) => (r.job?.queueWaitMs !== undefined ? [r.job.queueWaitMs] : [])));
        const service = median(jobs.flatMap((r) => (r.job?.serviceMs !== undefined ? [r.job.serviceMs] : [])));
        lines.push(`jobs on ${track}: ${jobs.length}, queue wait p50 ${wait === undefined ? '-' : ms(wait)}, service time p50 ${service === undefined ? '-' : ms(service)}`);
    }
    return lines;
}
/** The job summary section. */
function smokeSection(report, thresholds) {
    const lines = [
        `### Smoke: ${report.verdict === 'pass' ? '✅ passed' : '❌ failed'}`,
        '',
        `${report.cases} case(s) × ${report.pods.length} canary pod(s) of \`${report.namespace}/${report.deployment}\` revision ${report.revision} (ReplicaSet \`${report.replicaSet}\`), ${report.protocol}, via ${report.transport}${report.transportNote ? ` (${(0,markdown/* cell */.Hn)(report.transportNote)})` : ''}.`,
        '',
        '| Pod | Via | Requests | Errors | Error rate | p50 | p95 | p99 |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...[...report.pods, report.overall].map((p) => `| ${(0,markdown/* cell */.Hn)(p.pod)} | ${p.transport} | ${p.requests} | ${p.failed} | ${report_pct(p.errorRate)} | ${ms(p.latency.p50Ms)} | ${ms(p.latency.p95Ms)} | ${ms(p.latency.p99Ms)} |`),
        '',
        `Limits: error rate ≤ ${report_pct(thresholds.errorRate)}, p95 ≤ ${thresholds.p95Ms} ms${thresholds.p50Ms ? `, p50 ≤ ${thresholds.p50Ms} ms` : ''}${thresholds.p99Ms ? `, p99 ≤ ${thresholds.p99Ms} ms` : ''}.`,
        report.parity.enabled && report.parity.agreement !== undefined
            ? `Parity with stable: ${report.parity.kind}, ${report_pct(report.parity.agreement)} agree${report.parity.maxRelativeError !== undefined ? `, max relative error ${report.parity.maxRelativeError.toPrecision(3)}` : ''} (${report.parity.passed ? 'ok' : 'failed'}).`
            : `Parity: ${report.parity.note ?? 'not compared'}.`,
    ];
    const jobs = jobLines(report);
    if (jobs.length > 0)
        lines.push('', ...jobs.map((l) => `${(0,markdown/* cell */.Hn)(l)}.`));
    if (report.failures.length > 0)
        lines.push('', '**Why it failed**', '', ...report.failures.map((f) => `- ${(0,markdown/* cell */.Hn)(f)}`));
    const failed = report.results.filter((r) => r.track === 'canary' && r.verdict === 'fail');
    if (failed.length > 0) {
        lines.push('', '| Case | Pod | Status | Latency | Why |', '| --- | --- | --- | --- | --- |');
        for (const r of failed.slice(0, 30))
            lines.push(`| ${(0,markdown/* cell */.Hn)(r.case)} | ${(0,markdown/* cell */.Hn)(r.pod)} | ${r.status || '-'} | ${ms(r.latencyMs)} | ${(0,markdown/* cell */.Hn)(r.why.join('; '))} |`);
        if (failed.length > 30)
            lines.push('', `…and ${failed.length - 30} more in the JSON report.`);
    }
    lines.push('', `JSON report: \`${report.path}\``);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/smoke/send.ts



const DONE = ['done', 'succeeded', 'success', 'completed', 'complete', 'finished'];
const FAILED = ['failed', 'error', 'errored', 'cancelled', 'canceled'];
/** Sends one case to one pod and judges the answer against the case's own expectations. */
async function runCase(channel, protocol, c, pod, track, timeoutMs) {
    let response;
    let answerBody;
    let jobTimes;
    try {
        if (c.async) {
            const job = await runJob(channel, protocol, c, c.async, track, timeoutMs);
            if ('failed' in job)
                return { case: c.name, pod, track, status: job.status, latencyMs: job.latencyMs, verdict: 'fail', why: [job.failed] };
            response = job;
            answerBody = job.body;
            jobTimes = job.times;
        }
        else {
            response = await channel.send(protocol.encode(c), timeoutMs);
            answerBody = response.body;
        }
    }
    catch (err) {
        if (!(err instanceof transport_channel/* NoAnswer */.W_))
            throw err;
        return { case: c.name, pod, track, status: 0, latencyMs: 0, verdict: 'fail', why: [`no answer: ${err.message}`], error: err.message };
    }
    const result = {
        case: c.name,
        pod,
        track,
        status: response.status,
        latencyMs: Math.round(response.latencyMs * 100) / 100,
        verdict: 'pass',
        why: [],
    };
    if (jobTimes)
        result.job = jobTimes;
    if (c.async?.trackField !== undefined && jobTimes?.ranOn !== undefined && jobTimes.ranOn !== track) {
        result.why.push(`the job submitted for the ${track} ran on the ${jobTimes.ranOn} workers: no ${track} worker took it`);
    }
    let outputs;
    const outputsField = c.async?.outputsField;
    if (response.status >= 200 && response.status < 300 && outputsField !== undefined) {
        const field = (0,protocols_protocol/* isRecord */.u4)(answerBody) ? answerBody[outputsField] : undefined;
        if (Array.isArray(field))
            outputs = field;
        else
            result.why.push(`the job's result has no list "${outputsField}": ${(0,protocols_protocol/* brief */.dh)(answerBody, 120)}`);
    }
    else if (response.status >= 200 && response.status < 300) {
        const decoded = protocol.decode(c, answerBody);
        if ('error' in decoded)
            result.why.push(decoded.error);
        else
            outputs = decoded.outputs;
    }
    else {
        result.answer = (0,protocols_protocol/* brief */.dh)(answerBody, 200);
    }
    if (outputs)
        result.outputs = outputs;
    result.why.push(...(0,compare/* checkExpectation */.Zt)(c.expect, response.status, outputs, response.latencyMs));
    if (result.why.length > 0)
        result.verdict = 'fail';
    return result;
}
/**
 * An asynchronous batch case: POST the inputs (to async.submitPath, else the protocol's predict path),
 * expect 202 (or 200/201) with the job id, then GET async.resultPath with {id} replaced until the job's
 * status field says done (or the poll answers 200 with no status field), failed, or the budget runs out.
 * The result's latency is from submitting to the done answer; its outputs are read from the done answer.
 */
async function runJob(channel, protocol, c, job, track, timeoutMs) {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const request = protocol.encode(c);
    const inputs = job.inputsField !== undefined ? { [job.inputsField]: c.inputs } : request.body;
    const body = job.trackField !== undefined && (0,protocols_protocol/* isRecord */.u4)(inputs) ? { ...inputs, [job.trackField]: track } : inputs;
    const submit = await channel.send({ method: 'POST', path: job.submitPath ?? request.path, body }, timeoutMs);
    if (![200, 201, 202].includes(submit.status))
        return { failed: `job submit answered ${submit.status} ${(0,protocols_protocol/* brief */.dh)(submit.body, 80)}, expected 202`, status: submit.status, latencyMs: elapsed() };
    const idField = job.idField ?? 'id';
    const id = (0,protocols_protocol/* isRecord */.u4)(submit.body) ? submit.body[idField] : undefined;
    if (typeof id !== 'string' && typeof id !== 'number')
        return { failed: `job submit answer has no "${idField}": ${(0,protocols_protocol/* brief */.dh)(submit.body, 80)}`, status: submit.status, latencyMs: elapsed() };
    const statusField = job.statusField ?? 'status';
    const done = (job.doneValues ?? DONE).map((v) => v.toLowerCase());
    const failed = (job.failedValues ?? FAILED).map((v) => v.toLowerCase());
    const budget = job.budgetMs ?? 60_000;
    const interval = job.pollIntervalMs ?? 250;
    const path = job.resultPath.replaceAll('{id}', encodeURIComponent(String(id)));
    for (;;) {
        const poll = await channel.send({ method: 'GET', path }, timeoutMs);
        const state = (0,protocols_protocol/* isRecord */.u4)(poll.body) ? poll.body[statusField] : undefined;
        const stateText = typeof state === 'string' ? state.toLowerCase() : undefined;
        if (stateText !== undefined && failed.includes(stateText))
            return { failed: `job ${id} ${stateText}: ${(0,protocols_protocol/* brief */.dh)(poll.body, 80)}`, status: poll.status, latencyMs: elapsed() };
        const isDone = poll.status === 200 && (stateText === undefined ? true : done.includes(stateText));
        if (isDone) {
            const result = (0,protocols_protocol/* isRecord */.u4)(poll.body) && poll.body['result'] !== undefined ? poll.body['result'] : poll.body;
            const times = jobTimes(poll.body);
            return { status: poll.status, body: result, latencyMs: elapsed(), ...(times ? { times } : {}) };
        }
        if (poll.status !== 200 && poll.status !== 202 && poll.status !== 404)
            return { failed: `job ${id} poll answered ${poll.status} ${(0,protocols_protocol/* brief */.dh)(poll.body, 80)}`, status: poll.status, latencyMs: elapsed() };
        if (elapsed() + interval > budget)
            return { failed: `job ${id} not done within ${budget} ms (last: ${poll.status} ${(0,protocols_protocol/* brief */.dh)(poll.body, 60)})`, status: poll.status, latencyMs: elapsed() };
        await new Promise((r) => setTimeout(r, interval));
    }
}
/**
 * What a job's done answer says of its run (model-canary's job API: queue_wait_ms, service_ms and the worker's
 * track), when it says it.
 */
function jobTimes(body) {
    if (!(0,protocols_protocol/* isRecord */.u4)(body))
        return undefined;
    const times = {};
    if (typeof body['queue_wait_ms'] === 'number')
        times.queueWaitMs = body['queue_wait_ms'];
    if (typeof body['service_ms'] === 'number')
        times.serviceMs = body['service_ms'];
    const worker = body['worker'];
    if ((0,protocols_protocol/* isRecord */.u4)(worker) && typeof worker['track'] === 'string')
        times.ranOn = worker['track'];
    return Object.keys(times).length > 0 ? times : undefined;
}
/**
 * Runs tasks with at most `concurrency` at a time, starting none after `deadline` (epoch ms); a task
 * not started is reported through `skipped`.
 */
async function runBounded(tasks, concurrency, deadline, run, skipped) {
    const results = new Array(tasks.length);
    let next = 0;
    const worker = async () => {
        for (;;) {
            const i = next++;
            if (i >= tasks.length)
                return;
            const task = tasks[i];
            results[i] = Date.now() >= deadline ? skipped(task) : await run(task);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
    return results;
}

// EXTERNAL MODULE: ./src/smoke/transport/pods.ts
var pods = __webpack_require__(97331);
;// CONCATENATED MODULE: ./src/smoke/index.ts













/** The smoke verdict was fail, as an error for the `smoke` command to end with; carries the report. */
class SmokeFailed extends errors/* ModelCanaryError */.Md {
    report;
    constructor(report) {
        super('model', `The canary failed its smoke test: ${report.failures.join('; ')}${report.failingCases.length ? `. Failing cases: ${report.failingCases.join(', ')}` : ''}.`, `See the smoke report (${report.path}) for each case's answer on each pod; fix the model or the limits in smoke.thresholds / smoke.parity.`);
        this.report = report;
        this.name = 'SmokeFailed';
    }
}
/** Deployment names the smoke stage uses: `<model>-canary` and `<model>` in cluster.namespace. */
const canaryDeployment = (config) => (0,canary_plan/* canaryName */.mh)(config.model.name);
const stableDeployment = (config) => config.model.name;
/**
 * Sends every smoke case to every Ready pod of the canary's current ReplicaSet (through the API server's
 * pods proxy, or kubectl port-forward where the API server cannot reach pods), the same cases to stable's
 * Ready pods for parity, and judges the answers. Writes the JSON report, logs the figures from it,
 * annotates failing cases and records the summary section and the error-rate, p95-ms and report outputs;
 * all from the one report it returns, whatever its verdict (the caller decides what a fail does).
 *
 * The canary is Deployment `<model>-canary` in cluster.namespace, unless the deploy stage says which
 * Deployment it gated (on a first release, the stable one itself: then there is nothing to compare with).
 */
async function smokeCanary(config, canary, ctx) {
    const { logger } = ctx.host;
    const smoke = config.smoke;
    const started = Date.now();
    const deadline = started + smoke.maxDurationMs;
    const cases = casesFor(config);
    const protocol = (0,protocols/* protocolFor */.i)(smoke, config.model.name);
    const client = await ctx.kube.client();
    const ns = config.cluster.namespace;
    const { canaryPods, stablePods } = await smokeTargets(config, canary, client, cases.length, logger);
    const choice = new transport_channel/* TransportChoice */.tO(logger);
    const proxyUrl = client.baseUrl;
    const channels = new Map();
    const channel = (pod) => {
        let c = channels.get(pod.name);
        if (!c) {
            c = new transport_channel/* AutoChannel */.JO(proxyUrl, pod, choice, () => ctx.kube.kubectl(), logger, ctx.counter, config.cluster.context);
            channels.set(pod.name, c);
        }
        return c;
    };
    try {
        const { unready, stableReady, canaryResults, stableResults } = await sendCases(config, cases, protocol, canaryPods, stablePods, channel, deadline);
        const transports = Object.fromEntries([...channels].map(([name, c]) => [name, c.transport]));
        const judged = judge(smoke, canaryResults, stableResults.filter((r) => r.error === undefined), transports, unready);
        const report = {
            ...judged,
            protocol: protocol.name,
            namespace: ns,
            deployment: canaryPods.deployment,
            revision: canaryPods.revision,
            replicaSet: canaryPods.replicaSet,
            transport: choice.mode,
            startedAt: new Date(started).toISOString(),
            durationMs: Date.now() - started,
            cases: cases.length,
            results: [...canaryResults, ...stableResults],
            path: reportPath(config),
        };
        if (choice.note)
            report.transportNote = choice.note;
        if (stablePods && stableReady.length < stablePods.ready.length)
            report.parity.note = `stable pod(s) not ready: ${stablePods.ready
                .filter((p) => !stableReady.includes(p))
                .map((p) => p.name)
                .join(', ')}`;
        writeReport(report);
        logReport(report, logger);
        annotateFailures(report, logger);
        recordSmoke(report, config, ctx);
        return report;
    }
    finally {
        await Promise.all([...channels.values()].map((c) => c.close()));
    }
}
/** The canary's Ready pods (checked against what deploy gated) and, for parity, stable's. */
async function smokeTargets(config, canary, client, caseCount, logger) {
    const smoke = config.smoke;
    const ns = config.cluster.namespace;
    const target = canary.deployment ?? canaryDeployment(config);
    const canaryPods = await waitForPods(client, ns, target, smoke.port, smoke.readyTimeoutMs);
    if (canary.revision !== '' && canary.revision !== canaryPods.revision) {
        throw new errors/* ModelCanaryError */.Md('cluster', `The canary Deployment ${ns}/${canaryPods.deployment} is at revision ${canaryPods.revision}, not ${canary.revision} as deployed.`, 'Something else changed the canary while this run was going; run the release again.');
    }
    const missing = canary.readyPods.filter((p) => !canaryPods.ready.some((r) => r.name === p));
    if (missing.length > 0)
        logger.warn(`Canary pod(s) ${missing.join(', ')} were Ready after deploy but are not Ready now; smoking the Ready ones.`);
    if (canaryPods.notReady.length > 0)
        logger.info(`Not Ready, not smoked: ${canaryPods.notReady.join(', ')}`);
    const stable = canary.stable ?? stableDeployment(config);
    const stablePods = smoke.parity.enabled && target !== stable ? await (0,pods/* currentPods */.Q)(client, ns, stable, smoke.port).catch(() => undefined) : undefined;
    logger.info(`Smoking ${caseCount} case(s) on ${canaryPods.ready.length} canary pod(s) of ${canaryPods.deployment} revision ${canaryPods.revision} (${canaryPods.ready.map((p) => p.name).join(', ')})` +
        (stablePods ? `; stable ${stablePods.deployment} revision ${stablePods.revision} has ${stablePods.ready.length} Ready pod(s) for parity` : ''));
    return { canaryPods, stablePods };
}
/**
 * The cases on every canary pod that answers ready (after the warm-up), and each once on a ready stable pod,
 * at most smoke.concurrency at a time and none started after the deadline.
 */
async function sendCases(config, cases, protocol, canaryPods, stablePods, channel, deadline) {
    const smoke = config.smoke;
    const unready = {};
    const readyBudget = Math.max(1000, Math.min(smoke.readyTimeoutMs, deadline - Date.now()));
    await Promise.all(canaryPods.ready.map(async (pod) => {
        const why = await waitReady(channel(pod), protocol, readyBudget, smoke.requestTimeoutMs);
        if (why)
            unready[pod.name] = why;
    }));
    const smokedPods = canaryPods.ready.filter((p) => !unready[p.name]);
    const stableReady = [];
    await Promise.all((stablePods?.ready ?? []).map(async (pod) => {
        if (!(await waitReady(channel(pod), protocol, Math.min(readyBudget, 30_000), smoke.requestTimeoutMs)))
            stableReady.push(pod);
    }));
    stableReady.sort((a, b) => a.name.localeCompare(b.name));
    await warmUp(smokedPods, cases, smoke.warmup, (pod, c) => runCase(channel(pod), protocol, c, pod.name, 'canary', smoke.requestTimeoutMs));
    const skipped = (c, pod, track) => ({
        case: c.name,
        pod,
        track,
        status: 0,
        latencyMs: 0,
        verdict: 'fail',
        why: [`not sent: smoke.maxDuration (${smoke.maxDurationMs} ms) ran out`],
        error: 'not sent',
    });
    const canaryTasks = cases.flatMap((c) => smokedPods.map((pod) => ({ c, pod })));
    const canaryResults = await runBounded(canaryTasks, smoke.concurrency, deadline, (t) => runCase(channel(t.pod), protocol, t.c, t.pod.name, 'canary', smoke.requestTimeoutMs), (t) => skipped(t.c, t.pod.name, 'canary'));
    const stableTasks = stableReady.length > 0 ? cases.map((c, i) => ({ c, pod: stableReady[i % stableReady.length] })) : [];
    const stableResults = await runBounded(stableTasks, smoke.concurrency, deadline, (t) => runCase(channel(t.pod), protocol, t.c, t.pod.name, 'stable', smoke.requestTimeoutMs), (t) => skipped(t.c, t.pod.name, 'stable'));
    return { unready, stableReady, canaryResults, stableResults };
}
/** Records a smoke report in the run: the job summary section and the error-rate, p95-ms and report outputs. */
function recordSmoke(report, config, ctx) {
    const { verdict: _verdict, ...outputs } = smokeOutputs(report);
    Object.assign(ctx.report.outputs, outputs);
    ctx.report.sections.push(smokeSection(report, config.smoke.thresholds));
}
/** The cases file's cases, then the ones generated from the model card. */
function casesFor(config) {
    const smoke = config.smoke;
    const cases = smoke.cases ? (0,smoke_cases/* loadCases */.EG)(inWorkspace(config, smoke.cases, 'smoke.cases')) : [];
    if (smoke.generateCases > 0) {
        if (!config.model.card)
            throw (0,errors/* userError */.IF)('smoke.generateCases is set but model.card is not.', 'Set model.card to a JSON model card with feature_names, or write smoke.cases.');
        const names = new Set(cases.map((c) => c.name));
        cases.push(...(0,smoke_cases/* generateCases */.f)(inWorkspace(config, config.model.card, 'model.card'), smoke.generateCases).filter((c) => !names.has(c.name)));
    }
    if (cases.length === 0)
        throw (0,errors/* userError */.IF)('The smoke stage has no cases.', 'Set smoke.cases to a cases file, or smoke.generateCases with model.card.');
    return cases;
}
/** The file as configured, once it is known (symlinks followed) to be inside the workspace. */
function inWorkspace(config, file, what) {
    (0,contained/* containedFile */.or)(config.run.workspace, file, what);
    return file;
}
/** Waits (within the budget) until the Deployment's current ReplicaSet has at least one Ready pod. */
async function waitForPods(client, ns, name, port, budgetMs) {
    const deadline = Date.now() + budgetMs;
    for (;;) {
        const found = await (0,pods/* currentPods */.Q)(client, ns, name, port);
        if (!found) {
            throw new errors/* ModelCanaryError */.Md('user', `There is no canary Deployment ${ns}/${name} to smoke.`, `Deploy the canary first (command: deploy), or name your own Deployment ${name} in ${ns} (the stable one is the model's name).`);
        }
        if (found.ready.length > 0)
            return found;
        if (Date.now() > deadline) {
            throw new errors/* ModelCanaryError */.Md('model', `The canary Deployment ${ns}/${name} revision ${found.revision} has no Ready pod (${found.notReady.join(', ') || 'no pods'}).`, 'Look at the canary pods (kubectl describe pod, kubectl logs) to see why they are not Ready.');
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
}
/** `count` untimed requests per pod, cycling through the (synchronous) cases; their answers are not judged. */
async function warmUp(pods, cases, count, send) {
    const sync = cases.filter((c) => !c.async);
    if (count <= 0 || sync.length === 0)
        return;
    await Promise.all(pods.map(async (pod) => {
        for (let i = 0; i < count; i++)
            await send(pod, sync[i % sync.length]);
    }));
}


/***/ }),

/***/ 48859:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  i: () => (/* binding */ protocolFor)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/smoke/protocols/protocol.ts
var protocol = __webpack_require__(1123);
;// CONCATENATED MODULE: ./src/smoke/protocols/bentoml.ts

/** BentoML: GET /readyz (503 until the runners are up); POST /<api> with the inputs as JSON (smoke.http.path, default /predict). */
function bentoml(apiPath = '/predict', readyPath = '/readyz') {
    return {
        name: 'bentoml',
        readyPaths: [readyPath],
        isReady: protocol/* ok200 */.FD,
        encode: (c) => ({ method: 'POST', path: apiPath, body: c.inputs }),
        decode: (_c, body) => (0,protocol/* plainOutputs */.b4)(body),
    };
}

;// CONCATENATED MODULE: ./src/smoke/protocols/http.ts

/** Any JSON-over-HTTP model server: smoke.http's method and path, readiness at smoke.http.readyPath. */
function plainHttp(http) {
    return {
        name: 'http',
        readyPaths: [http.readyPath],
        isReady: protocol/* ok200 */.FD,
        encode: (c) => (http.method === 'GET' ? { method: 'GET', path: http.path } : { method: http.method, path: http.path, body: c.inputs }),
        decode: (_c, body) => (0,protocol/* plainOutputs */.b4)(body),
    };
}

;// CONCATENATED MODULE: ./src/smoke/protocols/kserve-v1.ts

/** KServe V1: ready at GET /v1/models/M (200, `ready` not false); POST /v1/models/M:predict {"instances": [...]}. */
function kserveV1(model) {
    const base = `/v1/models/${encodeURIComponent(model)}`;
    return {
        name: 'kserve-v1',
        readyPaths: [base],
        isReady: (_path, r) => r.status === 200 && !((0,protocol/* isRecord */.u4)(r.body) && r.body['ready'] === false),
        encode: (c) => ({ method: 'POST', path: `${base}:predict`, body: (0,protocol/* isRecord */.u4)(c.inputs) && 'instances' in c.inputs ? c.inputs : { instances: c.inputs } }),
        decode: (_c, body) => (0,protocol/* predictionsOf */.eE)(body),
    };
}

;// CONCATENATED MODULE: ./src/smoke/protocols/open-inference-v2.ts

/**
 * Open Inference Protocol (KServe V2, Triton, MLServer): ready when GET /v2/health/ready and
 * /v2/models/M/ready both answer 200 (Triton and MLServer say 400 while loading, KServe 503; a body
 * `{"ready": false}` is not ready either). A case's inputs (rows) become one tensor of shape [N, width];
 * inputs already in the protocol's shape (`{"inputs": [...]}` or a list of tensors) are sent as they are.
 */
function openInferenceV2(model) {
    const base = `/v2/models/${encodeURIComponent(model)}`;
    return {
        name: 'open-inference-v2',
        readyPaths: ['/v2/health/ready', `${base}/ready`],
        isReady: (_path, r) => r.status === 200 && !((0,protocol/* isRecord */.u4)(r.body) && r.body['ready'] === false),
        encode: (c) => ({ method: 'POST', path: `${base}/infer`, body: v2Request(c) }),
        decode: (c, body) => v2Outputs(c, body),
        // Model metadata: {"name", "versions": [...], "platform", "inputs", "outputs"}.
        identity: {
            request: { method: 'GET', path: base },
            read: (body) => ((0,protocol/* isRecord */.u4)(body) && Array.isArray(body['versions']) && body['versions'].length > 0 ? String(body['versions'][0]) : undefined),
        },
    };
}
function v2Request(c) {
    const inputs = c.inputs;
    if ((0,protocol/* isRecord */.u4)(inputs) && Array.isArray(inputs['inputs']))
        return inputs;
    if (Array.isArray(inputs) && inputs.length > 0 && inputs.every((t) => (0,protocol/* isRecord */.u4)(t) && 'datatype' in t && 'data' in t))
        return { inputs };
    const rows = Array.isArray(inputs) ? inputs : [inputs];
    const nested = rows.length > 0 && rows.every(Array.isArray);
    const data = nested ? rows.flat(Infinity) : rows;
    const shape = nested ? [rows.length, ...innerShape(rows[0])] : [rows.length];
    return {
        inputs: [{ name: c.tensor?.name ?? 'input-0', shape, datatype: c.tensor?.datatype ?? datatypeOf(data), data }],
    };
}
function innerShape(row) {
    const first = row[0];
    return Array.isArray(first) ? [row.length, ...innerShape(first)] : [row.length];
}
/** FP32 for numbers, BYTES for strings, BOOL for booleans; a case's tensor.datatype overrides it. */
function datatypeOf(data) {
    if (data.length > 0 && data.every((v) => typeof v === 'string'))
        return 'BYTES';
    if (data.length > 0 && data.every((v) => typeof v === 'boolean'))
        return 'BOOL';
    return 'FP32';
}
/** The chosen output tensor (case.output, else `predict`, else the first) as one value per row. */
function v2Outputs(c, body) {
    if (!(0,protocol/* isRecord */.u4)(body) || !Array.isArray(body['outputs']) || body['outputs'].length === 0) {
        return { error: `the answer has no "outputs" tensors: ${(0,protocol/* brief */.dh)(body)}` };
    }
    const tensors = body['outputs'].filter(protocol/* isRecord */.u4);
    const wanted = c.output ?? 'predict';
    const tensor = tensors.find((t) => t['name'] === wanted) ?? (c.output === undefined ? tensors[0] : undefined);
    if (!tensor)
        return { error: `the answer has no output "${wanted}" (it has ${tensors.map((t) => String(t['name'])).join(', ')})` };
    const data = tensor['data'];
    if (!Array.isArray(data))
        return { error: `output "${String(tensor['name'])}" has no data list` };
    const flat = data.flat(Infinity);
    const shape = Array.isArray(tensor['shape']) ? tensor['shape'].map(Number) : [flat.length];
    const width = shape.slice(1).reduce((a, b) => a * b, 1);
    if (shape.length <= 1 || width === 1)
        return { outputs: flat };
    const rows = [];
    for (let i = 0; i < flat.length; i += width)
        rows.push(flat.slice(i, i + width));
    return { outputs: rows };
}

;// CONCATENATED MODULE: ./src/smoke/protocols/tf-serving.ts

/**
 * TensorFlow Serving's REST API: GET /v1/models/M answers 404 until the model is loaded, then lists
 * `model_version_status` with state AVAILABLE; predictions are KServe V1's shape.
 */
function tfServing(model) {
    const base = `/v1/models/${encodeURIComponent(model)}`;
    return {
        name: 'tf-serving',
        readyPaths: [base],
        isReady: (_path, r) => {
            if (r.status !== 200 || !(0,protocol/* isRecord */.u4)(r.body))
                return false;
            const versions = r.body['model_version_status'];
            return Array.isArray(versions) && versions.some((v) => (0,protocol/* isRecord */.u4)(v) && v['state'] === 'AVAILABLE');
        },
        encode: (c) => ({
            method: 'POST',
            path: `${base}:predict`,
            body: (0,protocol/* isRecord */.u4)(c.inputs) && ('instances' in c.inputs || 'inputs' in c.inputs) ? c.inputs : { instances: c.inputs },
        }),
        decode: (_c, body) => (0,protocol/* predictionsOf */.eE)(body),
    };
}

;// CONCATENATED MODULE: ./src/smoke/protocols/torchserve.ts

/** TorchServe's inference API: GET /ping (500 while workers start, then {"status": "Healthy"}); POST /predictions/M. */
function torchServe(model) {
    return {
        name: 'torchserve',
        readyPaths: ['/ping'],
        isReady: (_path, r) => r.status === 200 && (!(0,protocol/* isRecord */.u4)(r.body) || r.body['status'] === undefined || r.body['status'] === 'Healthy'),
        encode: (c) => ({ method: 'POST', path: `/predictions/${encodeURIComponent(model)}`, body: c.inputs }),
        decode: (_c, body) => (0,protocol/* plainOutputs */.b4)(body),
    };
}

;// CONCATENATED MODULE: ./src/smoke/protocols/index.ts







/** The protocol module smoke.protocol names, for the model called `model` in its URLs. */
function protocolFor(smoke, model) {
    switch (smoke.protocol) {
        case 'kserve-v1':
            return kserveV1(model);
        case 'open-inference-v2':
            return openInferenceV2(model);
        case 'tf-serving':
            return tfServing(model);
        case 'torchserve':
            return torchServe(model);
        case 'bentoml':
            return bentoml(smoke.http?.path ?? '/predict', smoke.http?.readyPath ?? '/readyz');
        case 'http':
            if (!smoke.http)
                throw (0,errors/* userError */.IF)('smoke.protocol is http but smoke.http is not set.', 'Add smoke.http with the path (and method, readyPath) of the prediction endpoint.');
            return plainHttp(smoke.http);
    }
}


/***/ }),

/***/ 1123:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FD: () => (/* binding */ ok200),
/* harmony export */   b4: () => (/* binding */ plainOutputs),
/* harmony export */   dh: () => (/* binding */ brief),
/* harmony export */   eE: () => (/* binding */ predictionsOf),
/* harmony export */   u4: () => (/* binding */ isRecord)
/* harmony export */ });
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** A short, one-line rendering of a value for messages. */
function brief(value, max = 120) {
    let text;
    try {
        text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    }
    catch {
        text = String(value);
    }
    text = text.replace(/\s+/g, ' ');
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
/** The `predictions` list of a KServe V1 / TF Serving answer. */
function predictionsOf(body) {
    if (isRecord(body) && Array.isArray(body['predictions']))
        return { outputs: body['predictions'] };
    if (isRecord(body) && Array.isArray(body['outputs']))
        return { outputs: body['outputs'] };
    return { error: `the answer has no "predictions" list: ${brief(body)}` };
}
/** An answer of a plain JSON endpoint: a list as is, `predictions`/`outputs` when present, else the value. */
function plainOutputs(body) {
    if (Array.isArray(body))
        return { outputs: body };
    if (isRecord(body)) {
        for (const key of ['predictions', 'outputs', 'prediction', 'output', 'result']) {
            const v = body[key];
            if (v !== undefined)
                return { outputs: Array.isArray(v) ? v : [v] };
        }
    }
    if (body === undefined || body === '')
        return { error: 'the answer is empty' };
    return { outputs: [body] };
}
const ok200 = (_path, r) => r.status === 200;


/***/ }),

/***/ 74542:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ percentile),
/* harmony export */   c: () => (/* binding */ summarizeLatency)
/* harmony export */ });
/** The q-th percentile (0 < q <= 1) by nearest rank: the smallest value with at least q of the values at or below it. */
function percentile(values, q) {
    if (values.length === 0)
        return 0;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
    return sorted[rank - 1] ?? 0;
}
const round = (ms) => Math.round(ms * 10) / 10;
function summarizeLatency(values) {
    return {
        count: values.length,
        p50Ms: round(percentile(values, 0.5)),
        p95Ms: round(percentile(values, 0.95)),
        p99Ms: round(percentile(values, 0.99)),
        maxMs: round(values.length ? Math.max(...values) : 0),
    };
}


/***/ }),

/***/ 92760:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  JO: () => (/* binding */ AutoChannel),
  W_: () => (/* binding */ NoAnswer),
  tO: () => (/* binding */ TransportChoice)
});

// UNUSED EXPORTS: DirectChannel, PodsProxyChannel, PortForwardChannel, ProxyUnusable

// EXTERNAL MODULE: ./src/exec/background.ts
var background = __webpack_require__(69909);
;// CONCATENATED MODULE: ./src/smoke/transport/api-status.ts
function classifyProxyAnswer(status, body) {
    if (!isApiStatus(body))
        return { kind: 'model' };
    const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    if (status === 401 || status === 403)
        return { kind: 'proxy-unusable', message };
    if (status >= 500 && /connection refused/i.test(message))
        return { kind: 'refused', message };
    if (status === 502 || status === 503 || status === 504 || status === 500)
        return { kind: 'proxy-unusable', message };
    // A 404 Status means the pod is gone: a model answer it is not, but no fallback helps either.
    return { kind: 'refused', message };
}
/** True for the API server's error object: {"kind": "Status", "apiVersion": "v1", "status": "Failure", ...}. */
function isApiStatus(body) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
        return false;
    const b = body;
    return b['kind'] === 'Status' && b['apiVersion'] === 'v1' && (b['status'] === 'Failure' || typeof b['code'] === 'number');
}

// EXTERNAL MODULE: ./src/kube/http.ts + 1 modules
var http = __webpack_require__(30964);
;// CONCATENATED MODULE: ./src/smoke/transport/channel.ts



/** No answer from the model server: connection refused or reset, or the time ran out. */
class NoAnswer extends Error {
    refused;
    constructor(message, refused) {
        super(message);
        this.refused = refused;
        this.name = 'NoAnswer';
    }
}
/** The API server refused to proxy (403 on pods/proxy) or could not reach the pod (its 503 Status). */
class ProxyUnusable extends Error {
    name = 'ProxyUnusable';
}
/** One HTTP exchange; latency is measured from sending to the whole body read. */
async function exchange(url, request, timeoutMs) {
    const call = { method: request.method, headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) };
    if (request.body !== undefined) {
        call.body = JSON.stringify(request.body);
        call.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    }
    const started = performance.now();
    let text;
    let status;
    try {
        const response = await (0,http/* httpRequest */.a)(url, call);
        status = response.status;
        text = await response.text();
    }
    catch (err) {
        const e = err;
        const code = e.code ?? e.cause?.code ?? '';
        if (e.name === 'TimeoutError' || e.name === 'AbortError')
            throw new NoAnswer(`no answer within ${timeoutMs} ms`, false);
        const refused = code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
        throw new NoAnswer(`${code || e.name}: ${e.cause?.message ?? e.message}`, refused);
    }
    const latencyMs = performance.now() - started;
    let body = text;
    try {
        body = text === '' ? undefined : JSON.parse(text);
    }
    catch {
        // not JSON: keep the text
    }
    return { status, body, latencyMs };
}
/** Straight to a base URL (a pod IP from a machine on the pod network, or a local server in tests). */
class DirectChannel {
    base;
    transport = 'pods-proxy';
    constructor(base) {
        this.base = base;
    }
    send(request, timeoutMs) {
        return exchange(`${this.base}${request.path}`, request, timeoutMs);
    }
    async close() { }
}
/** Through the API server: `${proxyUrl}/api/v1/namespaces/NS/pods/NAME:PORT/proxy/PATH` on the run's kubectl proxy. */
class PodsProxyChannel {
    proxyUrl;
    pod;
    transport = 'pods-proxy';
    constructor(proxyUrl, pod) {
        this.proxyUrl = proxyUrl;
        this.pod = pod;
    }
    url(path) {
        const p = this.pod;
        return `${this.proxyUrl}/api/v1/namespaces/${encodeURIComponent(p.namespace)}/pods/${encodeURIComponent(p.name)}:${p.port}/proxy${path}`;
    }
    async send(request, timeoutMs) {
        const answer = await exchange(this.url(request.path), request, timeoutMs);
        const verdict = classifyProxyAnswer(answer.status, answer.body);
        if (verdict.kind === 'proxy-unusable')
            throw new ProxyUnusable(`the API server answered ${answer.status}: ${verdict.message}`);
        if (verdict.kind === 'refused')
            throw new NoAnswer(verdict.message, true);
        return answer;
    }
    async close() { }
}
/** `kubectl port-forward pod/NAME :PORT` on 127.0.0.1, started on first use and stopped on close. */
class PortForwardChannel {
    pod;
    kubectl;
    logger;
    counter;
    context;
    transport = 'port-forward';
    started;
    constructor(pod, kubectl, logger, counter, context) {
        this.pod = pod;
        this.kubectl = kubectl;
        this.logger = logger;
        this.counter = counter;
        this.context = context;
    }
    async start() {
        const args = ['port-forward', '--address=127.0.0.1', '-n', this.pod.namespace, `pod/${this.pod.name}`, `:${this.pod.port}`];
        if (this.context)
            args.push('--context', this.context);
        const proc = (0,background/* startBackground */.r)(this.logger, this.counter, await this.kubectl(), args);
        try {
            const line = await proc.waitForLine(/Forwarding from 127\.0\.0\.1:\d+/, 30_000);
            const port = /127\.0\.0\.1:(\d+)/.exec(line)?.[1];
            this.logger.debug(`port-forward to ${this.pod.name}:${this.pod.port} on 127.0.0.1:${port ?? '?'}`);
            return { proc, base: `http://127.0.0.1:${port ?? '0'}` };
        }
        catch (err) {
            await proc.stop();
            throw err;
        }
    }
    async send(request, timeoutMs) {
        this.started ??= this.start();
        const { proc, base } = await this.started;
        if (proc.exited) {
            this.started = undefined;
            throw new NoAnswer(`kubectl port-forward to ${this.pod.name} exited`, true);
        }
        return exchange(`${base}${request.path}`, request, timeoutMs);
    }
    async close() {
        const s = this.started;
        this.started = undefined;
        if (s)
            await (await s.catch(() => undefined))?.proc.stop();
    }
}
/** Which way all pods of a run are reached; switches once, for all pods, when the proxy turns out unusable. */
class TransportChoice {
    logger;
    mode;
    note;
    constructor(logger, forced) {
        this.logger = logger;
        this.mode = forced ?? 'pods-proxy';
    }
    fallBack(reason) {
        if (this.mode === 'port-forward')
            return;
        this.mode = 'port-forward';
        this.note = `The API server cannot proxy to the pods (${reason}); using kubectl port-forward per pod instead.`;
        this.logger.warn(this.note);
    }
}
/** A pod reached through the pods proxy, or through port-forward once the choice says so. */
class AutoChannel {
    choice;
    proxy;
    forward;
    constructor(proxyUrl, pod, choice, kubectl, logger, counter, context) {
        this.choice = choice;
        this.proxy = new PodsProxyChannel(proxyUrl, pod);
        this.forward = new PortForwardChannel(pod, kubectl, logger, counter, context);
    }
    get transport() {
        return this.choice.mode;
    }
    async send(request, timeoutMs) {
        if (this.choice.mode === 'pods-proxy') {
            try {
                return await this.proxy.send(request, timeoutMs);
            }
            catch (err) {
                if (!(err instanceof ProxyUnusable))
                    throw err;
                this.choice.fallBack(err.message);
            }
        }
        return this.forward.send(request, timeoutMs);
    }
    close() {
        return this.forward.close();
    }
}


/***/ }),

/***/ 97331:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ currentPods)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83916);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(26804);


const REVISION = 'deployment.kubernetes.io/revision';
const selector = (labels) => Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
const ownedBy = (o, uid) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.controller !== false);
/**
 * Finds the Ready pods of a Deployment's CURRENT ReplicaSet: the one owned by the Deployment whose
 * deployment.kubernetes.io/revision annotation equals the Deployment's. Labels alone would also match
 * the pods of an older ReplicaSet still terminating during a rollout. Undefined when the Deployment
 * does not exist.
 */
async function currentPods(client, namespace, name, port) {
    const deployment = await client.get((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('Deployment', namespace, name));
    if (!deployment)
        return undefined;
    const revision = deployment.metadata.annotations?.[REVISION];
    if (!revision) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('cluster', `Deployment ${namespace}/${name} has no ${REVISION} annotation yet.`, 'Wait until the Deployment controller has handled it (kubectl rollout status), then run again.');
    }
    const sets = await client.list((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('ReplicaSet', namespace), selector(deployment.spec.selector.matchLabels));
    const current = sets.items.filter((rs) => ownedBy(rs, deployment.metadata.uid) && rs.metadata.annotations?.[REVISION] === revision);
    const rs = current[0];
    if (!rs || current.length > 1) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('cluster', `Deployment ${namespace}/${name} revision ${revision} has ${current.length} ReplicaSets; expected one.`, 'Wait for the rollout to settle (kubectl rollout status), then run again.');
    }
    const podSelector = selector(rs.spec.selector.matchLabels);
    const pods = await client.list((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('Pod', namespace), podSelector);
    const ready = [];
    const notReady = [];
    for (const pod of pods.items.filter((p) => ownedBy(p, rs.metadata.uid))) {
        const isReady = !pod.metadata.deletionTimestamp && pod.status?.podIP && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
        if (isReady && pod.status?.podIP)
            ready.push({ name: pod.metadata.name, namespace, ip: pod.status.podIP, port });
        else
            notReady.push(pod.metadata.name);
    }
    ready.sort((a, b) => a.name.localeCompare(b.name));
    return { deployment: name, revision, replicaSet: rs.metadata.name, podSelector, ready, notReady };
}


/***/ })

};
;
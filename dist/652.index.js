"use strict";
exports.id = 652;
exports.ids = [652];
exports.modules = {

/***/ 24242:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ podWatch)
/* harmony export */ });
/* harmony import */ var _deploy_gate_signals_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(96980);
/* harmony import */ var _kube_watch_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(87002);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(26804);



/**
 * The readiness gate's pod watch, kept running through the window over the canary's and stable's pods:
 * a pod that crashes, is OOMKilled, restarts past the limit, stops being Ready, is evicted or deleted
 * ends the window at once. Restarts count from the window's start (stable's pods may have restarted
 * before).
 */
function podWatch(client, namespace, tracks, logger) {
    const abort = new AbortController();
    const signals = [];
    return {
        name: 'pod watch',
        async start(opened, decisive) {
            const podsPath = (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('Pod', namespace);
            for (const t of tracks) {
                const listed = await client.list(podsPath, t.selector);
                const baseline = new Map(listed.items.map((p) => [p.metadata.name, restarts(p)]));
                const wasReady = new Set(listed.items.filter(_deploy_gate_signals_js__WEBPACK_IMPORTED_MODULE_0__/* .podReady */ .T2).map((p) => p.metadata.name));
                const raise = (pod, reason, detail) => {
                    const signal = { track: t.track, pod, reason, detail, at: Date.now() - opened };
                    signals.push(signal);
                    decisive(signal);
                };
                const onPod = (e) => {
                    const pod = e.object;
                    const name = pod.metadata.name;
                    if (e.type === 'DELETED') {
                        if (wasReady.has(name))
                            raise(name, 'Deleted', `pod ${name} was deleted during the window`);
                        return;
                    }
                    if (e.type !== 'ADDED' && e.type !== 'MODIFIED')
                        return;
                    if (pod.metadata.deletionTimestamp) {
                        if (wasReady.has(name))
                            raise(name, pod.status?.reason === 'Evicted' ? 'Evicted' : 'Terminating', `pod ${name} is being removed during the window${pod.status?.message ? `: ${pod.status.message}` : ''}`);
                        return;
                    }
                    if (pod.status?.reason === 'Evicted')
                        return raise(name, 'Evicted', pod.status.message ?? `pod ${name} was evicted`);
                    const before = baseline.get(name) ?? 0;
                    const signal = (0,_deploy_gate_signals_js__WEBPACK_IMPORTED_MODULE_0__/* .podSignal */ .SI)(withRestartsSince(pod, before), t.maxRestarts);
                    // A kill recorded in lastState before the window (no restart since) is old news.
                    const old = signal &&
                        (signal.reason === 'OOMKilled' || signal.reason === 'Killed') &&
                        restarts(pod) === before &&
                        !(pod.status?.containerStatuses ?? []).some((c) => c.state?.terminated);
                    if (signal && !old)
                        return raise(name, signal.reason, signal.detail);
                    if ((0,_deploy_gate_signals_js__WEBPACK_IMPORTED_MODULE_0__/* .podReady */ .T2)(pod))
                        wasReady.add(name);
                    else if (wasReady.has(name))
                        raise(name, 'NotReady', `pod ${name} stopped being Ready${lastExit(pod)}`);
                };
                void (0,_kube_watch_js__WEBPACK_IMPORTED_MODULE_2__/* .keepWatching */ .p)(client, podsPath, { labelSelector: t.selector }, listed.metadata.resourceVersion, onPod, abort.signal, logger);
            }
        },
        measure(into) {
            into.signals.push(...signals);
        },
        async stop() {
            abort.abort();
        },
    };
}
const restarts = (p) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
/** The pod with each container's restart count taken from the window's start, so old restarts do not count. */
function withRestartsSince(pod, before) {
    if (before === 0 || !pod.status?.containerStatuses)
        return pod;
    let left = before;
    const containerStatuses = pod.status.containerStatuses.map((c) => {
        const take = Math.min(left, c.restartCount);
        left -= take;
        return { ...c, restartCount: c.restartCount - take };
    });
    return { ...pod, status: { ...pod.status, containerStatuses } };
}
function lastExit(pod) {
    for (const c of pod.status?.containerStatuses ?? []) {
        const t = c.state?.terminated ?? c.lastState?.terminated;
        if (t)
            return ` (container ${c.name} exited with code ${t.exitCode ?? '?'}${t.reason ? `, ${t.reason}` : ''})`;
    }
    return '';
}


/***/ }),

/***/ 33892:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lu: () => (/* binding */ readHistory),
/* harmony export */   lg: () => (/* binding */ revisionToRestore),
/* harmony export */   ol: () => (/* binding */ digestOf),
/* harmony export */   ty: () => (/* binding */ recordRelease)
/* harmony export */ });
/* unused harmony exports historyName, historyPath, parseHistory, appendRecord */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83916);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(26804);


const historyName = (model) => `model-canary-${model}-history`;
const KEY = 'releases.json';
function historyPath(namespace, model) {
    return (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('ConfigMap', namespace, historyName(model));
}
async function readHistory(client, namespace, model) {
    const cm = await client.get(historyPath(namespace, model));
    return parseHistory(cm?.data?.[KEY]);
}
function parseHistory(text) {
    if (!text)
        return [];
    try {
        const list = JSON.parse(text);
        return Array.isArray(list) ? list.filter((r) => typeof r.revision === 'number') : [];
    }
    catch {
        return [];
    }
}
/** The history with one more record (numbered after the last), keeping the newest `limit`. */
function appendRecord(history, record, limit) {
    const revision = history.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
    const added = { ...record, revision };
    return { history: [...history, added].slice(-Math.max(1, limit)), added };
}
/** Adds a record and writes the ConfigMap with server-side apply. Call it holding the release lock. */
async function recordRelease(client, target, record) {
    const { history, added } = appendRecord(await readHistory(client, target.namespace, target.model), record, target.limit);
    await client.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
            name: historyName(target.model),
            namespace: target.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'model-canary', 'app.kubernetes.io/name': target.model },
        },
        data: { [KEY]: JSON.stringify(history, null, 1) },
    }, target.fieldManager);
    return added;
}
/** The record `rollback` restores: `previous` (the last good release before what stable runs) or a number. */
function revisionToRestore(history, wanted, currentImage) {
    const good = history.filter((r) => r.verdict === 'promoted' || r.verdict === 'restored');
    if (wanted === 'previous' || wanted === '') {
        const candidates = good.filter((r) => r.image !== currentImage);
        const found = candidates[candidates.length - 1];
        if (!found) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `There is no earlier good release to roll back to (${good.length} promoted release(s) recorded, all running ${currentImage ?? 'the current image'}).`, 'Run `command: status` to see the recorded revisions.');
        }
        return found;
    }
    const number = Number(wanted.replace(/^#/, ''));
    const found = history.find((r) => r.revision === number);
    if (!Number.isInteger(number) || !found) {
        const known = history.map((r) => r.revision).join(', ') || 'none';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `Revision ${wanted} is not in the history (recorded: ${known}).`, 'Set revision to `previous` or a revision `command: status` lists.');
    }
    if (found.verdict !== 'promoted' && found.verdict !== 'restored') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `Revision ${found.revision} was ${found.verdict}, never promoted; model-canary restores only releases that ran as stable.`, 'Pick a promoted revision from `command: status`.');
    }
    return found;
}
/** The digest part of repository@sha256:... */
function digestOf(image) {
    const at = image.indexOf('@');
    return at >= 0 ? image.slice(at + 1) : '';
}


/***/ }),

/***/ 86148:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ withReleaseLock)
/* harmony export */ });
/* harmony import */ var _deploy_lock_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24332);

/** Runs fn holding the model's release lock; the lock is released however fn ends. */
async function withReleaseLock(config, ctx, fn) {
    const client = await ctx.kube.client();
    const lock = await _deploy_lock_js__WEBPACK_IMPORTED_MODULE_0__/* .ReleaseLock */ .nT.acquire(client, {
        namespace: config.cluster.namespace,
        model: config.model.name,
        identity: config.run.runId,
        timeoutMs: config.canary.lockTimeoutMs,
        logger: ctx.host.logger,
    });
    ctx.cleanup.lock(true);
    try {
        return await fn(client);
    }
    finally {
        try {
            await lock.release();
            ctx.cleanup.lock(false);
        }
        catch (err) {
            ctx.host.logger.warn(`Could not release the lock: ${err instanceof Error ? err.message : String(err)}; it expires by itself, and the post step releases it.`);
        }
    }
}


/***/ }),

/***/ 81736:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ modelImage),
/* harmony export */   z: () => (/* binding */ promoteCanary)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83916);
/* harmony import */ var _deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(30991);
/* harmony import */ var _stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51385);



/** Kinds a promotion applies before the stable rollout (its new pods read them at start); the rest after. */
const BEFORE_ROLLOUT = new Set(['ServiceAccount', 'Secret', 'ConfigMap']);
/**
 * Promotes the canary: stable gets the canary's pod template (so its digest) and version label by
 * server-side apply, its rollout is gated like the canary's (and reverted when it fails), then the canary
 * is removed. `shared` are the release's other rendered objects (Service, HPA, ...), applied with it.
 */
async function promoteCanary(client, config, stable, deps, shared = []) {
    const { logger } = deps;
    const namespace = config.cluster.namespace;
    const before = await (0,_stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__/* .liveStable */ .Qn)(client, namespace, stable);
    const canary = await client.get((0,_stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__/* .deploymentPath */ .nR)(namespace, (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(stable)));
    if (!canary) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `There is no canary ${(0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(stable)} in namespace ${namespace} to promote.`, 'Deploy one first (command deploy with decide.mode manual, or command release).');
    }
    const postMs = config.analysis.postPromotionMs;
    const desired = (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .withPostPromotionWindow */ .O_)((0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .promotedStable */ .sm)(before, canary, await (0,_stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__/* .hpaManaged */ .F)(client, namespace, stable)), Math.ceil(postMs / 1000));
    const image = modelImage(desired.spec.template, config.image.repository);
    logger.info(`Promoting ${stable} to ${image}.`);
    for (const o of shared.filter((s) => BEFORE_ROLLOUT.has(s.kind)))
        await client.apply(o, config.cluster.fieldManager);
    const gate = await (0,_stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__/* .rolloutStable */ .dc)(client, config, desired, before, logger, postMs);
    for (const worker of (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryWorkersOf */ .nz)(canary))
        await promoteWorker(client, config, worker, logger);
    for (const o of shared.filter((s) => !BEFORE_ROLLOUT.has(s.kind)))
        await client.apply(o, config.cluster.fieldManager);
    // The stable rollout is gated: the route may send it everything now, then the canary goes.
    await (0,_stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__/* .removeCanary */ .rd)(client, config, stable, deps.cleanup, logger);
    return { image, version: desired.metadata.labels?.['app.kubernetes.io/version'], gate };
}
/**
 * A canary worker promoted: stable's workers get its template (without the canary's weight), gated like the
 * stable rollout; a worker Deployment that stable did not have yet is made from the canary's. The canary worker
 * itself goes with the canary (removeCanary), handing its waiting jobs to stable's queue as it drains.
 */
async function promoteWorker(client, config, canaryWorker, logger) {
    const namespace = config.cluster.namespace;
    const canary = await client.get((0,_stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__/* .deploymentPath */ .nR)(namespace, canaryWorker));
    if (!canary) {
        logger.warn(`The canary worker ${canaryWorker} is gone; stable's workers keep their template.`);
        return;
    }
    const name = (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .stableNameOf */ .ii)(canaryWorker);
    const before = (await client.get((0,_stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__/* .deploymentPath */ .nR)(namespace, name))) ?? (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .stableWorkerFrom */ .sr)(canary);
    const desired = (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .promotedStable */ .sm)(before, (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .withoutCanaryWeight */ .zs)(canary), await (0,_stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__/* .hpaManaged */ .F)(client, namespace, name));
    logger.info(`Promoting the workers ${name} to the canary workers' template.`);
    const gate = await (0,_stable_rollout_js__WEBPACK_IMPORTED_MODULE_2__/* .rolloutStable */ .dc)(client, config, desired, before, logger);
    logger.info(`${name}: ${gate.readyPods.length} worker pod(s) Ready in ${(gate.elapsedMs / 1000).toFixed(1)}s`);
}
/** The image of the model's container: the one from image.repository, else the first container's. */
function modelImage(template, repository) {
    const containers = template.spec?.containers ?? [];
    const match = containers.find((c) => c.image !== undefined && (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .repositoryOf */ ._M)(c.image) === repository) ?? containers[0];
    return match?.image ?? '';
}


/***/ }),

/***/ 21659:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   pp: () => (/* binding */ finishRelease)
/* harmony export */ });
/* unused harmony exports record, decisionSection */
/* harmony import */ var _history_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33892);
/* harmony import */ var _log_markdown_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(20157);
/* harmony import */ var _snapshot_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(35914);



/** Adds a release to the history in the cluster and sets the revision output. */
async function record(client, config, ctx, entry) {
    // What stable runs now, when this revision is what it runs: a rollback to it restores all of it.
    const serving = entry.verdict === 'promoted' || entry.verdict === 'restored';
    const snapshot = serving ? await (0,_snapshot_js__WEBPACK_IMPORTED_MODULE_1__/* .takeSnapshot */ .W9)(client, config.cluster.namespace, config.model.name, ctx.host.logger) : undefined;
    const added = await (0,_history_js__WEBPACK_IMPORTED_MODULE_0__/* .recordRelease */ .ty)(client, { namespace: config.cluster.namespace, model: config.model.name, fieldManager: config.cluster.fieldManager, limit: config.decide.historyLimit }, {
        digest: (0,_history_js__WEBPACK_IMPORTED_MODULE_0__/* .digestOf */ .ol)(entry.image),
        image: entry.image,
        version: entry.version ?? config.model.version,
        time: new Date().toISOString(),
        verdict: entry.verdict,
        runId: config.run.runId,
        ...(config.run.commitSha ? { commit: config.run.commitSha } : {}),
        ...(config.run.environment ? { environment: config.run.environment } : {}),
        ...(entry.smoke ? { smoke: entry.smoke } : {}),
        ...(entry.restoredFrom !== undefined ? { restoredFrom: entry.restoredFrom } : {}),
        ...(snapshot ? { snapshot } : {}),
    });
    ctx.report.outputs.revision = String(added.revision);
    ctx.host.logger.info(`Recorded revision ${added.revision} (${added.verdict}) in ConfigMap model-canary-${config.model.name}-history.`);
    return added;
}
/** The decision section of the job summary. */
function decisionSection(rows) {
    return ['### Decision', '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${(0,_log_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .cell */ .Hn)(v)} |`)].join('\n');
}
/**
 * The one way a release, promote or rollback ends: sets the verdict output, records it in the history (as
 * `recorded` when the history names it otherwise: a rollback that restored a revision is `restored`), adds
 * the decision section (verdict and revision first), then throws `error` when the step must fail.
 */
async function finishRelease(client, config, ctx, end) {
    ctx.report.outputs.verdict = end.verdict;
    const rec = await record(client, config, ctx, {
        image: end.image,
        verdict: end.recorded ?? end.verdict,
        smoke: end.note,
        ...(end.version ? { version: end.version } : {}),
        ...(end.restoredFrom !== undefined ? { restoredFrom: end.restoredFrom } : {}),
    });
    ctx.report.sections.push(decisionSection([['Verdict', end.verdict], ['Revision', String(rec.revision)], ...end.rows]));
    if (end.error)
        throw end.error;
    return end.verdict;
}


/***/ }),

/***/ 35914:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $s: () => (/* binding */ currentConfigMaps),
/* harmony export */   W9: () => (/* binding */ takeSnapshot),
/* harmony export */   as: () => (/* binding */ stableWithTemplate),
/* harmony export */   qz: () => (/* binding */ applyConfigMaps)
/* harmony export */ });
/* unused harmony export SNAPSHOT_MAX_BYTES */
/* harmony import */ var _deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(30991);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(26804);


/** Larger snapshots are not kept (the history ConfigMap holds ten revisions within its 1 MiB). */
const SNAPSHOT_MAX_BYTES = 64 * 1024;
/** The live stable Deployment's template and ConfigMaps; undefined when there is none, or it is too large to keep. */
async function takeSnapshot(client, namespace, stable, logger) {
    const live = await client.get((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('Deployment', namespace, stable));
    if (!live)
        return undefined;
    const template = (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_0__/* .cleanTemplate */ .MN)(live.spec.template);
    const configMaps = [];
    for (const name of (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_0__/* .referencedConfigMaps */ .D2)(template)) {
        const cm = await client.get((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('ConfigMap', namespace, name));
        if (cm)
            configMaps.push(copyOf(cm));
    }
    const snapshot = { template, configMaps };
    const size = Buffer.byteLength(JSON.stringify(snapshot));
    if (size > SNAPSHOT_MAX_BYTES) {
        logger.warn(`Stable's pod template and ConfigMaps take ${Math.round(size / 1024)} KiB, over the ${SNAPSHOT_MAX_BYTES / 1024} KiB the history keeps per revision: a rollback to this revision will restore its image and version only.`);
        return undefined;
    }
    return snapshot;
}
function copyOf(cm) {
    const { labels, annotations } = cm.metadata;
    const kept = annotations
        ? Object.fromEntries(Object.entries(annotations).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'))
        : undefined;
    return {
        name: cm.metadata.name,
        ...(labels ? { labels } : {}),
        ...(kept && Object.keys(kept).length > 0 ? { annotations: kept } : {}),
        ...(cm.data ? { data: cm.data } : {}),
        ...(cm.binaryData ? { binaryData: cm.binaryData } : {}),
    };
}
/** The ConfigMaps of `names` as they are now (to put back when a restore fails). */
async function currentConfigMaps(client, namespace, names) {
    const out = [];
    for (const name of names) {
        const cm = await client.get((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('ConfigMap', namespace, name));
        if (cm)
            out.push(copyOf(cm));
    }
    return out;
}
/** Applies the copies (server-side, as the release's field manager). */
async function applyConfigMaps(client, namespace, copies, fieldManager) {
    for (const c of copies) {
        await client.apply({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: c.name, namespace, ...(c.labels ? { labels: c.labels } : {}), ...(c.annotations ? { annotations: c.annotations } : {}) },
            ...(c.data ? { data: c.data } : {}),
            ...(c.binaryData ? { binaryData: c.binaryData } : {}),
        }, fieldManager);
    }
}
/** Stable with a recorded revision's whole pod template (its image and labels with it). */
function stableWithTemplate(live, template, hpaManaged) {
    const stable = (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_0__/* .cleanForApply */ .ju)(live);
    stable.spec.template = structuredClone(template);
    const version = template.metadata?.labels?.['app.kubernetes.io/version'];
    if (version)
        stable.metadata.labels = { ...stable.metadata.labels, 'app.kubernetes.io/version': version };
    if (hpaManaged)
        delete stable.spec.replicas;
    return stable;
}


/***/ }),

/***/ 51385:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ hpaManaged),
/* harmony export */   Gq: () => (/* binding */ keepCanary),
/* harmony export */   Qn: () => (/* binding */ liveStable),
/* harmony export */   dc: () => (/* binding */ rolloutStable),
/* harmony export */   nR: () => (/* binding */ deploymentPath),
/* harmony export */   rd: () => (/* binding */ removeCanary)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83916);
/* harmony import */ var _deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(30991);
/* harmony import */ var _deploy_gate_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(97772);
/* harmony import */ var _deploy_gate_report_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(70683);
/* harmony import */ var _deploy_left_behind_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(40411);
/* harmony import */ var _analysis_sources_pod_watch_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(24242);
/* harmony import */ var _deploy_traffic_index_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(42613);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(26804);








const deploymentPath = (namespace, name) => (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_7__/* .apiPath */ .So)('Deployment', namespace, name);
/** The stable Deployment as it runs now; a clear error when there is none. */
async function liveStable(client, namespace, name) {
    const stable = await client.get(deploymentPath(namespace, name));
    if (!stable) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `There is no Deployment ${name} in namespace ${namespace}.`, 'Release the model first (command release), or check cluster.namespace and model.name.');
    }
    return stable;
}
/** Whether a HorizontalPodAutoscaler in the namespace scales this Deployment (then we never set replicas). */
async function hpaManaged(client, namespace, name) {
    const list = await client.list((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_7__/* .apiPath */ .So)('HorizontalPodAutoscaler', namespace));
    return (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .hpaTargets */ .oK)(list.items, name);
}
/**
 * Applies a new stable Deployment and gates its rollout with the canary's gate. When the rollout fails,
 * stable is put back on its previous template (and that rollout gated too) before the failure is thrown.
 */
async function rolloutStable(client, config, desired, before, logger, postPromotionMs = 0) {
    const options = {
        namespace: config.cluster.namespace,
        deployment: desired.metadata.name,
        label: 'stable',
        timeoutMs: config.canary.readinessTimeoutMs,
        maxRestarts: config.canary.maxRestarts,
        logger,
    };
    await client.apply(desired, config.cluster.fieldManager);
    try {
        const gate = await (0,_deploy_gate_js__WEBPACK_IMPORTED_MODULE_2__/* .gateDeployment */ .T)(client, options);
        if (postPromotionMs > 0)
            await watchAfterPromotion(client, config, desired, gate, postPromotionMs, logger);
        return gate;
    }
    catch (err) {
        logger.error(`The stable rollout of ${desired.metadata.name} failed (${err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err)}); reverting it to its previous template.`);
        const previous = (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .cleanForApply */ .ju)(before);
        if (desired.spec.replicas === undefined)
            delete previous.spec.replicas;
        try {
            await client.apply(previous, config.cluster.fieldManager);
            await (0,_deploy_gate_js__WEBPACK_IMPORTED_MODULE_2__/* .gateDeployment */ .T)(client, { ...options, label: 'reverted stable' });
            logger.info(`Stable ${desired.metadata.name} is back on its previous template.`);
        }
        catch (revertErr) {
            logger.error(`Reverting stable failed too: ${revertErr instanceof Error ? revertErr.message : String(revertErr)}`);
        }
        throw err;
    }
}
/**
 * The post-promotion window: the new stable pods are watched for postPromotionMs after they are Ready,
 * while the old ones still serve (minReadySeconds holds them); a crash, restart or lost readiness is a
 * GateFailure, which reverts stable.
 */
async function watchAfterPromotion(client, config, desired, gate, postPromotionMs, logger) {
    const namespace = config.cluster.namespace;
    // The gate's own selector: the Deployment's labels and the current ReplicaSet's pod-template-hash (the
    // suffix of its name), so only the promoted pods are watched and no extra read right is needed.
    const hash = gate.replicaSet.slice(desired.metadata.name.length + 1);
    const selector = Object.entries({ ...desired.spec.selector.matchLabels, 'pod-template-hash': hash })
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
    logger.info(`Watching the promoted stable pods for ${Math.round(postPromotionMs / 1000)}s (analysis.postPromotion); the previous pods serve until then.`);
    const started = Date.now();
    const watch = (0,_analysis_sources_pod_watch_js__WEBPACK_IMPORTED_MODULE_5__/* .podWatch */ .B)(client, namespace, [{ track: 'canary', selector, maxRestarts: config.canary.maxRestarts }], logger);
    let seen;
    let wake = () => undefined;
    await watch.start(started, (signal) => {
        seen ??= signal;
        wake();
    });
    await new Promise((resolve) => {
        const t = setTimeout(resolve, postPromotionMs);
        wake = () => {
            clearTimeout(t);
            resolve();
        };
    });
    await watch.stop();
    const signal = seen;
    if (signal) {
        const message = `The promoted stable pod ${signal.pod} failed ${(signal.at / 1000).toFixed(1)}s into the post-promotion window: ${signal.reason}: ${signal.detail}`;
        throw new _deploy_gate_report_js__WEBPACK_IMPORTED_MODULE_3__/* .GateFailure */ .I(message, { object: signal.pod, reason: signal.reason, detail: signal.detail }, Date.now(), started);
    }
    logger.info(`The promoted stable pods stayed Ready for ${Math.round(postPromotionMs / 1000)}s.`);
}
/** The canary's route for strategy traffic (named after the stable Deployment), else undefined. */
function canaryTraffic(config, stable) {
    return config.canary.strategy === 'traffic' ? { route: stable, fieldManager: config.cluster.fieldManager } : undefined;
}
/**
 * Deletes the canary Deployment, its canary workers and the ConfigMaps copied for it; true when there was a canary. With
 * strategy traffic, the route first sends everything back to stable and the canary's Service goes last.
 * A Role that refuses the delete gets the canary scaled to 0 and a DeploymentLeftBehind naming what is left.
 */
async function removeCanary(client, config, stable, cleanup, logger) {
    const namespace = config.cluster.namespace;
    const traffic = canaryTraffic(config, stable);
    if (traffic)
        await (0,_deploy_traffic_index_js__WEBPACK_IMPORTED_MODULE_6__/* .sendAllToStable */ ._2)(client, namespace, traffic.route, traffic.fieldManager, cleanup, logger);
    const name = (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(stable);
    const canary = await client.get(deploymentPath(namespace, name));
    const copies = (canary?.metadata.annotations?.[_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .CANARY_CONFIGMAPS */ .x7] ?? '').split(',').filter((n) => n !== '');
    const leftWith = async () => [
        ...copies.map((cm) => `ConfigMap/${(0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(cm)}`),
        ...(traffic ? (await (0,_deploy_traffic_index_js__WEBPACK_IMPORTED_MODULE_6__/* .canaryServices */ .bZ)(client, namespace, stable)).map((svc) => `Service/${svc}`) : []),
    ];
    // The canary workers first: a worker that drains hands its waiting jobs to stable's queue.
    for (const worker of (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryWorkersOf */ .nz)(canary)) {
        if (await (0,_deploy_left_behind_js__WEBPACK_IMPORTED_MODULE_4__/* .deleteDeployment */ .rd)(client, namespace, worker, leftWith))
            logger.info(`Removed the canary worker Deployment ${worker}.`);
        cleanup.removed(`Deployment/${worker}`);
    }
    const deleted = await (0,_deploy_left_behind_js__WEBPACK_IMPORTED_MODULE_4__/* .deleteDeployment */ .rd)(client, namespace, name, leftWith);
    cleanup.removed(`Deployment/${name}`);
    for (const cm of copies) {
        await client.delete((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_7__/* .apiPath */ .So)('ConfigMap', namespace, (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(cm)));
        cleanup.removed(`ConfigMap/${(0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(cm)}`);
    }
    if (deleted)
        logger.info(`Removed the canary Deployment ${name}${copies.length ? ` and ConfigMap(s) ${copies.map((c) => (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(c)).join(', ')}` : ''}.`);
    if (traffic)
        await (0,_deploy_traffic_index_js__WEBPACK_IMPORTED_MODULE_6__/* .removeCanaryServices */ .Lb)(client, namespace, stable, cleanup, logger);
    return deleted;
}
/** A canary kept on purpose (held): the post step must not remove it, so it is no longer listed for cleanup. */
async function keepCanary(client, config, stable, cleanup) {
    const namespace = config.cluster.namespace;
    const traffic = canaryTraffic(config, stable);
    const name = (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(stable);
    const canary = await client.get(deploymentPath(namespace, name));
    if (!canary)
        return false;
    cleanup.removed(`Deployment/${name}`);
    for (const worker of (0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryWorkersOf */ .nz)(canary))
        cleanup.removed(`Deployment/${worker}`);
    if (traffic) {
        cleanup.route(traffic.route, undefined);
        for (const svc of await (0,_deploy_traffic_index_js__WEBPACK_IMPORTED_MODULE_6__/* .canaryServices */ .bZ)(client, namespace, stable))
            cleanup.removed(`Service/${svc}`);
    }
    for (const cm of (canary.metadata.annotations?.[_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .CANARY_CONFIGMAPS */ .x7] ?? '').split(',').filter((n) => n !== ''))
        cleanup.removed(`ConfigMap/${(0,_deploy_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(cm)}`);
    return true;
}


/***/ }),

/***/ 42427:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $M: () => (/* binding */ removeObjects),
/* harmony export */   T5: () => (/* binding */ objectKey),
/* harmony export */   r3: () => (/* binding */ applyObjects)
/* harmony export */ });
/* unused harmony export objectPath */
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(26804);
/* harmony import */ var _left_behind_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(40411);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(44130);



/** kind/name, how the cleanup state and messages name an object. */
const objectKey = (o) => `${o.kind}/${o.metadata.name}`;
async function objectPath(client, o) {
    const info = await client.resourceFor(o.apiVersion, o.kind);
    return (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_0__/* .resourcePath */ .oU)(info, o.metadata.namespace, o.metadata.name);
}
/**
 * Applies objects in order with server-side apply and our field manager. Objects that did not exist
 * before are recorded with the cleanup recorder (so the post step removes them if the run dies) and
 * returned, so a failure can remove exactly what this run created.
 */
async function applyObjects(client, objects, fieldManager, cleanup, logger) {
    const created = [];
    for (const object of objects) {
        const existed = (await client.get(await objectPath(client, object))) !== undefined;
        if (!existed) {
            cleanup.created(objectKey(object));
            created.push(object);
        }
        await client.apply(object, fieldManager);
        logger.info(`${existed ? 'applied' : 'created'} ${objectKey(object)}`);
    }
    return created;
}
/**
 * Deletes objects (missing ones are fine) in reverse order and tells the cleanup recorder. A Deployment the
 * Role will not let go is scaled to 0; the rest are still removed, then its DeploymentLeftBehind is thrown.
 */
async function removeObjects(client, objects, cleanup, logger) {
    const left = [];
    for (const object of [...objects].reverse()) {
        let deleted;
        try {
            deleted =
                (0,_types_js__WEBPACK_IMPORTED_MODULE_2__/* .isDeployment */ .c)(object) && object.metadata.namespace
                    ? await (0,_left_behind_js__WEBPACK_IMPORTED_MODULE_1__/* .deleteDeployment */ .rd)(client, object.metadata.namespace, object.metadata.name)
                    : await client.delete(await objectPath(client, object));
        }
        catch (err) {
            if (!(err instanceof _left_behind_js__WEBPACK_IMPORTED_MODULE_1__/* .DeploymentLeftBehind */ .LG))
                throw err;
            left.push(err);
            continue;
        }
        cleanup.removed(objectKey(object));
        logger.info(`${deleted ? 'deleted' : 'already gone:'} ${objectKey(object)}`);
    }
    for (const extra of left.slice(1))
        logger.error(extra.userMessage);
    if (left[0])
        throw left[0];
}


/***/ }),

/***/ 70683:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ GateFailure),
/* harmony export */   p: () => (/* binding */ describeFailure)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83916);
/* harmony import */ var _gate_signals_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(96980);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(26804);



/** The readiness gate said no: which pod, why, what Kubernetes and the container said. */
class GateFailure extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md {
    signal;
    detectedAt;
    startedAt;
    constructor(message, signal, 
    /** When the gate saw the signal (ms since the epoch). */
    detectedAt, 
    /** When the gate started (ms since the epoch). */
    startedAt) {
        super('model', message, _gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .REASON_HINTS */ .CW[signal.reason] ?? 'Fix the model server and release again.');
        this.signal = signal;
        this.detectedAt = detectedAt;
        this.startedAt = startedAt;
        this.name = 'GateFailure';
    }
}
/** The failure message: the pod, the reason, its last events and the last log lines of the failing container. */
async function describeFailure(client, namespace, label, signal, pod, seen) {
    const lines = [
        `${label} ${pod ? `pod ${signal.object}` : signal.object} failed: ${signal.reason}${signal.container ? ` (container ${signal.container})` : ''}: ${signal.detail}`,
    ];
    const events = await lastEvents(client, namespace, signal.object, seen);
    if (events.length > 0)
        lines.push('Last events:', ...events.map((e) => `  ${e.type ?? ''} ${e.reason ?? ''}: ${(e.message ?? '').replace(/\s+/g, ' ').trim()}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`));
    if (pod) {
        const container = signal.container ?? pod.spec?.containers?.[0]?.name;
        if (container) {
            const logs = await lastLogs(client, namespace, pod, container);
            if (logs)
                lines.push(`Last log lines of container ${container} (${logs.which}):`, ...logs.lines.map((l) => `  ${l}`));
            else
                lines.push(`Container ${container} wrote no log lines.`);
        }
    }
    return lines.join('\n');
}
async function lastEvents(client, namespace, object, seen) {
    let events = seen.filter((e) => e.involvedObject.name === object);
    try {
        const query = `?fieldSelector=${encodeURIComponent(`involvedObject.name=${object}`)}`;
        const list = await client.get(`${(0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_2__/* .apiPath */ .So)('Event', namespace)}${query}`);
        if (list && list.items.length > 0)
            events = list.items;
    }
    catch {
        // the watched events are enough
    }
    return [...events].sort((a, b) => ((0,_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .eventTime */ .gE)(a) ?? '').localeCompare((0,_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .eventTime */ .gE)(b) ?? '')).slice(-5);
}
/** The last 20 log lines: of the previous run when the container restarted, else of the current one. */
async function lastLogs(client, namespace, pod, container) {
    const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((c) => c.name === container);
    const order = status && status.restartCount > 0 ? [true, false] : [false, true];
    for (const previous of order) {
        const path = `${(0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_2__/* .apiPath */ .So)('Pod', namespace, pod.metadata.name, 'log')}?container=${encodeURIComponent(container)}&tailLines=20&previous=${previous}`;
        try {
            const text = await client.get(path);
            const body = typeof text === 'string' ? text : text === undefined ? '' : JSON.stringify(text);
            const lines = body
                .split('\n')
                .filter((l) => l.trim() !== '')
                .slice(-20);
            if (lines.length > 0)
                return { which: previous ? 'previous run' : 'current run', lines: lines.map((l) => (l.length > 400 ? `${l.slice(0, 397)}...` : l)) };
        }
        catch {
            // no such run (never started, or no previous): try the other
        }
    }
    return undefined;
}


/***/ }),

/***/ 96980:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BF: () => (/* binding */ eventSignal),
/* harmony export */   CW: () => (/* binding */ REASON_HINTS),
/* harmony export */   Db: () => (/* binding */ podPhrase),
/* harmony export */   SI: () => (/* binding */ podSignal),
/* harmony export */   T2: () => (/* binding */ podReady),
/* harmony export */   Ug: () => (/* binding */ deploymentSignal),
/* harmony export */   gE: () => (/* binding */ eventTime),
/* harmony export */   oz: () => (/* binding */ progressLine)
/* harmony export */ });
/* unused harmony export FATAL_WAITING */
/** Container waiting reasons that never fix themselves without a new image or config. */
const FATAL_WAITING = new Set([
    'ImagePullBackOff',
    'ErrImagePull',
    'InvalidImageName',
    'CreateContainerConfigError',
    'CreateContainerError',
    'CrashLoopBackOff',
]);
/** What to tell the user to do about each reason. */
const REASON_HINTS = {
    ImagePullBackOff: 'The node cannot pull the image: check that the digest was pushed to the registry and that imagePullSecrets give access.',
    ErrImagePull: 'The node cannot pull the image: check that the digest was pushed to the registry and that imagePullSecrets give access.',
    InvalidImageName: 'The image reference is malformed; check image.repository.',
    CreateContainerConfigError: 'A ConfigMap, Secret or key the container needs is missing; create it or fix the reference.',
    CreateContainerError: 'The container runtime could not create the container; the message above says why.',
    CrashLoopBackOff: 'The model server exits at start; its last log lines above say why.',
    Restarts: 'The model server keeps restarting (a failing liveness probe or a crash); its last log lines above say why.',
    OOMKilled: 'The model server used more memory than its limit; raise resources.limits.memory or load a smaller model.',
    Killed: 'The model server was killed (exit code 137): usually memory over its limit; raise resources.limits.memory, or check what sends it SIGKILL.',
    Unschedulable: 'No node can run the pod (not enough CPU, memory or GPUs, or taints); free capacity or lower the requests.',
    ProgressDeadlineExceeded: 'The Deployment made no progress within its progressDeadlineSeconds.',
    FailedCreate: 'The ReplicaSet cannot create pods (Pod Security admission, a quota or a missing ServiceAccount); the event says which.',
    NotReady: 'The pods did not pass their readiness probe in time; raise canary.readinessTimeout for large models, or fix the readiness endpoint.',
};
/** The first decisive failure in a pod's status, or undefined while it may still become Ready. */
function podSignal(pod, maxRestarts) {
    const name = pod.metadata.name;
    // A pod being deleted (an older rollout's, reused by this revision) is stopped and killed on purpose.
    if (pod.metadata.deletionTimestamp)
        return undefined;
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
        return withAt({ object: name, reason: 'Unschedulable', detail: scheduled.message ?? 'no node fits the pod' }, scheduled.lastTransitionTime);
    }
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const c of statuses) {
        const signal = containerSignal(name, c, maxRestarts);
        if (signal)
            return signal;
    }
    return undefined;
}
function containerSignal(pod, c, maxRestarts) {
    const base = { object: pod, container: c.name };
    const killed = [c.state?.terminated, c.lastState?.terminated].find((t) => t && (t.reason === 'OOMKilled' || t.exitCode === 137));
    if (killed) {
        const oom = killed.reason === 'OOMKilled';
        const detail = oom
            ? `container ${c.name} ran out of memory (OOMKilled, exit code ${killed.exitCode ?? 137}) after ${c.restartCount} restart(s)`
            : `container ${c.name} was killed with exit code 137 (SIGKILL: out of memory, or not stopping within its grace period) after ${c.restartCount} restart(s)`;
        return withAt({ ...base, reason: oom ? 'OOMKilled' : 'Killed', detail }, killed.finishedAt);
    }
    const waiting = c.state?.waiting;
    if (waiting?.reason && FATAL_WAITING.has(waiting.reason)) {
        const last = c.lastState?.terminated;
        const exit = last ? `; last exit code ${last.exitCode ?? '?'}${last.reason ? ` (${last.reason})` : ''}` : '';
        return withAt({ ...base, reason: waiting.reason, detail: `${oneLine(waiting.message ?? waiting.reason)}${exit}` }, last?.finishedAt);
    }
    if (c.restartCount > maxRestarts) {
        const last = c.lastState?.terminated;
        return withAt({
            ...base,
            reason: 'Restarts',
            detail: `container ${c.name} restarted ${c.restartCount} times (canary.maxRestarts is ${maxRestarts})${last ? `; last exit code ${last.exitCode ?? '?'}` : ''}`,
        }, last?.finishedAt);
    }
    return undefined;
}
/** ProgressDeadlineExceeded on the Deployment: the controller gave up. */
function deploymentSignal(deployment) {
    const progressing = deployment.status?.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
        return { object: deployment.metadata.name, reason: 'ProgressDeadlineExceeded', detail: oneLine(progressing.message ?? 'no progress') };
    }
    return undefined;
}
/** A ReplicaSet that cannot create its pods says so only in an event (FailedCreate). */
function eventSignal(event, replicaSet) {
    if (event.involvedObject.kind === 'ReplicaSet' && event.involvedObject.name === replicaSet && event.reason === 'FailedCreate') {
        return withAt({ object: replicaSet, reason: 'FailedCreate', detail: oneLine(event.message ?? 'pods cannot be created') }, eventTime(event));
    }
    return undefined;
}
function podReady(pod) {
    return !pod.metadata.deletionTimestamp && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}
/** What a pod is doing, in a few words, for the progress line: "ContainerCreating 6s", "Running, not Ready 12s". */
function podPhrase(pod, now) {
    const age = pod.metadata.creationTimestamp ? ` ${Math.max(0, Math.round((now - Date.parse(pod.metadata.creationTimestamp)) / 1000))}s` : '';
    if (podReady(pod))
        return `Ready${age}`;
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False')
        return `Pending (${scheduled.reason ?? 'not scheduled'})${age}`;
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const waiting = statuses.find((c) => c.state?.waiting)?.state?.waiting;
    if (waiting)
        return `${waiting.reason ?? 'Waiting'}${age}`;
    const restarts = statuses.reduce((n, c) => n + c.restartCount, 0);
    const phase = pod.status?.phase ?? 'Pending';
    return `${phase}${phase === 'Running' ? ', not Ready' : ''}${restarts > 0 ? `, ${restarts} restart(s)` : ''}${age}`;
}
/** The progress line the gate prints at least every 10 s. */
function progressLine(label, pods, desired, now) {
    const ready = pods.filter(podReady).length;
    const waiting = pods.filter((p) => !podReady(p)).map((p) => `pod ${p.metadata.name}: ${podPhrase(p, now)}`);
    const rest = pods.length === 0 ? '; no pods yet' : waiting.length > 0 ? `; ${waiting.join('; ')}` : '';
    return `${label} ${ready}/${desired} ready${rest}`;
}
function eventTime(e) {
    return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? undefined;
}
function withAt(signal, at) {
    return at ? { ...signal, at } : signal;
}
function oneLine(text) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > 600 ? `${line.slice(0, 597)}...` : line;
}


/***/ }),

/***/ 97772:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ gateDeployment)
/* harmony export */ });
/* harmony import */ var _kube_watch_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(87002);
/* harmony import */ var _gate_report_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(70683);
/* harmony import */ var _gate_signals_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(96980);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(26804);




/**
 * The readiness gate: watches the pods of the Deployment's CURRENT ReplicaSet (and the namespace's events)
 * and fails at the first decisive signal (gate-signals.ts) instead of waiting for a deadline; passes when
 * every pod the Deployment wants is Ready. Prints a progress line every few seconds while it waits.
 */
/** Signals that must persist this long before they are decisive (see evaluate). */
const SETTLE_MS = 10_000;
const SETTLING = new Set(['CreateContainerConfigError', 'CreateContainerError', 'FailedCreate']);
const REVISION = 'deployment.kubernetes.io/revision';
async function gateDeployment(client, options) {
    const started = Date.now();
    const deadline = started + options.timeoutMs;
    const current = await currentReplicaSet(client, options, deadline, started);
    const gate = new Gate(client, options, current, started);
    options.logger.info(`Gating ${options.label} Deployment ${options.deployment}: revision ${current.revision}, ReplicaSet ${current.replicaSet.metadata.name}, ${gate.desired} pod(s), budget ${Math.round(options.timeoutMs / 1000)}s`);
    await gate.watch();
    let lastPrinted = 0;
    const interval = setInterval(() => {
        void gate.tick(deadline).then(() => {
            const now = Date.now();
            if (!gate.done && now - lastPrinted >= (options.progressEveryMs ?? 5000)) {
                options.logger.info((0,_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .progressLine */ .oz)(options.label, gate.live(), gate.desired, now));
                lastPrinted = now;
            }
        });
    }, 1000);
    try {
        return await gate.outcome;
    }
    finally {
        clearInterval(interval);
        gate.stop();
    }
}
/** One gate's state: the current ReplicaSet's pods and the events about them, judged on every change. */
class Gate {
    client;
    options;
    current;
    started;
    desired;
    outcome;
    done = false;
    selector;
    pods = new Map();
    events = [];
    abort = new AbortController();
    // Some signals also show up for a moment on a healthy start (the kubelet has not yet seen a ConfigMap
    // applied a second ago, the ReplicaSet controller not yet the new ServiceAccount): they count only when
    // they are still there SETTLE_MS after they were first seen.
    firstSeen = new Map();
    pendingCreate;
    settle;
    constructor(client, options, current, started) {
        this.client = client;
        this.options = options;
        this.current = current;
        this.started = started;
        this.desired = current.deployment.spec.replicas ?? 1;
        const hash = current.replicaSet.metadata.labels?.['pod-template-hash'] ?? '';
        this.selector = Object.entries({ ...current.deployment.spec.selector.matchLabels, 'pod-template-hash': hash })
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
        this.outcome = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    }
    live() {
        return [...this.pods.values()].filter((p) => !p.metadata.deletionTimestamp);
    }
    stop() {
        this.abort.abort();
    }
    /** Lists the pods, then watches them and the namespace's events from now on. */
    async watch() {
        const { client, options } = this;
        const podsPath = (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_2__/* .apiPath */ .So)('Pod', options.namespace);
        const listed = await client.list(podsPath, this.selector);
        for (const p of listed.items)
            this.pods.set(p.metadata.name, p);
        const onPod = (e) => {
            if (e.type === 'DELETED')
                this.pods.delete(e.object.metadata.name);
            else if (e.type === 'ADDED' || e.type === 'MODIFIED')
                this.pods.set(e.object.metadata.name, e.object);
            this.evaluate();
        };
        void (0,_kube_watch_js__WEBPACK_IMPORTED_MODULE_3__/* .keepWatching */ .p)(client, podsPath, { labelSelector: this.selector }, listed.metadata.resourceVersion, onPod, this.abort.signal, options.logger);
        // Events from now on: a one-item list gives the resourceVersion to watch from, without replaying history.
        const eventsPath = (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_2__/* .apiPath */ .So)('Event', options.namespace);
        const eventsNow = await client.get(`${eventsPath}?limit=1`);
        const onEvent = (e) => this.onEvent(e, new Date(this.started - 2000).toISOString());
        void (0,_kube_watch_js__WEBPACK_IMPORTED_MODULE_3__/* .keepWatching */ .p)(client, eventsPath, {}, eventsNow?.metadata?.resourceVersion, onEvent, this.abort.signal, options.logger);
        this.evaluate();
    }
    /** Once a second: the deadline, the pods again, and the Deployment itself (deleted, or its rollout stuck). */
    async tick(deadline) {
        if (this.done)
            return;
        const { options } = this;
        const now = Date.now();
        if (now >= deadline)
            return this.fail(timeoutSignal(options.label, this.live(), this.desired, options.timeoutMs, now));
        this.evaluate();
        try {
            const d = await this.client.get((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_2__/* .apiPath */ .So)('Deployment', options.namespace, options.deployment));
            const signal = d
                ? (0,_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .deploymentSignal */ .Ug)(d)
                : { object: options.deployment, reason: 'Deleted', detail: `Deployment ${options.deployment} was deleted while it was gated` };
            if (signal)
                this.fail(signal);
        }
        catch (err) {
            options.logger.warn(`Reading Deployment ${options.deployment} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
    }
    onEvent(e, since) {
        if (e.type !== 'ADDED' && e.type !== 'MODIFIED')
            return;
        const ev = e.object;
        if (((0,_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .eventTime */ .gE)(ev) ?? since) < since)
            return;
        const rs = this.current.replicaSet.metadata.name;
        const name = ev.involvedObject.name ?? '';
        if (name !== rs && !this.pods.has(name) && !name.startsWith(`${rs}-`))
            return;
        this.events.push(ev);
        if (this.events.length > 200)
            this.events.shift();
        const signal = (0,_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .eventSignal */ .BF)(ev, rs);
        if (signal) {
            this.pendingCreate = signal;
            this.evaluate();
        }
    }
    decisive(signal) {
        if (!SETTLING.has(signal.reason))
            return true;
        const key = `${signal.object}|${signal.reason}`;
        const seen = this.firstSeen.get(key) ?? Date.now();
        this.firstSeen.set(key, seen);
        return Date.now() - seen >= SETTLE_MS;
    }
    evaluate() {
        if (this.done)
            return;
        for (const pod of this.live()) {
            const signal = (0,_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .podSignal */ .SI)(pod, this.options.maxRestarts);
            if (signal && this.decisive(signal))
                return this.fail(signal);
        }
        if (this.pendingCreate) {
            if (this.live().length >= this.desired)
                this.pendingCreate = undefined;
            else if (this.decisive(this.pendingCreate))
                return this.fail(this.pendingCreate);
        }
        const ready = this.live()
            .filter(_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .podReady */ .T2)
            .map((p) => p.metadata.name)
            .sort();
        if (ready.length >= this.desired) {
            this.done = true;
            this.abort.abort();
            const { revision, replicaSet } = this.current;
            this.settle?.resolve({ revision, replicaSet: replicaSet.metadata.name, readyPods: ready, elapsedMs: Date.now() - this.started });
        }
    }
    fail(signal) {
        if (this.done)
            return;
        const detectedAt = Date.now();
        const pod = this.pods.get(signal.object);
        this.done = true;
        this.abort.abort();
        void (0,_gate_report_js__WEBPACK_IMPORTED_MODULE_0__/* .describeFailure */ .p)(this.client, this.options.namespace, this.options.label, signal, pod, this.events).then((message) => this.settle?.reject(new _gate_report_js__WEBPACK_IMPORTED_MODULE_0__/* .GateFailure */ .I(message, signal, detectedAt, this.started)), (err) => this.settle?.reject(err));
    }
}
function timeoutSignal(label, pods, desired, timeoutMs, now) {
    const waiting = pods.find((p) => !(0,_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .podReady */ .T2)(p));
    const ready = pods.filter(_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .podReady */ .T2).length;
    const budget = `${Math.round(timeoutMs / 1000)}s (canary.readinessTimeout)`;
    if (!waiting)
        return { object: label, reason: 'NotReady', detail: `${ready}/${desired} pods Ready after ${budget}; no pods were created` };
    return {
        object: waiting.metadata.name,
        reason: 'NotReady',
        detail: `${ready}/${desired} pods Ready after ${budget}; this pod is ${(0,_gate_signals_js__WEBPACK_IMPORTED_MODULE_1__/* .podPhrase */ .Db)(waiting, now)}`,
    };
}
/** The Deployment once its controller has seen the latest spec, and the ReplicaSet of its current revision. */
async function currentReplicaSet(client, options, deadline, started) {
    const { namespace } = options;
    const path = (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_2__/* .apiPath */ .So)('Deployment', namespace, options.deployment);
    for (;;) {
        const deployment = await client.get(path);
        if (!deployment)
            throw new _gate_report_js__WEBPACK_IMPORTED_MODULE_0__/* .GateFailure */ .I(`Deployment ${options.deployment} does not exist.`, { object: options.deployment, reason: 'Deleted', detail: 'not found' }, Date.now(), started);
        const revision = deployment.metadata.annotations?.[REVISION];
        const observed = (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
        if (revision && observed) {
            const selector = Object.entries(deployment.spec.selector.matchLabels ?? {})
                .map(([k, v]) => `${k}=${v}`)
                .join(',');
            const sets = await client.list((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_2__/* .apiPath */ .So)('ReplicaSet', namespace), selector);
            const replicaSet = sets.items.find((rs) => rs.metadata.annotations?.[REVISION] === revision && rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid));
            if (replicaSet)
                return { deployment, replicaSet, revision };
        }
        if (Date.now() >= deadline) {
            const signal = {
                object: options.deployment,
                reason: 'NotReady',
                detail: `the Deployment controller made no ReplicaSet for revision ${revision ?? '?'} in time`,
            };
            throw new _gate_report_js__WEBPACK_IMPORTED_MODULE_0__/* .GateFailure */ .I(`${options.label} Deployment ${options.deployment} failed: ${signal.detail}`, signal, Date.now(), started);
        }
        await new Promise((r) => setTimeout(r, 300));
    }
}


/***/ }),

/***/ 71972:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Jx: () => (/* binding */ InferenceServiceFailure),
  u0: () => (/* binding */ deployInferenceService),
  $N: () => (/* binding */ isvcPath),
  QV: () => (/* reexport */ predictorImage),
  Bi: () => (/* binding */ promoteInferenceService),
  kK: () => (/* reexport */ renderedInferenceService),
  p1: () => (/* binding */ rollbackInferenceService)
});

// UNUSED EXPORTS: DEPLOYMENT_MODE, ISVC_API, PREVIOUS_PREDICTOR, canaryInferenceService, cleanIsvc, describeStatus, firstInferenceService, inCanary, inferenceServiceState, isInferenceService, latestShare, promotedInferenceService, rawDeployment, rollbackInferenceServices, waitForInferenceService

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/deploy/apply.ts
var apply = __webpack_require__(42427);
;// CONCATENATED MODULE: ./src/deploy/kserve/conditions.ts
/** Conditions whose False is watched; KServe sets those that apply to the deployment mode. */
const WATCHED = ['Ready', 'PredictorReady', 'PredictorConfigurationReady', 'PredictorRouteReady', 'LatestDeploymentReady', 'IngressReady', 'RoutesReady'];
/** The ones that must be True (when present) for the rollout to count as done. */
const MUST_BE_TRUE = ['Ready', 'PredictorReady', 'LatestDeploymentReady'];
/**
 * Reasons that no waiting fixes: Knative's for a revision that failed (RevisionFailed, ContainerMissing
 * for an image it cannot pull, ExitCode), a Deployment's ProgressDeadlineExceeded, and KServe's model
 * failures (lastFailureInfo reasons).
 */
const DECISIVE_REASONS = new Set([
    'RevisionFailed',
    'ContainerMissing',
    'ExitCode',
    'ProgressDeadlineExceeded',
    'ModelLoadFailed',
    'RuntimeUnhealthy',
    'RuntimeDisabled',
    'NoSupportingRuntime',
    'RuntimeNotRecognized',
    'InvalidPredictorSpec',
]);
/** KServe's modelStatus.transitionStatus values that mean the new model will not load. */
const FAILED_TRANSITIONS = new Set(['BlockedByFailedLoad', 'InvalidSpec']);
function inferenceServiceState(isvc, expect) {
    const detail = describeStatus(isvc);
    const generation = isvc.metadata.generation;
    const observed = isvc.status?.observedGeneration;
    if (generation !== undefined && (observed === undefined || observed < generation)) {
        return { state: 'pending', detail: `the KServe controller has not reconciled generation ${generation} yet (observed ${observed ?? 'none'}); ${detail}` };
    }
    const model = isvc.status?.modelStatus;
    if (model?.transitionStatus && FAILED_TRANSITIONS.has(model.transitionStatus)) {
        const info = model.lastFailureInfo;
        return { state: 'failed', reason: `${model.transitionStatus}${info?.reason ? ` (${info.reason}${info.message ? `: ${info.message}` : ''})` : ''}`, detail };
    }
    const conditions = isvc.status?.conditions ?? [];
    const decisive = conditions.find((c) => WATCHED.includes(c.type) && c.status === 'False' && c.reason !== undefined && DECISIVE_REASONS.has(c.reason));
    if (decisive)
        return { state: 'failed', reason: `${decisive.type} is False: ${decisive.reason}${decisive.message ? ` (${decisive.message})` : ''}`, detail };
    const predictor = isvc.status?.components?.['predictor'];
    const notTrue = MUST_BE_TRUE.map((t) => conditions.find((c) => c.type === t)).filter((c) => c !== undefined && c.status !== 'True');
    if (!conditions.some((c) => c.type === 'Ready'))
        return { state: 'pending', detail: `no Ready condition yet; ${detail}` };
    if (notTrue.length > 0)
        return { state: 'pending', detail: `${notTrue.map((c) => `${c.type} ${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ')}; ${detail}` };
    if (predictor?.latestCreatedRevision && predictor.latestReadyRevision && predictor.latestCreatedRevision !== predictor.latestReadyRevision) {
        return { state: 'pending', detail: `revision ${predictor.latestCreatedRevision} is not Ready yet; ${detail}` };
    }
    const latest = latestShare(predictor);
    if (latest !== undefined) {
        const want = expect.kind === 'canary' ? expect.weight : expect.kind === 'full' ? 100 : 0;
        if (latest !== want)
            return { state: 'pending', detail: `the latest revision has ${latest}% of the traffic, not ${want}% yet; ${detail}` };
    }
    return { state: 'ready', detail };
}
/** The percent of traffic KServe reports for the latest revision (undefined when it reports no traffic). */
function latestShare(predictor) {
    const traffic = predictor?.traffic;
    if (!traffic || traffic.length === 0)
        return undefined;
    return traffic.filter((t) => t.latestRevision === true).reduce((sum, t) => sum + (t.percent ?? 0), 0);
}
/** One line for progress and failure messages: revisions, traffic and the conditions that are not True. */
function describeStatus(isvc) {
    const p = isvc.status?.components?.['predictor'];
    const parts = [];
    if (p?.latestCreatedRevision)
        parts.push(`latest created ${p.latestCreatedRevision}`);
    if (p?.latestReadyRevision)
        parts.push(`latest ready ${p.latestReadyRevision}`);
    if (p?.latestRolledoutRevision)
        parts.push(`rolled out ${p.latestRolledoutRevision}`);
    if (p?.traffic?.length)
        parts.push(`traffic ${p.traffic.map((t) => `${t.revisionName ?? (t.latestRevision ? 'latest' : '?')}=${t.percent ?? 0}%`).join(' ')}`);
    const off = (isvc.status?.conditions ?? []).filter((c) => c.status !== 'True').map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`);
    if (off.length)
        parts.push(off.join(' '));
    return parts.join('; ') || 'no status yet';
}

;// CONCATENATED MODULE: ./src/deploy/kserve/plan.ts

/**
 * The `kserve` strategy as pure data: the InferenceService objects a canary, a promotion and a rollback
 * apply. KServe does the traffic split itself: `spec.predictor.canaryTrafficPercent` sends that share to
 * the latest revision and the rest to the last one rolled out with 100%; removing it promotes the latest
 * revision; 0 pins all traffic to the previous one (KServe's own rollback). Nothing here talks to the cluster.
 */
const ISVC_API = 'serving.kserve.io/v1beta1';
/** On the InferenceService during a canary: the predictor spec stable ran, as JSON (rollback restores it). */
const PREVIOUS_PREDICTOR = 'model-canary.dev/previous-predictor';
const DEPLOYMENT_MODE = 'serving.kserve.io/deploymentMode';
const isInferenceService = (o) => o.kind === 'InferenceService' && o.apiVersion === ISVC_API;
/** The one InferenceService among the rendered objects. */
function renderedInferenceService(objects) {
    const found = objects.filter(isInferenceService);
    const only = found[0];
    if (found.length !== 1 || !only) {
        throw new errors/* ModelCanaryError */.Md('user', `The strategy kserve needs exactly one InferenceService (${ISVC_API}) among the rendered objects; found ${found.length}.`, 'Use render.mode kserve (the builtin chart renders one), or render exactly one InferenceService with your chart or manifests.');
    }
    return only;
}
/**
 * The InferenceService for a canary: the rendered one (the new image) with `canaryTrafficPercent: weight`,
 * and the predictor spec stable runs kept in an annotation. When a canary is already in place (held, or
 * left by a run that died), the annotation it carries is kept: it still names what stable runs.
 */
function canaryInferenceService(rendered, live, weight, namespace) {
    const desired = withNamespace(structuredClone(rendered), namespace);
    const previous = live.metadata.annotations?.[PREVIOUS_PREDICTOR] ?? JSON.stringify(predictorWithoutCanary(live.spec.predictor));
    desired.metadata.annotations = { ...desired.metadata.annotations, [PREVIOUS_PREDICTOR]: previous };
    desired.spec.predictor = { ...desired.spec.predictor, canaryTrafficPercent: weight };
    return desired;
}
/** A first release: the rendered InferenceService as it is (no canary: all traffic to its only revision). */
function firstInferenceService(rendered, namespace) {
    const desired = withNamespace(structuredClone(rendered), namespace);
    delete desired.spec.predictor.canaryTrafficPercent;
    return desired;
}
/** Promotion: the live InferenceService without `canaryTrafficPercent` (100% to the latest revision). */
function promotedInferenceService(live) {
    if (!inCanary(live)) {
        throw new errors/* ModelCanaryError */.Md('user', `InferenceService ${live.metadata.name} has no canary to promote (no canaryTrafficPercent and no ${PREVIOUS_PREDICTOR} annotation).`, 'Deploy one first (command deploy with decide.mode manual, or command release).');
    }
    const desired = cleanIsvc(live);
    delete desired.spec.predictor.canaryTrafficPercent;
    dropPrevious(desired);
    return desired;
}
/**
 * Rollback in two applies. `pinned`: the previous predictor spec back with `canaryTrafficPercent: 0`, so
 * KServe sends all traffic to the last revision rolled out at once while it makes a revision of the
 * restored spec. `restored`: the same without `canaryTrafficPercent`, applied once that revision is Ready
 * (before that, the latest Ready revision would still be the canary's).
 */
function rollbackInferenceServices(live) {
    const text = live.metadata.annotations?.[PREVIOUS_PREDICTOR];
    if (!text) {
        throw new errors/* ModelCanaryError */.Md('user', `InferenceService ${live.metadata.name} carries no ${PREVIOUS_PREDICTOR} annotation: there is no canary of model-canary's to roll back.`, 'Use command rollback with a revision number from command status to restore a recorded release.');
    }
    let previous;
    try {
        previous = JSON.parse(text);
    }
    catch {
        throw new errors/* ModelCanaryError */.Md('user', `The ${PREVIOUS_PREDICTOR} annotation of InferenceService ${live.metadata.name} is not JSON.`, 'Restore the predictor spec by hand (kubectl edit), then remove the annotation.');
    }
    const restored = cleanIsvc(live);
    restored.spec.predictor = predictorWithoutCanary(previous);
    dropPrevious(restored);
    const pinned = structuredClone(restored);
    pinned.spec.predictor.canaryTrafficPercent = 0;
    pinned.metadata.annotations = { ...pinned.metadata.annotations, [PREVIOUS_PREDICTOR]: text };
    return { pinned, restored };
}
/** An InferenceService in the middle of a model-canary canary. */
function inCanary(isvc) {
    return isvc.spec.predictor.canaryTrafficPercent !== undefined || isvc.metadata.annotations?.[PREVIOUS_PREDICTOR] !== undefined;
}
/** KServe splits traffic between revisions only in Serverless mode (Knative); RawDeployment has no revisions. */
function rawDeployment(isvc) {
    return (isvc.metadata.annotations?.[DEPLOYMENT_MODE] ?? '').toLowerCase() === 'rawdeployment';
}
/** The model image the predictor runs (its first container's), or its storageUri. */
function predictorImage(predictor) {
    return predictor.containers?.[0]?.image ?? predictor.model?.storageUri ?? '';
}
function predictorWithoutCanary(p) {
    const copy = structuredClone(p);
    delete copy.canaryTrafficPercent;
    return copy;
}
function dropPrevious(isvc) {
    const annotations = { ...isvc.metadata.annotations };
    delete annotations[PREVIOUS_PREDICTOR];
    if (Object.keys(annotations).length > 0)
        isvc.metadata.annotations = annotations;
    else
        delete isvc.metadata.annotations;
}
/** A live object fit to apply again: status and server bookkeeping removed. */
function cleanIsvc(live) {
    const copy = structuredClone(live);
    const { name, namespace, labels, annotations } = copy.metadata;
    const kept = { ...annotations };
    delete kept['kubectl.kubernetes.io/last-applied-configuration'];
    const metadata = { name };
    if (namespace)
        metadata.namespace = namespace;
    if (labels)
        metadata.labels = labels;
    if (Object.keys(kept).length > 0)
        metadata.annotations = kept;
    return { apiVersion: copy.apiVersion, kind: copy.kind, metadata, spec: copy.spec };
}
function withNamespace(o, namespace) {
    if (!o.metadata.namespace)
        o.metadata.namespace = namespace;
    return o;
}

// EXTERNAL MODULE: ./src/kube/resources.ts
var resources = __webpack_require__(26804);
;// CONCATENATED MODULE: ./src/deploy/kserve/index.ts







const isvcPath = (namespace, name) => (0,resources/* apiPath */.So)('InferenceService', namespace, name);
/** The InferenceService's rollout failed for a reason no wait fixes, or did not finish within the budget. */
class InferenceServiceFailure extends errors/* ModelCanaryError */.Md {
    isvc;
    reason;
    constructor(isvc, reason, detail) {
        super('model', `InferenceService ${isvc} failed: ${reason}. Status: ${detail}`, 'Look at the predictor revision and its pods (kubectl describe inferenceservice, kubectl get revisions / pods); fix the model or its spec and release again.');
        this.isvc = isvc;
        this.reason = reason;
        this.name = 'InferenceServiceFailure';
    }
}
/**
 * Strategy kserve: with no InferenceService yet, applies the rendered objects (a first release, all
 * traffic to its one revision); otherwise sets the new predictor with `canaryTrafficPercent:
 * canary.weight`. Then waits on the InferenceService's conditions until KServe reports the change rolled
 * out as expected, fails at a decisive condition, or the readiness budget runs out.
 */
async function deployInferenceService(config, objects, ctx) {
    const { logger } = ctx.host;
    const client = await ctx.kube.client();
    const namespace = config.cluster.namespace;
    const fieldManager = config.cluster.fieldManager;
    const rendered = renderedInferenceService(objects);
    const name = rendered.metadata.name;
    const others = objects
        .filter((o) => !isInferenceService(o))
        .map((o) => (o.metadata.namespace || o.kind === 'Namespace' ? o : { ...o, metadata: { ...o.metadata, namespace } }));
    const live = await client.get(isvcPath(namespace, name));
    const image = predictorImage(rendered.spec.predictor);
    if (!live) {
        logger.info(`No InferenceService ${name} in namespace ${namespace} yet: this first release is applied with all traffic to it, and its conditions gate it.`);
        const created = await (0,apply/* applyObjects */.r3)(client, [...others, firstInferenceService(rendered, namespace)], fieldManager, ctx.cleanup, logger);
        try {
            const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
            return { mode: 'first', namespace, name, image, previousImage: '', created, shared: [], elapsedMs };
        }
        catch (err) {
            logger.info(`The first release of ${name} failed; removing the ${created.length} object(s) it created.`);
            await (0,apply/* removeObjects */.$M)(client, created, ctx.cleanup, logger);
            throw err;
        }
    }
    if (rawDeployment(live) || rawDeployment(rendered)) {
        throw new errors/* ModelCanaryError */.Md('user', `InferenceService ${name} runs in RawDeployment mode (${DEPLOYMENT_MODE}), where KServe has no revisions to split traffic between: canaryTrafficPercent needs Serverless mode.`, 'Deploy the InferenceService in Serverless mode (remove the deploymentMode annotation where Knative is installed), or release it with render.mode builtin and canary.strategy replicas or traffic.');
    }
    const previousImage = predictorImage(live.spec.predictor);
    const desired = canaryInferenceService(rendered, live, config.canary.weight, namespace);
    logger.info(`InferenceService ${name} runs ${previousImage}; sending ${config.canary.weight}% of its traffic to ${image} (canaryTrafficPercent).`);
    await client.apply(desired, fieldManager);
    const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'canary', weight: config.canary.weight }, config.canary.readinessTimeoutMs, logger);
    return { mode: 'canary', namespace, name, image, previousImage, created: [], shared: others, elapsedMs };
}
/** Promotion: `canaryTrafficPercent` removed (100% to the latest revision), waited on like the canary. */
async function promoteInferenceService(client, config, name, logger, shared = []) {
    const namespace = config.cluster.namespace;
    const live = await liveInferenceService(client, namespace, name);
    const desired = promotedInferenceService(live);
    const image = predictorImage(desired.spec.predictor);
    for (const o of shared)
        await client.apply(o, config.cluster.fieldManager);
    logger.info(`Promoting InferenceService ${name}: all traffic to ${image} (canaryTrafficPercent removed).`);
    await client.apply(desired, config.cluster.fieldManager);
    const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
    return { image, elapsedMs };
}
/**
 * Rollback: `canaryTrafficPercent: 0` with the previous predictor spec (KServe pins all traffic to the last
 * revision rolled out at once), then, once the restored spec's revision is Ready, the same spec without
 * it. When that revision does not become Ready, the InferenceService stays pinned (stable keeps all
 * traffic) and the error says so.
 */
async function rollbackInferenceService(client, config, name, logger) {
    const namespace = config.cluster.namespace;
    const live = await liveInferenceService(client, namespace, name);
    const { pinned, restored } = rollbackInferenceServices(live);
    const removed = predictorImage(live.spec.predictor);
    const image = predictorImage(restored.spec.predictor);
    logger.info(`Rolling back InferenceService ${name}: all traffic pinned to the last revision rolled out (canaryTrafficPercent 0), predictor back to ${image}.`);
    await client.apply(pinned, config.cluster.fieldManager);
    try {
        await waitForInferenceService(client, namespace, name, { kind: 'pinned' }, config.canary.readinessTimeoutMs, logger);
    }
    catch (err) {
        logger.error(`InferenceService ${name} stays pinned to its previous revision (canaryTrafficPercent 0): the restored spec's revision did not become Ready.`);
        throw err;
    }
    await client.apply(restored, config.cluster.fieldManager);
    await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
    return { image, removed };
}
async function liveInferenceService(client, namespace, name) {
    const live = await client.get(isvcPath(namespace, name));
    if (!live)
        throw new errors/* ModelCanaryError */.Md('user', `There is no InferenceService ${name} in namespace ${namespace}.`, 'Release the model first (command release), or check cluster.namespace and model.name.');
    return live;
}
/**
 * Polls the InferenceService until its status matches the expectation (returns the time it took), a
 * decisive condition fails it, or the budget runs out; prints a progress line every 10 s.
 */
async function waitForInferenceService(client, namespace, name, expect, timeoutMs, logger, options = {}) {
    const started = Date.now();
    const pollMs = options.pollMs ?? 1000;
    const progressEvery = options.progressEveryMs ?? 10_000;
    let lastProgress = started;
    for (;;) {
        const live = await client.get(isvcPath(namespace, name));
        if (!live)
            throw new errors/* ModelCanaryError */.Md('cluster', `InferenceService ${namespace}/${name} disappeared while model-canary waited on it.`, 'Something else deleted it; release again.');
        const s = inferenceServiceState(live, expect);
        const elapsed = Date.now() - started;
        if (s.state === 'ready') {
            logger.info(`InferenceService ${name} rolled out (${expectationText(expect)}) in ${(elapsed / 1000).toFixed(1)}s: ${s.detail}`);
            return elapsed;
        }
        if (s.state === 'failed')
            throw new InferenceServiceFailure(name, s.reason, s.detail);
        if (elapsed >= timeoutMs) {
            throw new InferenceServiceFailure(name, `not rolled out (${expectationText(expect)}) within ${Math.round(timeoutMs / 1000)}s (canary.readinessTimeout)`, describeStatus(live));
        }
        if (Date.now() - lastProgress >= progressEvery) {
            logger.info(`InferenceService ${name}: waiting ${Math.round(elapsed / 1000)}s: ${s.detail}`);
            lastProgress = Date.now();
        }
        await new Promise((r) => setTimeout(r, pollMs));
    }
}
function expectationText(e) {
    return e.kind === 'canary'
        ? `latest revision Ready with ${e.weight}% of the traffic`
        : e.kind === 'full'
            ? 'latest revision Ready with all traffic'
            : 'all traffic pinned to the previous revision';
}


/***/ }),

/***/ 87002:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   p: () => (/* binding */ keepWatching)
/* harmony export */ });
/** A watch that reconnects from the last resourceVersion when the server ends it, until aborted. */
async function keepWatching(client, path, params, resourceVersion, onEvent, signal, logger) {
    let rv = resourceVersion;
    let pause = 500;
    while (!signal.aborted) {
        try {
            rv = await client.watch(path, { ...params, ...(rv ? { resourceVersion: rv } : {}) }, (e) => {
                if (e.type === 'ERROR')
                    rv = undefined; // 410 Gone: start again from the current state
                else
                    onEvent(e);
            }, signal);
        }
        catch (err) {
            if (signal.aborted)
                return;
            logger.debug(`watch ${path} ended: ${err instanceof Error ? err.message : String(err)}; watching again`);
            rv = undefined;
            await new Promise((r) => setTimeout(r, pause));
            pause = Math.min(pause * 2, 5000); // a watch that keeps failing (403, proxy gone) is retried ever more slowly
        }
    }
}


/***/ })

};
;
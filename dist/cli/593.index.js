export const id = 593;
export const ids = [593];
export const modules = {

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
/* harmony import */ var _log_markdown_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(20157);
/* harmony import */ var _snapshot_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(35914);
/* harmony import */ var _deploy_kserve_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(88270);




/** Adds a release to the history in the cluster and sets the revision output. */
async function record(client, config, ctx, entry) {
    // What stable runs now, when this revision is what it runs: a rollback to it restores all of it.
    const serving = entry.verdict === 'promoted' || entry.verdict === 'restored';
    const kserve = config.canary.strategy === 'kserve';
    const snapshot = serving && !kserve ? await (0,_snapshot_js__WEBPACK_IMPORTED_MODULE_1__/* .takeSnapshot */ .W9)(client, config.cluster.namespace, config.model.name, ctx.host.logger) : undefined;
    const predictor = serving && kserve ? await standardPredictor(client, config.cluster.namespace, config.model.name) : undefined;
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
        ...(predictor ? { predictor } : {}),
    });
    ctx.report.outputs.revision = String(added.revision);
    ctx.host.logger.info(`Recorded revision ${added.revision} (${added.verdict}) in ConfigMap model-canary-${config.model.name}-history.`);
    return added;
}
/** The live InferenceService's predictor, when it runs in KServe's Standard mode (what a rollback to this revision brings back). */
async function standardPredictor(client, namespace, name) {
    const live = await client.get((0,_deploy_kserve_index_js__WEBPACK_IMPORTED_MODULE_2__/* .isvcPath */ .$N)(namespace, name));
    return live && (0,_deploy_kserve_index_js__WEBPACK_IMPORTED_MODULE_2__/* .standardMode */ .xh)(live) ? (0,_deploy_kserve_index_js__WEBPACK_IMPORTED_MODULE_2__/* .cleanIsvc */ .Jo)(live).spec.predictor : undefined;
}
/** The decision section of the job summary. */
function decisionSection(rows) {
    return ['### Decision', '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${(0,_log_markdown_js__WEBPACK_IMPORTED_MODULE_3__/* .cell */ .Hn)(v)} |`)].join('\n');
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


/***/ })

};

export const id = 591;
export const ids = [591];
export const modules = {

/***/ 3892:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lu: () => (/* binding */ readHistory),
/* harmony export */   lg: () => (/* binding */ revisionToRestore),
/* harmony export */   ol: () => (/* binding */ digestOf),
/* harmony export */   ty: () => (/* binding */ recordRelease)
/* harmony export */ });
/* unused harmony exports historyName, historyPath, parseHistory, appendRecord */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);

const historyName = (model) => `model-canary-${model}-history`;
const KEY = 'releases.json';
function historyPath(namespace, model) {
    return `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(historyName(model))}`;
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

/***/ 9591:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deliverRelease: () => (/* reexport */ deliverRelease),
  promote: () => (/* binding */ promote),
  rollback: () => (/* binding */ rollback),
  status: () => (/* binding */ decide_status)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/deploy/types.ts
const isDeployment = (o) => o.kind === 'Deployment' && o.apiVersion === 'apps/v1';

;// CONCATENATED MODULE: ./src/deploy/canary-plan.ts


/**
 * The canary plan, as pure data transforms: rendered objects + image in, objects to apply out. Nothing here
 * talks to the cluster, so every shape is tested on recorded objects.
 */
const TRACK = 'track';
const CANARY_SUFFIX = '-canary';
const VERSION_LABEL = 'app.kubernetes.io/version';
/** On the canary Deployment: the stable Deployment it is a canary of, and the ConfigMaps copied for it. */
const CANARY_OF = 'model-canary.dev/canary-of';
const CANARY_CONFIGMAPS = 'model-canary.dev/canary-configmaps';
const APPLY_ORDER = ['Namespace', 'ServiceAccount', 'Secret', 'ConfigMap', 'Service', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy'];
function planDeploy(input) {
    const objects = input.objects.map((o) => withNamespace(clone(o), input.namespace));
    const model = modelDeployment(objects, input.image);
    const hpaManaged = hpaTargets(objects, model.metadata.name);
    const stable = hpaManaged ? withoutReplicas(model) : model;
    if (!input.stableExists) {
        const apply = objects.map((o) => (o === model ? stable : o));
        return { mode: 'first', stable: model.metadata.name, gated: model.metadata.name, apply: sortForApply(apply), hpaManaged, shared: [] };
    }
    const copied = referencedConfigMaps(model.spec.template).filter((name) => objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === name));
    const configMaps = objects
        .filter((o) => o.kind === 'ConfigMap' && copied.includes(o.metadata.name))
        .map((cm) => ({ ...cm, metadata: { ...cm.metadata, name: `${cm.metadata.name}${CANARY_SUFFIX}`, labels: { ...cm.metadata.labels, [TRACK]: 'canary' } } }));
    const canary = canaryDeployment(model, input.canaryReplicas, copied);
    const secrets = objects.filter((o) => o.kind === 'Secret');
    const shared = objects.filter((o) => o !== model && o.kind !== 'Secret');
    return { mode: 'canary', stable: model.metadata.name, gated: canary.metadata.name, apply: [...secrets, ...configMaps, canary], hpaManaged, shared: sortForApply(shared) };
}
/** The model's Deployment among the rendered objects: the one whose containers run the image. */
function modelDeployment(objects, image) {
    const deployments = objects.filter(isDeployment);
    const running = deployments.filter((d) => containers(d.spec.template).some((c) => c.image === image));
    const found = running.length === 1 ? running[0] : deployments.length === 1 ? deployments[0] : undefined;
    if (!found) {
        const names = deployments.map((d) => d.metadata.name).join(', ') || 'none';
        throw new errors/* ModelCanaryError */.Md('user', `The strategy replicas needs exactly one Deployment running ${image} among the rendered objects; found ${running.length} (Deployments: ${names}).`, 'Render one Deployment for the model server (the builtin chart does), or use canary.strategy traffic or kserve.');
    }
    return found;
}
/** The canary copy of the stable Deployment: its own name, `track: canary` in labels and selector, its own pod count. */
function canaryDeployment(stable, replicas, configMaps) {
    const copy = clone(stable);
    const name = `${stable.metadata.name}${CANARY_SUFFIX}`;
    const annotations = { ...copy.metadata.annotations, [CANARY_OF]: stable.metadata.name };
    if (configMaps.length > 0)
        annotations[CANARY_CONFIGMAPS] = configMaps.join(',');
    copy.metadata = { ...copy.metadata, name, labels: { ...copy.metadata.labels, [TRACK]: 'canary' }, annotations };
    copy.spec.replicas = replicas;
    copy.spec.selector = { ...copy.spec.selector, matchLabels: { ...copy.spec.selector.matchLabels, [TRACK]: 'canary' } };
    copy.spec.template = renameConfigMaps(copy.spec.template, (n) => (configMaps.includes(n) ? `${n}${CANARY_SUFFIX}` : n));
    copy.spec.template.metadata = { ...copy.spec.template.metadata, labels: { ...copy.spec.template.metadata?.labels, [TRACK]: 'canary' } };
    return copy;
}
/**
 * The stable Deployment after promotion: the live stable object (its name, selector, replicas, strategy),
 * running the canary's pod template with the stable track and ConfigMap names, and the canary's version label.
 */
function promotedStable(liveStable, liveCanary, hpaManaged) {
    const stable = cleanForApply(liveStable);
    const copied = (liveCanary.metadata.annotations?.[CANARY_CONFIGMAPS] ?? '').split(',').filter((n) => n !== '');
    const stableTrack = stable.spec.selector.matchLabels?.[TRACK] ?? 'stable';
    const template = renameConfigMaps(cleanTemplate(liveCanary.spec.template), (n) => (copied.some((c) => `${c}${CANARY_SUFFIX}` === n) ? n.slice(0, -CANARY_SUFFIX.length) : n));
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...stable.spec.selector.matchLabels, [TRACK]: stableTrack } };
    stable.spec.template = template;
    const version = liveCanary.metadata.labels?.[VERSION_LABEL];
    if (version !== undefined)
        stable.metadata.labels = { ...stable.metadata.labels, [VERSION_LABEL]: version };
    return hpaManaged ? withoutReplicas(stable) : stable;
}
/** The live stable Deployment with the model's container set to another image (a rollback to a recorded revision). */
function stableWithImage(liveStable, image, version, hpaManaged) {
    const stable = cleanForApply(liveStable);
    const repo = repositoryOf(image);
    const matching = containers(stable.spec.template).filter((c) => c.image !== undefined && repositoryOf(c.image) === repo);
    const targets = matching.length > 0 ? matching : containers(stable.spec.template).slice(0, 1);
    for (const c of targets)
        c.image = image;
    if (version) {
        stable.metadata.labels = { ...stable.metadata.labels, [VERSION_LABEL]: version };
        stable.spec.template.metadata = { ...stable.spec.template.metadata, labels: { ...stable.spec.template.metadata?.labels, [VERSION_LABEL]: version } };
    }
    return hpaManaged ? withoutReplicas(stable) : stable;
}
/** A live object made fit to apply again: what the server owns (status, uid, revision bookkeeping) removed. */
function cleanForApply(live) {
    const copy = clone(live);
    const { name, namespace, labels, annotations } = copy.metadata;
    const kept = { ...annotations };
    delete kept['deployment.kubernetes.io/revision'];
    delete kept['kubectl.kubernetes.io/last-applied-configuration'];
    copy.metadata = { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(Object.keys(kept).length > 0 ? { annotations: kept } : {}) };
    delete copy.status;
    if (copy.spec?.template)
        copy.spec.template = cleanTemplate(copy.spec.template);
    return copy;
}
/** The image an object's first model container runs. */
function templateImages(template) {
    return containers(template).map((c) => c.image ?? '');
}
/** repository of repository@digest or repository:tag (a registry port is not a tag). */
function repositoryOf(image) {
    const at = image.indexOf('@');
    if (at >= 0)
        return image.slice(0, at);
    const colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
}
function hpaTargets(objects, deployment) {
    return objects.some((o) => {
        if (o.kind !== 'HorizontalPodAutoscaler')
            return false;
        const ref = o['spec']?.scaleTargetRef;
        return ref?.kind === 'Deployment' && ref.name === deployment;
    });
}
function withoutReplicas(d) {
    const copy = clone(d);
    delete copy.spec.replicas;
    return copy;
}
function referencedConfigMaps(template) {
    const names = new Set();
    renameConfigMaps(clone(template), (n) => {
        names.add(n);
        return n;
    });
    return [...names];
}
/** Rewrites every ConfigMap reference in a pod template (envFrom, env, volumes, projected volumes). */
function renameConfigMaps(template, rename) {
    const copy = clone(template);
    for (const c of containers(copy)) {
        for (const from of c.envFrom ?? [])
            if (from.configMapRef)
                from.configMapRef.name = rename(from.configMapRef.name);
        for (const e of c.env ?? [])
            if (e.valueFrom?.configMapKeyRef)
                e.valueFrom.configMapKeyRef.name = rename(e.valueFrom.configMapKeyRef.name);
    }
    for (const v of copy.spec?.volumes ?? []) {
        if (v.configMap)
            v.configMap.name = rename(v.configMap.name);
        for (const s of v.projected?.sources ?? [])
            if (s.configMap)
                s.configMap.name = rename(s.configMap.name);
    }
    return copy;
}
function cleanTemplate(template) {
    const copy = clone(template);
    if (copy.metadata)
        delete copy.metadata['creationTimestamp'];
    return copy;
}
function containers(template) {
    return [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])];
}
function withNamespace(o, namespace) {
    if (o.kind === 'Namespace' || o.metadata.namespace)
        return o;
    return { ...o, metadata: { ...o.metadata, namespace } };
}
function sortForApply(objects) {
    const rank = (o) => {
        const i = APPLY_ORDER.indexOf(o.kind);
        return i < 0 ? APPLY_ORDER.length : i;
    };
    return [...objects].sort((a, b) => rank(a) - rank(b));
}
function clone(value) {
    return structuredClone(value);
}

;// CONCATENATED MODULE: ./src/deploy/gate-signals.ts
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
        return withAt({ ...base, reason: 'Restarts', detail: `container ${c.name} restarted ${c.restartCount} times (canary.maxRestarts is ${maxRestarts})${last ? `; last exit code ${last.exitCode ?? '?'}` : ''}` }, last?.finishedAt);
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

;// CONCATENATED MODULE: ./src/deploy/gate-report.ts


/** The readiness gate said no: which pod, why, what Kubernetes and the container said. */
class GateFailure extends errors/* ModelCanaryError */.Md {
    signal;
    detectedAt;
    startedAt;
    constructor(message, signal, 
    /** When the gate saw the signal (ms since the epoch). */
    detectedAt, 
    /** When the gate started (ms since the epoch). */
    startedAt) {
        super('model', message, REASON_HINTS[signal.reason] ?? 'Fix the model server and release again.');
        this.signal = signal;
        this.detectedAt = detectedAt;
        this.startedAt = startedAt;
        this.name = 'GateFailure';
    }
}
/** The failure message: the pod, the reason, its last events and the last log lines of the failing container. */
async function describeFailure(client, namespace, label, signal, pod, seen) {
    const lines = [`${label} ${pod ? `pod ${signal.object}` : signal.object} failed: ${signal.reason}${signal.container ? ` (container ${signal.container})` : ''}: ${signal.detail}`];
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
        const list = await client.get(`/api/v1/namespaces/${encodeURIComponent(namespace)}/events${query}`);
        if (list && list.items.length > 0)
            events = list.items;
    }
    catch {
        // the watched events are enough
    }
    return [...events].sort((a, b) => (eventTime(a) ?? '').localeCompare(eventTime(b) ?? '')).slice(-5);
}
/** The last 20 log lines: of the previous run when the container restarted, else of the current one. */
async function lastLogs(client, namespace, pod, container) {
    const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((c) => c.name === container);
    const order = status && status.restartCount > 0 ? [true, false] : [false, true];
    for (const previous of order) {
        const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/log?container=${encodeURIComponent(container)}&tailLines=20&previous=${previous}`;
        try {
            const text = await client.get(path);
            const body = typeof text === 'string' ? text : text === undefined ? '' : JSON.stringify(text);
            const lines = body.split('\n').filter((l) => l.trim() !== '').slice(-20);
            if (lines.length > 0)
                return { which: previous ? 'previous run' : 'current run', lines: lines.map((l) => (l.length > 400 ? `${l.slice(0, 397)}...` : l)) };
        }
        catch {
            // no such run (never started, or no previous): try the other
        }
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/log/stage.ts
var log_stage = __webpack_require__(3828);
// EXTERNAL MODULE: ./src/kube/resources.ts
var resources = __webpack_require__(6804);
;// CONCATENATED MODULE: ./src/deploy/apply.ts

/** kind/name, how the cleanup state and messages name an object. */
const objectKey = (o) => `${o.kind}/${o.metadata.name}`;
async function objectPath(client, o) {
    const info = await client.resourceFor(o.apiVersion, o.kind);
    return (0,resources/* resourcePath */.o)(info, o.metadata.namespace, o.metadata.name);
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
/** Deletes objects (missing ones are fine) in reverse order and tells the cleanup recorder. */
async function removeObjects(client, objects, cleanup, logger) {
    for (const object of [...objects].reverse()) {
        const deleted = await client.delete(await objectPath(client, object));
        cleanup.removed(objectKey(object));
        logger.info(`${deleted ? 'deleted' : 'already gone:'} ${objectKey(object)}`);
    }
}

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
    const desired = plan_withNamespace(structuredClone(rendered), namespace);
    const previous = live.metadata.annotations?.[PREVIOUS_PREDICTOR] ?? JSON.stringify(predictorWithoutCanary(live.spec.predictor));
    desired.metadata.annotations = { ...desired.metadata.annotations, [PREVIOUS_PREDICTOR]: previous };
    desired.spec.predictor = { ...desired.spec.predictor, canaryTrafficPercent: weight };
    return desired;
}
/** A first release: the rendered InferenceService as it is (no canary: all traffic to its only revision). */
function firstInferenceService(rendered, namespace) {
    const desired = plan_withNamespace(structuredClone(rendered), namespace);
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
function plan_withNamespace(o, namespace) {
    if (!o.metadata.namespace)
        o.metadata.namespace = namespace;
    return o;
}

;// CONCATENATED MODULE: ./src/deploy/kserve/index.ts






const isvcPath = (namespace, name) => `/apis/${ISVC_API}/namespaces/${encodeURIComponent(namespace)}/inferenceservices/${encodeURIComponent(name)}`;
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
    const others = objects.filter((o) => !isInferenceService(o)).map((o) => (o.metadata.namespace || o.kind === 'Namespace' ? o : { ...o, metadata: { ...o.metadata, namespace } }));
    const live = await client.get(isvcPath(namespace, name));
    const image = predictorImage(rendered.spec.predictor);
    if (!live) {
        logger.info(`No InferenceService ${name} in namespace ${namespace} yet: this first release is applied with all traffic to it, and its conditions gate it.`);
        const created = await applyObjects(client, [...others, firstInferenceService(rendered, namespace)], fieldManager, ctx.cleanup, logger);
        try {
            const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
            return { mode: 'first', namespace, name, image, previousImage: '', created, shared: [], elapsedMs };
        }
        catch (err) {
            logger.info(`The first release of ${name} failed; removing the ${created.length} object(s) it created.`);
            await removeObjects(client, created, ctx.cleanup, logger);
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
    return e.kind === 'canary' ? `latest revision Ready with ${e.weight}% of the traffic` : e.kind === 'full' ? 'latest revision Ready with all traffic' : 'all traffic pinned to the previous revision';
}

;// CONCATENATED MODULE: ./src/deploy/lock.ts

/**
 * One release of a model per namespace at a time: a coordination.k8s.io Lease named model-canary-<model>,
 * holding the run's identity and renewed while the run lives. Taken with create, or with replace on the
 * resourceVersion read (so two runs never both win); a lease its holder stopped renewing expires and is
 * taken over.
 */
const LEASE_SECONDS = 30;
const RENEW_MS = 10_000;
const leaseName = (model) => `model-canary-${model}`;
const leasePath = (namespace, model) => `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases/${encodeURIComponent(leaseName(model))}`;
/** Whether a lease is free to take: nobody holds it, we do, or its holder stopped renewing it. */
function leaseFree(lease, identity, now) {
    const holder = lease.spec?.holderIdentity;
    if (!holder || holder === identity)
        return true;
    const renewed = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
    if (Number.isNaN(renewed))
        return true;
    return renewed + (lease.spec?.leaseDurationSeconds ?? LEASE_SECONDS) * 1000 < now;
}
class ReleaseLock {
    client;
    options;
    timer;
    lost = false;
    constructor(client, options) {
        this.client = client;
        this.options = options;
    }
    /** Takes the lock, waiting up to timeoutMs for another run to finish; fails naming the holder. */
    static async acquire(client, options) {
        const lock = new ReleaseLock(client, options);
        await lock.take();
        lock.timer = setInterval(() => void lock.renew(), options.renewMs ?? RENEW_MS);
        lock.timer.unref();
        return lock;
    }
    /** Stops renewing and deletes the lease if it still holds our identity. */
    async release() {
        if (this.timer)
            clearInterval(this.timer);
        this.timer = undefined;
        await releaseLease(this.client, this.options.namespace, this.options.model, this.options.identity);
    }
    async take() {
        const { namespace, model, identity, timeoutMs, logger } = this.options;
        const started = Date.now();
        const path = leasePath(namespace, model);
        let told = '';
        for (;;) {
            const now = new Date();
            const lease = await this.client.get(path);
            if (!lease) {
                const created = await this.client.create({ ...this.leaseObject(), spec: this.spec(now, 0) });
                if (created.created)
                    break;
                if (created.status !== 409)
                    throw new errors/* ModelCanaryError */.Md('cluster', `Creating the lock Lease ${leaseName(model)} failed with HTTP ${created.status}: ${JSON.stringify(created.body)}`, 'Check that the Role allows create on leases (docs/rbac.md).');
                continue;
            }
            if (leaseFree(lease, identity, now.getTime())) {
                const holder = lease.spec?.holderIdentity;
                if (holder && holder !== identity)
                    logger.warn(`The lock ${leaseName(model)} held by ${holder} expired (not renewed since ${lease.spec?.renewTime ?? '?'}); taking it over.`);
                const transitions = (lease.spec?.leaseTransitions ?? 0) + (holder === identity ? 0 : 1);
                const replaced = await this.client.replace({ ...lease, spec: this.spec(now, transitions) });
                if (replaced.ok)
                    break;
                continue;
            }
            const holder = lease.spec?.holderIdentity ?? '?';
            const waited = Date.now() - started;
            if (waited >= timeoutMs) {
                throw new errors/* ModelCanaryError */.Md('cluster', `Another release of ${model} in namespace ${namespace} holds the lock ${leaseName(model)}: ${holder} (since ${lease.spec?.acquireTime ?? '?'}, renewed ${lease.spec?.renewTime ?? '?'}). Waited ${Math.round(waited / 1000)}s (canary.lockTimeout).`, `Wait for that run to finish, or raise canary.lockTimeout. A run that was killed releases the lock when its lease expires (${LEASE_SECONDS}s without renewal).`);
            }
            if (told !== holder)
                logger.info(`Waiting for the lock ${leaseName(model)}, held by ${holder} (up to ${Math.round(timeoutMs / 1000)}s)...`);
            told = holder;
            await new Promise((r) => setTimeout(r, Math.min(this.options.pollMs ?? 2000, Math.max(100, timeoutMs - waited))));
        }
        logger.info(`Took the lock ${leaseName(model)} in namespace ${namespace} as ${identity}.`);
    }
    async renew() {
        if (this.lost)
            return;
        const { namespace, model, identity, logger } = this.options;
        try {
            const lease = await this.client.get(leasePath(namespace, model));
            if (!lease || lease.spec?.holderIdentity !== identity) {
                this.lost = true;
                logger.warn(`The lock ${leaseName(model)} is no longer ours (held by ${lease?.spec?.holderIdentity ?? 'nobody'}); another run may change the model now.`);
                return;
            }
            await this.client.replace({ ...lease, spec: { ...lease.spec, renewTime: microTime(new Date()) } });
        }
        catch (err) {
            logger.warn(`Could not renew the lock ${leaseName(model)}: ${err instanceof Error ? err.message : String(err)}`);
        }
    }
    leaseObject() {
        const { namespace, model } = this.options;
        return {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: leaseName(model), namespace, labels: { 'app.kubernetes.io/managed-by': 'model-canary', 'app.kubernetes.io/name': model } },
        };
    }
    spec(now, transitions) {
        const t = microTime(now);
        return { holderIdentity: this.options.identity, leaseDurationSeconds: this.options.leaseSeconds ?? LEASE_SECONDS, acquireTime: t, renewTime: t, leaseTransitions: transitions };
    }
}
/** Deletes the lease when (and only when) it holds this identity; true when it did. */
async function releaseLease(client, namespace, model, identity) {
    const path = leasePath(namespace, model);
    const lease = await client.get(path);
    if (!lease || lease.spec?.holderIdentity !== identity)
        return false;
    return client.delete(path);
}
/** MicroTime as the Lease API wants it: RFC 3339 with microseconds. */
function microTime(d) {
    return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

;// CONCATENATED MODULE: ./src/decide/locked.ts

/** Runs fn holding the model's release lock; the lock is released however fn ends. */
async function withReleaseLock(config, ctx, fn) {
    const client = await ctx.kube.client();
    const lock = await ReleaseLock.acquire(client, {
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

// EXTERNAL MODULE: ./src/decide/history.ts
var decide_history = __webpack_require__(3892);
;// CONCATENATED MODULE: ./src/decide/record.ts

/** Adds a release to the history in the cluster and sets the revision output. */
async function record(client, config, ctx, entry) {
    const added = await (0,decide_history/* recordRelease */.ty)(client, { namespace: config.cluster.namespace, model: config.model.name, fieldManager: config.cluster.fieldManager, limit: config.decide.historyLimit }, {
        digest: (0,decide_history/* digestOf */.ol)(entry.image),
        image: entry.image,
        version: entry.version ?? config.model.version,
        time: new Date().toISOString(),
        verdict: entry.verdict,
        runId: config.run.runId,
        ...(config.run.commitSha ? { commit: config.run.commitSha } : {}),
        ...(config.run.environment ? { environment: config.run.environment } : {}),
        ...(entry.smoke ? { smoke: entry.smoke } : {}),
        ...(entry.restoredFrom !== undefined ? { restoredFrom: entry.restoredFrom } : {}),
    });
    ctx.report.outputs.revision = String(added.revision);
    ctx.host.logger.info(`Recorded revision ${added.revision} (${added.verdict}) in ConfigMap model-canary-${config.model.name}-history.`);
    return added;
}
/** The decision section of the job summary. */
function decisionSection(rows) {
    const cell = (t) => t.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
    return ['### Decision', '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n');
}

;// CONCATENATED MODULE: ./src/decide/kserve.ts





/**
 * deploy → decide for canary.strategy kserve, holding the release lock. KServe runs the canary: its
 * conditions are the gate. The smoke stage, which sends to the pods of a Deployment's ReplicaSet, is not
 * run for an InferenceService (KServe names its pods after revisions); the README says so.
 */
async function deliverInferenceService(config, objects, ctx) {
    const { logger } = ctx.host;
    const stage = (name, fn) => (0,log_stage/* runStage */.S)(logger, ctx.report, name, fn);
    const name = renderedInferenceService(objects).metadata.name;
    return withReleaseLock(config, ctx, async (client) => {
        let deployed;
        try {
            deployed = await stage('deploy', async () => {
                const r = await deployInferenceService(config, objects, ctx);
                return { value: r, detail: `${r.mode === 'first' ? 'first release' : `canary at ${config.canary.weight}%`}: InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s` };
            });
        }
        catch (err) {
            if (!(err instanceof InferenceServiceFailure))
                throw err;
            const live = await client.get(isvcPath(config.cluster.namespace, name));
            const image = live ? predictorImage(live.spec.predictor) : '';
            let verdict = 'failed';
            if (live && live.spec.predictor.canaryTrafficPercent !== undefined && config.decide.onFailure === 'rollback') {
                await stage('rollback', async () => {
                    const r = await rollbackInferenceService(client, config, name, logger);
                    return { value: r, detail: `all traffic back on ${r.image}` };
                });
                verdict = 'rolled-back';
            }
            else if (live?.spec.predictor.canaryTrafficPercent !== undefined) {
                logger.info(`Holding the failed canary of InferenceService ${name} (decide.onFailure is hold); run command rollback to remove it.`);
                verdict = 'held';
            }
            ctx.report.outputs.verdict = verdict;
            const rec = await record(client, config, ctx, { image, verdict, smoke: `not run: ${err.reason}` });
            ctx.report.sections.push(decisionSection([['Verdict', verdict], ['Revision', String(rec.revision)], ['Image', image], ['Reason', err.reason]]));
            throw err;
        }
        ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: 0, detail: 'strategy kserve: KServe conditions gate the canary' });
        return stage('decide', async () => {
            const verdict = await decide(config, deployed, ctx);
            return { value: verdict, detail: verdict };
        });
    });
}
async function decide(config, deployed, ctx) {
    const client = await ctx.kube.client();
    const rows = [['Image', deployed.image], ['Gate', `InferenceService ${deployed.name} rolled out in ${(deployed.elapsedMs / 1000).toFixed(1)}s`]];
    const finish = async (verdict, smoke) => {
        ctx.report.outputs.verdict = verdict;
        const rec = await record(client, config, ctx, { image: deployed.image, verdict, smoke });
        ctx.report.sections.push(decisionSection([['Verdict', verdict], ['Revision', String(rec.revision)], ...rows]));
        return verdict;
    };
    if (deployed.mode === 'first') {
        for (const o of deployed.created)
            ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
        return finish('promoted', 'first release: KServe conditions');
    }
    if (config.decide.mode === 'manual') {
        ctx.host.logger.info(`Holding the canary of InferenceService ${deployed.name} at ${config.canary.weight}% (decide.mode is manual): run command promote or rollback to finish.`);
        return finish('held', 'KServe conditions passed; held');
    }
    const promoted = await promoteInferenceService(client, config, deployed.name, ctx.host.logger, deployed.shared);
    rows.push(['Promotion', `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`]);
    return finish('promoted', 'KServe conditions passed');
}
/** command promote for strategy kserve: the held canary gets all traffic. */
async function promoteKServe(config, ctx) {
    return withReleaseLock(config, ctx, async (client) => {
        const promoted = await promoteInferenceService(client, config, config.model.name, ctx.host.logger);
        ctx.report.outputs.verdict = 'promoted';
        const rec = await record(client, config, ctx, { image: promoted.image, verdict: 'promoted', smoke: 'promoted by command promote' });
        ctx.report.sections.push(decisionSection([['Verdict', 'promoted'], ['Revision', String(rec.revision)], ['Image', promoted.image], ['Promotion', `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`]]));
        return 'promoted';
    });
}
/** command rollback for strategy kserve: the canary's traffic back to the previous revision, its spec restored. */
async function rollbackKServe(config, ctx) {
    const wanted = config.run.revision || 'previous';
    if (wanted !== 'previous') {
        throw new errors/* ModelCanaryError */.Md('user', `Rolling back an InferenceService to revision ${wanted} is not supported; model-canary rolls back the canary in place.`, 'Use revision previous (the default), or re-run the release of the wanted version.');
    }
    return withReleaseLock(config, ctx, async (client) => {
        const r = await rollbackInferenceService(client, config, config.model.name, ctx.host.logger);
        ctx.report.outputs.verdict = 'rolled-back';
        const rec = await record(client, config, ctx, { image: r.removed, verdict: 'rolled-back', smoke: 'canary removed by command rollback' });
        ctx.report.sections.push(decisionSection([['Verdict', 'rolled-back'], ['Revision', String(rec.revision)], ['Removed canary', r.removed], ['Stable', r.image]]));
        return 'rolled-back';
    });
}

;// CONCATENATED MODULE: ./src/deploy/gate.ts


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
    const { namespace, label, logger } = options;
    const deadline = started + options.timeoutMs;
    const ns = encodeURIComponent(namespace);
    const current = await currentReplicaSet(client, options, deadline, started);
    const { deployment, replicaSet, revision } = current;
    const desired = deployment.spec.replicas ?? 1;
    const hash = replicaSet.metadata.labels?.['pod-template-hash'] ?? '';
    const selector = Object.entries({ ...deployment.spec.selector.matchLabels, 'pod-template-hash': hash }).map(([k, v]) => `${k}=${v}`).join(',');
    logger.info(`Gating ${label} Deployment ${options.deployment}: revision ${revision}, ReplicaSet ${replicaSet.metadata.name}, ${desired} pod(s), budget ${Math.round(options.timeoutMs / 1000)}s`);
    const pods = new Map();
    const events = [];
    const abort = new AbortController();
    let settle;
    const outcome = new Promise((resolve, reject) => (settle = { resolve, reject }));
    let done = false;
    const finish = (result) => {
        if (done)
            return;
        done = true;
        abort.abort();
        if (result instanceof Error)
            settle?.reject(result);
        else
            settle?.resolve(result);
    };
    const fail = (signal) => {
        if (done)
            return;
        const detectedAt = Date.now();
        const pod = pods.get(signal.object);
        done = true;
        abort.abort();
        void describeFailure(client, namespace, label, signal, pod, events).then((message) => settle?.reject(new GateFailure(message, signal, detectedAt, started)), (err) => settle?.reject(err));
    };
    const live = () => [...pods.values()].filter((p) => !p.metadata.deletionTimestamp);
    // Some signals also show up for a moment on a healthy start (the kubelet has not yet seen a ConfigMap
    // applied a second ago, the ReplicaSet controller not yet the new ServiceAccount): they count only when
    // they are still there SETTLE_MS after they were first seen.
    const firstSeen = new Map();
    const decisive = (signal) => {
        if (!SETTLING.has(signal.reason))
            return true;
        const key = `${signal.object}|${signal.reason}`;
        const seen = firstSeen.get(key) ?? Date.now();
        firstSeen.set(key, seen);
        return Date.now() - seen >= SETTLE_MS;
    };
    let pendingCreate;
    const evaluate = () => {
        if (done)
            return;
        for (const pod of live()) {
            const signal = podSignal(pod, options.maxRestarts);
            if (signal && decisive(signal))
                return fail(signal);
        }
        if (pendingCreate) {
            if (live().length >= desired)
                pendingCreate = undefined;
            else if (decisive(pendingCreate))
                return fail(pendingCreate);
        }
        const ready = live().filter(podReady).map((p) => p.metadata.name).sort();
        if (ready.length >= desired)
            finish({ revision, replicaSet: replicaSet.metadata.name, readyPods: ready, elapsedMs: Date.now() - started });
    };
    const podsPath = `/api/v1/namespaces/${ns}/pods`;
    const listed = await client.list(podsPath, selector);
    for (const p of listed.items)
        pods.set(p.metadata.name, p);
    const onPod = (e) => {
        if (e.type === 'DELETED')
            pods.delete(e.object.metadata.name);
        else if (e.type === 'ADDED' || e.type === 'MODIFIED')
            pods.set(e.object.metadata.name, e.object);
        evaluate();
    };
    const since = new Date(started - 2000).toISOString();
    const onEvent = (e) => {
        if (e.type !== 'ADDED' && e.type !== 'MODIFIED')
            return;
        const ev = e.object;
        if ((eventTime(ev) ?? since) < since)
            return;
        const name = ev.involvedObject.name ?? '';
        if (name !== replicaSet.metadata.name && !pods.has(name) && !name.startsWith(`${replicaSet.metadata.name}-`))
            return;
        events.push(ev);
        if (events.length > 200)
            events.shift();
        const signal = eventSignal(ev, replicaSet.metadata.name);
        if (signal) {
            pendingCreate = signal;
            evaluate();
        }
    };
    void keepWatching(client, podsPath, { labelSelector: selector }, listed.metadata.resourceVersion, onPod, abort.signal, logger);
    // Events from now on: a one-item list gives the resourceVersion to watch from, without replaying history.
    const eventsPath = `/api/v1/namespaces/${ns}/events`;
    const eventsNow = await client.get(`${eventsPath}?limit=1`);
    void keepWatching(client, eventsPath, {}, eventsNow?.metadata?.resourceVersion, onEvent, abort.signal, logger);
    evaluate();
    let lastPrinted = 0;
    const tick = async () => {
        if (done)
            return;
        const now = Date.now();
        if (now >= deadline)
            return fail(timeoutSignal(label, live(), desired, options.timeoutMs, now));
        evaluate();
        try {
            const d = await client.get(`/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(options.deployment)}`);
            const signal = d ? deploymentSignal(d) : { object: options.deployment, reason: 'Deleted', detail: `Deployment ${options.deployment} was deleted while it was gated` };
            if (signal)
                return fail(signal);
        }
        catch (err) {
            logger.warn(`Reading Deployment ${options.deployment} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (!done && now - lastPrinted >= (options.progressEveryMs ?? 5000)) {
            logger.info(progressLine(label, live(), desired, now));
            lastPrinted = now;
        }
    };
    const interval = setInterval(() => void tick(), 1000);
    try {
        return await outcome;
    }
    finally {
        clearInterval(interval);
        abort.abort();
    }
}
function timeoutSignal(label, pods, desired, timeoutMs, now) {
    const waiting = pods.find((p) => !podReady(p));
    const ready = pods.filter(podReady).length;
    const budget = `${Math.round(timeoutMs / 1000)}s (canary.readinessTimeout)`;
    if (!waiting)
        return { object: label, reason: 'NotReady', detail: `${ready}/${desired} pods Ready after ${budget}; no pods were created` };
    return { object: waiting.metadata.name, reason: 'NotReady', detail: `${ready}/${desired} pods Ready after ${budget}; this pod is ${podPhrase(waiting, now)}` };
}
/** The Deployment once its controller has seen the latest spec, and the ReplicaSet of its current revision. */
async function currentReplicaSet(client, options, deadline, started) {
    const ns = encodeURIComponent(options.namespace);
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(options.deployment)}`;
    for (;;) {
        const deployment = await client.get(path);
        if (!deployment)
            throw new GateFailure(`Deployment ${options.deployment} does not exist.`, { object: options.deployment, reason: 'Deleted', detail: 'not found' }, Date.now(), started);
        const revision = deployment.metadata.annotations?.[REVISION];
        const observed = (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
        if (revision && observed) {
            const selector = Object.entries(deployment.spec.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
            const sets = await client.list(`/apis/apps/v1/namespaces/${ns}/replicasets`, selector);
            const replicaSet = sets.items.find((rs) => rs.metadata.annotations?.[REVISION] === revision && rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid));
            if (replicaSet)
                return { deployment, replicaSet, revision };
        }
        if (Date.now() >= deadline) {
            const signal = { object: options.deployment, reason: 'NotReady', detail: `the Deployment controller made no ReplicaSet for revision ${revision ?? '?'} in time` };
            throw new GateFailure(`${options.label} Deployment ${options.deployment} failed: ${signal.detail}`, signal, Date.now(), started);
        }
        await new Promise((r) => setTimeout(r, 300));
    }
}
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

;// CONCATENATED MODULE: ./src/deploy/traffic/plan.ts


/**
 * The objects of the `traffic` strategy, as pure data: a Service per track (selecting `track: stable` /
 * `track: canary`) and a Gateway API HTTPRoute whose backendRefs split traffic between them by weight.
 * Nothing here talks to the cluster.
 */
const HTTPROUTE_API = 'gateway.networking.k8s.io/v1';
const STABLE_SUFFIX = '-stable';
/** On the HTTPRoute: the canary Service its weights send to (the post step and rollback look it up). */
const CANARY_BACKEND = 'model-canary.dev/canary-backend';
const isService = (o) => o.kind === 'Service' && o.apiVersion === 'v1';
/**
 * The rendered Service of the model: the one whose selector matches the stable Deployment's pod labels.
 * Its ports and selector are copied into the track Services; it is itself left as rendered.
 */
function modelService(objects, stable) {
    const podLabels = stable.spec.template.metadata?.labels ?? {};
    const services = objects.filter(isService).filter((s) => {
        const selector = s.spec.selector ?? {};
        return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => k === TRACK || podLabels[k] === v);
    });
    const found = services[0];
    if (services.length !== 1 || !found || (found.spec.ports ?? []).length === 0) {
        throw new errors/* ModelCanaryError */.Md('user', `The strategy traffic needs exactly one Service with a port selecting the pods of Deployment ${stable.metadata.name}; found ${services.length} (${services.map((s) => s.metadata.name).join(', ') || 'none'}).`, 'Render one Service for the model server (the builtin chart does with service.enabled true); model-canary derives the stable and canary Services the HTTPRoute sends to from it.');
    }
    return found;
}
function planTraffic(input) {
    const service = modelService(input.objects, input.stable);
    const stableTrack = input.stable.spec.selector.matchLabels?.[TRACK] ?? 'stable';
    const port = service.spec.ports?.[0]?.port ?? 0;
    return {
        route: input.stable.metadata.name,
        stableService: trackService(service, `${service.metadata.name}${STABLE_SUFFIX}`, stableTrack, input.namespace, input.stable.metadata.name),
        canaryService: trackService(service, `${service.metadata.name}${CANARY_SUFFIX}`, 'canary', input.namespace, input.stable.metadata.name),
        port,
    };
}
/** A copy of the model's Service that selects one track only (ClusterIP, the same ports). */
function trackService(service, name, track, namespace, stable) {
    const ports = (service.spec.ports ?? []).map((p) => ({ ...p }));
    const labels = { ...service.metadata.labels, [TRACK]: track };
    const metadata = { name, namespace, labels };
    if (track === 'canary')
        metadata.annotations = { [CANARY_OF]: stable };
    return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata,
        spec: { type: 'ClusterIP', selector: { ...service.spec.selector, [TRACK]: track }, ports },
    };
}
/**
 * The HTTPRoute: attached to the Gateway, matching the host names given (all the listener accepts when
 * none), one rule sending `weight` percent to the canary Service and the rest to the stable one. With
 * weight undefined, all traffic goes to stable and the canary is not referenced at all.
 */
function httpRoute(args) {
    const parentRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: args.gateway.name };
    if (args.gateway.namespace)
        parentRef.namespace = args.gateway.namespace;
    const backendRefs = [{ name: args.stableService, port: args.port, weight: 100 - (args.weight ?? 0) }];
    if (args.weight !== undefined)
        backendRefs.push({ name: args.canaryService, port: args.port, weight: args.weight });
    const spec = {
        parentRefs: [parentRef],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs }],
    };
    if (args.hostnames && args.hostnames.length > 0)
        spec.hostnames = [...args.hostnames];
    return {
        apiVersion: HTTPROUTE_API,
        kind: 'HTTPRoute',
        metadata: {
            name: args.name,
            namespace: args.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'model-canary', ...args.labels },
            annotations: { [CANARY_BACKEND]: args.canaryService },
        },
        spec,
    };
}
/**
 * A live route with all traffic sent back to stable: every backendRef to the canary Service (named in the
 * route's annotation, else `<stable>-canary`) removed, and the remaining backends weighted as before but
 * scaled so they carry everything. What rollback, promote and the post step apply. Returns undefined when
 * the route sends nothing to the canary (nothing to restore).
 */
function routeToStable(live) {
    const canary = live.metadata.annotations?.[CANARY_BACKEND];
    const isCanary = (b) => (canary !== undefined ? b.name === canary : b.name.endsWith(CANARY_SUFFIX));
    const rules = live.spec.rules ?? [];
    if (!rules.some((r) => (r.backendRefs ?? []).some(isCanary)))
        return undefined;
    const route = cleanRoute(live);
    route.spec.rules = (route.spec.rules ?? []).map((rule) => {
        const kept = (rule.backendRefs ?? []).filter((b) => !isCanary(b));
        if (kept.length === 0) {
            throw new errors/* ModelCanaryError */.Md('user', `HTTPRoute ${live.metadata.name} has a rule that sends only to the canary ${canary ?? ''}; there is no stable backend to send its traffic back to.`, 'Fix the route by hand (give the rule a stable backendRef), then run command rollback again.');
        }
        const total = kept.reduce((sum, b) => sum + (b.weight ?? 1), 0);
        // One stable backend takes 100; several keep their split (all equal when every weight was 0).
        return { ...rule, backendRefs: kept.map((b) => ({ ...b, weight: kept.length === 1 ? 100 : total === 0 ? 1 : (b.weight ?? 1) })) };
    });
    return route;
}
/** The weights a route gives each backend, per rule, for messages and tests: `iris-stable=80, iris-canary=20`. */
function describeWeights(route) {
    return (route.spec.rules ?? []).map((r) => (r.backendRefs ?? []).map((b) => `${b.name}=${b.weight ?? 1}`).join(', ')).join('; ');
}
/** The share (0..1) of a rule's traffic the named backend gets. */
function backendShare(route, backend) {
    const refs = route.spec.rules?.[0]?.backendRefs ?? [];
    const total = refs.reduce((sum, b) => sum + (b.weight ?? 1), 0);
    const mine = refs.filter((b) => b.name === backend).reduce((sum, b) => sum + (b.weight ?? 1), 0);
    return total === 0 ? 0 : mine / total;
}
/** The route's condition from the controller of the given Gateway, at the route's current generation. */
function routeCondition(route, gateway, type) {
    const generation = route.metadata.generation;
    for (const parent of route.status?.parents ?? []) {
        if (parent.parentRef.name !== gateway.name)
            continue;
        if (gateway.namespace && parent.parentRef.namespace && parent.parentRef.namespace !== gateway.namespace)
            continue;
        const c = (parent.conditions ?? []).find((x) => x.type === type);
        if (c && (generation === undefined || c.observedGeneration === undefined || c.observedGeneration >= generation))
            return c;
    }
    return undefined;
}
/**
 * What the Gateway's controller says of the route now: accepted with its backends resolved (`ready`), a
 * refusal (`refused`, with the reason) or nothing yet at this generation (`pending`).
 */
function routeState(route, gateway) {
    const accepted = routeCondition(route, gateway, 'Accepted');
    if (!accepted)
        return { state: 'pending' };
    if (accepted.status === 'False')
        return { state: 'refused', reason: `not Accepted: ${accepted.reason ?? ''}${accepted.message ? ` (${accepted.message})` : ''}` };
    const resolved = routeCondition(route, gateway, 'ResolvedRefs');
    if (resolved?.status === 'False')
        return { state: 'refused', reason: `ResolvedRefs False: ${resolved.reason ?? ''}${resolved.message ? ` (${resolved.message})` : ''}` };
    if (accepted.status === 'True' && resolved?.status !== 'Unknown')
        return { state: 'ready' };
    return { state: 'pending' };
}
/** The parent gateway of a route as the live route names it (for the post step, which has no config). */
function routeGateway(route) {
    const ref = route.spec.parentRefs?.[0];
    if (!ref)
        return undefined;
    return ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name };
}
/** A live route fit to apply again: what the server owns removed. */
function cleanRoute(live) {
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

;// CONCATENATED MODULE: ./src/deploy/traffic/index.ts




/** How long the Gateway's controller gets to accept a route change before we go on without its word. */
const ROUTE_SETTLE_MS = 30_000;
const routePath = (namespace, name) => `/apis/${HTTPROUTE_API}/namespaces/${encodeURIComponent(namespace)}/httproutes/${encodeURIComponent(name)}`;
const servicePath = (namespace, name) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
/**
 * Applies a route (server-side, our field manager) and waits until the Gateway's controller has accepted
 * this generation with its backends resolved. A refusal (not Accepted, a backend it cannot resolve) fails
 * with the controller's reason; no word within the budget is a warning (a controller that writes no status
 * still routes), not a failure.
 */
async function applyRoute(client, route, gateway, fieldManager, logger, budgetMs = ROUTE_SETTLE_MS) {
    const applied = await client.apply(route, fieldManager);
    logger.info(`applied HTTPRoute/${route.metadata.name}: ${describeWeights(route)}`);
    return waitForRoute(client, applied, gateway, logger, budgetMs);
}
async function waitForRoute(client, applied, gateway, logger, budgetMs = ROUTE_SETTLE_MS) {
    const namespace = applied.metadata.namespace ?? '';
    const path = routePath(namespace, applied.metadata.name);
    const started = Date.now();
    let live = applied;
    for (;;) {
        const state = live ? routeState(live, gateway) : { state: 'pending' };
        if (state.state === 'ready' && live) {
            logger.info(`HTTPRoute/${applied.metadata.name} accepted by Gateway ${gatewayName(gateway)} after ${((Date.now() - started) / 1000).toFixed(1)}s.`);
            return live;
        }
        if (state.state === 'refused') {
            throw new errors/* ModelCanaryError */.Md('cluster', `Gateway ${gatewayName(gateway)} refused HTTPRoute ${namespace}/${applied.metadata.name}: ${state.reason}.`, 'Check canary.gateway (name and namespace), that the Gateway allows routes from this namespace (listeners[].allowedRoutes), and that the stable and canary Services exist.');
        }
        if (Date.now() - started > budgetMs) {
            logger.warn(`No controller of Gateway ${gatewayName(gateway)} reported on HTTPRoute ${namespace}/${applied.metadata.name} within ${Math.round(budgetMs / 1000)}s; going on (is a Gateway API implementation running?).`);
            return live ?? applied;
        }
        await new Promise((r) => setTimeout(r, 250));
        live = await client.get(path);
    }
}
/**
 * Sends all of a route's traffic back to stable (the canary's backendRefs removed), waiting up to the budget
 * for the controller to accept it. False when there is no route or it sends nothing to the canary. The post
 * step calls this with the field manager the run saved.
 */
async function restoreRouteWeights(client, namespace, name, fieldManager, logger, budgetMs = ROUTE_SETTLE_MS) {
    const live = await client.get(routePath(namespace, name));
    const restored = live ? routeToStable(live) : undefined;
    if (!live || !restored)
        return false;
    const gateway = routeGateway(live) ?? { name: '?' };
    await applyRoute(client, restored, gateway.namespace ? gateway : { ...gateway, namespace }, fieldManager, logger, budgetMs);
    logger.info(`HTTPRoute/${name} sends all traffic to stable again.`);
    return true;
}
/** restoreRouteWeights for a run: the cleanup recorder no longer lists the route. */
async function sendAllToStable(client, namespace, name, fieldManager, cleanup, logger) {
    const restored = await restoreRouteWeights(client, namespace, name, fieldManager, logger);
    cleanup.route(name, undefined);
    return restored;
}
/** The canary's Services `<service>-canary` that are ours (annotated as a canary of `stable`). */
async function canaryServices(client, namespace, stable) {
    const list = await client.list(`/api/v1/namespaces/${encodeURIComponent(namespace)}/services`, 'track=canary');
    return list.items.filter((x) => x.metadata.annotations?.[CANARY_OF] === stable && x.metadata.name.endsWith(CANARY_SUFFIX)).map((x) => x.metadata.name);
}
/** Deletes the canary's Services (after the route sends them nothing). */
async function removeCanaryServices(client, namespace, stable, cleanup, logger) {
    for (const name of await canaryServices(client, namespace, stable)) {
        await client.delete(servicePath(namespace, name));
        cleanup.removed(`Service/${name}`);
        logger.info(`Removed the canary Service ${name}.`);
    }
}
const gatewayName = (g) => (g.namespace ? `${g.namespace}/${g.name}` : g.name);

;// CONCATENATED MODULE: ./src/decide/stable-rollout.ts




const deploymentPath = (namespace, name) => `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`;
/** The stable Deployment as it runs now; a clear error when there is none. */
async function liveStable(client, namespace, name) {
    const stable = await client.get(deploymentPath(namespace, name));
    if (!stable) {
        throw new errors/* ModelCanaryError */.Md('user', `There is no Deployment ${name} in namespace ${namespace}.`, 'Release the model first (command release), or check cluster.namespace and model.name.');
    }
    return stable;
}
/** Whether a HorizontalPodAutoscaler in the namespace scales this Deployment (then we never set replicas). */
async function hpaManaged(client, namespace, name) {
    const list = await client.list(`/apis/autoscaling/v2/namespaces/${encodeURIComponent(namespace)}/horizontalpodautoscalers`);
    return hpaTargets(list.items, name);
}
/**
 * Applies a new stable Deployment and gates its rollout with the canary's gate. When the rollout fails,
 * stable is put back on its previous template (and that rollout gated too) before the failure is thrown.
 */
async function rolloutStable(client, config, desired, before, logger) {
    const options = { namespace: config.cluster.namespace, deployment: desired.metadata.name, label: 'stable', timeoutMs: config.canary.readinessTimeoutMs, maxRestarts: config.canary.maxRestarts, logger };
    await client.apply(desired, config.cluster.fieldManager);
    try {
        return await gateDeployment(client, options);
    }
    catch (err) {
        logger.error(`The stable rollout of ${desired.metadata.name} failed; reverting it to its previous template.`);
        const previous = cleanForApply(before);
        if (desired.spec.replicas === undefined)
            delete previous.spec.replicas;
        try {
            await client.apply(previous, config.cluster.fieldManager);
            await gateDeployment(client, { ...options, label: 'reverted stable' });
            logger.info(`Stable ${desired.metadata.name} is back on its previous template.`);
        }
        catch (revertErr) {
            logger.error(`Reverting stable failed too: ${revertErr instanceof Error ? revertErr.message : String(revertErr)}`);
        }
        throw err;
    }
}
/** The canary's route for strategy traffic (named after the stable Deployment), else undefined. */
function canaryTraffic(config, stable) {
    return config.canary.strategy === 'traffic' ? { route: stable, fieldManager: config.cluster.fieldManager } : undefined;
}
/**
 * Deletes the canary Deployment and the ConfigMaps copied for it; true when there was a canary. With
 * strategy traffic, the route first sends everything back to stable and the canary's Service goes last.
 */
async function removeCanary(client, config, stable, cleanup, logger) {
    const namespace = config.cluster.namespace;
    const traffic = canaryTraffic(config, stable);
    if (traffic)
        await sendAllToStable(client, namespace, traffic.route, traffic.fieldManager, cleanup, logger);
    const name = `${stable}${CANARY_SUFFIX}`;
    const canary = await client.get(deploymentPath(namespace, name));
    const copies = (canary?.metadata.annotations?.[CANARY_CONFIGMAPS] ?? '').split(',').filter((n) => n !== '');
    const deleted = await client.delete(deploymentPath(namespace, name));
    cleanup.removed(`Deployment/${name}`);
    for (const cm of copies) {
        await client.delete(`/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(`${cm}${CANARY_SUFFIX}`)}`);
        cleanup.removed(`ConfigMap/${cm}${CANARY_SUFFIX}`);
    }
    if (deleted)
        logger.info(`Removed the canary Deployment ${name}${copies.length ? ` and ConfigMap(s) ${copies.map((c) => `${c}${CANARY_SUFFIX}`).join(', ')}` : ''}.`);
    if (traffic)
        await removeCanaryServices(client, namespace, stable, cleanup, logger);
    return deleted;
}
/** A canary kept on purpose (held): the post step must not remove it, so it is no longer listed for cleanup. */
async function keepCanary(client, config, stable, cleanup) {
    const namespace = config.cluster.namespace;
    const traffic = canaryTraffic(config, stable);
    const name = `${stable}${CANARY_SUFFIX}`;
    const canary = await client.get(deploymentPath(namespace, name));
    if (!canary)
        return false;
    cleanup.removed(`Deployment/${name}`);
    if (traffic) {
        cleanup.route(traffic.route, undefined);
        for (const svc of await canaryServices(client, namespace, stable))
            cleanup.removed(`Service/${svc}`);
    }
    for (const cm of (canary.metadata.annotations?.[CANARY_CONFIGMAPS] ?? '').split(',').filter((n) => n !== ''))
        cleanup.removed(`ConfigMap/${cm}${CANARY_SUFFIX}`);
    return true;
}

;// CONCATENATED MODULE: ./src/decide/promote.ts



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
    const before = await liveStable(client, namespace, stable);
    const canary = await client.get(deploymentPath(namespace, `${stable}${CANARY_SUFFIX}`));
    if (!canary) {
        throw new errors/* ModelCanaryError */.Md('user', `There is no canary ${stable}${CANARY_SUFFIX} in namespace ${namespace} to promote.`, 'Deploy one first (command deploy with decide.mode manual, or command release).');
    }
    const desired = promotedStable(before, canary, await hpaManaged(client, namespace, stable));
    const image = modelImage(desired.spec.template, config.image.repository);
    logger.info(`Promoting ${stable} to ${image}.`);
    for (const o of shared.filter((s) => BEFORE_ROLLOUT.has(s.kind)))
        await client.apply(o, config.cluster.fieldManager);
    const gate = await rolloutStable(client, config, desired, before, logger);
    for (const o of shared.filter((s) => !BEFORE_ROLLOUT.has(s.kind)))
        await client.apply(o, config.cluster.fieldManager);
    // The stable rollout is gated: the route may send it everything now, then the canary goes.
    await removeCanary(client, config, stable, deps.cleanup, logger);
    return { image, version: desired.metadata.labels?.['app.kubernetes.io/version'], gate };
}
/** The image of the model's container: the one from image.repository, else the first container's. */
function modelImage(template, repository) {
    const containers = template.spec?.containers ?? [];
    const match = containers.find((c) => c.image !== undefined && repositoryOf(c.image) === repository) ?? containers[0];
    return match?.image ?? '';
}

;// CONCATENATED MODULE: ./src/decide/promote-check.ts





const REFUSED = 'Nothing was promoted. Run `command: status` to see what is held now; promote it only after reading its own smoke report (pass its digest and revision), or roll it back.';
/**
 * In manual decision mode a release holds its canary after smoke and a later run promotes it. With
 * expect-digest and expect-revision that run promotes only the canary that was smoked: the live canary
 * must run that digest and the newest held release must be that revision (of the same digest). Call it
 * holding the release lock, before anything changes. Throws a user error saying what differs.
 */
async function checkPromoteExpectations(client, config) {
    const expect = config.run.expect;
    if (!expect || (expect.digest === undefined && expect.revision === undefined))
        return;
    const namespace = config.cluster.namespace;
    const name = `${config.model.name}${CANARY_SUFFIX}`;
    const wanted = [expect.digest, expect.revision !== undefined ? `revision ${expect.revision}` : undefined].filter(Boolean).join(', ');
    const canary = await client.get(deploymentPath(namespace, name));
    if (!canary) {
        throw new errors/* ModelCanaryError */.Md('user', `There is no canary ${name} in namespace ${namespace} to promote; expected the held one (${wanted}): it was promoted or rolled back since.`, REFUSED);
    }
    const image = modelImage(canary.spec.template, config.image.repository);
    const digest = (0,decide_history/* digestOf */.ol)(image);
    if (expect.digest !== undefined && digest !== expect.digest) {
        throw new errors/* ModelCanaryError */.Md('user', `The canary ${name} in namespace ${namespace} runs ${digest || image}, not ${expect.digest} (the one that was smoked): another canary was deployed since.`, REFUSED);
    }
    if (expect.revision === undefined)
        return;
    const history = await (0,decide_history/* readHistory */.Lu)(client, namespace, config.model.name);
    const held = [...history].reverse().find((r) => r.verdict === 'held');
    if (!held) {
        throw new errors/* ModelCanaryError */.Md('user', `No held release of ${config.model.name} is recorded in namespace ${namespace}, so revision ${expect.revision} cannot be checked.`, REFUSED);
    }
    if (held.revision !== expect.revision) {
        throw new errors/* ModelCanaryError */.Md('user', `The newest held release of ${config.model.name} is revision ${held.revision} (${held.digest || held.image}), not revision ${expect.revision}: another release held a canary since.`, REFUSED);
    }
    if (held.digest !== digest) {
        throw new errors/* ModelCanaryError */.Md('user', `Held revision ${held.revision} recorded ${held.digest || held.image}, but the canary ${name} runs ${digest || image}: the canary was changed after it was held.`, REFUSED);
    }
}

;// CONCATENATED MODULE: ./src/decide/rollback.ts





/**
 * Restores a recorded revision's image to stable (apply + the same gate), from any run: the history in
 * the cluster says which digest; nothing of the run that released it is needed. A canary left in place
 * (held) is removed first.
 */
async function restoreRevision(client, config, stable, wanted, deps) {
    const namespace = config.cluster.namespace;
    const before = await liveStable(client, namespace, stable);
    const current = modelImage(before.spec.template, config.image.repository);
    const record = (0,decide_history/* revisionToRestore */.lg)(await (0,decide_history/* readHistory */.Lu)(client, namespace, config.model.name), wanted, current);
    await removeCanary(client, config, stable, deps.cleanup, deps.logger);
    deps.logger.info(`Restoring revision ${record.revision} (${record.image}, version ${record.version}, released ${record.time}) to ${stable}; it runs ${current} now.`);
    const desired = stableWithImage(before, record.image, record.version, await hpaManaged(client, namespace, stable));
    const gate = await rolloutStable(client, config, desired, before, deps.logger);
    return { record, gate, from: current };
}

;// CONCATENATED MODULE: ./src/decide/status.ts





/** What runs now (stable, canary, who holds the lock) and the recorded releases, newest first. */
async function readStatus(client, config, stable) {
    const namespace = config.cluster.namespace;
    const view = (d) => d ? { image: modelImage(d.spec.template, config.image.repository), ready: d.status?.readyReplicas ?? 0, replicas: d.spec.replicas ?? 0 } : undefined;
    const [s, c, lease, history] = await Promise.all([
        client.get(deploymentPath(namespace, stable)),
        client.get(deploymentPath(namespace, `${stable}${CANARY_SUFFIX}`)),
        client.get(leasePath(namespace, config.model.name)),
        (0,decide_history/* readHistory */.Lu)(client, namespace, config.model.name),
    ]);
    const status = { namespace, history: [...history].reverse() };
    const sv = view(s);
    const cv = view(c);
    if (sv)
        status.stable = sv;
    if (cv)
        status.canary = cv;
    if (lease?.spec?.holderIdentity)
        status.lockHolder = lease.spec.holderIdentity;
    return status;
}
function statusLines(model, s) {
    const lines = [
        `${model} in namespace ${s.namespace}:`,
        `  stable: ${s.stable ? `${s.stable.image} (${s.stable.ready}/${s.stable.replicas} Ready)` : 'none'}`,
        `  canary: ${s.canary ? `${s.canary.image} (${s.canary.ready}/${s.canary.replicas} Ready)` : 'none'}`,
        `  lock: ${s.lockHolder ? `held by ${s.lockHolder}` : 'free'}`,
        s.history.length ? `Releases (newest first):` : 'No releases recorded.',
    ];
    for (const r of s.history) {
        lines.push(`  #${r.revision} ${r.time} ${r.verdict} ${r.version} ${r.digest.slice(0, 19)} ${r.commit ? r.commit.slice(0, 7) : '-'} ${r.environment ?? '-'} ${r.smoke ?? ''}`.trimEnd());
    }
    return lines;
}
function statusMarkdown(model, s) {
    const cell = (t) => (t ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
    const lines = [
        `### Releases of ${model}`,
        '',
        `Stable: ${s.stable ? `\`${s.stable.image}\` (${s.stable.ready}/${s.stable.replicas} Ready)` : 'none'}; canary: ${s.canary ? `\`${s.canary.image}\`` : 'none'}; lock: ${s.lockHolder ? `held by ${cell(s.lockHolder)}` : 'free'}.`,
        '',
    ];
    if (s.history.length === 0)
        return [...lines, 'No releases recorded yet.'].join('\n');
    lines.push('| Revision | Time | Verdict | Version | Digest | Commit | Environment | Smoke |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of s.history) {
        lines.push(`| ${r.revision} | ${r.time} | ${r.verdict}${r.restoredFrom ? ` (from #${r.restoredFrom})` : ''} | ${cell(r.version)} | \`${r.digest.slice(0, 19)}\` | ${r.commit ? `\`${r.commit.slice(0, 7)}\`` : ''} | ${cell(r.environment)} | ${cell(r.smoke)} |`);
    }
    return lines.join('\n');
}

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
    const model = modelDeployment(objects, image);
    const stable = model.metadata.name;
    const stableLive = await client.get(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(stable)}`);
    const plan = planDeploy({ objects, image, namespace, canaryReplicas: config.canary.replicas, stableExists: stableLive !== undefined });
    const traffic = config.canary.strategy === 'traffic' ? planTraffic({ objects, stable: model, namespace }) : undefined;
    await announce(client, plan, stableLive, config, logger);
    if (traffic && plan.mode === 'canary') {
        // The stable track's Service is shared by every release: applied, never counted as this run's.
        await client.apply(traffic.stableService, fieldManager);
        logger.info(`applied Service/${traffic.stableService.metadata.name}`);
    }
    const extra = traffic ? [plan.mode === 'first' ? traffic.stableService : traffic.canaryService] : [];
    const created = await applyObjects(client, [...extra, ...plan.apply], fieldManager, ctx.cleanup, logger);
    try {
        const gate = await gateDeployment(client, {
            namespace,
            deployment: plan.gated,
            label: plan.mode === 'first' ? 'stable' : 'canary',
            timeoutMs: config.canary.readinessTimeoutMs,
            maxRestarts: config.canary.maxRestarts,
            logger,
        });
        logger.info(`${plan.gated}: ${gate.readyPods.length} pod(s) Ready in ${(gate.elapsedMs / 1000).toFixed(1)}s: ${gate.readyPods.join(', ')}`);
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
            gateMs: gate.elapsedMs,
        };
    }
    catch (err) {
        if (plan.mode === 'first') {
            logger.info(`The first release of ${plan.stable} failed its gate; removing the ${created.length} object(s) it created.`);
            await removeObjects(client, created, ctx.cleanup, logger);
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
    const route = httpRoute({
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
    const existed = (await client.get(routePath(namespace, route.metadata.name))) !== undefined;
    // Listed before the apply: a run cancelled while it applies still has it removed (a first release) or
    // its weights sent back to stable (a canary; the route then stays, as stable's way in).
    if (mode === 'first' && !existed) {
        cleanup.created(objectKey(route));
        created.push(route);
    }
    if (mode === 'canary')
        cleanup.route(route.metadata.name, config.cluster.fieldManager);
    await applyRoute(client, route, gateway.namespace ? gateway : { ...gateway, namespace }, config.cluster.fieldManager, logger);
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
    const left = await client.get(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(plan.gated)}`);
    if (left)
        logger.warn(`Replacing the canary ${plan.gated} left in place (held, or by a run that died), which ran ${templateImages(left.spec.template).join(', ')}.`);
    logger.info(`Stable ${plan.stable} runs ${templateImages(stableLive.spec.template).join(', ')}; deploying ${plan.gated} (${config.canary.replicas} pod(s)) beside it.`);
}

;// CONCATENATED MODULE: ./src/decide/release.ts










const defaultSmoke = async (...a) => (await __webpack_require__.e(/* import() */ 353).then(__webpack_require__.bind(__webpack_require__, 9353))).smokeCanary(...a);
/**
 * deploy → smoke → decide, holding the release lock: the part of a release after render. A canary that
 * fails its gate or its smoke test is rolled back (or held, per decide.onFailure); one that passes is
 * promoted (auto) or held (manual). Every outcome is recorded in the history; a failure still throws, so
 * the step fails with the reason.
 */
async function deliverRelease(config, objects, image, ctx, smoke = defaultSmoke) {
    if (config.canary.strategy === 'kserve')
        return deliverInferenceService(config, objects, ctx);
    const stage = (name, fn) => (0,log_stage/* runStage */.S)(ctx.host.logger, ctx.report, name, fn);
    return withReleaseLock(config, ctx, async (client) => {
        let deployed;
        try {
            deployed = await stage('deploy', async () => {
                const r = await deployCanary(config, objects, ctx, image);
                return { value: r, detail: `${r.mode === 'first' ? 'first release as stable' : r.deployment}: revision ${r.revision}, ${r.readyPods.length} Ready pod(s) in ${(r.gateMs / 1000).toFixed(1)}s` };
            });
        }
        catch (err) {
            // Nothing was applied for a config the deployer refuses; anything else may have left a canary.
            if (err instanceof errors/* ModelCanaryError */.Md && (err.kind === 'unavailable' || err.kind === 'user'))
                throw err;
            try {
                await afterFailedDeploy(client, config, objects, image, ctx, err);
            }
            catch (cleanupErr) {
                ctx.host.logger.warn(`Rolling back after the failed deploy failed too: ${cleanupErr instanceof Error ? cleanupErr.message : String(cleanupErr)}; the post step removes what this run created.`);
            }
            throw err;
        }
        const smoked = await runSmoke(config, deployed, ctx, smoke);
        return stage('decide', async () => {
            const verdict = await release_decide(client, config, deployed, smoked, ctx);
            return { value: verdict, detail: verdict };
        });
    });
}
async function afterFailedDeploy(client, config, objects, image, ctx, err) {
    const { logger } = ctx.host;
    const stable = modelDeployment(objects, image).metadata.name;
    const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    const canary = `${stable}${CANARY_SUFFIX}`;
    let verdict;
    if (config.decide.onFailure === 'hold' && (await keepCanary(client, config, stable, ctx.cleanup))) {
        logger.info(`Holding the failed canary ${canary} for inspection (decide.onFailure is hold); run command rollback to remove it.`);
        verdict = 'held';
    }
    else {
        const removed = await stage(ctx, 'rollback', async () => {
            const had = await removeCanary(client, config, stable, ctx.cleanup, logger);
            return { value: had, detail: had ? 'canary removed; stable untouched' : 'no canary to remove' };
        });
        verdict = removed && err instanceof GateFailure ? 'rolled-back' : 'failed';
    }
    ctx.report.outputs.verdict = verdict;
    await record(client, config, ctx, { image, verdict, smoke: 'not run: the gate failed' });
    const rows = [
        ['Verdict', verdict],
        ['Image', image],
        ['Reason', reason],
    ];
    if (err instanceof GateFailure) {
        const seconds = ((Date.now() - err.detectedAt) / 1000).toFixed(1);
        rows.push(['Gate', `${err.signal.reason} on ${err.signal.object} after ${((err.detectedAt - err.startedAt) / 1000).toFixed(1)}s; rolled back ${seconds}s after the signal was seen`]);
        logger.info(`Verdict ${verdict} ${seconds}s after the gate saw ${err.signal.reason}.`);
    }
    ctx.report.sections.push(decisionSection(rows));
}
async function runSmoke(config, deployed, ctx, smoke) {
    if (!config.smoke.enabled) {
        ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: 0, detail: 'smoke.enabled is false: the gate decides' });
        return { pass: true, summary: 'smoke disabled' };
    }
    return ctx.host.logger.group('smoke', () => smokeInGroup(config, deployed, ctx, smoke));
}
async function smokeInGroup(config, deployed, ctx, smoke) {
    const started = Date.now();
    try {
        const report = await smoke(config, deployed, ctx);
        const summary = `${report.verdict}: error rate ${(report.errorRate * 100).toFixed(1)}%, p95 ${Math.round(report.p95Ms)} ms`;
        const { smokeOutputs, SmokeFailed } = await __webpack_require__.e(/* import() */ 353).then(__webpack_require__.bind(__webpack_require__, 9353));
        // The smoke figures; the verdict output is the decision's, set by decide.
        Object.assign(ctx.report.outputs, { ...smokeOutputs(report), verdict: ctx.report.outputs.verdict });
        ctx.report.stages.push({ name: 'smoke', status: report.verdict === 'pass' ? 'ok' : 'failed', durationMs: Date.now() - started, detail: summary });
        if (report.verdict === 'pass')
            return { pass: true, summary };
        return { pass: false, summary, error: new SmokeFailed(report) };
    }
    catch (err) {
        if (err instanceof errors/* ModelCanaryError */.Md && err.kind === 'unavailable') {
            ctx.host.logger.warn('The smoke stage is not available in this version: smoke is skipped and the readiness gate decides.');
            ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: Date.now() - started, detail: 'not available: the gate decides' });
            return { pass: true, summary: 'skipped (not available)' };
        }
        const message = err instanceof Error ? err.message : String(err);
        ctx.report.stages.push({ name: 'smoke', status: 'failed', durationMs: Date.now() - started, detail: message.split('\n')[0] ?? message });
        return { pass: false, summary: `error: ${message.split('\n')[0] ?? message}`, error: err };
    }
}
async function release_decide(client, config, deployed, smoked, ctx) {
    const { logger } = ctx.host;
    const rows = [['Image', deployed.image], ['Gate', `${deployed.readyPods.length} pod(s) Ready in ${(deployed.gateMs / 1000).toFixed(1)}s`], ['Smoke', smoked.summary]];
    const finish = async (verdict, error) => {
        ctx.report.outputs.verdict = verdict;
        const rec = await record(client, config, ctx, { image: deployed.image, verdict, smoke: smoked.summary });
        ctx.report.sections.push(decisionSection([['Verdict', verdict], ['Revision', String(rec.revision)], ...rows]));
        if (error)
            throw error;
        return verdict;
    };
    if (deployed.mode === 'first') {
        if (smoked.pass) {
            for (const o of deployed.created)
                ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
            return finish('promoted');
        }
        logger.info(`The first release of ${deployed.stable} failed its smoke test; removing what it created.`);
        await removeObjects(client, deployed.created, ctx.cleanup, logger);
        return finish('failed', smokeError(smoked));
    }
    if (!smoked.pass && config.decide.onFailure === 'rollback') {
        await removeCanary(client, config, deployed.stable, ctx.cleanup, logger);
        return finish('rolled-back', smokeError(smoked));
    }
    if (!smoked.pass || config.decide.mode === 'manual') {
        for (const o of deployed.created)
            ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
        if (config.canary.strategy === 'traffic')
            ctx.cleanup.route(deployed.stable, undefined);
        logger.info(`Holding the canary ${deployed.deployment} (${smoked.pass ? 'decide.mode is manual' : 'decide.onFailure is hold'}): run command promote or rollback to finish.`);
        return finish('held', smoked.pass ? undefined : smokeError(smoked));
    }
    try {
        const promotion = await promoteCanary(client, config, deployed.stable, { cleanup: ctx.cleanup, logger }, deployed.shared);
        rows.push(['Stable rollout', `${promotion.gate.readyPods.length} pod(s) Ready in ${(promotion.gate.elapsedMs / 1000).toFixed(1)}s`]);
        return await finish('promoted');
    }
    catch (err) {
        if (!(err instanceof GateFailure))
            throw err;
        await removeCanary(client, config, deployed.stable, ctx.cleanup, logger);
        rows.push(['Stable rollout', `failed (${err.signal.reason}); stable reverted, canary removed`]);
        return finish('failed', err);
    }
}
function smokeError(smoked) {
    return smoked.error ?? new errors/* ModelCanaryError */.Md('model', `The canary failed its smoke test (${smoked.summary}).`, 'See the smoke report for the failing cases and pods.');
}
function stage(ctx, name, fn) {
    return (0,log_stage/* runStage */.S)(ctx.host.logger, ctx.report, name, fn);
}

;// CONCATENATED MODULE: ./src/decide/index.ts











/**
 * The commands that act on what is in the cluster, from any run: promote a held canary, roll back (remove
 * a canary, or restore a recorded revision to stable), list the releases. The stable Deployment is named
 * after the model (as the builtin chart names it).
 */
async function promote(config, ctx) {
    if (config.canary.strategy === 'kserve')
        return promoteKServe(config, ctx);
    return withReleaseLock(config, ctx, async (client) => {
        await checkPromoteExpectations(client, config);
        let promotion;
        try {
            promotion = await promoteCanary(client, config, config.model.name, { cleanup: ctx.cleanup, logger: ctx.host.logger });
        }
        catch (err) {
            if (!(err instanceof GateFailure))
                throw err;
            ctx.report.outputs.verdict = 'failed';
            const canary = await client.get(deploymentPath(config.cluster.namespace, `${config.model.name}${CANARY_SUFFIX}`));
            const image = canary ? modelImage(canary.spec.template, config.image.repository) : '';
            const rec = await record(client, config, ctx, { image, verdict: 'failed', smoke: `stable rollout failed: ${err.signal.reason}` });
            ctx.report.sections.push(decisionSection([['Verdict', 'failed'], ['Revision', String(rec.revision)], ['Image', image], ['Stable rollout', `failed (${err.signal.reason}); stable reverted, the canary is still held`]]));
            throw err;
        }
        ctx.report.outputs.verdict = 'promoted';
        const rec = await record(client, config, ctx, { image: promotion.image, version: promotion.version, verdict: 'promoted', smoke: 'promoted by command promote' });
        ctx.report.sections.push(decisionSection([['Verdict', 'promoted'], ['Revision', String(rec.revision)], ['Image', promotion.image], ['Stable rollout', `${promotion.gate.readyPods.length} pod(s) Ready in ${(promotion.gate.elapsedMs / 1000).toFixed(1)}s`]]));
        return 'promoted';
    });
}
/**
 * With a canary in place and revision `previous`: removes the canary, stable untouched. Otherwise restores
 * the revision (`previous` or a number from status) to stable, gated, from the history in the cluster.
 */
async function rollback(config, ctx) {
    if (config.canary.strategy === 'kserve')
        return rollbackKServe(config, ctx);
    const { logger } = ctx.host;
    const stable = config.model.name;
    const wanted = config.run.revision || 'previous';
    return withReleaseLock(config, ctx, async (client) => {
        const canary = await client.get(deploymentPath(config.cluster.namespace, `${stable}${CANARY_SUFFIX}`));
        ctx.report.outputs.verdict = 'rolled-back';
        if (canary && wanted === 'previous') {
            await removeCanary(client, config, stable, ctx.cleanup, logger);
            const image = modelImage(canary.spec.template, config.image.repository);
            const rec = await record(client, config, ctx, { image, version: canary.metadata.labels?.['app.kubernetes.io/version'], verdict: 'rolled-back', smoke: 'canary removed by command rollback' });
            ctx.report.sections.push(decisionSection([['Verdict', 'rolled-back'], ['Revision', String(rec.revision)], ['Removed canary', image], ['Stable', 'untouched']]));
            return 'rolled-back';
        }
        const restored = await restoreRevision(client, config, stable, wanted, { cleanup: ctx.cleanup, logger });
        const rec = await record(client, config, ctx, { image: restored.record.image, version: restored.record.version, verdict: 'restored', smoke: `restored revision ${restored.record.revision}`, restoredFrom: restored.record.revision });
        ctx.report.sections.push(decisionSection([['Verdict', 'rolled-back'], ['Revision', String(rec.revision)], ['Restored', `revision ${restored.record.revision}: ${restored.record.image}`], ['Replaced', restored.from], ['Stable rollout', `${restored.gate.readyPods.length} pod(s) Ready in ${(restored.gate.elapsedMs / 1000).toFixed(1)}s`]]));
        return 'rolled-back';
    });
}
/** Logs what runs and the recorded releases, and adds them to the job summary. */
async function decide_status(config, ctx) {
    const client = await ctx.kube.client();
    const s = await readStatus(client, config, config.model.name);
    for (const line of statusLines(config.model.name, s))
        ctx.host.logger.info(line);
    ctx.report.sections.push(statusMarkdown(config.model.name, s));
    const latest = s.history[0];
    if (latest)
        ctx.report.outputs.revision = String(latest.revision);
    if (!s.stable && s.history.length === 0) {
        ctx.host.logger.warn(`Nothing of ${config.model.name} is deployed in namespace ${config.cluster.namespace} yet.`);
    }
    return s;
}


/***/ })

};

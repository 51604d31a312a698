"use strict";
exports.id = 19;
exports.ids = [19];
exports.modules = {

/***/ 3019:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GateFailure: () => (/* reexport */ GateFailure),
  deployCanary: () => (/* binding */ deployCanary)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
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
    Unschedulable: 'No node can run the pod (not enough CPU, memory or GPUs, or taints); free capacity or lower the requests.',
    ProgressDeadlineExceeded: 'The Deployment made no progress within its progressDeadlineSeconds.',
    FailedCreate: 'The ReplicaSet cannot create pods (Pod Security admission, a quota or a missing ServiceAccount); the event says which.',
    NotReady: 'The pods did not pass their readiness probe in time; raise canary.readinessTimeout for large models, or fix the readiness endpoint.',
};
/** The first decisive failure in a pod's status, or undefined while it may still become Ready. */
function podSignal(pod, maxRestarts) {
    const name = pod.metadata.name;
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
    const oom = [c.state?.terminated, c.lastState?.terminated].find((t) => t && (t.reason === 'OOMKilled' || t.exitCode === 137));
    if (oom) {
        return withAt({ ...base, reason: 'OOMKilled', detail: `container ${c.name} was killed (${oom.reason ?? 'exit code'} ${oom.exitCode ?? ''}) after ${c.restartCount} restart(s)`.replace(/ +\)/, ')') }, oom.finishedAt);
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
    return line.length > 300 ? `${line.slice(0, 297)}...` : line;
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
        super('model', message, REASON_HINTS[signal.reason === 'Restarts' ? 'Restarts' : signal.reason] ?? 'Fix the model server and release again.');
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

;// CONCATENATED MODULE: ./src/deploy/gate.ts


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
    const evaluate = () => {
        if (done)
            return;
        for (const pod of pods.values()) {
            const signal = podSignal(pod, options.maxRestarts);
            if (signal)
                return fail(signal);
        }
        const ready = [...pods.values()].filter(podReady).map((p) => p.metadata.name).sort();
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
        if (signal)
            fail(signal);
    };
    void keepWatching(client, podsPath, { labelSelector: selector }, listed.metadata.resourceVersion, onPod, abort.signal, logger);
    void keepWatching(client, `/api/v1/namespaces/${ns}/events`, {}, undefined, onEvent, abort.signal, logger);
    evaluate();
    let lastPrinted = 0;
    const tick = async () => {
        if (done)
            return;
        const now = Date.now();
        if (now >= deadline)
            return fail(timeoutSignal(label, [...pods.values()], desired, options.timeoutMs, now));
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
            logger.info(progressLine(label, [...pods.values()], desired, now));
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
            await new Promise((r) => setTimeout(r, 500));
        }
    }
}

;// CONCATENATED MODULE: ./src/deploy/index.ts





/**
 * Applies the canary (or, when there is no stable Deployment yet, the whole release as stable) with
 * server-side apply and waits on the readiness gate. A failed gate on a first deploy removes what it
 * created; a failed canary is left for the decide stage to roll back. Call it holding the release lock.
 */
async function deployCanary(config, objects, ctx, image = ctx.report.outputs.image) {
    const { logger } = ctx.host;
    if (config.canary.strategy !== 'replicas') {
        throw new errors/* ModelCanaryError */.Md('unavailable', `canary.strategy ${config.canary.strategy} is not available in this version of model-canary.`, 'Use canary.strategy replicas (the default).');
    }
    if (objects.length === 0)
        throw new errors/* ModelCanaryError */.Md('internal', 'The deploy stage got no rendered objects.');
    const client = await ctx.kube.client();
    const namespace = config.cluster.namespace;
    const probe = planDeploy({ objects, image, namespace, canaryReplicas: config.canary.replicas, stableExists: true });
    const stableLive = await client.get(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(probe.stable)}`);
    const plan = stableLive ? probe : planDeploy({ objects, image, namespace, canaryReplicas: config.canary.replicas, stableExists: false });
    if (plan.mode === 'first')
        logger.info(`No Deployment ${plan.stable} in namespace ${namespace} yet: this first release is deployed as stable and gated.`);
    else
        logger.info(`Stable ${plan.stable} runs ${templateImages(stableLive?.spec.template ?? {}).join(', ')}; deploying ${plan.gated} (${config.canary.replicas} pod(s)) beside it.`);
    const created = await applyObjects(client, plan.apply, config.cluster.fieldManager, ctx.cleanup, logger);
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


/***/ })

};
;
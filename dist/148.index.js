"use strict";
exports.id = 148;
exports.ids = [148];
exports.modules = {

/***/ 17148:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  imageForRender: () => (/* binding */ imageForRender),
  policyFailure: () => (/* binding */ policyFailure),
  render: () => (/* binding */ render),
  renderSection: () => (/* binding */ renderSection)
});

// UNUSED EXPORTS: chartPath, renderObjects

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/tools/assets.ts
var assets = __webpack_require__(55482);
// EXTERNAL MODULE: ./src/tools/resolve.ts + 3 modules
var resolve = __webpack_require__(85291);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/config/contained.ts
var contained = __webpack_require__(53967);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
;// CONCATENATED MODULE: ./src/render/objects.ts


/**
 * Kubernetes reads YAML as YAML 1.1 (yes/no/on/off are booleans, 0644 is octal, << merges) except that
 * timestamps stay strings; this reads it the same way. It writes with the full 1.1 schema, so any string
 * a 1.1 reader could take for something else (yes, 0644, 2024-01-01) is quoted: a file written here means
 * to kubectl exactly what the objects mean to model-canary. The schemas are built once.
 */
const without = (name) => (tags) => tags.filter((tag) => typeof tag === 'string' || tag.tag !== `tag:yaml.org,2002:${name}`);
const READ_SCHEMA = new dist/* Schema */.Sj({ schema: 'yaml-1.1', customTags: without('timestamp') });
// Without the merge tag, a "<<" key is a plain string the writer can quote (see stringifyObject).
const WRITE_SCHEMA = new dist/* Schema */.Sj({ schema: 'yaml-1.1', customTags: without('merge') });
const READ_OPTIONS = {
    version: '1.1',
    schema: READ_SCHEMA,
    uniqueKeys: true,
    // Line and column are worked out only when there is an error to report (see invalidYaml).
    prettyErrors: false,
};
/** No folded lines, and no anchors: an object used twice is written twice. */
const WRITE_OPTIONS = {
    version: '1.1',
    schema: WRITE_SCHEMA,
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
};
/** "Kind/name", how messages name an object. */
function objectId(object) {
    return `${object.kind}/${object.metadata.name}`;
}
/**
 * Parses a multi-document YAML (or JSON) stream into objects. Empty documents are skipped and `kind: List`
 * is flattened; anything that is not a Kubernetes object is an error naming the source and document.
 */
function parseObjects(text, source) {
    const objects = [];
    const docs = (0,dist/* parseAllDocuments */.hR)(text, READ_OPTIONS);
    if (!Array.isArray(docs))
        return objects; // an empty stream
    docs.forEach((doc, index) => {
        const where = docs.length > 1 ? `${source}, document ${index + 1}` : source;
        if (doc.errors.length > 0)
            throw invalidYaml(text, where, index);
        let data;
        try {
            data = doc.toJS({ maxAliasCount: 1000 });
        }
        catch (err) {
            // a merge of something that is not a map, an alias to nothing, too many aliases
            throw (0,src_errors/* userError */.IF)(`${where} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`, 'Fix the YAML of that document.');
        }
        if (data === null || data === undefined)
            return;
        for (const item of listItems(data))
            objects.push(asKubeObject(item, where));
    });
    return objects;
}
/** The error for a document that is not valid YAML, parsed again with line and column to say where. */
function invalidYaml(text, where, index) {
    const again = (0,dist/* parseAllDocuments */.hR)(text, { ...READ_OPTIONS, prettyErrors: true });
    const problem = (Array.isArray(again) ? again[index] : undefined)?.errors[0];
    const message = problem ? (problem.message.split('\n')[0] ?? problem.message).replace(/:$/, '') : 'it does not parse';
    return (0,src_errors/* userError */.IF)(`${where} is not valid YAML: ${message}`, 'Fix the YAML at the line shown.');
}
function listItems(data) {
    if (isRecord(data) && typeof data['kind'] === 'string' && data['kind'].endsWith('List') && Array.isArray(data['items'])) {
        return data['items'];
    }
    return [data];
}
function asKubeObject(data, where) {
    const fix = 'Each document must be a Kubernetes object with apiVersion, kind and metadata.name.';
    if (!isRecord(data))
        throw (0,src_errors/* userError */.IF)(`${where} is not a Kubernetes object (it is ${Array.isArray(data) ? 'a list' : typeof data}).`, fix);
    const metadata = data['metadata'];
    const missing = [
        typeof data['apiVersion'] === 'string' && data['apiVersion'] !== '' ? undefined : 'apiVersion',
        typeof data['kind'] === 'string' && data['kind'] !== '' ? undefined : 'kind',
        isRecord(metadata) && typeof metadata['name'] === 'string' && metadata['name'] !== '' ? undefined : 'metadata.name',
    ].filter((m) => m !== undefined);
    if (missing.length > 0) {
        const kind = typeof data['kind'] === 'string' ? ` (kind ${data['kind']})` : '';
        throw (0,src_errors/* userError */.IF)(`${where}${kind} has no ${missing.join(', ')}.`, fix);
    }
    return data;
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Writes objects as one multi-document YAML stream, with the same reading rules parseObjects uses. */
function stringifyObjects(objects) {
    return objects.map((object) => `---\n${stringifyObject(object)}`).join('');
}
function stringifyObject(object) {
    const doc = new dist/* Document */.yo(object, WRITE_OPTIONS);
    // A key that is literally "<<" would read back as a merge: quote it so it stays a key.
    (0,dist/* visit */.YR)(doc, {
        Pair(_, pair) {
            if ((0,dist/* isScalar */.jn)(pair.key) && pair.key.value === '<<')
                pair.key.type = dist/* Scalar */.X5.QUOTE_DOUBLE;
        },
    });
    return doc.toString(WRITE_OPTIONS);
}

;// CONCATENATED MODULE: ./src/render/helm.ts




const TEMPLATE_TIMEOUT_MS = 5 * 60_000;
/** The argv of `helm template`; the request's defaults and values are in the two files given. */
function helmTemplateArgs(request, files) {
    const args = ['template', request.release, request.chart, '--namespace', request.namespace, '--skip-tests'];
    if (request.version !== undefined)
        args.push('--version', request.version);
    // A registry on the machine itself speaks plain HTTP, as Docker assumes for loopback registries.
    if (isLoopbackOci(request.chart))
        args.push('--plain-http');
    if (files.defaults !== undefined)
        args.push('--values', files.defaults);
    for (const file of request.valuesFiles)
        args.push('--values', file);
    if (files.values !== undefined)
        args.push('--values', files.values);
    for (const api of request.apiVersions ?? [])
        args.push('--api-versions', api);
    return args;
}
/** Runs `helm template` through the exec wrapper and returns the objects it rendered, as data. */
async function helmTemplate(exec, helm, request) {
    const files = {};
    let scratch;
    const folder = () => {
        (0,external_node_fs_.mkdirSync)(request.tempDir, { recursive: true });
        scratch ??= (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(request.tempDir, `model-canary-values-${request.release}-`));
        return scratch;
    };
    try {
        if (request.defaults !== undefined)
            files.defaults = writeValuesFile(folder(), 'defaults', request.defaults);
        if (request.values !== undefined)
            files.values = writeValuesFile(folder(), 'values', request.values);
        const result = await exec(helm, helmTemplateArgs(request, files), { allowFailure: true, timeoutMs: TEMPLATE_TIMEOUT_MS, echo: true });
        if (result.exitCode !== 0)
            throw helmFailure(request, result.stderr);
        return parseObjects(result.stdout, `the output of helm template (${request.describe})`);
    }
    finally {
        if (scratch !== undefined)
            (0,external_node_fs_.rmSync)(scratch, { recursive: true, force: true });
    }
}
/** JSON is YAML: values reach helm through a serializer, never as text we assemble. Readable by us only. */
function writeValuesFile(dir, what, values) {
    const file = external_node_path_default().join(dir, `${what}.json`);
    (0,external_node_fs_.writeFileSync)(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return file;
}
/** Turns helm's stderr into an error that quotes helm (it names the value's path) and says what to fix. */
function helmFailure(request, stderr) {
    const lines = stderr
        .split('\n')
        .map((l) => l.trimEnd())
        .filter((l) => l !== '' && !l.startsWith('Use --debug'));
    const text = lines.slice(-30).join('\n  ') || '(helm printed nothing)';
    const valuesProblem = /values don't meet the specifications|execution error at|required/i.test(stderr);
    return new src_errors/* ModelCanaryError */.Md(valuesProblem ? 'user' : 'command', `helm template could not render ${request.describe}:\n  ${text}`, valuesProblem ? request.valuesHint : `Check that ${request.describe} renders with \`helm template\` on its own.`);
}
function isLoopbackOci(chart) {
    const match = /^oci:\/\/(\[[^\]]+\]|[^/:]+)/.exec(chart);
    const host = match?.[1];
    return host !== undefined && (host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]');
}

;// CONCATENATED MODULE: ./src/render/kustomize-tree.ts




const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const REFERENCE_KEYS = ['resources', 'bases', 'components'];
/**
 * Checks every folder `kubectl kustomize dir` reads: the folder itself and each local folder or file its
 * kustomization names under resources, bases or components (an overlay's ../base), and theirs in turn.
 * A reference that is not on disk is remote (a URL, a git repository) or missing: kustomize's to fetch or
 * to report, not a file of the runner.
 */
function assertKustomizeContained(workspace, dir) {
    const seen = new Set();
    const visit = (folder) => {
        const real = (0,contained/* containedFile */.or)(workspace, folder, 'render.kustomize');
        if (seen.has(real))
            return;
        seen.add(real);
        (0,contained/* assertTreeContained */.CU)(workspace, folder, 'render.kustomize');
        for (const reference of localReferences(folder)) {
            const target = external_node_path_default().resolve(folder, reference);
            const kind = kindOf(target);
            if (kind === 'directory')
                visit(target);
            else if (kind === 'file')
                (0,contained/* containedFile */.or)(workspace, target, 'render.kustomize');
        }
    };
    visit(external_node_path_default().resolve(workspace, dir));
}
function localReferences(folder) {
    for (const name of KUSTOMIZATION_FILES) {
        let text;
        try {
            text = (0,external_node_fs_.readFileSync)(external_node_path_default().join(folder, name), 'utf8');
        }
        catch {
            continue;
        }
        let doc;
        try {
            doc = (0,dist/* parse */.qg)(text, { maxAliasCount: 100 });
        }
        catch {
            return [];
        }
        if (typeof doc !== 'object' || doc === null)
            return [];
        return REFERENCE_KEYS.flatMap((key) => {
            const list = doc[key];
            return Array.isArray(list) ? list.filter((r) => typeof r === 'string' && r !== '') : [];
        });
    }
    return [];
}
function kindOf(p) {
    try {
        const stat = (0,external_node_fs_.statSync)(p);
        return stat.isDirectory() ? 'directory' : 'file';
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/render/byo.ts








/** Renders the user's own deployment: their chart, their kustomize directory or their manifests. */
async function renderUserObjects(config, ctx) {
    const { render } = config;
    switch (render.mode) {
        case 'chart':
            return renderUserChart(config, ctx);
        case 'kustomize':
            return renderKustomize(required(render.kustomize, 'kustomize'), config, ctx);
        case 'manifests':
            return readManifests(required(render.manifests, 'manifests'), config.run.workspace);
        default:
            throw new src_errors/* ModelCanaryError */.Md('internal', `renderUserObjects called for render.mode ${render.mode}`);
    }
}
function required(value, key) {
    if (value === undefined)
        throw (0,src_errors/* userError */.IF)(`render.${key} is required with render.mode ${key}.`, `Set render.${key} in the model file.`);
    return value;
}
/** helm template of the user's chart (a folder or an oci:// reference) with their values; no values of ours. */
async function renderUserChart(config, ctx) {
    const chart = required(config.render.chart, 'chart');
    const helm = await (0,resolve/* resolveTool */.H)('helm', ctx.tools);
    const shown = chart.startsWith('oci://') ? chart : external_node_path_default().relative(config.run.workspace, chart) || '.';
    // helm follows every symlink in a chart folder: the whole tree is checked before helm reads it.
    if (!chart.startsWith('oci://'))
        (0,contained/* assertTreeContained */.CU)(config.run.workspace, chart, 'render.chart');
    return helmTemplate(ctx.exec, helm.path, {
        release: config.model.name,
        chart,
        ...(config.render.chartVersion !== undefined ? { version: config.render.chartVersion } : {}),
        namespace: config.cluster.namespace,
        valuesFiles: containedValuesFiles(config),
        // Only the user's values: their chart's values need not look like ours. The image is set on the objects.
        ...(Object.keys(config.render.values).length > 0 ? { values: config.render.values } : {}),
        tempDir: config.run.tempDir,
        describe: `your chart ${shown}`,
        valuesHint: `Fix render.values (or render.valuesFiles) as helm says above; the path it names is in your chart's values.`,
    });
}
/** render.valuesFiles, each checked to be (symlinks followed) inside the workspace before helm reads it. */
function containedValuesFiles(config) {
    return config.render.valuesFiles.map((file, i) => {
        (0,contained/* containedFile */.or)(config.run.workspace, file, `render.valuesFiles[${i}]`);
        return file;
    });
}
/** `kubectl kustomize DIR`, through the exec wrapper. */
async function renderKustomize(dir, config, ctx) {
    const kubectl = await (0,resolve/* resolveTool */.H)('kubectl', ctx.tools);
    const shown = external_node_path_default().relative(config.run.workspace, dir) || '.';
    assertKustomizeContained(config.run.workspace, dir);
    const result = await ctx.exec(kubectl.path, ['kustomize', dir], { allowFailure: true, timeoutMs: 5 * 60_000, echo: true });
    if (result.exitCode !== 0) {
        const text = result.stderr.trim().split('\n').slice(-20).join('\n  ');
        throw (0,src_errors/* userError */.IF)(`kubectl kustomize could not build ${shown}:\n  ${text || '(no message)'}`, `Fix the kustomization in ${shown}; \`kubectl kustomize ${shown}\` shows the same error.`);
    }
    return parseObjects(result.stdout, `the output of kubectl kustomize ${shown}`);
}
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/** Reads manifest files, and the .yaml, .yml and .json files of manifest folders (not recursive), in order. */
function readManifests(entries, workspace) {
    const files = entries.flatMap((entry, i) => {
        const what = `render.manifests[${i}]`;
        if (!(0,external_node_fs_.statSync)((0,contained/* containedFile */.or)(workspace, entry, what)).isDirectory())
            return [entry];
        const inside = (0,external_node_fs_.readdirSync)(entry)
            .filter((name) => MANIFEST_FILE.test(name))
            .sort()
            .map((name) => external_node_path_default().join(entry, name))
            .filter((file) => (0,external_node_fs_.statSync)((0,contained/* containedFile */.or)(workspace, file, what)).isFile());
        if (inside.length === 0)
            throw (0,src_errors/* userError */.IF)(`render.manifests: ${external_node_path_default().relative(workspace, entry) || '.'} holds no .yaml, .yml or .json files.`, 'Point render.manifests at your manifest files or the folder holding them.');
        return inside;
    });
    const objects = files.flatMap((file) => parseObjects((0,external_node_fs_.readFileSync)(file, 'utf8'), external_node_path_default().relative(workspace, file)));
    if (objects.length === 0)
        throw (0,src_errors/* userError */.IF)('render.manifests holds no Kubernetes objects.', 'Point render.manifests at your manifest files.');
    return objects;
}

// EXTERNAL MODULE: ./src/image/image-ref.ts
var image_ref = __webpack_require__(21052);
;// CONCATENATED MODULE: ./src/render/digest.ts

const ACCEPT = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Resolves the digest, or throws an Error whose message says why it could not. */
async function lookupDigest(lookup) {
    const ref = (0,image_ref/* parseImageRef */.Q)(lookup.repository);
    if (!ref.registry)
        throw new Error(`${lookup.repository} names no registry host, so there is no registry to ask`);
    const url = `${baseUrl(ref)}/v2/${ref.path}/manifests/${encodeURIComponent(lookup.tag)}`;
    const timeoutMs = lookup.timeoutMs ?? 20_000;
    const signal = AbortSignal.timeout(timeoutMs);
    const head = (headers) => fetch(url, { method: 'HEAD', headers: { Accept: ACCEPT, ...headers }, signal }).catch((err) => {
        throw new Error(signal.aborted ? `${baseUrl(ref)} did not answer within ${timeoutMs / 1000}s` : `could not reach ${baseUrl(ref)} (${describeCause(err)})`);
    });
    let response = await head({});
    if (response.status === 401) {
        response = await head({ Authorization: await answerChallenge(response.headers.get('www-authenticate') ?? '', ref, lookup, signal) });
    }
    if (response.status === 404)
        throw new Error(`the registry has no ${lookup.repository}:${lookup.tag} (was it built and pushed?)`);
    if (!response.ok)
        throw new Error(`the registry answered ${response.status} ${response.statusText} for ${lookup.repository}:${lookup.tag}`);
    const digest = response.headers.get('docker-content-digest') ?? '';
    if (!DIGEST.test(digest))
        throw new Error(`the registry gave no sha256 digest for ${lookup.repository}:${lookup.tag}`);
    return digest;
}
/** HTTPS, except for registries on the machine itself, which Docker also reaches over plain HTTP. */
function baseUrl(ref) {
    const host = (ref.registry ?? '').replace(/:\d+$/, '');
    const loopback = host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
    return `${loopback ? 'http' : 'https'}://${ref.registry}`;
}
async function answerChallenge(challenge, ref, lookup, signal) {
    const basic = lookup.auth ? `Basic ${Buffer.from(`${lookup.auth.username}:${lookup.auth.password}`).toString('base64')}` : undefined;
    const scheme = challenge.split(' ', 1)[0]?.toLowerCase();
    if (scheme === 'basic') {
        if (!basic)
            throw new Error('the registry wants a login; set MODEL_CANARY_REGISTRY_USERNAME and MODEL_CANARY_REGISTRY_PASSWORD');
        return basic;
    }
    if (scheme !== 'bearer')
        throw new Error(`the registry asked for an authentication it did not name (${challenge || 'no WWW-Authenticate'})`);
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const realm = params['realm'];
    if (!realm)
        throw new Error('the registry asked for a bearer token but named no realm');
    const tokenUrl = new URL(realm);
    if (params['service'])
        tokenUrl.searchParams.set('service', params['service']);
    tokenUrl.searchParams.set('scope', params['scope'] ?? `repository:${ref.path}:pull`);
    // Credentials go only to a token service reached over HTTPS (or on this machine).
    const safe = tokenUrl.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(tokenUrl.hostname);
    const headers = basic && safe ? { Authorization: basic } : {};
    const response = await fetch(tokenUrl, { headers, signal });
    if (!response.ok)
        throw new Error(`the registry's token service answered ${response.status}${basic ? '' : '; a private image needs MODEL_CANARY_REGISTRY_USERNAME and _PASSWORD'}`);
    const body = (await response.json());
    const token = body.token ?? body.access_token;
    if (!token)
        throw new Error("the registry's token service returned no token");
    return `Bearer ${token}`;
}
function describeCause(err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    return cause instanceof Error ? cause.message : String(cause);
}

;// CONCATENATED MODULE: ./src/render/inject.ts


const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
/** The reference the objects run: repository@digest, or repository:tag when there is no digest. */
function targetReference(image) {
    if (image.digest)
        return `${image.repository}@${image.digest}`;
    return image.tag ? `${image.repository}:${image.tag}` : image.repository;
}
/**
 * Sets the model's image wherever it appears: in containers, init containers and ephemeral containers of
 * any object (Deployments, Jobs, Pods, InferenceServices, custom workloads), whatever tag or digest it had.
 * An image is the model's when its registry and path equal image.repository's, so registries with ports and
 * references already pinned to another digest are found. Works on the parsed objects, never on text.
 */
function injectImage(objects, image) {
    const wanted = (0,image_ref/* repositoryOf */._M)((0,image_ref/* parseImageRef */.Q)(image.repository));
    const now = targetReference(image);
    const replaced = [];
    const others = [];
    const out = objects.map((original) => {
        const object = structuredClone(original);
        visitContainers(object, (container, field) => {
            const current = container['image'];
            if (typeof current !== 'string')
                return;
            const use = { object: objectId(object), field, image: current };
            if (repositoryOfText(current) === wanted) {
                container['image'] = now;
                replaced.push({ ...use, now });
            }
            else {
                others.push(use);
            }
        });
        return object;
    });
    return { objects: out, replaced, others };
}
/** Calls fn on every container of every container list in the object, with the image field's path. */
function visitContainers(object, fn) {
    walk(object, '', fn);
}
function walk(node, at, fn) {
    if (Array.isArray(node)) {
        node.forEach((item, i) => walk(item, `${at}[${i}]`, fn));
        return;
    }
    if (!isRecord(node))
        return;
    for (const [key, value] of Object.entries(node)) {
        const here = at === '' ? key : `${at}.${key}`;
        if (CONTAINER_LISTS.includes(key) && Array.isArray(value)) {
            value.forEach((container, i) => {
                if (isRecord(container))
                    fn(container, `${here}[${i}].image`);
            });
        }
        walk(value, here, fn);
    }
}
function repositoryOfText(image) {
    try {
        return (0,image_ref/* repositoryOf */._M)((0,image_ref/* parseImageRef */.Q)(image));
    }
    catch {
        return undefined; // not a reference we can read (a leftover placeholder); the policy reports it
    }
}

;// CONCATENATED MODULE: ./src/render/pod-specs.ts

const LONG_RUNNING_TEMPLATES = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);
const KSERVE_COMPONENTS = ['predictor', 'transformer', 'explainer'];
/** The pod specs of an object: workloads, Jobs, CronJobs, Pods, KServe components, custom workloads. */
function podSpecsOf(object) {
    const spec = object['spec'];
    if (!isRecord(spec))
        return [];
    const id = objectId(object);
    const at = (path, pod, longRunning, platformReadiness = false) => isRecord(pod) ? [{ object: id, path, spec: pod, longRunning, platformReadiness }] : [];
    const template = (s) => (isRecord(s) && isRecord(s['template']) ? s['template']['spec'] : undefined);
    switch (object.kind) {
        case 'Pod':
            return at('spec', spec, spec['restartPolicy'] === undefined || spec['restartPolicy'] === 'Always');
        case 'Job':
            return at('spec.template.spec', template(spec), false);
        case 'CronJob':
            return at('spec.jobTemplate.spec.template.spec', isRecord(spec['jobTemplate']) ? template(spec['jobTemplate']['spec']) : undefined, false);
        case 'InferenceService':
            return KSERVE_COMPONENTS.flatMap((c) => at(`spec.${c}`, spec[c], true, true));
        default: {
            const pod = template(spec);
            // A workload of an API we do not know (an Argo Rollout, say) that holds a pod template: long-running.
            if (LONG_RUNNING_TEMPLATES.has(object.kind) || (isRecord(pod) && Array.isArray(pod['containers']))) {
                return at('spec.template.spec', pod, true);
            }
            return [];
        }
    }
}
/** The containers, init containers and (in a KServe predictor) the model of a pod spec. */
function containersOf(pod) {
    const out = [];
    const add = (list, init) => {
        const items = pod.spec[list];
        if (!Array.isArray(items))
            return;
        items.forEach((c, i) => {
            if (!isRecord(c))
                return;
            const sidecar = init && c['restartPolicy'] === 'Always';
            out.push({ pod, path: `${pod.path}.${list}[${i}]`, name: typeof c['name'] === 'string' ? c['name'] : `#${i}`, container: c, init: init && !sidecar });
        });
    };
    add('initContainers', true);
    add('containers', false);
    const model = pod.spec['model'];
    if (pod.platformReadiness && isRecord(model))
        out.push({ pod, path: `${pod.path}.model`, name: 'model', container: model, init: false });
    return out;
}
/** Every container of every pod spec of the objects. */
function allContainers(objects) {
    return objects.flatMap(podSpecsOf).flatMap(containersOf);
}
/** A field of a record, as a record (or undefined). */
function rec(value, key) {
    if (!isRecord(value))
        return undefined;
    const field = value[key];
    return isRecord(field) ? field : undefined;
}

;// CONCATENATED MODULE: ./src/render/policy.ts



const finding = (object, field, problem, fix) => ({
    object,
    field,
    message: `${object} ${field}: ${problem}; ${fix}.`,
});
const who = (c) => `${c.init ? 'init container' : 'container'} "${c.name}"`;
const missingResources = (objects) => allContainers(objects).flatMap((c) => {
    const resources = rec(c.container, 'resources');
    const missing = [
        ['requests', 'cpu'],
        ['requests', 'memory'],
        ['limits', 'memory'],
    ]
        .filter(([kind, name]) => rec(resources, kind)?.[name] === undefined)
        .map(([kind, name]) => `${kind}.${name}`);
    if (missing.length === 0)
        return [];
    return [
        finding(c.pod.object, `${c.path}.resources`, `${who(c)} has no ${missing.join(', ')}`, "set requests (cpu, memory) and a memory limit (model-canary's chart: render.values.resources) so the scheduler reserves what the model needs and a leak cannot starve the node"),
    ];
});
const missingReadinessProbe = (objects) => allContainers(objects)
    .filter((c) => c.pod.longRunning && !c.pod.platformReadiness && !c.init && c.container['readinessProbe'] === undefined)
    .map((c) => finding(c.pod.object, `${c.path}.readinessProbe`, `${who(c)} has no readinessProbe`, 'add one on the model-ready endpoint, or pods get traffic before the model is loaded'));
function parsedImage(c) {
    const text = c.container['image'];
    if (typeof text !== 'string')
        return undefined;
    try {
        const ref = (0,image_ref/* parseImageRef */.Q)(text);
        return { text, ...(ref.tag !== undefined ? { tag: ref.tag } : {}), ...(ref.digest !== undefined ? { digest: ref.digest } : {}) };
    }
    catch {
        return { text };
    }
}
const unpinnedImage = (objects) => allContainers(objects).flatMap((c) => {
    const image = parsedImage(c);
    if (!image || image.digest)
        return [];
    return [
        finding(c.pod.object, `${c.path}.image`, `${who(c)} image "${image.text}" is not pinned by digest`, 'use repository@sha256:<digest> so every pod runs the same bytes (model-canary pins image.repository itself; pin the other images)'),
    ];
});
const latestTag = (objects) => allContainers(objects).flatMap((c) => {
    const image = parsedImage(c);
    if (!image || image.digest || (image.tag !== undefined && image.tag !== 'latest'))
        return [];
    const how = image.tag === 'latest' ? 'uses the latest tag' : 'has no tag, so it means latest';
    return [finding(c.pod.object, `${c.path}.image`, `${who(c)} image "${image.text}" ${how}`, 'pin it by digest (or at least a fixed version tag)')];
});
const privileged = (objects) => allContainers(objects).flatMap((c) => {
    const sc = rec(c.container, 'securityContext');
    const out = [];
    if (sc?.['privileged'] === true) {
        out.push(finding(c.pod.object, `${c.path}.securityContext.privileged`, `${who(c)} is privileged`, 'remove privileged: true; a model server needs no host access'));
    }
    if (sc?.['allowPrivilegeEscalation'] === true) {
        out.push(finding(c.pod.object, `${c.path}.securityContext.allowPrivilegeEscalation`, `${who(c)} allows privilege escalation`, 'set allowPrivilegeEscalation: false'));
    }
    const added = rec(sc, 'capabilities')?.['add'];
    const extra = Array.isArray(added) ? added.filter((cap) => cap !== 'NET_BIND_SERVICE') : [];
    if (extra.length > 0) {
        out.push(finding(c.pod.object, `${c.path}.securityContext.capabilities.add`, `${who(c)} adds capabilities ${extra.join(', ')}`, 'drop ALL capabilities and add none (NET_BIND_SERVICE at most)'));
    }
    return out;
});
const runAsRoot = (objects) => allContainers(objects).flatMap((c) => {
    const pod = rec(c.pod.spec, 'securityContext');
    const own = rec(c.container, 'securityContext');
    const user = own?.['runAsUser'] ?? pod?.['runAsUser'];
    if (user === 0) {
        const where = own?.['runAsUser'] === 0 ? `${c.path}.securityContext.runAsUser` : `${c.pod.path}.securityContext.runAsUser`;
        return [finding(c.pod.object, where, `${who(c)} runs as root (runAsUser 0)`, 'run as a non-zero user id and set runAsNonRoot: true')];
    }
    if ((own?.['runAsNonRoot'] ?? pod?.['runAsNonRoot']) !== true) {
        return [
            finding(c.pod.object, `${c.path}.securityContext.runAsNonRoot`, `${who(c)} may run as root`, 'set runAsNonRoot: true (on the pod or the container) with a non-zero runAsUser'),
        ];
    }
    return [];
});
const HOST_NAMESPACES = { hostNetwork: 'network', hostPID: 'process ids', hostIPC: 'IPC namespace' };
const hostAccess = (objects) => objects.flatMap(podSpecsOf).flatMap((pod) => {
    const out = [];
    for (const [field, what] of Object.entries(HOST_NAMESPACES)) {
        if (pod.spec[field] === true)
            out.push(finding(pod.object, `${pod.path}.${field}`, `the pod shares the node's ${what}`, `remove ${field}: true`));
    }
    const volumes = pod.spec['volumes'];
    if (Array.isArray(volumes)) {
        volumes.forEach((v, i) => {
            if (isRecord(v) && v['hostPath'] !== undefined) {
                out.push(finding(pod.object, `${pod.path}.volumes[${i}].hostPath`, `volume "${String(v['name'])}" mounts a host path`, 'use an emptyDir, a PersistentVolumeClaim or a ConfigMap instead'));
            }
        });
    }
    for (const list of ['containers', 'initContainers']) {
        const containers = pod.spec[list];
        if (!Array.isArray(containers))
            continue;
        containers.forEach((c, i) => {
            const ports = isRecord(c) ? c['ports'] : undefined;
            if (!Array.isArray(ports))
                return;
            ports.forEach((p, j) => {
                if (isRecord(p) && typeof p['hostPort'] === 'number' && p['hostPort'] > 0) {
                    out.push(finding(pod.object, `${pod.path}.${list}[${i}].ports[${j}].hostPort`, `port ${String(p['containerPort'])} is bound on the node`, 'remove hostPort and reach the pods through a Service'));
                }
            });
        });
    }
    return out;
});
const GPU_RESOURCE = /(^|\/)gpu$|^nvidia\.com\//;
const gpuWithoutTolerations = (objects) => allContainers(objects).flatMap((c) => {
    const resources = rec(c.container, 'resources');
    const gpus = new Set([...Object.keys(rec(resources, 'limits') ?? {}), ...Object.keys(rec(resources, 'requests') ?? {})].filter((k) => GPU_RESOURCE.test(k)));
    const tolerations = Array.isArray(c.pod.spec['tolerations']) ? c.pod.spec['tolerations'].filter(isRecord) : [];
    return [...gpus]
        .filter((gpu) => !tolerations.some((t) => t['key'] === gpu || (t['operator'] === 'Exists' && (t['key'] === undefined || t['key'] === ''))))
        .map((gpu) => finding(c.pod.object, `${c.pod.path}.tolerations`, `${who(c)} asks for ${gpu} but the pod tolerates no ${gpu} taint`, `add a toleration {key: ${gpu}, operator: Exists, effect: NoSchedule} (model-canary's chart adds it with gpu.count), or GPU nodes, which are usually tainted, never take the pod`));
});
const replicasWithHpa = (objects) => {
    const targets = objects
        .filter((o) => o.kind === 'HorizontalPodAutoscaler')
        .flatMap((hpa) => {
        const ref = rec(hpa['spec'], 'scaleTargetRef');
        return ref ? [{ hpa: objectId(hpa), kind: ref['kind'], name: ref['name'] }] : [];
    });
    return objects.flatMap((o) => {
        const target = targets.find((t) => t.kind === o.kind && t.name === o.metadata.name);
        if (!target || !isRecord(o['spec']) || o['spec']['replicas'] === undefined)
            return [];
        return [
            finding(objectId(o), 'spec.replicas', `is set although ${target.hpa} scales it`, "remove spec.replicas (model-canary's chart leaves it out when autoscaling.enabled is true), or every apply resets the HPA's choice"),
        ];
    });
};
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
const inlineSecrets = (objects) => {
    const inSecrets = objects
        .filter((o) => o.kind === 'Secret' && o.apiVersion === 'v1')
        .flatMap((o) => ['data', 'stringData']
        .filter((field) => isRecord(o[field]) && Object.keys(o[field]).length > 0)
        .map((field) => finding(objectId(o), field, 'holds secret values in the rendered objects (and so in files and logs)', 'create the Secret outside model-canary and reference it (render.values.secretEnv or envFromSecrets)')));
    const inEnv = allContainers(objects).flatMap((c) => {
        const env = c.container['env'];
        if (!Array.isArray(env))
            return [];
        return env.flatMap((e, i) => isRecord(e) && typeof e['name'] === 'string' && SECRET_NAME.test(e['name']) && typeof e['value'] === 'string' && e['value'] !== ''
            ? [
                finding(c.pod.object, `${c.path}.env[${i}].value`, `${who(c)} sets ${e['name']} to a literal value`, "read it from a Secret with valueFrom.secretKeyRef (model-canary's chart: render.values.secretEnv)"),
            ]
            : []);
    });
    return [...inSecrets, ...inEnv];
};
/** The rules, by their name in render.policy. */
const RULES = {
    missingResources,
    missingReadinessProbe,
    unpinnedImage,
    latestTag,
    privileged,
    runAsRoot,
    hostAccess,
    gpuWithoutTolerations,
    replicasWithHpa,
    inlineSecrets,
};
/** Runs every rule that is not off and returns what they found, at the level render.policy gives. */
function checkPolicy(objects, policy) {
    return Object.keys(RULES).flatMap((rule) => {
        const level = policy[rule];
        if (level === 'off')
            return [];
        return RULES[rule](objects).map((f) => ({ rule, level, ...f }));
    });
}

// EXTERNAL MODULE: ./src/log/markdown.ts
var markdown = __webpack_require__(20157);
;// CONCATENATED MODULE: ./src/render/summary.ts


/** One line per object: Kind/name and what matters about it (replicas, scaling range, ports). */
function objectLines(objects) {
    return objects.map((o) => {
        const detail = describe(o);
        return detail ? `${objectId(o)} (${detail})` : objectId(o);
    });
}
function describe(o) {
    const spec = isRecord(o['spec']) ? o['spec'] : {};
    const parts = [];
    if (o.metadata.labels?.['track'])
        parts.push(`track ${o.metadata.labels['track']}`);
    switch (o.kind) {
        case 'Deployment':
        case 'StatefulSet':
            parts.push(spec['replicas'] === undefined ? 'replicas from its autoscaler' : `${String(spec['replicas'])} replica(s)`);
            break;
        case 'HorizontalPodAutoscaler':
            parts.push(`${String(spec['minReplicas'] ?? 1)}-${String(spec['maxReplicas'])} replicas`);
            break;
        case 'Service':
            if (Array.isArray(spec['ports']))
                parts.push(`port ${spec['ports']
                    .filter(isRecord)
                    .map((p) => String(p['port']))
                    .join(', ')}`);
            break;
    }
    return parts.join(', ');
}
/** The job summary section of the render stage, written from the same result the log is. */
function renderMarkdown(result, outputShown) {
    const lines = [
        '### Rendered objects',
        '',
        `${result.objects.length} objects from ${result.source}, written to \`${outputShown}\`. Image: \`${result.image}\``,
        '',
        '| Kind | Name | Detail |',
        '| --- | --- | --- |',
        ...result.objects.map((o) => `| ${o.kind} | ${(0,markdown/* cell */.Hn)(o.metadata.name)} | ${(0,markdown/* cell */.Hn)(describe(o))} |`),
    ];
    if (result.findings.length > 0) {
        lines.push('', '**Policy findings**', '', '| Level | Rule | Object | Field | What to do |', '| --- | --- | --- | --- | --- |');
        for (const f of result.findings)
            lines.push(`| ${f.level} | ${f.rule} | ${(0,markdown/* cell */.Hn)(f.object)} | ${(0,markdown/* codeCell */.MZ)(f.field)} | ${(0,markdown/* cell */.Hn)(f.message)} |`);
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/render/values.ts

/** The model server's ready and live endpoints, by protocol (see REFERENCE.md, model-server protocols). */
function probePaths(config) {
    const model = config.model.name;
    const byProtocol = {
        'kserve-v1': { readinessPath: `/v1/models/${model}`, livenessPath: '' },
        'open-inference-v2': { readinessPath: `/v2/models/${model}/ready`, livenessPath: '/v2/health/live' },
        'tf-serving': { readinessPath: `/v1/models/${model}`, livenessPath: '' },
        torchserve: { readinessPath: '/ping', livenessPath: '' },
        bentoml: { readinessPath: '/readyz', livenessPath: '/livez' },
        http: { readinessPath: config.smoke.http?.readyPath ?? '/readyz', livenessPath: '' },
    };
    return byProtocol[config.smoke.protocol];
}
/**
 * Values model-canary derives but the user may change (in render.valuesFiles or render.values): the track
 * (stable; the canary stage sets canary) and the probe paths for the protocol. Passed to helm first.
 */
function chartDefaults(config) {
    return { track: 'stable', serving: probePaths(config) };
}
/**
 * The values passed to helm last: the model file's render.values, under what model-canary owns (the
 * model's name and version, the image, the serving port and protocol, the mode). Built as data; helm gets
 * it as a JSON file.
 */
function chartValues(config, image) {
    const imageValues = { repository: image.repository };
    if (image.digest)
        imageValues['digest'] = image.digest;
    else if (image.tag)
        imageValues['tag'] = image.tag;
    const owned = {
        mode: config.render.mode === 'kserve' ? 'kserve' : 'deployment',
        model: { name: config.model.name, version: config.model.version, framework: config.model.framework },
        image: imageValues,
        serving: { port: config.smoke.port, protocol: config.smoke.protocol },
    };
    return deepMerge(config.render.values, owned);
}
/** Merges override into base: objects merge key by key, anything else (lists included) is replaced. */
function deepMerge(base, override) {
    const out = { ...base };
    for (const [key, value] of Object.entries(override)) {
        const current = out[key];
        out[key] = isRecord(current) && isRecord(value) ? deepMerge(current, value) : value;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/render/write.ts



/**
 * Writes the rendered objects to file as YAML, through the serializer: the file holds exactly the data
 * the later stages use. Comment lines at the top say where the objects came from.
 */
function writeRendered(file, objects, about) {
    const header = about.map((line) => `# ${line.replace(/[\r\n]+/g, ' ')}\n`).join('');
    (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(file), { recursive: true });
    (0,external_node_fs_.writeFileSync)(file, header + stringifyObjects(objects));
}

;// CONCATENATED MODULE: ./src/render/index.ts













/** Renders the model's Kubernetes objects through Helm (or the user's own manifests). */
async function renderObjects(config, image, ctx) {
    const result = await render(config, image, ctx);
    const failed = policyFailure(result, config);
    if (failed)
        throw failed;
    return result.objects;
}
/**
 * The render stage: objects from model-canary's chart (or the user's chart, kustomize directory or
 * manifests), the model's image set by digest, the policy checked, the objects written to render.output.
 * Policy findings are returned, not thrown: the caller reports them, then fails with policyFailure().
 */
async function render(config, image, ctx) {
    const { logger } = ctx.host;
    const target = targetImage(config, image);
    const builtin = config.render.mode === 'builtin' || config.render.mode === 'kserve';
    const source = describeSource(config);
    const rendered = builtin ? await renderChart(config, target, ctx) : await renderUserObjects(config, ctx);
    const injection = injectImage(rendered, target);
    if (!builtin && injection.replaced.length === 0) {
        const seen = injection.others.map((u) => `${u.object} ${u.field}: ${u.image}`);
        throw new src_errors/* ModelCanaryError */.Md('user', `No container in ${source} runs the model's image ${config.image.repository}${seen.length ? `; the images are:\n${seen.map((s) => `  - ${s}`).join('\n')}` : ' (there are no containers)'}.`, `Use ${config.image.repository} (any tag) as the model server's image; model-canary sets its digest.`);
    }
    const objects = injection.objects;
    for (const hook of objects.filter((o) => o.metadata.annotations?.['helm.sh/hook'] !== undefined)) {
        logger.warn(`${objectId(hook)} is a helm hook (${hook.metadata.annotations?.['helm.sh/hook'] ?? ''}); model-canary applies it as an ordinary object.`);
    }
    for (const other of objects.filter((o) => o.metadata.namespace !== undefined && o.metadata.namespace !== config.cluster.namespace)) {
        logger.warn(`${objectId(other)} names namespace ${other.metadata.namespace ?? ''}, not cluster.namespace ${config.cluster.namespace}.`);
    }
    const findings = checkPolicy(objects, config.render.policy);
    const reference = targetReference(target);
    writeRendered(config.render.output, objects, [
        `Rendered by model-canary from ${source}: ${objects.length} objects for model ${config.model.name} ${config.model.version}.`,
        `Image: ${reference}`,
    ]);
    const result = {
        objects,
        findings,
        output: config.render.output,
        source,
        image: reference,
        injected: injection.replaced.map((r) => `${r.object} ${r.field}`),
    };
    logSummary(logger, config, result);
    return result;
}
/** The error to fail with when a policy rule at level error found something; undefined when none did. */
function policyFailure(result, config) {
    const errors = result.findings.filter((f) => f.level === 'error');
    if (errors.length === 0)
        return undefined;
    return new src_errors/* ModelCanaryError */.Md('user', `The rendered objects break ${errors.length} policy rule(s):\n${errors.map((f) => `  - ${f.rule}: ${f.message}`).join('\n')}`, `Fix each as it says, or set the rule to warn or off in render.policy. The objects are in ${relative(config, result.output)}.`);
}
/** The job summary section for a render result. */
function renderSection(result, config) {
    return renderMarkdown(result, relative(config, result.output));
}
/**
 * The image for `command: render` run on its own: the digest the registry gives repository:tag (the build
 * step pushed it), or, when that cannot be read, the tag (the unpinnedImage rule then decides).
 */
async function imageForRender(config, logger) {
    const byTag = `${config.image.repository}:${config.image.tag}`;
    if (!config.image.tag)
        return { reference: config.image.repository, digest: '' };
    try {
        const digest = await lookupDigest({
            repository: config.image.repository,
            tag: config.image.tag,
            ...(config.run.registryAuth ? { auth: config.run.registryAuth } : {}),
        });
        logger.info(`${byTag} is ${digest}`);
        return { reference: `${config.image.repository}@${digest}`, digest };
    }
    catch (err) {
        logger.warn(`Could not read the digest of ${byTag} from the registry (${err instanceof Error ? err.message : String(err)}); rendering with the tag.`);
        return { reference: byTag, digest: '' };
    }
}
function targetImage(config, image) {
    if (image.digest)
        return { repository: config.image.repository, digest: image.digest };
    return config.image.tag ? { repository: config.image.repository, tag: config.image.tag } : { repository: config.image.repository };
}
async function renderChart(config, target, ctx) {
    const helm = await (0,resolve/* resolveTool */.H)('helm', ctx.tools);
    const apiVersions = CLUSTER_RENDERS.includes(config.run.command) ? await servedCapabilities(ctx) : [];
    return helmTemplate(ctx.exec, helm.path, {
        apiVersions,
        release: config.model.name,
        chart: chartPath(),
        namespace: config.cluster.namespace,
        defaults: chartDefaults(config),
        valuesFiles: containedValuesFiles(config),
        values: chartValues(config, target),
        tempDir: config.run.tempDir,
        describe: "model-canary's chart",
        valuesHint: "Fix render.values at the path helm names: '/resources/requests' is render.values.resources.requests, which must give cpu and memory. The chart's values are described in templates/chart/values.yaml and checked by its values.schema.json.",
    });
}
/** The commands whose render is applied to the cluster, so the chart may ask what the cluster serves. */
const CLUSTER_RENDERS = ['release', 'deploy'];
/** The optional APIs the chart renders for when the cluster serves them (templates/chart: the PodMonitor). */
const OPTIONAL_APIS = [{ groupVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' }];
/**
 * Which of OPTIONAL_APIS the cluster serves, as helm's --api-versions (group/version/Kind). helm template
 * alone knows no cluster, so without this the chart never renders them. A cluster that cannot be asked
 * gives none (a warning says so): the release goes on without the optional objects.
 */
async function servedCapabilities(ctx) {
    const served = [];
    try {
        const client = await ctx.kube.client();
        for (const api of OPTIONAL_APIS) {
            const list = await client.get(`/apis/${api.groupVersion}`);
            if (list?.resources?.some((r) => r.kind === api.kind))
                served.push(`${api.groupVersion}/${api.kind}`);
        }
    }
    catch (err) {
        ctx.host.logger.warn(`Could not ask the cluster which optional APIs it serves (${err instanceof Error ? err.message : String(err)}); rendering without them (no PodMonitor).`);
    }
    if (served.length > 0)
        ctx.host.logger.info(`The cluster serves ${served.join(', ')}: the chart renders for it.`);
    return served;
}
/** model-canary's own chart, shipped beside the code. */
function chartPath() {
    return external_node_path_default().join((0,assets/* assetRoot */.B)(), 'templates', 'chart');
}
function describeSource(config) {
    const { render } = config;
    switch (render.mode) {
        case 'builtin':
            return "model-canary's chart";
        case 'kserve':
            return "model-canary's chart (KServe InferenceService)";
        case 'chart':
            return `your chart ${render.chart?.startsWith('oci://') ? render.chart : relative(config, render.chart ?? '')}`;
        case 'kustomize':
            return `your kustomize directory ${relative(config, render.kustomize ?? '')}`;
        case 'manifests':
            return `your manifests ${(render.manifests ?? []).map((m) => relative(config, m)).join(', ')}`;
    }
}
function relative(config, file) {
    return external_node_path_default().relative(config.run.workspace, file) || '.';
}
function logSummary(logger, config, result) {
    logger.info(`Rendered ${result.objects.length} objects from ${result.source} into ${relative(config, result.output)}:`);
    for (const line of objectLines(result.objects))
        logger.info(`  ${line}`);
    for (const f of result.findings) {
        if (f.level === 'error')
            logger.error(`policy ${f.rule}: ${f.message}`);
        else
            logger.warn(`policy ${f.rule}: ${f.message}`);
    }
}


/***/ }),

/***/ 55482:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ assetRoot)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_2__);



let cached;
/**
 * The folder holding model-canary's own files (templates/, schema/): the action's checkout when it runs
 * as an action, the package when it runs as the CLI, the repository in tests. Found by walking up from
 * this module to the folder that has both action.yml and templates/.
 */
function assetRoot() {
    if (cached)
        return cached;
    let dir = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname((0,node_url__WEBPACK_IMPORTED_MODULE_2__.fileURLToPath)(require("url").pathToFileURL(__filename).href));
    for (;;) {
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dir, 'action.yml')) && (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dir, 'templates'))) {
            cached = dir;
            return dir;
        }
        const parent = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(dir);
        if (parent === dir)
            throw new Error('internal: model-canary templates not found beside the running code');
        dir = parent;
    }
}


/***/ })

};
;
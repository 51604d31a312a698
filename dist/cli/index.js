#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 95581:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _config_action_inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(17962);
/* harmony import */ var _config_cli_args_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(27668);
/* harmony import */ var _commands_entry_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(82272);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(83916);
/* harmony import */ var _log_cli_host_js__WEBPACK_IMPORTED_MODULE_6__ = __nccwpck_require__(57012);
/* harmony import */ var _exec_exec_js__WEBPACK_IMPORTED_MODULE_7__ = __nccwpck_require__(21211);
/* harmony import */ var _log_neutralise_js__WEBPACK_IMPORTED_MODULE_8__ = __nccwpck_require__(26582);









// The CLI twin of the action: same inputs, same code path; progress on stderr, outputs as JSON on stdout.
async function main(argv) {
    let args;
    try {
        args = (0,_config_cli_args_js__WEBPACK_IMPORTED_MODULE_3__/* .parseCliArgs */ .h)(argv);
    }
    catch (err) {
        process.stderr.write(`${(0,_log_neutralise_js__WEBPACK_IMPORTED_MODULE_8__/* .neutralise */ .$)(`error: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .asModelCanaryError */ .GW)(err).userMessage}`)}\n`);
        return 1;
    }
    if (args.help) {
        process.stdout.write(`${_config_cli_args_js__WEBPACK_IMPORTED_MODULE_3__/* .CLI_USAGE */ .B}\n`);
        return 0;
    }
    if (args.inputs.command === '') {
        // Never a default command: a bare `model-canary` must not release to the kubeconfig's cluster.
        process.stderr.write(`${_config_cli_args_js__WEBPACK_IMPORTED_MODULE_3__/* .CLI_USAGE */ .B}\n\nerror: no command given; name one (model-canary plan checks the config and changes nothing).\n`);
        return 2;
    }
    const debug = args.debug || process.env['RUNNER_DEBUG'] === '1';
    const host = (0,_log_cli_host_js__WEBPACK_IMPORTED_MODULE_6__/* .createCliHost */ .b)(debug);
    // tool-cache needs these outside Actions; the tools under the user's cache folder, and the run's scratch
    // (the kubeconfig, values, reports) in a folder of its own (0700), not a name others can make first.
    const cache = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(node_os__WEBPACK_IMPORTED_MODULE_0___default().homedir(), '.cache', 'model-canary');
    process.env['RUNNER_TOOL_CACHE'] ??= node_path__WEBPACK_IMPORTED_MODULE_1___default().join(cache, 'tools');
    process.env['RUNNER_TEMP'] ??= (0,_config_action_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .privateTempDir */ .nX)();
    const env = (0,_config_action_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .readRunnerEnvironment */ .ET)({ ...process.env, GITHUB_WORKSPACE: args.workspace ?? process.env['GITHUB_WORKSPACE'] ?? process.cwd() });
    env.workspace = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(env.workspace);
    if (!env.commitSha) {
        const sha = await gitHead(host, env.workspace);
        if (sha)
            env.commitSha = sha;
    }
    const code = await (0,_commands_entry_js__WEBPACK_IMPORTED_MODULE_4__/* .runEntry */ .C)(host, args.inputs, env);
    process.stdout.write(`${(0,_log_cli_host_js__WEBPACK_IMPORTED_MODULE_6__/* .outputsJson */ .p$)(host.outputs)}\n`);
    return code;
}
async function gitHead(host, cwd) {
    try {
        const result = await (0,_exec_exec_js__WEBPACK_IMPORTED_MODULE_7__/* .createExec */ .k7)(host.logger)('git', ['rev-parse', 'HEAD'], { cwd, allowFailure: true, timeoutMs: 10_000 });
        const sha = result.stdout.trim();
        return result.exitCode === 0 && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
    }
    catch {
        return undefined;
    }
}
process.exitCode = await main(process.argv.slice(2));

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 82272:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ runEntry)
});

// UNUSED EXPORTS: cleanupRecorder

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(76760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __nccwpck_require__(38815);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(83916);
;// CONCATENATED MODULE: ./src/config/duration.ts
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Parses Go-style durations such as 90s, 5m, 1h30m, 1.5s. Returns undefined when the text is not one. */
function parseDuration(text) {
    if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text))
        return undefined;
    let total = 0;
    for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
        const [, amount, unit] = part;
        total += Number(amount) * (UNIT_MS[unit ?? ''] ?? Number.NaN);
    }
    return Number.isFinite(total) ? Math.round(total) : undefined;
}

// EXTERNAL MODULE: ./src/config/inputs.ts
var config_inputs = __nccwpck_require__(64389);
;// CONCATENATED MODULE: ./src/config/locate.ts

/**
 * The 1-based line of the deepest node of path that exists in the YAML document: the key itself for an
 * unknown key, the nearest parent for a missing one. Undefined when not even the path's first key is in
 * the file (a whole section left out): line 1 would point at something unrelated.
 */
function lineOf(doc, counter, path) {
    let node = doc.contents;
    let offset;
    for (const segment of path) {
        if ((0,dist/* isMap */.jh)(node)) {
            const pair = node.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && String(p.key.value) === String(segment));
            if (!pair)
                break;
            offset = (0,dist/* isScalar */.jn)(pair.key) ? pair.key.range?.[0] : offset;
            node = pair.value;
        }
        else if ((0,dist/* isSeq */.oP)(node) && typeof segment === 'number') {
            const item = node.items[segment];
            if (!item)
                break;
            offset = item.range?.[0] ?? offset;
            node = item;
        }
        else
            break;
    }
    return offset === undefined ? undefined : counter.linePos(offset).line;
}
/** The value and source text (as written, e.g. `1.0` for the number 1) of the scalar at path, if there is one. */
function scalarSourceAt(doc, path) {
    const node = doc.getIn(path, true);
    if (!(0,dist/* isScalar */.jn)(node) || typeof node.source !== 'string')
        return undefined;
    return { value: node.value, source: node.source };
}

;// CONCATENATED MODULE: ./src/config/overrides.ts


const MAX_LIST_INDEX = 1000;
/**
 * Applies `path=value` overrides (the CLI's --set, the action's `set` input) to the parsed model file.
 * The value is read as a YAML scalar, so `canary.weight=20` sets a number and `push=false` a boolean;
 * quote it (`model.version="1.0"`) to keep a string. Numeric segments index arrays.
 */
function applyOverrides(document, overrides) {
    for (const override of overrides) {
        const eq = override.indexOf('=');
        if (eq <= 0) {
            throw (0,errors/* userError */.IF)(`--set "${override}" is not path=value.`, 'Write it as, for example, --set canary.weight=20.');
        }
        const keyPath = override.slice(0, eq).trim();
        const segments = keyPath.split('.');
        if (segments.some((s) => s === '' || s === '__proto__' || s === 'constructor' || s === 'prototype')) {
            throw (0,errors/* userError */.IF)(`--set "${override}" has an invalid path "${keyPath}".`, 'Use dotted keys such as smoke.thresholds.p95Ms.');
        }
        let value;
        try {
            value = (0,dist/* parse */.qg)(override.slice(eq + 1));
        }
        catch {
            value = override.slice(eq + 1);
        }
        if (value !== null && typeof value === 'object') {
            throw (0,errors/* userError */.IF)(`--set "${override}" sets ${keyPath} to a list or mapping.`, 'Set one scalar value per --set.');
        }
        setPath(document, segments, value, override);
    }
}
function setPath(root, segments, value, override) {
    let node = root;
    for (let i = 0; i < segments.length - 1; i++) {
        const key = segments[i];
        const nextIsIndex = /^\d+$/.test(segments[i + 1]);
        const current = Array.isArray(node) ? node[listIndex(node, key, override)] : node[key];
        let child;
        if (current !== null && typeof current === 'object')
            child = current;
        else {
            child = nextIsIndex ? [] : {};
            if (Array.isArray(node))
                node[listIndex(node, key, override)] = child;
            else
                node[key] = child;
        }
        node = child;
    }
    const last = segments[segments.length - 1];
    if (Array.isArray(node))
        node[listIndex(node, last, override)] = value;
    else
        node[last] = value;
}
/**
 * A segment that indexes a list: at most MAX_LIST_INDEX, and at most one past the end, since a gap would
 * leave empty items, each reported as a problem, and a huge index a huge list to validate and render.
 */
function listIndex(list, segment, override) {
    const index = Number(segment);
    if (!/^\d+$/.test(segment) || index > MAX_LIST_INDEX) {
        throw (0,errors/* userError */.IF)(`--set "${override}" indexes a list with ${JSON.stringify(segment)}; an index is a number from 0 (the first item) to ${MAX_LIST_INDEX}.`, `Give an index from 0 to ${MAX_LIST_INDEX}; a list in the model file holds at most ${MAX_LIST_INDEX + 1} items.`);
    }
    if (index > list.length) {
        throw (0,errors/* userError */.IF)(`--set "${override}" sets item ${index} of a list that has ${list.length} item(s), which would leave a gap.`, `Set the items in order: the next one is index ${list.length}.`);
    }
    return index;
}

// EXTERNAL MODULE: ./src/config/read-user-file.ts
var read_user_file = __nccwpck_require__(49617);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(73024);
// EXTERNAL MODULE: ./src/config/contained.ts
var contained = __nccwpck_require__(53967);
;// CONCATENATED MODULE: ./src/config/paths.ts



/**
 * Resolves a config path against the workspace and checks it stays inside: no `..` escape, no absolute
 * path elsewhere, no symlink that leads out. Returns the absolute path or a problem sentence.
 */
function resolveInWorkspace(workspace, value, options) {
    if (value.includes('\0'))
        return { problem: 'contains a NUL character' };
    const root = safeRealpath(workspace) ?? external_node_path_default().resolve(workspace);
    const absolute = external_node_path_default().resolve(workspace, value);
    if (!(0,contained/* isInside */.FK)(external_node_path_default().resolve(workspace), absolute)) {
        return { problem: `"${value}" is outside the workspace (${workspace}); use a path inside the repository` };
    }
    if (!(0,external_node_fs_.existsSync)(absolute)) {
        if (options.mustExist)
            return { problem: `"${value}" does not exist in the workspace (${workspace})` };
        // Not there yet (an output file): the nearest existing parent must still be inside.
        const parent = nearestExisting(absolute);
        const realParent = parent ? safeRealpath(parent) : undefined;
        if (realParent && !(0,contained/* isInside */.FK)(root, realParent)) {
            return { problem: `"${value}" is under a symlink that leads outside the workspace; use a real folder` };
        }
        return { path: absolute };
    }
    const real = safeRealpath(absolute);
    if (real === undefined || !(0,contained/* isInside */.FK)(root, real)) {
        return { problem: `"${value}" is a symlink that leads outside the workspace (to ${real}); copy the file into the repository` };
    }
    if (options.kind !== 'any') {
        const isDir = (0,external_node_fs_.statSync)(real).isDirectory();
        if (options.kind === 'file' && isDir)
            return { problem: `"${value}" is a directory; give a file` };
        if (options.kind === 'directory' && !isDir)
            return { problem: `"${value}" is a file; give a directory` };
    }
    return { path: absolute };
}
function safeRealpath(p) {
    try {
        return (0,external_node_fs_.realpathSync)(p);
    }
    catch {
        return undefined;
    }
}
function nearestExisting(p) {
    let current = external_node_path_default().dirname(p);
    for (;;) {
        if ((0,external_node_fs_.existsSync)(current))
            return current;
        const parent = external_node_path_default().dirname(current);
        if (parent === current)
            return undefined;
        current = parent;
    }
}

// EXTERNAL MODULE: ./src/image/image-ref.ts
var image_ref = __nccwpck_require__(21052);
// EXTERNAL MODULE: ./src/credentials/kubeconfig.ts
var credentials_kubeconfig = __nccwpck_require__(59803);
;// CONCATENATED MODULE: ./src/config/run-inputs.ts



/** Where the REST API is when the runner does not say (GitHub.com). */
const DEFAULT_API_URL = 'https://api.github.com';
/**
 * The run inputs that need the model file or the runner's variables besides their own form (checked in
 * checkInputs): the image must be of the model's repository, github-token needs the repository and commit.
 * Returns their part of the RunContext and the problems, which name the input and what to fix.
 */
function runInputs(given, env, document, command) {
    const inputs = (0,config_inputs/* completeInputs */.h5)(given);
    const problems = [];
    const run = {};
    const bad = (input, message) => void problems.push({ path: [], message: `input ${input}: ${message}` });
    const section = (name) => {
        const value = document[name];
        return typeof value === 'object' && value !== null ? value : {};
    };
    const pinned = inputs.image ? (0,config_inputs/* splitPinnedImage */.Io)(inputs.image) : undefined;
    const repository = section('image')['repository'];
    if (pinned && typeof repository === 'string') {
        if (sameRepository(pinned.repository, repository))
            run.prebuiltImage = { reference: inputs.image, digest: pinned.digest };
        else {
            bad('image', `its repository ${pinned.repository} is not image.repository of the model file (${repository}); release the image built from this model file, or fix image.repository (or the config input) so both name the same repository`);
        }
    }
    const expect = {};
    const digest = inputs.expectDigest ? (0,config_inputs/* expectedDigest */.j$)(inputs.expectDigest) : undefined;
    if (digest)
        expect.digest = digest;
    if (/^[1-9][0-9]*$/.test(inputs.expectRevision))
        expect.revision = Number(inputs.expectRevision);
    if (expect.digest !== undefined || expect.revision !== undefined)
        run.expect = expect;
    if (inputs.kubeconfig) {
        const kubeconfig = (0,credentials_kubeconfig/* readKubeconfigInput */.Aw)(inputs.kubeconfig);
        if ('content' in kubeconfig)
            run.kubeconfig = kubeconfig; // its problem is checkInputs'
    }
    if (inputs.githubToken && command) {
        const missing = [!env.repository && 'GITHUB_REPOSITORY', !env.commitSha && 'GITHUB_SHA'].filter(Boolean);
        if (missing.length > 0) {
            bad('github-token', `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, so there is no repository or commit to record a deployment for; run in a GitHub workflow, or remove github-token`);
        }
        else {
            const namespace = section('cluster')['namespace'];
            run.github = {
                token: inputs.githubToken,
                apiUrl: (env.apiUrl || DEFAULT_API_URL).replace(/\/+$/, ''),
                repository: env.repository,
                sha: env.commitSha,
                environment: inputs.environment || (typeof namespace === 'string' ? namespace : 'default'),
                ...(env.serverUrl && env.repository && env.runId ? { runUrl: `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}` } : {}),
                ...(env.eventName ? { eventName: env.eventName } : {}),
                ...(env.eventPath ? { eventPath: env.eventPath } : {}),
            };
        }
    }
    return { run, problems };
}
/** Compares two repositories as image references (so a default registry or case in the host does not matter). */
function sameRepository(a, b) {
    try {
        return (0,image_ref/* repositoryOf */._M)((0,image_ref/* parseImageRef */.Q)(a)) === (0,image_ref/* repositoryOf */._M)((0,image_ref/* parseImageRef */.Q)(b));
    }
    catch {
        return a === b;
    }
}

;// CONCATENATED MODULE: ./src/config/generated/validate-schema.js
// Generated by scripts/gen-schema-validator.mjs from schema/model-canary.schema.json with Ajv
// 8.20.0 standalone code. Do not edit: npm run build regenerates it, and a unit test fails
// when it is not what the schema gives.
/* eslint-disable */
// ajv/dist/runtime/ucs2length (Ajv 8.20.0)
const runtime_ucs2length = function ucs2length(str) {
    const len = str.length;
    let length = 0;
    let pos = 0;
    let value;
    while (pos < len) {
        length++;
        value = str.charCodeAt(pos++);
        if (value >= 0xd800 && value <= 0xdbff && pos < len) {
            // high surrogate, and there is a next character
            value = str.charCodeAt(pos);
            if ((value & 0xfc00) === 0xdc00)
                pos++; // low surrogate
        }
    }
    return length;
};

// ajv/dist/runtime/equal (Ajv 8.20.0)
const runtime_equal = function equal(a, b) {
  if (a === b) return true;

  if (a && b && typeof a == 'object' && typeof b == 'object') {
    if (a.constructor !== b.constructor) return false;

    var length, i, keys;
    if (Array.isArray(a)) {
      length = a.length;
      if (length != b.length) return false;
      for (i = length; i-- !== 0;)
        if (!equal(a[i], b[i])) return false;
      return true;
    }



    if (a.constructor === RegExp) return a.source === b.source && a.flags === b.flags;
    if (a.valueOf !== Object.prototype.valueOf) return a.valueOf() === b.valueOf();
    if (a.toString !== Object.prototype.toString) return a.toString() === b.toString();

    keys = Object.keys(a);
    length = keys.length;
    if (length !== Object.keys(b).length) return false;

    for (i = length; i-- !== 0;)
      if (!Object.prototype.hasOwnProperty.call(b, keys[i])) return false;

    for (i = length; i-- !== 0;) {
      var key = keys[i];

      if (!equal(a[key], b[key])) return false;
    }

    return true;
  }

  // true if both NaN, false otherwise
  return a!==a && b!==b;
};

const validate = (/* unused pure expression or super */ null && (validate10));
/* harmony default export */ const validate_schema = (validate10);
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","$id":"https://raw.githubusercontent.com/model-canary/model-canary/v1/schema/model-canary.schema.json","title":"model-canary model file","description":"Describes one model and how model-canary builds, scans, renders, deploys, smoke-tests and promotes it. Paths are relative to the workspace (the repository root).","type":"object","additionalProperties":false,"required":["apiVersion","model","image"],"properties":{"$schema":{"type":"string","maxLength":2048,"description":"Where editors find this schema.","examples":["https://raw.githubusercontent.com/model-canary/model-canary/v1/schema/model-canary.schema.json"]},"apiVersion":{"const":"model-canary/v1","description":"Version of this file's format. Always model-canary/v1.","examples":["model-canary/v1"],"x-hint":"set `apiVersion: model-canary/v1`"},"model":{"type":"object","description":"The model being released.","examples":[{"name":"iris","version":"1.4.0","framework":"sklearn","artifact":"models/iris/model.joblib","card":"models/iris/card.json"}],"additionalProperties":false,"required":["name","version"],"properties":{"name":{"$ref":"#/definitions/name","description":"Name of the model; used for the Kubernetes objects, the image and the lock.","examples":["iris","fraud-scorer"]},"version":{"type":"string","pattern":"^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$","description":"Version of the model, recorded as a label on the image and the objects.","examples":["1.4.0","2024.06.01"],"x-hint":"use letters, digits, '.', '_' and '-' (at most 63 characters, starting and ending with a letter or digit), and quote it in YAML (\"1.0\")"},"framework":{"enum":["sklearn","onnx","xgboost","pytorch","tensorflow","custom"],"default":"custom","description":"Framework the model was made with; recorded in the image labels.","examples":["sklearn","onnx"]},"artifact":{"$ref":"#/definitions/path","description":"The model file (for example model.joblib); required when the image is built from a template.","examples":["models/iris/model.joblib"]},"card":{"$ref":"#/definitions/path","description":"A JSON model card (framework, feature names, classes); used to generate smoke cases.","examples":["models/iris/card.json"]}}},"image":{"type":"object","description":"How the model-server image is built and where it is pushed.","examples":[{"repository":"ghcr.io/acme/iris","template":"sklearn","buildArgs":{"BASE_IMAGE":"python:3.12-slim"}}],"additionalProperties":false,"required":["repository"],"properties":{"repository":{"type":"string","minLength":1,"maxLength":255,"x-hint":"an image repository is at most 255 characters (registry host and path)","description":"Image repository without tag or digest, for example registry.example:5000/team/iris.","examples":["ghcr.io/acme/iris","registry.example:5000/team/iris"]},"tag":{"type":"string","pattern":"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$","description":"Tag to push; defaults to the commit SHA. The image-tag input overrides it.","examples":["1.4.0"],"x-hint":"a tag is at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'"},"extraTags":{"type":"array","items":{"type":"string","pattern":"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$","x-hint":"a tag is at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'"},"uniqueItems":true,"maxItems":32,"x-hint":"push at most 32 extra tags","default":[],"description":"More tags pushed with the image (the commit SHA is always one).","examples":[["1.4","production"]]},"dockerfile":{"$ref":"#/definitions/path","description":"Your own Dockerfile, used as is. Leave out to build from a template.","examples":["docker/Dockerfile"]},"template":{"enum":["sklearn","onnx"],"description":"Build from model-canary's Dockerfile template for this kind of model (needs model.artifact).","examples":["sklearn","onnx"]},"context":{"$ref":"#/definitions/path","default":".","description":"Build context directory.","examples":[".","models/iris"]},"wheelhouse":{"$ref":"#/definitions/path","description":"With a template: a folder of Python wheels (made with pip download) the template installs what the base image lacks from, offline; for example onnxruntime, which Debian does not package.","examples":["wheels"]},"buildArgs":{"type":"object","additionalProperties":{"type":["string","number","boolean"],"maxLength":4096,"x-hint":"a build argument is at most 4096 characters; put larger content in a file of the build context"},"maxProperties":100,"x-hint":"give at most 100 build arguments","default":{},"description":"Build arguments, for example BASE_IMAGE.","examples":[{"BASE_IMAGE":"python:3.12-slim"}]},"push":{"type":"boolean","default":true,"description":"Push the image; later stages deploy it by digest.","examples":[false]},"guards":{"type":"object","description":"Checks on the built image's contents. Each is error, warn or off.","examples":[{"sizeBudgetMb":2048,"trainingScripts":"error","pycache":"off"}],"additionalProperties":false,"default":{},"properties":{"sizeBudgetMb":{"type":"number","exclusiveMinimum":0,"maximum":1048576,"default":1024,"description":"Largest allowed image size in MiB.","examples":[2048],"x-hint":"give a budget over 0 and at most 1048576 MiB (1 TiB)"},"size":{"$ref":"#/definitions/level","default":"error","description":"The image is larger than image.guards.sizeBudgetMb (the message names its biggest layers and files). Default error: the build fails and the image is not pushed.","examples":["warn"]},"rootUser":{"$ref":"#/definitions/level","default":"error","description":"The image runs as root: its User is unset, root or 0. Default error: the build fails and the image is not pushed.","examples":["warn"]},"notebooks":{"$ref":"#/definitions/level","default":"error","description":"The image holds Jupyter notebooks (.ipynb) outside the system folders. Default error: the build fails and the image is not pushed.","examples":["warn"]},"datasets":{"$ref":"#/definitions/level","default":"error","description":"The image holds data files (.csv, .parquet, .npy and the like) larger than image.guards.datasetMaxMb outside the system folders. Default error: the build fails and the image is not pushed.","examples":["warn"]},"datasetMaxMb":{"type":"number","exclusiveMinimum":0,"maximum":1048576,"default":10,"description":"Data files (.csv, .parquet, ...) over this size count as datasets.","examples":[50],"x-hint":"give a size over 0 and at most 1048576 MiB (1 TiB)"},"git":{"$ref":"#/definitions/level","default":"error","description":"The image holds a .git directory. Default error: the build fails and the image is not pushed.","examples":["off"]},"trainingScripts":{"$ref":"#/definitions/level","default":"warn","description":"The image holds training code: files such as train.py, training_job.sh or finetune.ipynb. Default warn: a warning, and the build goes on.","examples":["error"]},"pycache":{"$ref":"#/definitions/level","default":"warn","description":"The image holds __pycache__ folders outside the system and installed-package folders. Default warn: a warning, and the build goes on.","examples":["off"]},"secretFiles":{"$ref":"#/definitions/level","default":"error","description":"The image holds key or env files (.env, id_rsa, *.pem, *.key, .netrc, credentials.json, ...) outside installed packages, or credentials in its config (ENV, LABEL, build history). Default error: the build fails and the image is not pushed.","examples":["warn"]}}}}},"scan":{"type":"object","description":"Vulnerability and secret scan of the built image with Trivy.","examples":[{"failOn":["CRITICAL"],"ignoreUnfixed":true}],"additionalProperties":false,"default":{},"properties":{"enabled":{"type":"boolean","default":true,"description":"Scan the built image with Trivy; false skips the scan stage (and Trivy is not needed).","examples":[false]},"failOn":{"type":"array","items":{"enum":["CRITICAL","HIGH","MEDIUM","LOW","UNKNOWN"]},"uniqueItems":true,"default":["CRITICAL","HIGH"],"description":"Severities that fail the gate.","examples":[["CRITICAL"],["CRITICAL","HIGH","MEDIUM"]]},"ignoreUnfixed":{"type":"boolean","default":false,"description":"Do not fail on vulnerabilities with no fixed version.","examples":[true]},"ignoreFile":{"$ref":"#/definitions/path","default":".trivyignore","description":"Trivy ignore file; used when it exists.","examples":["security/trivyignore"]},"sarif":{"$ref":"#/definitions/path","default":"model-canary-scan.sarif","description":"Where the full SARIF report (all severities) is written.","examples":["reports/model-canary-scan.sarif"]},"secrets":{"$ref":"#/definitions/level","default":"error","description":"What a secret found in the image does.","examples":["warn"]}}},"render":{"type":"object","description":"How the Kubernetes objects are made.","examples":[{"mode":"builtin","values":{"replicas":3,"resources":{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"memory":"2Gi"}}}}],"additionalProperties":false,"default":{},"if":{"properties":{"mode":{"enum":["builtin","kserve"]}}},"then":{"properties":{"values":{"$ref":"#/definitions/builtinValues","description":"Helm values of model-canary's chart (modes builtin and kserve), within the limits below; the chart's values.schema.json checks their shape.","examples":[{"replicas":3,"resources":{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"memory":"2Gi"}},"env":[{"name":"LOG_LEVEL","value":"info"}]}]}}},"properties":{"mode":{"enum":["builtin","kserve","chart","kustomize","manifests"],"default":"builtin","description":"builtin: model-canary's chart; kserve: an InferenceService; chart: your Helm chart; kustomize: your kustomize directory; manifests: your YAML files.","examples":["builtin","chart"]},"chart":{"type":"string","minLength":1,"maxLength":4096,"description":"Your chart: a path in the workspace or an oci:// reference (mode chart).","examples":["charts/iris","oci://ghcr.io/acme/charts/model-server"]},"chartVersion":{"type":"string","minLength":1,"maxLength":128,"description":"Version of an oci:// chart.","examples":["1.2.0"]},"kustomize":{"$ref":"#/definitions/path","description":"Your kustomize directory (mode kustomize).","examples":["deploy/overlays/production"]},"manifests":{"type":"array","items":{"$ref":"#/definitions/path"},"minItems":1,"maxItems":256,"x-hint":"list at most 256 files or directories; a directory takes every manifest in it","description":"Your manifest files or directories (mode manifests).","examples":[["deploy/iris.yaml"],["deploy/base","deploy/iris-hpa.yaml"]]},"values":{"type":"object","default":{},"description":"Helm values, checked against the chart's values.schema.json (and, for model-canary's chart, the limits of this schema).","examples":[{"replicas":3,"resources":{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"memory":"2Gi"}},"env":[{"name":"LOG_LEVEL","value":"info"}]}]},"valuesFiles":{"type":"array","items":{"$ref":"#/definitions/path"},"maxItems":32,"description":"Helm values files (modes builtin, kserve and chart), given to helm in this order after model-canary's defaults and before render.values, which wins. Not used with kustomize or manifests.","examples":[["deploy/values-production.yaml"]],"x-hint":"give at most 32 values files","default":[]},"output":{"$ref":"#/definitions/path","default":".model-canary/rendered.yaml","description":"Where the rendered objects are written, by every command that renders them (render, deploy, release and plan).","examples":["build/rendered.yaml"]},"policy":{"type":"object","description":"Checks on the rendered objects. Each is error, warn or off.","examples":[{"unpinnedImage":"warn","gpuWithoutTolerations":"error"}],"additionalProperties":false,"default":{},"properties":{"missingResources":{"$ref":"#/definitions/level","default":"error","description":"A container (init containers too) without requests.cpu, requests.memory or limits.memory. Default error: the run fails after the objects are written, before anything is applied.","examples":["warn"]},"missingReadinessProbe":{"$ref":"#/definitions/level","default":"error","description":"A serving container without a readinessProbe (Jobs, CronJobs, init containers and KServe components, whose readiness KServe owns, are left out). Default error: the run fails after the objects are written, before anything is applied.","examples":["warn"]},"unpinnedImage":{"$ref":"#/definitions/level","default":"error","description":"A container image not pinned by digest (repository@sha256:...); model-canary pins the model's own image itself. Default error: the run fails after the objects are written, before anything is applied.","examples":["warn"]},"latestTag":{"$ref":"#/definitions/level","default":"error","description":"A container image with the latest tag, or with no tag and no digest. Default error: the run fails after the objects are written, before anything is applied.","examples":["warn"]},"privileged":{"$ref":"#/definitions/level","default":"error","description":"A container that is privileged, allows privilege escalation, or adds capabilities other than NET_BIND_SERVICE. Default error: the run fails after the objects are written, before anything is applied.","examples":["warn"]},"runAsRoot":{"$ref":"#/definitions/level","default":"error","description":"A container that runs as root (runAsUser 0) or may (runAsNonRoot not true on the pod or the container). Default error: the run fails after the objects are written, before anything is applied.","examples":["warn"]},"hostAccess":{"$ref":"#/definitions/level","default":"error","description":"A pod that shares the node's network, process ids or IPC (hostNetwork, hostPID, hostIPC), mounts a hostPath volume or binds a hostPort. Default error: the run fails after the objects are written, before anything is applied.","examples":["warn"]},"gpuWithoutTolerations":{"$ref":"#/definitions/level","default":"warn","description":"A container that asks for GPUs (nvidia.com/... or a .../gpu resource) in a pod that tolerates no taint of that name. Default warn: a warning, and the run goes on.","examples":["error"]},"replicasWithHpa":{"$ref":"#/definitions/level","default":"error","description":"An object that sets spec.replicas while a HorizontalPodAutoscaler scales it (every apply would reset the HPA's choice). Default error: the run fails after the objects are written, before anything is applied.","examples":["warn"]},"inlineSecrets":{"$ref":"#/definitions/level","default":"error","description":"A Secret with data or stringData among the rendered objects, or a container variable named like a secret (PASSWORD, TOKEN, API_KEY, ...) set to a literal value. Default error: the run fails after the objects are written, before anything is applied.","examples":["warn"]}}}}},"cluster":{"type":"object","description":"Where the model is deployed. Credentials come from KUBECONFIG, never from this file.","examples":[{"namespace":"models","context":"production-eu"}],"additionalProperties":false,"default":{},"properties":{"namespace":{"$ref":"#/definitions/name","default":"default","description":"Namespace; the namespace input overrides it.","examples":["models"]},"context":{"type":"string","minLength":1,"maxLength":253,"description":"kubeconfig context to use; default the current one.","examples":["kind-model-canary","production-eu"]},"fieldManager":{"$ref":"#/definitions/name","default":"model-canary","description":"Field manager for server-side apply.","examples":["model-canary-ci"]}}},"canary":{"type":"object","description":"How the new model runs beside the stable one before it is promoted.","examples":[{"strategy":"traffic","steps":[10,25,50],"gateway":{"name":"public","namespace":"gateway-system"}}],"additionalProperties":false,"default":{},"properties":{"strategy":{"enum":["replicas","traffic","kserve"],"default":"replicas","description":"replicas: a canary Deployment behind the same Service; traffic: exact weights through a Gateway API HTTPRoute; kserve: canaryTrafficPercent on the InferenceService.","examples":["replicas","traffic"]},"replicas":{"type":"integer","minimum":1,"maximum":100,"default":1,"description":"Canary pods (strategies replicas and traffic); at most 100, a canary is a few pods beside stable.","examples":[2]},"weight":{"type":"integer","minimum":0,"maximum":100,"default":10,"description":"Percent of traffic to the canary (strategies traffic and kserve), and of the batch jobs submitted without a track that canary workers take (every strategy with workers).","examples":[20]},"steps":{"type":"array","items":{"type":"integer","minimum":1,"maximum":100},"minItems":1,"maxItems":20,"x-hint":"list increasing percentages such as [10, 25, 50]; 100 is the promotion itself","description":"Strategy traffic: the canary's route weight in steps (for example [10, 25, 50]); each step runs the analysis and the weight advances only when it passes, then the canary is promoted. The first step replaces canary.weight. With canary.gateway.url each step also measures the share of the Gateway's traffic the canary gets, and a share outside the interval of the step's weight stops the walk inconclusive. Needs an analysis window (analysis.duration above 0s).","examples":[[10,25,50]]},"gateway":{"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"$ref":"#/definitions/name","description":"The Gateway the HTTPRoute attaches to.","examples":["public"]},"namespace":{"$ref":"#/definitions/name","description":"Namespace of the Gateway; when left out, the HTTPRoute's own (cluster.namespace).","examples":["gateway-system"]},"url":{"type":"string","pattern":"^https?://[^\\s/?#]+(:[0-9]{1,5})?/?$","maxLength":2048,"x-hint":"give the Gateway's entrypoint as seen from the runner, such as http://10.0.0.5:8000","description":"Where the runner reaches the Gateway (scheme, host, port). With canary.steps each step sends its analysis load through it as well, with the route's first host name, and checks the share the canary got.","examples":["http://10.0.0.5:8000"]}},"description":"Gateway for strategy traffic.","examples":[{"name":"public","namespace":"gateway-system","url":"http://10.0.0.5:8000"}]},"hostnames":{"type":"array","items":{"type":"string","pattern":"^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$","maxLength":253,"x-hint":"use a host name like models.example.com or *.example.com (lowercase, no port)"},"uniqueItems":true,"maxItems":16,"description":"Host names the HTTPRoute matches (strategy traffic); all that the Gateway's listener accepts when left out.","examples":[["models.example.com"],["iris.models.example.com","*.example.com"]]},"readinessTimeout":{"$ref":"#/definitions/duration","default":"5m","description":"How long the canary may take to become Ready (model loading included).","examples":["10m"]},"maxRestarts":{"type":"integer","minimum":0,"maximum":100,"default":1,"description":"Container restarts a canary pod may have: one more fails the canary at once (in the readiness gate, and in the analysis window, counted from its start). 0: the first restart fails it.","examples":[0,3],"x-hint":"allow 0 to 100 restarts"},"lockTimeout":{"$ref":"#/definitions/duration","default":"2m","description":"How long to wait for another release of the same model to finish.","examples":["5m"]}}},"smoke":{"type":"object","description":"Predictions sent to the canary's Ready pods before it is promoted.","examples":[{"protocol":"open-inference-v2","cases":"models/iris/cases.yaml","thresholds":{"p95Ms":250}}],"additionalProperties":false,"default":{},"properties":{"enabled":{"type":"boolean","default":true,"description":"Run the smoke stage; false skips it (it counts as passed: the readiness gate decides, and the analysis window still runs when there is one).","examples":[false]},"protocol":{"enum":["kserve-v1","open-inference-v2","tf-serving","torchserve","bentoml","http"],"default":"open-inference-v2","description":"The protocol the model server speaks.","examples":["open-inference-v2","http"]},"port":{"type":"integer","minimum":1,"maximum":65535,"default":8080,"description":"Port the model server listens on in the pod: smoke and the analysis window's requests go to it, and model-canary's chart serves on it.","examples":[8080,9000]},"cases":{"$ref":"#/definitions/path","description":"Cases file (YAML or JSON Lines).","examples":["models/iris/cases.yaml","models/iris/cases.jsonl"]},"generateCases":{"type":"integer","minimum":0,"maximum":1000,"default":0,"description":"Cases to generate from the model card's feature names.","examples":[20]},"http":{"type":"object","additionalProperties":false,"required":["path"],"properties":{"method":{"enum":["GET","POST","PUT"],"default":"POST","description":"HTTP method of the prediction requests; with GET no body is sent (the case's inputs are left out).","examples":["POST","PUT"]},"path":{"type":"string","pattern":"^/","maxLength":2048,"description":"Path of the prediction endpoint, starting with / (for example /predict).","examples":["/predict","/v1/score"],"x-hint":"start the path with / (at most 2048 characters)"},"readyPath":{"type":"string","pattern":"^/","maxLength":2048,"default":"/readyz","description":"Path that answers 200 once the model is loaded: smoke polls it before the first prediction, and model-canary's chart uses it for the readiness probe.","examples":["/readyz","/health"],"x-hint":"start the path with / (at most 2048 characters)"}},"description":"Endpoint for protocol http.","examples":[{"method":"POST","path":"/predict","readyPath":"/health"}]},"readyTimeout":{"$ref":"#/definitions/duration","default":"2m","description":"How long to poll readiness before the first prediction.","examples":["5m"]},"warmup":{"type":"integer","minimum":0,"maximum":1000,"default":2,"description":"Untimed requests per pod before timing starts.","examples":[5],"x-hint":"send 0 to 1000 warm-up requests per pod"},"concurrency":{"type":"integer","minimum":1,"maximum":64,"default":2,"description":"Smoke requests in flight at once, over all pods.","examples":[4]},"requestTimeout":{"$ref":"#/definitions/duration","default":"10s","description":"How long one prediction may take before it counts as failed; the analysis window's paired requests use the same limit.","examples":["30s"]},"maxDuration":{"$ref":"#/definitions/duration","default":"2m","description":"Upper bound on the whole smoke stage.","examples":["5m"]},"thresholds":{"type":"object","additionalProperties":false,"default":{},"properties":{"errorRate":{"type":"number","minimum":0,"maximum":1,"default":0,"description":"Largest allowed share of failed requests (0 to 1).","examples":[0,0.01]},"p50Ms":{"type":"number","exclusiveMinimum":0,"maximum":600000,"description":"Largest allowed median latency in milliseconds, per canary pod and over all; not checked when left out.","examples":[100],"x-hint":"give a latency over 0 and at most 600000 ms (10 minutes)"},"p95Ms":{"type":"number","exclusiveMinimum":0,"maximum":600000,"default":1000,"description":"Largest allowed 95th-percentile latency in milliseconds, per canary pod and over all.","examples":[250],"x-hint":"give a latency over 0 and at most 600000 ms (10 minutes)"},"p99Ms":{"type":"number","exclusiveMinimum":0,"maximum":600000,"description":"Largest allowed 99th-percentile latency in milliseconds, per canary pod and over all; not checked when left out.","examples":[500],"x-hint":"give a latency over 0 and at most 600000 ms (10 minutes)"}},"description":"Limits on the canary's smoke answers: the error rate over all pods, and latency percentiles per pod and over all; one broken fails smoke.","examples":[{"errorRate":0,"p95Ms":250,"p99Ms":500}]},"parity":{"type":"object","additionalProperties":false,"default":{},"properties":{"enabled":{"type":"boolean","default":true,"description":"Compare the canary's answers with stable's for the same cases.","examples":[false]},"minAgreement":{"type":"number","minimum":0,"maximum":1,"default":0.99,"description":"Classification: least share of equal classes.","examples":[0.95]},"relativeTolerance":{"type":"number","minimum":0,"default":0.01,"description":"Regression: largest relative difference.","examples":[0.001]}},"description":"Smoke's comparison of the canary's answers with stable's for the same cases (nothing to compare on a first release).","examples":[{"minAgreement":0.98,"relativeTolerance":0.001}]}}},"analysis":{"type":"object","description":"The bake window after smoke: the canary is watched with stable under a steady paired load and judged against it with paired statistics before it is promoted (strategies replicas and traffic).","examples":[{"duration":"5m","minSamples":100,"load":{"rps":10},"latency":{"margin":0.2}}],"additionalProperties":false,"default":{},"properties":{"duration":{"$ref":"#/definitions/duration","default":"2m","description":"How long the canary is watched and compared with stable (per step with canary.steps). 0s turns the window off (a warning says so): then only the readiness gate and smoke decide.","examples":["5m","0s"]},"interval":{"$ref":"#/definitions/duration","default":"10s","description":"How often the figures are summed up in the log and the per-interval chart.","examples":["30s"]},"maxDuration":{"$ref":"#/definitions/duration","default":"10m","description":"With onInconclusive extend: the longest the window may grow to, per step.","examples":["30m"]},"mode":{"enum":["enforce","report"],"default":"enforce","description":"enforce: the statistical verdict decides; report: it is computed and shown but not acted on (to tune thresholds). A pod that crashes, restarts or stops being Ready ends the window in both modes.","examples":["report"]},"onInconclusive":{"enum":["hold","fail","extend"],"default":"hold","description":"When the statistics cannot tell: hold the canary for a person, fail (roll back), or extend the window by interval until it can tell or maxDuration, then hold.","examples":["extend","fail"]},"minSamples":{"type":"integer","minimum":10,"maximum":100000,"default":50,"description":"Paired requests below which the analysis never passes (it is inconclusive).","examples":[200],"x-hint":"ask for 10 to 100000 paired requests; fewer than 10 cannot tell anything"},"warmup":{"type":"integer","minimum":0,"maximum":10000,"default":5,"description":"Paired requests at the start of the window that are not counted.","examples":[10]},"load":{"type":"object","additionalProperties":false,"default":{},"properties":{"rps":{"type":"number","minimum":0,"maximum":200,"default":5,"description":"Paired requests per second made from the smoke cases: each goes to a canary pod and a stable pod with the same payload, in random order, back to back. 0: send nothing (the pod watch still runs; the comparison is then inconclusive).","examples":[10],"x-hint":"send at most 200 paired requests per second (0 sends none): the load must not crowd out real traffic"}},"description":"The steady paired load sent to the canary and stable during the window.","examples":[{"rps":10}]},"latency":{"type":"object","additionalProperties":false,"default":{},"properties":{"margin":{"type":"number","exclusiveMinimum":0,"maximum":10,"default":0.1,"description":"How much slower than stable the canary may be (0.1: 10 %). Fail when the canary is significantly slower than this (Wilcoxon signed-rank on log latency ratios, p < 0.01); pass when it is significantly not (p < 0.05).","examples":[0.2],"x-hint":"write it as a fraction over 0: 0.1 lets the canary be 10 % slower than stable"}},"description":"How the canary's latency is judged against stable's.","examples":[{"margin":0.2}]},"errors":{"type":"object","additionalProperties":false,"default":{},"properties":{"maxRate":{"type":"number","exclusiveMinimum":0,"maximum":1,"default":0.05,"description":"The canary's error rate must be below this with 95 % confidence (Clopper-Pearson upper bound) to pass; it fails when the lower bound is above it, or when it errs significantly more often than stable on the same requests (exact McNemar, p < 0.01).","examples":[0.01],"x-hint":"write it as a fraction over 0 and at most 1: 0.05 is 5 %"}},"description":"How the canary's error rate is judged.","examples":[{"maxRate":0.01}]},"prometheus":{"type":"object","additionalProperties":false,"required":["url"],"description":"Judge the canary on live traffic as well, from Prometheus: per track (the pods' track label) the request count and 5xx ratio (limit analysis.errors.maxRate, one-sided Fisher exact test against stable), a latency quantile from the request-duration histogram (margin analysis.latency.margin, order-statistic bounds), the share of predicted classes, and your own PromQL queries with thresholds, all over the window. A query that returns no data makes the outcome inconclusive, never a pass; Prometheus unreachable or a query error fails the release (no promotion).","examples":[{"url":"http://prometheus.monitoring:9090","quantile":0.95,"queries":[{"name":"canary-5xx-rps","query":"sum(rate(model_requests_total{namespace=\"$namespace\",track=\"$track\",status=~\"5..\"}[$window]))","max":0.5}]}],"properties":{"url":{"type":"string","pattern":"^https?://[^\\s/?#]+(/[^\\s?#]*)?$","maxLength":500,"description":"Where the runner reaches Prometheus' HTTP API (scheme, host, port, and a path prefix if it has one).","examples":["http://127.0.0.1:9090"],"x-hint":"write the URL Prometheus answers on, like http://prometheus.monitoring:9090 (no query string)"},"selector":{"type":"string","default":"","maxLength":500,"pattern":"^(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*(=|!=|=~|!~)\\s*\"([^\"\\\\]|\\\\.)*\"\\s*(,|$))*$","description":"More label matchers for the model server's series, beside namespace, model and track (for example job=\"model-servers\").","examples":["job=\"model-servers\""],"x-hint":"write label matchers separated by commas, like job=\"model-servers\",cluster=\"eu\""},"quantile":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1,"default":0.95,"description":"The latency quantile compared (0.95: p95), from model_request_duration_seconds.","examples":[0.99]},"timeout":{"$ref":"#/definitions/duration","default":"10s","description":"How long one query may take.","examples":["30s"]},"queries":{"type":"array","default":[],"maxItems":20,"description":"Your own PromQL, each with a threshold (max, min or both), evaluated at the window's end. $namespace, $model and $window (the window as a duration, like 120s) are filled in; a query with $track is run for the canary and for stable, and its threshold applies to the canary. The answer must be one number (a scalar, or a vector of one series): none is inconclusive.","examples":[[{"name":"canary-5xx-rps","query":"sum(rate(model_requests_total{namespace=\"$namespace\",track=\"$track\",status=~\"5..\"}[$window]))","max":0.5}]],"items":{"type":"object","additionalProperties":false,"required":["name","query"],"properties":{"name":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$","description":"What the summary calls it.","examples":["canary-5xx-rps"]},"query":{"type":"string","minLength":1,"maxLength":4000,"description":"The PromQL expression.","examples":["sum(rate(model_requests_total{namespace=\"$namespace\",track=\"$track\",status=~\"5..\"}[$window]))"]},"max":{"type":"number","description":"Fail when the canary's value is above this.","examples":[0.5]},"min":{"type":"number","description":"Fail when the canary's value is below this.","examples":[0.9]}}}}}},"agreement":{"type":"object","additionalProperties":false,"default":{},"properties":{"minimum":{"type":"number","minimum":0,"maximum":1,"default":0.99,"description":"Share of paired requests whose predictions agree (same class; numbers within smoke.parity.relativeTolerance) below which the canary fails.","examples":[0.995],"x-hint":"write it as a fraction from 0 to 1: 0.99 is 99 %"}},"description":"How often the canary's predictions must agree with stable's on the paired requests.","examples":[{"minimum":0.995}]},"postPromotion":{"$ref":"#/definitions/duration","default":"30s","description":"After a promotion: the new stable pods must stay Ready this long before the old ones go (minReadySeconds, with no unavailability); a failure in that time reverts stable. 0s turns it off.","examples":["1m","0s"]}}},"decide":{"type":"object","description":"What happens after smoke.","examples":[{"mode":"manual","onFailure":"hold","historyLimit":20}],"additionalProperties":false,"default":{},"properties":{"mode":{"enum":["auto","manual"],"default":"auto","description":"auto: promote or roll back at once; manual: keep the canary for a promote dispatch.","examples":["manual"]},"onFailure":{"enum":["rollback","hold"],"default":"rollback","description":"What a failed canary (readiness gate, smoke or analysis) leads to: rollback removes it and stable keeps serving; hold keeps it running for inspection until command rollback. The run fails either way.","examples":["hold"]},"historyLimit":{"type":"integer","minimum":1,"maximum":100,"default":10,"description":"Releases kept in the cluster's history.","examples":[20]}}}},"definitions":{"name":{"type":"string","pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","maxLength":53,"x-hint":"use a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 53 characters"},"path":{"type":"string","minLength":1,"maxLength":4096,"description":"A path inside the workspace.","x-hint":"a path is at most 4096 characters"},"duration":{"type":"string","pattern":"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$","x-hint":"write a duration like 90s, 5m or 1h30m"},"level":{"enum":["error","warn","off"]},"builtinValues":{"type":"object","description":"Limits on the values of model-canary's chart (its values.schema.json checks their shape); quantities are checked in src/config/semantic.ts.","maxProperties":100,"properties":{"replicas":{"type":"integer","minimum":0,"maximum":1000,"description":"Stable pods when autoscaling is off (the chart's default is 2); left out of the Deployment when the HPA manages it.","examples":[3],"x-hint":"run 0 to 1000 stable pods; above that, use autoscaling"},"autoscaling":{"type":"object","properties":{"minReplicas":{"$ref":"#/definitions/autoscaledReplicas","description":"Fewest pods the HPA keeps (the chart's default is 2).","examples":[2]},"maxReplicas":{"$ref":"#/definitions/autoscaledReplicas","description":"Most pods the HPA scales to (the chart's default is 10).","examples":[10]}},"description":"The HorizontalPodAutoscaler, on with autoscaling.enabled: min and max replicas, the CPU target, and requests per second where a metrics adapter serves them.","examples":[{"enabled":true,"minReplicas":2,"maxReplicas":10,"targetCPUUtilizationPercentage":70}]},"gpu":{"type":"object","properties":{"count":{"type":"integer","minimum":0,"maximum":16,"description":"GPUs per pod, set as a limit on gpu.resourceName (nvidia.com/gpu by default); over 0 the chart adds the GPU node selector and toleration. 0 (the chart's default): none.","examples":[1],"x-hint":"ask for 0 to 16 GPUs per pod: no node has more"}},"description":"GPUs per pod, with the node selector and toleration that go with them.","examples":[{"count":1}]},"resources":{"type":"object","properties":{"requests":{"$ref":"#/definitions/resourceList","description":"What the scheduler reserves for each pod; cpu and memory are required.","examples":[{"cpu":"500m","memory":"1Gi"}]},"limits":{"$ref":"#/definitions/resourceList","description":"The most each pod may use; memory is required (a pod over it is OOM-killed).","examples":[{"memory":"2Gi"}]}},"description":"Requests and limits of the model server, as Kubernetes quantities; the chart requires requests cpu and memory and a memory limit.","examples":[{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"memory":"2Gi"}}]},"env":{"type":"array","maxItems":1000,"description":"Plain environment variables of the model server, as {name, value}; never secret values (use secretEnv or envFromSecrets).","examples":[[{"name":"LOG_LEVEL","value":"info"}]],"x-hint":"set at most 1000 environment variables","items":{"type":"object","properties":{"value":{"$ref":"#/definitions/textValue","description":"The variable's text value.","examples":["info"]}}}},"settings":{"type":"object","maxProperties":1000,"description":"Model settings: environment-variable names to text values, kept in the ConfigMap <name>-settings and given to the server as environment variables.","examples":[{"SCORE_THRESHOLD":"0.5"}],"x-hint":"give at most 1000 settings","additionalProperties":{"$ref":"#/definitions/textValue"}},"secretEnv":{"$ref":"#/definitions/shortList","description":"Environment variables read from Secrets by reference (secretKeyRef), as {name, secretName, key}; the values never pass through model-canary.","examples":[[{"name":"DB_PASSWORD","secretName":"iris-db","key":"password"}]]},"envFromSecrets":{"$ref":"#/definitions/shortList","description":"Names of Secrets whose every key becomes an environment variable (envFrom).","examples":[["iris-api-keys"]]},"imagePullSecrets":{"$ref":"#/definitions/shortList","description":"Names of Secrets with the registry credentials to pull the image.","examples":[["ghcr-pull"]]},"tolerations":{"$ref":"#/definitions/shortList","description":"Tolerations of the pods; the GPU toleration is added when gpu.count is over 0.","examples":[[{"key":"dedicated","operator":"Equal","value":"ml","effect":"NoSchedule"}]]},"writableDirs":{"$ref":"#/definitions/shortList","description":"More writable folders (emptyDirs) beside /tmp, for example a model cache, as {name, mountPath, sizeLimit}: the root filesystem is read-only.","examples":[[{"name":"cache","mountPath":"/var/cache/model","sizeLimit":"2Gi"}]]},"labels":{"$ref":"#/definitions/labels","description":"Extra labels on every object.","examples":[{"team":"fraud"}]},"podLabels":{"$ref":"#/definitions/labels","description":"Extra labels on the pods.","examples":[{"sidecar.istio.io/inject":"false"}]},"annotations":{"$ref":"#/definitions/annotations","description":"Extra annotations on every object.","examples":[{"example.com/owner":"ml-platform"}]},"podAnnotations":{"$ref":"#/definitions/annotations","description":"Extra annotations on the pods.","examples":[{"cluster-autoscaler.kubernetes.io/safe-to-evict":"true"}]},"serviceAccount":{"type":"object","properties":{"annotations":{"$ref":"#/definitions/annotations","description":"Annotations on the ServiceAccount, for example a cloud IAM role, beside render.values.annotations.","examples":[{"eks.amazonaws.com/role-arn":"arn:aws:iam::123456789012:role/iris"}]}},"description":"The ServiceAccount the chart creates for the pods (its token is not mounted).","examples":[{"annotations":{"eks.amazonaws.com/role-arn":"arn:aws:iam::123456789012:role/iris"}}]},"kserve":{"type":"object","properties":{"minReplicas":{"type":"integer","minimum":0,"maximum":1000,"description":"Fewest predictor replicas (the chart's default is 1); 0 lets KServe scale the predictor to zero.","examples":[1],"x-hint":"give 0 to 1000 predictor replicas"},"maxReplicas":{"$ref":"#/definitions/autoscaledReplicas","description":"Most predictor replicas (the chart's default is 3).","examples":[3]},"annotations":{"$ref":"#/definitions/annotations","description":"Annotations on the InferenceService, for example serving.kserve.io/deploymentMode: RawDeployment.","examples":[{"serving.kserve.io/deploymentMode":"RawDeployment"}]}},"description":"The InferenceService of render.mode kserve: a model format and storage URI instead of the image, and the predictor settings.","examples":[{"minReplicas":1,"maxReplicas":3,"annotations":{"serving.kserve.io/deploymentMode":"RawDeployment"}}]}}},"autoscaledReplicas":{"type":"integer","minimum":1,"maximum":1000,"x-hint":"give 1 to 1000 replicas"},"resourceList":{"type":"object","maxProperties":16,"x-hint":"give at most 16 resources","additionalProperties":{"type":["string","number"],"maxLength":64,"x-hint":"write a Kubernetes quantity such as 500m, 2 or 4Gi"}},"textValue":{"type":"string","maxLength":65536,"x-hint":"a value is at most 65536 characters; mount larger content from a ConfigMap or the image"},"shortList":{"type":"array","maxItems":100,"x-hint":"list at most 100 items"},"labels":{"type":"object","maxProperties":64,"x-hint":"give at most 64 labels","additionalProperties":{"type":"string","maxLength":63,"x-hint":"a label value is at most 63 characters (a Kubernetes limit); put longer text in an annotation"}},"annotations":{"type":"object","maxProperties":64,"x-hint":"give at most 64 annotations","additionalProperties":{"type":"string","maxLength":65536,"x-hint":"an annotation value is at most 65536 characters (Kubernetes allows 256 KiB for all of an object's annotations together)"}}}};
const schema12 = {"type":"string","pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","maxLength":53,"x-hint":"use a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 53 characters"};
const schema13 = {"type":"string","minLength":1,"maxLength":4096,"description":"A path inside the workspace.","x-hint":"a path is at most 4096 characters"};
const schema18 = {"enum":["error","warn","off"]};
const schema66 = {"type":"string","pattern":"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$","x-hint":"write a duration like 90s, 5m or 1h30m"};
const func2 = Object.prototype.hasOwnProperty;
const func3 = runtime_ucs2length;
const func0 = runtime_equal;
const pattern0 = new RegExp("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "u");
const pattern1 = new RegExp("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$", "u");
const pattern2 = new RegExp("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", "u");
const pattern8 = new RegExp("^https?://[^\\s/?#]+(:[0-9]{1,5})?/?$", "u");
const pattern9 = new RegExp("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", "u");
const pattern10 = new RegExp("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$", "u");
const pattern12 = new RegExp("^/", "u");
const pattern20 = new RegExp("^https?://[^\\s/?#]+(/[^\\s?#]*)?$", "u");
const pattern21 = new RegExp("^(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*(=|!=|=~|!~)\\s*\"([^\"\\\\]|\\\\.)*\"\\s*(,|$))*$", "u");
const pattern23 = new RegExp("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", "u");
const schema29 = {"type":"object","description":"Limits on the values of model-canary's chart (its values.schema.json checks their shape); quantities are checked in src/config/semantic.ts.","maxProperties":100,"properties":{"replicas":{"type":"integer","minimum":0,"maximum":1000,"description":"Stable pods when autoscaling is off (the chart's default is 2); left out of the Deployment when the HPA manages it.","examples":[3],"x-hint":"run 0 to 1000 stable pods; above that, use autoscaling"},"autoscaling":{"type":"object","properties":{"minReplicas":{"$ref":"#/definitions/autoscaledReplicas","description":"Fewest pods the HPA keeps (the chart's default is 2).","examples":[2]},"maxReplicas":{"$ref":"#/definitions/autoscaledReplicas","description":"Most pods the HPA scales to (the chart's default is 10).","examples":[10]}},"description":"The HorizontalPodAutoscaler, on with autoscaling.enabled: min and max replicas, the CPU target, and requests per second where a metrics adapter serves them.","examples":[{"enabled":true,"minReplicas":2,"maxReplicas":10,"targetCPUUtilizationPercentage":70}]},"gpu":{"type":"object","properties":{"count":{"type":"integer","minimum":0,"maximum":16,"description":"GPUs per pod, set as a limit on gpu.resourceName (nvidia.com/gpu by default); over 0 the chart adds the GPU node selector and toleration. 0 (the chart's default): none.","examples":[1],"x-hint":"ask for 0 to 16 GPUs per pod: no node has more"}},"description":"GPUs per pod, with the node selector and toleration that go with them.","examples":[{"count":1}]},"resources":{"type":"object","properties":{"requests":{"$ref":"#/definitions/resourceList","description":"What the scheduler reserves for each pod; cpu and memory are required.","examples":[{"cpu":"500m","memory":"1Gi"}]},"limits":{"$ref":"#/definitions/resourceList","description":"The most each pod may use; memory is required (a pod over it is OOM-killed).","examples":[{"memory":"2Gi"}]}},"description":"Requests and limits of the model server, as Kubernetes quantities; the chart requires requests cpu and memory and a memory limit.","examples":[{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"memory":"2Gi"}}]},"env":{"type":"array","maxItems":1000,"description":"Plain environment variables of the model server, as {name, value}; never secret values (use secretEnv or envFromSecrets).","examples":[[{"name":"LOG_LEVEL","value":"info"}]],"x-hint":"set at most 1000 environment variables","items":{"type":"object","properties":{"value":{"$ref":"#/definitions/textValue","description":"The variable's text value.","examples":["info"]}}}},"settings":{"type":"object","maxProperties":1000,"description":"Model settings: environment-variable names to text values, kept in the ConfigMap <name>-settings and given to the server as environment variables.","examples":[{"SCORE_THRESHOLD":"0.5"}],"x-hint":"give at most 1000 settings","additionalProperties":{"$ref":"#/definitions/textValue"}},"secretEnv":{"$ref":"#/definitions/shortList","description":"Environment variables read from Secrets by reference (secretKeyRef), as {name, secretName, key}; the values never pass through model-canary.","examples":[[{"name":"DB_PASSWORD","secretName":"iris-db","key":"password"}]]},"envFromSecrets":{"$ref":"#/definitions/shortList","description":"Names of Secrets whose every key becomes an environment variable (envFrom).","examples":[["iris-api-keys"]]},"imagePullSecrets":{"$ref":"#/definitions/shortList","description":"Names of Secrets with the registry credentials to pull the image.","examples":[["ghcr-pull"]]},"tolerations":{"$ref":"#/definitions/shortList","description":"Tolerations of the pods; the GPU toleration is added when gpu.count is over 0.","examples":[[{"key":"dedicated","operator":"Equal","value":"ml","effect":"NoSchedule"}]]},"writableDirs":{"$ref":"#/definitions/shortList","description":"More writable folders (emptyDirs) beside /tmp, for example a model cache, as {name, mountPath, sizeLimit}: the root filesystem is read-only.","examples":[[{"name":"cache","mountPath":"/var/cache/model","sizeLimit":"2Gi"}]]},"labels":{"$ref":"#/definitions/labels","description":"Extra labels on every object.","examples":[{"team":"fraud"}]},"podLabels":{"$ref":"#/definitions/labels","description":"Extra labels on the pods.","examples":[{"sidecar.istio.io/inject":"false"}]},"annotations":{"$ref":"#/definitions/annotations","description":"Extra annotations on every object.","examples":[{"example.com/owner":"ml-platform"}]},"podAnnotations":{"$ref":"#/definitions/annotations","description":"Extra annotations on the pods.","examples":[{"cluster-autoscaler.kubernetes.io/safe-to-evict":"true"}]},"serviceAccount":{"type":"object","properties":{"annotations":{"$ref":"#/definitions/annotations","description":"Annotations on the ServiceAccount, for example a cloud IAM role, beside render.values.annotations.","examples":[{"eks.amazonaws.com/role-arn":"arn:aws:iam::123456789012:role/iris"}]}},"description":"The ServiceAccount the chart creates for the pods (its token is not mounted).","examples":[{"annotations":{"eks.amazonaws.com/role-arn":"arn:aws:iam::123456789012:role/iris"}}]},"kserve":{"type":"object","properties":{"minReplicas":{"type":"integer","minimum":0,"maximum":1000,"description":"Fewest predictor replicas (the chart's default is 1); 0 lets KServe scale the predictor to zero.","examples":[1],"x-hint":"give 0 to 1000 predictor replicas"},"maxReplicas":{"$ref":"#/definitions/autoscaledReplicas","description":"Most predictor replicas (the chart's default is 3).","examples":[3]},"annotations":{"$ref":"#/definitions/annotations","description":"Annotations on the InferenceService, for example serving.kserve.io/deploymentMode: RawDeployment.","examples":[{"serving.kserve.io/deploymentMode":"RawDeployment"}]}},"description":"The InferenceService of render.mode kserve: a model format and storage URI instead of the image, and the predictor settings.","examples":[{"minReplicas":1,"maxReplicas":3,"annotations":{"serving.kserve.io/deploymentMode":"RawDeployment"}}]}}};
const schema30 = {"type":"integer","minimum":1,"maximum":1000,"x-hint":"give 1 to 1000 replicas"};
const schema32 = {"type":"object","maxProperties":16,"x-hint":"give at most 16 resources","additionalProperties":{"type":["string","number"],"maxLength":64,"x-hint":"write a Kubernetes quantity such as 500m, 2 or 4Gi"}};
const schema34 = {"type":"string","maxLength":65536,"x-hint":"a value is at most 65536 characters; mount larger content from a ConfigMap or the image"};
const schema36 = {"type":"array","maxItems":100,"x-hint":"list at most 100 items"};
const schema41 = {"type":"object","maxProperties":64,"x-hint":"give at most 64 labels","additionalProperties":{"type":"string","maxLength":63,"x-hint":"a label value is at most 63 characters (a Kubernetes limit); put longer text in an annotation"}};
const schema43 = {"type":"object","maxProperties":64,"x-hint":"give at most 64 annotations","additionalProperties":{"type":"string","maxLength":65536,"x-hint":"an annotation value is at most 65536 characters (Kubernetes allows 256 KiB for all of an object's annotations together)"}};

function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(Object.keys(data).length > 100){
const err0 = {instancePath,schemaPath:"#/maxProperties",keyword:"maxProperties",params:{limit: 100},message:"must NOT have more than 100 properties",schema:100,parentSchema:schema29,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.replicas !== undefined){
let data0 = data.replicas;
if(!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))){
const err1 = {instancePath:instancePath+"/replicas",schemaPath:"#/properties/replicas/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema29.properties.replicas.type,parentSchema:schema29.properties.replicas,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if((typeof data0 == "number") && (isFinite(data0))){
if(data0 > 1000 || isNaN(data0)){
const err2 = {instancePath:instancePath+"/replicas",schemaPath:"#/properties/replicas/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema29.properties.replicas,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data0 < 0 || isNaN(data0)){
const err3 = {instancePath:instancePath+"/replicas",schemaPath:"#/properties/replicas/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema29.properties.replicas,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
}
if(data.autoscaling !== undefined){
let data1 = data.autoscaling;
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
if(data1.minReplicas !== undefined){
let data2 = data1.minReplicas;
if(!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))){
const err4 = {instancePath:instancePath+"/autoscaling/minReplicas",schemaPath:"#/definitions/autoscaledReplicas/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema30.type,parentSchema:schema30,data:data2};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if((typeof data2 == "number") && (isFinite(data2))){
if(data2 > 1000 || isNaN(data2)){
const err5 = {instancePath:instancePath+"/autoscaling/minReplicas",schemaPath:"#/definitions/autoscaledReplicas/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema30,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
if(data2 < 1 || isNaN(data2)){
const err6 = {instancePath:instancePath+"/autoscaling/minReplicas",schemaPath:"#/definitions/autoscaledReplicas/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema30,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
}
if(data1.maxReplicas !== undefined){
let data3 = data1.maxReplicas;
if(!(((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3))) && (isFinite(data3)))){
const err7 = {instancePath:instancePath+"/autoscaling/maxReplicas",schemaPath:"#/definitions/autoscaledReplicas/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema30.type,parentSchema:schema30,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if((typeof data3 == "number") && (isFinite(data3))){
if(data3 > 1000 || isNaN(data3)){
const err8 = {instancePath:instancePath+"/autoscaling/maxReplicas",schemaPath:"#/definitions/autoscaledReplicas/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema30,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(data3 < 1 || isNaN(data3)){
const err9 = {instancePath:instancePath+"/autoscaling/maxReplicas",schemaPath:"#/definitions/autoscaledReplicas/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema30,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
}
}
else {
const err10 = {instancePath:instancePath+"/autoscaling",schemaPath:"#/properties/autoscaling/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema29.properties.autoscaling.type,parentSchema:schema29.properties.autoscaling,data:data1};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.gpu !== undefined){
let data4 = data.gpu;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(data4.count !== undefined){
let data5 = data4.count;
if(!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))){
const err11 = {instancePath:instancePath+"/gpu/count",schemaPath:"#/properties/gpu/properties/count/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema29.properties.gpu.properties.count.type,parentSchema:schema29.properties.gpu.properties.count,data:data5};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 > 16 || isNaN(data5)){
const err12 = {instancePath:instancePath+"/gpu/count",schemaPath:"#/properties/gpu/properties/count/maximum",keyword:"maximum",params:{comparison: "<=", limit: 16},message:"must be <= 16",schema:16,parentSchema:schema29.properties.gpu.properties.count,data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(data5 < 0 || isNaN(data5)){
const err13 = {instancePath:instancePath+"/gpu/count",schemaPath:"#/properties/gpu/properties/count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema29.properties.gpu.properties.count,data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
}
else {
const err14 = {instancePath:instancePath+"/gpu",schemaPath:"#/properties/gpu/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema29.properties.gpu.type,parentSchema:schema29.properties.gpu,data:data4};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.resources !== undefined){
let data6 = data.resources;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
if(data6.requests !== undefined){
let data7 = data6.requests;
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
if(Object.keys(data7).length > 16){
const err15 = {instancePath:instancePath+"/resources/requests",schemaPath:"#/definitions/resourceList/maxProperties",keyword:"maxProperties",params:{limit: 16},message:"must NOT have more than 16 properties",schema:16,parentSchema:schema32,data:data7};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
for(const key0 in data7){
let data8 = data7[key0];
if((typeof data8 !== "string") && (!((typeof data8 == "number") && (isFinite(data8))))){
const err16 = {instancePath:instancePath+"/resources/requests/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/resourceList/additionalProperties/type",keyword:"type",params:{type: schema32.additionalProperties.type},message:"must be string,number",schema:schema32.additionalProperties.type,parentSchema:schema32.additionalProperties,data:data8};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if(typeof data8 === "string"){
if(func3(data8) > 64){
const err17 = {instancePath:instancePath+"/resources/requests/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/resourceList/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema32.additionalProperties,data:data8};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
}
else {
const err18 = {instancePath:instancePath+"/resources/requests",schemaPath:"#/definitions/resourceList/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema32.type,parentSchema:schema32,data:data7};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data6.limits !== undefined){
let data9 = data6.limits;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
if(Object.keys(data9).length > 16){
const err19 = {instancePath:instancePath+"/resources/limits",schemaPath:"#/definitions/resourceList/maxProperties",keyword:"maxProperties",params:{limit: 16},message:"must NOT have more than 16 properties",schema:16,parentSchema:schema32,data:data9};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
for(const key1 in data9){
let data10 = data9[key1];
if((typeof data10 !== "string") && (!((typeof data10 == "number") && (isFinite(data10))))){
const err20 = {instancePath:instancePath+"/resources/limits/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/resourceList/additionalProperties/type",keyword:"type",params:{type: schema32.additionalProperties.type},message:"must be string,number",schema:schema32.additionalProperties.type,parentSchema:schema32.additionalProperties,data:data10};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
if(typeof data10 === "string"){
if(func3(data10) > 64){
const err21 = {instancePath:instancePath+"/resources/limits/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/resourceList/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters",schema:64,parentSchema:schema32.additionalProperties,data:data10};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
}
}
else {
const err22 = {instancePath:instancePath+"/resources/limits",schemaPath:"#/definitions/resourceList/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema32.type,parentSchema:schema32,data:data9};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
else {
const err23 = {instancePath:instancePath+"/resources",schemaPath:"#/properties/resources/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema29.properties.resources.type,parentSchema:schema29.properties.resources,data:data6};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data.env !== undefined){
let data11 = data.env;
if(Array.isArray(data11)){
if(data11.length > 1000){
const err24 = {instancePath:instancePath+"/env",schemaPath:"#/properties/env/maxItems",keyword:"maxItems",params:{limit: 1000},message:"must NOT have more than 1000 items",schema:1000,parentSchema:schema29.properties.env,data:data11};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
const len0 = data11.length;
for(let i0=0; i0<len0; i0++){
let data12 = data11[i0];
if(data12 && typeof data12 == "object" && !Array.isArray(data12)){
if(data12.value !== undefined){
let data13 = data12.value;
if(typeof data13 === "string"){
if(func3(data13) > 65536){
const err25 = {instancePath:instancePath+"/env/" + i0+"/value",schemaPath:"#/definitions/textValue/maxLength",keyword:"maxLength",params:{limit: 65536},message:"must NOT have more than 65536 characters",schema:65536,parentSchema:schema34,data:data13};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
else {
const err26 = {instancePath:instancePath+"/env/" + i0+"/value",schemaPath:"#/definitions/textValue/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema34.type,parentSchema:schema34,data:data13};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
}
else {
const err27 = {instancePath:instancePath+"/env/" + i0,schemaPath:"#/properties/env/items/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema29.properties.env.items.type,parentSchema:schema29.properties.env.items,data:data12};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
}
else {
const err28 = {instancePath:instancePath+"/env",schemaPath:"#/properties/env/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema29.properties.env.type,parentSchema:schema29.properties.env,data:data11};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data.settings !== undefined){
let data14 = data.settings;
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
if(Object.keys(data14).length > 1000){
const err29 = {instancePath:instancePath+"/settings",schemaPath:"#/properties/settings/maxProperties",keyword:"maxProperties",params:{limit: 1000},message:"must NOT have more than 1000 properties",schema:1000,parentSchema:schema29.properties.settings,data:data14};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
for(const key2 in data14){
let data15 = data14[key2];
if(typeof data15 === "string"){
if(func3(data15) > 65536){
const err30 = {instancePath:instancePath+"/settings/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/textValue/maxLength",keyword:"maxLength",params:{limit: 65536},message:"must NOT have more than 65536 characters",schema:65536,parentSchema:schema34,data:data15};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
else {
const err31 = {instancePath:instancePath+"/settings/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/textValue/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema34.type,parentSchema:schema34,data:data15};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
}
else {
const err32 = {instancePath:instancePath+"/settings",schemaPath:"#/properties/settings/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema29.properties.settings.type,parentSchema:schema29.properties.settings,data:data14};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data.secretEnv !== undefined){
let data16 = data.secretEnv;
if(Array.isArray(data16)){
if(data16.length > 100){
const err33 = {instancePath:instancePath+"/secretEnv",schemaPath:"#/definitions/shortList/maxItems",keyword:"maxItems",params:{limit: 100},message:"must NOT have more than 100 items",schema:100,parentSchema:schema36,data:data16};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
else {
const err34 = {instancePath:instancePath+"/secretEnv",schemaPath:"#/definitions/shortList/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema36.type,parentSchema:schema36,data:data16};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data.envFromSecrets !== undefined){
let data17 = data.envFromSecrets;
if(Array.isArray(data17)){
if(data17.length > 100){
const err35 = {instancePath:instancePath+"/envFromSecrets",schemaPath:"#/definitions/shortList/maxItems",keyword:"maxItems",params:{limit: 100},message:"must NOT have more than 100 items",schema:100,parentSchema:schema36,data:data17};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
else {
const err36 = {instancePath:instancePath+"/envFromSecrets",schemaPath:"#/definitions/shortList/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema36.type,parentSchema:schema36,data:data17};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(data.imagePullSecrets !== undefined){
let data18 = data.imagePullSecrets;
if(Array.isArray(data18)){
if(data18.length > 100){
const err37 = {instancePath:instancePath+"/imagePullSecrets",schemaPath:"#/definitions/shortList/maxItems",keyword:"maxItems",params:{limit: 100},message:"must NOT have more than 100 items",schema:100,parentSchema:schema36,data:data18};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
else {
const err38 = {instancePath:instancePath+"/imagePullSecrets",schemaPath:"#/definitions/shortList/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema36.type,parentSchema:schema36,data:data18};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
if(data.tolerations !== undefined){
let data19 = data.tolerations;
if(Array.isArray(data19)){
if(data19.length > 100){
const err39 = {instancePath:instancePath+"/tolerations",schemaPath:"#/definitions/shortList/maxItems",keyword:"maxItems",params:{limit: 100},message:"must NOT have more than 100 items",schema:100,parentSchema:schema36,data:data19};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
else {
const err40 = {instancePath:instancePath+"/tolerations",schemaPath:"#/definitions/shortList/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema36.type,parentSchema:schema36,data:data19};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data.writableDirs !== undefined){
let data20 = data.writableDirs;
if(Array.isArray(data20)){
if(data20.length > 100){
const err41 = {instancePath:instancePath+"/writableDirs",schemaPath:"#/definitions/shortList/maxItems",keyword:"maxItems",params:{limit: 100},message:"must NOT have more than 100 items",schema:100,parentSchema:schema36,data:data20};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
else {
const err42 = {instancePath:instancePath+"/writableDirs",schemaPath:"#/definitions/shortList/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema36.type,parentSchema:schema36,data:data20};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data.labels !== undefined){
let data21 = data.labels;
if(data21 && typeof data21 == "object" && !Array.isArray(data21)){
if(Object.keys(data21).length > 64){
const err43 = {instancePath:instancePath+"/labels",schemaPath:"#/definitions/labels/maxProperties",keyword:"maxProperties",params:{limit: 64},message:"must NOT have more than 64 properties",schema:64,parentSchema:schema41,data:data21};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
for(const key3 in data21){
let data22 = data21[key3];
if(typeof data22 === "string"){
if(func3(data22) > 63){
const err44 = {instancePath:instancePath+"/labels/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/labels/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters",schema:63,parentSchema:schema41.additionalProperties,data:data22};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
else {
const err45 = {instancePath:instancePath+"/labels/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/labels/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema41.additionalProperties.type,parentSchema:schema41.additionalProperties,data:data22};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
}
else {
const err46 = {instancePath:instancePath+"/labels",schemaPath:"#/definitions/labels/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema41.type,parentSchema:schema41,data:data21};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
if(data.podLabels !== undefined){
let data23 = data.podLabels;
if(data23 && typeof data23 == "object" && !Array.isArray(data23)){
if(Object.keys(data23).length > 64){
const err47 = {instancePath:instancePath+"/podLabels",schemaPath:"#/definitions/labels/maxProperties",keyword:"maxProperties",params:{limit: 64},message:"must NOT have more than 64 properties",schema:64,parentSchema:schema41,data:data23};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
for(const key4 in data23){
let data24 = data23[key4];
if(typeof data24 === "string"){
if(func3(data24) > 63){
const err48 = {instancePath:instancePath+"/podLabels/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/labels/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 63},message:"must NOT have more than 63 characters",schema:63,parentSchema:schema41.additionalProperties,data:data24};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
else {
const err49 = {instancePath:instancePath+"/podLabels/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/labels/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema41.additionalProperties.type,parentSchema:schema41.additionalProperties,data:data24};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
}
else {
const err50 = {instancePath:instancePath+"/podLabels",schemaPath:"#/definitions/labels/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema41.type,parentSchema:schema41,data:data23};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
if(data.annotations !== undefined){
let data25 = data.annotations;
if(data25 && typeof data25 == "object" && !Array.isArray(data25)){
if(Object.keys(data25).length > 64){
const err51 = {instancePath:instancePath+"/annotations",schemaPath:"#/definitions/annotations/maxProperties",keyword:"maxProperties",params:{limit: 64},message:"must NOT have more than 64 properties",schema:64,parentSchema:schema43,data:data25};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
for(const key5 in data25){
let data26 = data25[key5];
if(typeof data26 === "string"){
if(func3(data26) > 65536){
const err52 = {instancePath:instancePath+"/annotations/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/annotations/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 65536},message:"must NOT have more than 65536 characters",schema:65536,parentSchema:schema43.additionalProperties,data:data26};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
else {
const err53 = {instancePath:instancePath+"/annotations/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/annotations/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema43.additionalProperties.type,parentSchema:schema43.additionalProperties,data:data26};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
}
else {
const err54 = {instancePath:instancePath+"/annotations",schemaPath:"#/definitions/annotations/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema43.type,parentSchema:schema43,data:data25};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
if(data.podAnnotations !== undefined){
let data27 = data.podAnnotations;
if(data27 && typeof data27 == "object" && !Array.isArray(data27)){
if(Object.keys(data27).length > 64){
const err55 = {instancePath:instancePath+"/podAnnotations",schemaPath:"#/definitions/annotations/maxProperties",keyword:"maxProperties",params:{limit: 64},message:"must NOT have more than 64 properties",schema:64,parentSchema:schema43,data:data27};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
for(const key6 in data27){
let data28 = data27[key6];
if(typeof data28 === "string"){
if(func3(data28) > 65536){
const err56 = {instancePath:instancePath+"/podAnnotations/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/annotations/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 65536},message:"must NOT have more than 65536 characters",schema:65536,parentSchema:schema43.additionalProperties,data:data28};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
else {
const err57 = {instancePath:instancePath+"/podAnnotations/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/annotations/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema43.additionalProperties.type,parentSchema:schema43.additionalProperties,data:data28};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
}
else {
const err58 = {instancePath:instancePath+"/podAnnotations",schemaPath:"#/definitions/annotations/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema43.type,parentSchema:schema43,data:data27};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
if(data.serviceAccount !== undefined){
let data29 = data.serviceAccount;
if(data29 && typeof data29 == "object" && !Array.isArray(data29)){
if(data29.annotations !== undefined){
let data30 = data29.annotations;
if(data30 && typeof data30 == "object" && !Array.isArray(data30)){
if(Object.keys(data30).length > 64){
const err59 = {instancePath:instancePath+"/serviceAccount/annotations",schemaPath:"#/definitions/annotations/maxProperties",keyword:"maxProperties",params:{limit: 64},message:"must NOT have more than 64 properties",schema:64,parentSchema:schema43,data:data30};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
for(const key7 in data30){
let data31 = data30[key7];
if(typeof data31 === "string"){
if(func3(data31) > 65536){
const err60 = {instancePath:instancePath+"/serviceAccount/annotations/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/annotations/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 65536},message:"must NOT have more than 65536 characters",schema:65536,parentSchema:schema43.additionalProperties,data:data31};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
else {
const err61 = {instancePath:instancePath+"/serviceAccount/annotations/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/annotations/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema43.additionalProperties.type,parentSchema:schema43.additionalProperties,data:data31};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
}
else {
const err62 = {instancePath:instancePath+"/serviceAccount/annotations",schemaPath:"#/definitions/annotations/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema43.type,parentSchema:schema43,data:data30};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
}
else {
const err63 = {instancePath:instancePath+"/serviceAccount",schemaPath:"#/properties/serviceAccount/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema29.properties.serviceAccount.type,parentSchema:schema29.properties.serviceAccount,data:data29};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
if(data.kserve !== undefined){
let data32 = data.kserve;
if(data32 && typeof data32 == "object" && !Array.isArray(data32)){
if(data32.minReplicas !== undefined){
let data33 = data32.minReplicas;
if(!(((typeof data33 == "number") && (!(data33 % 1) && !isNaN(data33))) && (isFinite(data33)))){
const err64 = {instancePath:instancePath+"/kserve/minReplicas",schemaPath:"#/properties/kserve/properties/minReplicas/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema29.properties.kserve.properties.minReplicas.type,parentSchema:schema29.properties.kserve.properties.minReplicas,data:data33};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
if((typeof data33 == "number") && (isFinite(data33))){
if(data33 > 1000 || isNaN(data33)){
const err65 = {instancePath:instancePath+"/kserve/minReplicas",schemaPath:"#/properties/kserve/properties/minReplicas/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema29.properties.kserve.properties.minReplicas,data:data33};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
if(data33 < 0 || isNaN(data33)){
const err66 = {instancePath:instancePath+"/kserve/minReplicas",schemaPath:"#/properties/kserve/properties/minReplicas/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema29.properties.kserve.properties.minReplicas,data:data33};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
}
if(data32.maxReplicas !== undefined){
let data34 = data32.maxReplicas;
if(!(((typeof data34 == "number") && (!(data34 % 1) && !isNaN(data34))) && (isFinite(data34)))){
const err67 = {instancePath:instancePath+"/kserve/maxReplicas",schemaPath:"#/definitions/autoscaledReplicas/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema30.type,parentSchema:schema30,data:data34};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
if((typeof data34 == "number") && (isFinite(data34))){
if(data34 > 1000 || isNaN(data34)){
const err68 = {instancePath:instancePath+"/kserve/maxReplicas",schemaPath:"#/definitions/autoscaledReplicas/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema30,data:data34};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
if(data34 < 1 || isNaN(data34)){
const err69 = {instancePath:instancePath+"/kserve/maxReplicas",schemaPath:"#/definitions/autoscaledReplicas/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema30,data:data34};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
}
if(data32.annotations !== undefined){
let data35 = data32.annotations;
if(data35 && typeof data35 == "object" && !Array.isArray(data35)){
if(Object.keys(data35).length > 64){
const err70 = {instancePath:instancePath+"/kserve/annotations",schemaPath:"#/definitions/annotations/maxProperties",keyword:"maxProperties",params:{limit: 64},message:"must NOT have more than 64 properties",schema:64,parentSchema:schema43,data:data35};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
for(const key8 in data35){
let data36 = data35[key8];
if(typeof data36 === "string"){
if(func3(data36) > 65536){
const err71 = {instancePath:instancePath+"/kserve/annotations/" + key8.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/annotations/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 65536},message:"must NOT have more than 65536 characters",schema:65536,parentSchema:schema43.additionalProperties,data:data36};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
else {
const err72 = {instancePath:instancePath+"/kserve/annotations/" + key8.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/annotations/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema43.additionalProperties.type,parentSchema:schema43.additionalProperties,data:data36};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
}
else {
const err73 = {instancePath:instancePath+"/kserve/annotations",schemaPath:"#/definitions/annotations/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema43.type,parentSchema:schema43,data:data35};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
}
else {
const err74 = {instancePath:instancePath+"/kserve",schemaPath:"#/properties/kserve/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema29.properties.kserve.type,parentSchema:schema29.properties.kserve,data:data32};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
}
else {
const err75 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema29.type,parentSchema:schema29,data};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
validate11.errors = vErrors;
return errors === 0;
}


function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
/*# sourceURL="https://raw.githubusercontent.com/model-canary/model-canary/v1/schema/model-canary.schema.json" */;
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.scan === undefined){
data.scan = {};
}
if(data.render === undefined){
data.render = {};
}
if(data.cluster === undefined){
data.cluster = {};
}
if(data.canary === undefined){
data.canary = {};
}
if(data.smoke === undefined){
data.smoke = {};
}
if(data.analysis === undefined){
data.analysis = {};
}
if(data.decide === undefined){
data.decide = {};
}
if(data.apiVersion === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "apiVersion"},message:"must have required property '"+"apiVersion"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.model === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "model"},message:"must have required property '"+"model"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.image === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "image"},message:"must have required property '"+"image"+"'",schema:schema11.required,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema11.properties, key0))){
const err3 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.$schema !== undefined){
let data0 = data.$schema;
if(typeof data0 === "string"){
if(func3(data0) > 2048){
const err4 = {instancePath:instancePath+"/$schema",schemaPath:"#/properties/%24schema/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema11.properties.$schema,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/$schema",schemaPath:"#/properties/%24schema/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.$schema.type,parentSchema:schema11.properties.$schema,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.apiVersion !== undefined){
let data1 = data.apiVersion;
if("model-canary/v1" !== data1){
const err6 = {instancePath:instancePath+"/apiVersion",schemaPath:"#/properties/apiVersion/const",keyword:"const",params:{allowedValue: "model-canary/v1"},message:"must be equal to constant",schema:"model-canary/v1",parentSchema:schema11.properties.apiVersion,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.model !== undefined){
let data2 = data.model;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
if(data2.framework === undefined){
data2.framework = "custom";
}
if(data2.name === undefined){
const err7 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema11.properties.model.required,parentSchema:schema11.properties.model,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data2.version === undefined){
const err8 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'",schema:schema11.properties.model.required,parentSchema:schema11.properties.model,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
for(const key1 in data2){
if(!(((((key1 === "name") || (key1 === "version")) || (key1 === "framework")) || (key1 === "artifact")) || (key1 === "card"))){
const err9 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.model,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data2.name !== undefined){
let data3 = data2.name;
if(typeof data3 === "string"){
if(func3(data3) > 53){
const err10 = {instancePath:instancePath+"/model/name",schemaPath:"#/definitions/name/maxLength",keyword:"maxLength",params:{limit: 53},message:"must NOT have more than 53 characters",schema:53,parentSchema:schema12,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(!pattern0.test(data3)){
const err11 = {instancePath:instancePath+"/model/name",schemaPath:"#/definitions/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"+"\"",schema:"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",parentSchema:schema12,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/model/name",schemaPath:"#/definitions/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data2.version !== undefined){
let data4 = data2.version;
if(typeof data4 === "string"){
if(!pattern1.test(data4)){
const err13 = {instancePath:instancePath+"/model/version",schemaPath:"#/properties/model/properties/version/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$"},message:"must match pattern \""+"^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$"+"\"",schema:"^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$",parentSchema:schema11.properties.model.properties.version,data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/model/version",schemaPath:"#/properties/model/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.model.properties.version.type,parentSchema:schema11.properties.model.properties.version,data:data4};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
let data5 = data2.framework;
if(!((((((data5 === "sklearn") || (data5 === "onnx")) || (data5 === "xgboost")) || (data5 === "pytorch")) || (data5 === "tensorflow")) || (data5 === "custom"))){
const err15 = {instancePath:instancePath+"/model/framework",schemaPath:"#/properties/model/properties/framework/enum",keyword:"enum",params:{allowedValues: schema11.properties.model.properties.framework.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.model.properties.framework.enum,parentSchema:schema11.properties.model.properties.framework,data:data5};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
if(data2.artifact !== undefined){
let data6 = data2.artifact;
if(typeof data6 === "string"){
if(func3(data6) > 4096){
const err16 = {instancePath:instancePath+"/model/artifact",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data6};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if(func3(data6) < 1){
const err17 = {instancePath:instancePath+"/model/artifact",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data6};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
else {
const err18 = {instancePath:instancePath+"/model/artifact",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data6};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data2.card !== undefined){
let data7 = data2.card;
if(typeof data7 === "string"){
if(func3(data7) > 4096){
const err19 = {instancePath:instancePath+"/model/card",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data7};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
if(func3(data7) < 1){
const err20 = {instancePath:instancePath+"/model/card",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data7};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
else {
const err21 = {instancePath:instancePath+"/model/card",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data7};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
}
else {
const err22 = {instancePath:instancePath+"/model",schemaPath:"#/properties/model/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.model.type,parentSchema:schema11.properties.model,data:data2};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data.image !== undefined){
let data8 = data.image;
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
if(data8.extraTags === undefined){
data8.extraTags = [];
}
if(data8.context === undefined){
data8.context = ".";
}
if(data8.buildArgs === undefined){
data8.buildArgs = {};
}
if(data8.push === undefined){
data8.push = true;
}
if(data8.guards === undefined){
data8.guards = {};
}
if(data8.repository === undefined){
const err23 = {instancePath:instancePath+"/image",schemaPath:"#/properties/image/required",keyword:"required",params:{missingProperty: "repository"},message:"must have required property '"+"repository"+"'",schema:schema11.properties.image.required,parentSchema:schema11.properties.image,data:data8};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
for(const key2 in data8){
if(!(func2.call(schema11.properties.image.properties, key2))){
const err24 = {instancePath:instancePath+"/image",schemaPath:"#/properties/image/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.image,data:data8};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data8.repository !== undefined){
let data9 = data8.repository;
if(typeof data9 === "string"){
if(func3(data9) > 255){
const err25 = {instancePath:instancePath+"/image/repository",schemaPath:"#/properties/image/properties/repository/maxLength",keyword:"maxLength",params:{limit: 255},message:"must NOT have more than 255 characters",schema:255,parentSchema:schema11.properties.image.properties.repository,data:data9};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if(func3(data9) < 1){
const err26 = {instancePath:instancePath+"/image/repository",schemaPath:"#/properties/image/properties/repository/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.image.properties.repository,data:data9};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
else {
const err27 = {instancePath:instancePath+"/image/repository",schemaPath:"#/properties/image/properties/repository/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.image.properties.repository.type,parentSchema:schema11.properties.image.properties.repository,data:data9};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data8.tag !== undefined){
let data10 = data8.tag;
if(typeof data10 === "string"){
if(!pattern2.test(data10)){
const err28 = {instancePath:instancePath+"/image/tag",schemaPath:"#/properties/image/properties/tag/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"},message:"must match pattern \""+"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"+"\"",schema:"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",parentSchema:schema11.properties.image.properties.tag,data:data10};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
else {
const err29 = {instancePath:instancePath+"/image/tag",schemaPath:"#/properties/image/properties/tag/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.image.properties.tag.type,parentSchema:schema11.properties.image.properties.tag,data:data10};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
let data11 = data8.extraTags;
if(Array.isArray(data11)){
if(data11.length > 32){
const err30 = {instancePath:instancePath+"/image/extraTags",schemaPath:"#/properties/image/properties/extraTags/maxItems",keyword:"maxItems",params:{limit: 32},message:"must NOT have more than 32 items",schema:32,parentSchema:schema11.properties.image.properties.extraTags,data:data11};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
const len0 = data11.length;
for(let i0=0; i0<len0; i0++){
let data12 = data11[i0];
if(typeof data12 === "string"){
if(!pattern2.test(data12)){
const err31 = {instancePath:instancePath+"/image/extraTags/" + i0,schemaPath:"#/properties/image/properties/extraTags/items/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"},message:"must match pattern \""+"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"+"\"",schema:"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",parentSchema:schema11.properties.image.properties.extraTags.items,data:data12};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
else {
const err32 = {instancePath:instancePath+"/image/extraTags/" + i0,schemaPath:"#/properties/image/properties/extraTags/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.image.properties.extraTags.items.type,parentSchema:schema11.properties.image.properties.extraTags.items,data:data12};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
let i1 = data11.length;
let j0;
if(i1 > 1){
const indices0 = {};
for(;i1--;){
let item0 = data11[i1];
if(typeof item0 !== "string"){
continue;
}
if(typeof indices0[item0] == "number"){
j0 = indices0[item0];
const err33 = {instancePath:instancePath+"/image/extraTags",schemaPath:"#/properties/image/properties/extraTags/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i1+" are identical)",schema:true,parentSchema:schema11.properties.image.properties.extraTags,data:data11};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
break;
}
indices0[item0] = i1;
}
}
}
else {
const err34 = {instancePath:instancePath+"/image/extraTags",schemaPath:"#/properties/image/properties/extraTags/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.image.properties.extraTags.type,parentSchema:schema11.properties.image.properties.extraTags,data:data11};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
if(data8.dockerfile !== undefined){
let data13 = data8.dockerfile;
if(typeof data13 === "string"){
if(func3(data13) > 4096){
const err35 = {instancePath:instancePath+"/image/dockerfile",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data13};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
if(func3(data13) < 1){
const err36 = {instancePath:instancePath+"/image/dockerfile",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data13};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
else {
const err37 = {instancePath:instancePath+"/image/dockerfile",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data13};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
if(data8.template !== undefined){
let data14 = data8.template;
if(!((data14 === "sklearn") || (data14 === "onnx"))){
const err38 = {instancePath:instancePath+"/image/template",schemaPath:"#/properties/image/properties/template/enum",keyword:"enum",params:{allowedValues: schema11.properties.image.properties.template.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.image.properties.template.enum,parentSchema:schema11.properties.image.properties.template,data:data14};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
let data15 = data8.context;
if(typeof data15 === "string"){
if(func3(data15) > 4096){
const err39 = {instancePath:instancePath+"/image/context",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data15};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
if(func3(data15) < 1){
const err40 = {instancePath:instancePath+"/image/context",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data15};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
else {
const err41 = {instancePath:instancePath+"/image/context",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data15};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
if(data8.wheelhouse !== undefined){
let data16 = data8.wheelhouse;
if(typeof data16 === "string"){
if(func3(data16) > 4096){
const err42 = {instancePath:instancePath+"/image/wheelhouse",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data16};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
if(func3(data16) < 1){
const err43 = {instancePath:instancePath+"/image/wheelhouse",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data16};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
else {
const err44 = {instancePath:instancePath+"/image/wheelhouse",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data16};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
let data17 = data8.buildArgs;
if(data17 && typeof data17 == "object" && !Array.isArray(data17)){
if(Object.keys(data17).length > 100){
const err45 = {instancePath:instancePath+"/image/buildArgs",schemaPath:"#/properties/image/properties/buildArgs/maxProperties",keyword:"maxProperties",params:{limit: 100},message:"must NOT have more than 100 properties",schema:100,parentSchema:schema11.properties.image.properties.buildArgs,data:data17};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
for(const key3 in data17){
let data18 = data17[key3];
if(((typeof data18 !== "string") && (!((typeof data18 == "number") && (isFinite(data18))))) && (typeof data18 !== "boolean")){
const err46 = {instancePath:instancePath+"/image/buildArgs/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/image/properties/buildArgs/additionalProperties/type",keyword:"type",params:{type: schema11.properties.image.properties.buildArgs.additionalProperties.type},message:"must be string,number,boolean",schema:schema11.properties.image.properties.buildArgs.additionalProperties.type,parentSchema:schema11.properties.image.properties.buildArgs.additionalProperties,data:data18};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
if(typeof data18 === "string"){
if(func3(data18) > 4096){
const err47 = {instancePath:instancePath+"/image/buildArgs/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/image/properties/buildArgs/additionalProperties/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema11.properties.image.properties.buildArgs.additionalProperties,data:data18};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
}
}
else {
const err48 = {instancePath:instancePath+"/image/buildArgs",schemaPath:"#/properties/image/properties/buildArgs/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.image.properties.buildArgs.type,parentSchema:schema11.properties.image.properties.buildArgs,data:data17};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
let data19 = data8.push;
if(typeof data19 !== "boolean"){
const err49 = {instancePath:instancePath+"/image/push",schemaPath:"#/properties/image/properties/push/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.image.properties.push.type,parentSchema:schema11.properties.image.properties.push,data:data19};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
let data20 = data8.guards;
if(data20 && typeof data20 == "object" && !Array.isArray(data20)){
if(data20.sizeBudgetMb === undefined){
data20.sizeBudgetMb = 1024;
}
if(data20.size === undefined){
data20.size = "error";
}
if(data20.rootUser === undefined){
data20.rootUser = "error";
}
if(data20.notebooks === undefined){
data20.notebooks = "error";
}
if(data20.datasets === undefined){
data20.datasets = "error";
}
if(data20.datasetMaxMb === undefined){
data20.datasetMaxMb = 10;
}
if(data20.git === undefined){
data20.git = "error";
}
if(data20.trainingScripts === undefined){
data20.trainingScripts = "warn";
}
if(data20.pycache === undefined){
data20.pycache = "warn";
}
if(data20.secretFiles === undefined){
data20.secretFiles = "error";
}
for(const key4 in data20){
if(!(func2.call(schema11.properties.image.properties.guards.properties, key4))){
const err50 = {instancePath:instancePath+"/image/guards",schemaPath:"#/properties/image/properties/guards/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.image.properties.guards,data:data20};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
let data21 = data20.sizeBudgetMb;
if((typeof data21 == "number") && (isFinite(data21))){
if(data21 > 1048576 || isNaN(data21)){
const err51 = {instancePath:instancePath+"/image/guards/sizeBudgetMb",schemaPath:"#/properties/image/properties/guards/properties/sizeBudgetMb/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1048576},message:"must be <= 1048576",schema:1048576,parentSchema:schema11.properties.image.properties.guards.properties.sizeBudgetMb,data:data21};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
if(data21 <= 0 || isNaN(data21)){
const err52 = {instancePath:instancePath+"/image/guards/sizeBudgetMb",schemaPath:"#/properties/image/properties/guards/properties/sizeBudgetMb/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.image.properties.guards.properties.sizeBudgetMb,data:data21};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
else {
const err53 = {instancePath:instancePath+"/image/guards/sizeBudgetMb",schemaPath:"#/properties/image/properties/guards/properties/sizeBudgetMb/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.image.properties.guards.properties.sizeBudgetMb.type,parentSchema:schema11.properties.image.properties.guards.properties.sizeBudgetMb,data:data21};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
let data22 = data20.size;
if(!(((data22 === "error") || (data22 === "warn")) || (data22 === "off"))){
const err54 = {instancePath:instancePath+"/image/guards/size",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data22};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
let data23 = data20.rootUser;
if(!(((data23 === "error") || (data23 === "warn")) || (data23 === "off"))){
const err55 = {instancePath:instancePath+"/image/guards/rootUser",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data23};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
let data24 = data20.notebooks;
if(!(((data24 === "error") || (data24 === "warn")) || (data24 === "off"))){
const err56 = {instancePath:instancePath+"/image/guards/notebooks",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data24};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
let data25 = data20.datasets;
if(!(((data25 === "error") || (data25 === "warn")) || (data25 === "off"))){
const err57 = {instancePath:instancePath+"/image/guards/datasets",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data25};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
let data26 = data20.datasetMaxMb;
if((typeof data26 == "number") && (isFinite(data26))){
if(data26 > 1048576 || isNaN(data26)){
const err58 = {instancePath:instancePath+"/image/guards/datasetMaxMb",schemaPath:"#/properties/image/properties/guards/properties/datasetMaxMb/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1048576},message:"must be <= 1048576",schema:1048576,parentSchema:schema11.properties.image.properties.guards.properties.datasetMaxMb,data:data26};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
if(data26 <= 0 || isNaN(data26)){
const err59 = {instancePath:instancePath+"/image/guards/datasetMaxMb",schemaPath:"#/properties/image/properties/guards/properties/datasetMaxMb/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.image.properties.guards.properties.datasetMaxMb,data:data26};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
else {
const err60 = {instancePath:instancePath+"/image/guards/datasetMaxMb",schemaPath:"#/properties/image/properties/guards/properties/datasetMaxMb/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.image.properties.guards.properties.datasetMaxMb.type,parentSchema:schema11.properties.image.properties.guards.properties.datasetMaxMb,data:data26};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
let data27 = data20.git;
if(!(((data27 === "error") || (data27 === "warn")) || (data27 === "off"))){
const err61 = {instancePath:instancePath+"/image/guards/git",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data27};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
let data28 = data20.trainingScripts;
if(!(((data28 === "error") || (data28 === "warn")) || (data28 === "off"))){
const err62 = {instancePath:instancePath+"/image/guards/trainingScripts",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data28};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
let data29 = data20.pycache;
if(!(((data29 === "error") || (data29 === "warn")) || (data29 === "off"))){
const err63 = {instancePath:instancePath+"/image/guards/pycache",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data29};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
let data30 = data20.secretFiles;
if(!(((data30 === "error") || (data30 === "warn")) || (data30 === "off"))){
const err64 = {instancePath:instancePath+"/image/guards/secretFiles",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data30};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
else {
const err65 = {instancePath:instancePath+"/image/guards",schemaPath:"#/properties/image/properties/guards/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.image.properties.guards.type,parentSchema:schema11.properties.image.properties.guards,data:data20};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
else {
const err66 = {instancePath:instancePath+"/image",schemaPath:"#/properties/image/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.image.type,parentSchema:schema11.properties.image,data:data8};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
let data31 = data.scan;
if(data31 && typeof data31 == "object" && !Array.isArray(data31)){
if(data31.enabled === undefined){
data31.enabled = true;
}
if(data31.failOn === undefined){
data31.failOn = ["CRITICAL","HIGH"];
}
if(data31.ignoreUnfixed === undefined){
data31.ignoreUnfixed = false;
}
if(data31.ignoreFile === undefined){
data31.ignoreFile = ".trivyignore";
}
if(data31.sarif === undefined){
data31.sarif = "model-canary-scan.sarif";
}
if(data31.secrets === undefined){
data31.secrets = "error";
}
for(const key5 in data31){
if(!((((((key5 === "enabled") || (key5 === "failOn")) || (key5 === "ignoreUnfixed")) || (key5 === "ignoreFile")) || (key5 === "sarif")) || (key5 === "secrets"))){
const err67 = {instancePath:instancePath+"/scan",schemaPath:"#/properties/scan/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.scan,data:data31};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
let data32 = data31.enabled;
if(typeof data32 !== "boolean"){
const err68 = {instancePath:instancePath+"/scan/enabled",schemaPath:"#/properties/scan/properties/enabled/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.scan.properties.enabled.type,parentSchema:schema11.properties.scan.properties.enabled,data:data32};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
let data33 = data31.failOn;
if(Array.isArray(data33)){
const len1 = data33.length;
for(let i2=0; i2<len1; i2++){
let data34 = data33[i2];
if(!(((((data34 === "CRITICAL") || (data34 === "HIGH")) || (data34 === "MEDIUM")) || (data34 === "LOW")) || (data34 === "UNKNOWN"))){
const err69 = {instancePath:instancePath+"/scan/failOn/" + i2,schemaPath:"#/properties/scan/properties/failOn/items/enum",keyword:"enum",params:{allowedValues: schema11.properties.scan.properties.failOn.items.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.scan.properties.failOn.items.enum,parentSchema:schema11.properties.scan.properties.failOn.items,data:data34};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
let i3 = data33.length;
let j1;
if(i3 > 1){
outer0:
for(;i3--;){
for(j1 = i3; j1--;){
if(func0(data33[i3], data33[j1])){
const err70 = {instancePath:instancePath+"/scan/failOn",schemaPath:"#/properties/scan/properties/failOn/uniqueItems",keyword:"uniqueItems",params:{i: i3, j: j1},message:"must NOT have duplicate items (items ## "+j1+" and "+i3+" are identical)",schema:true,parentSchema:schema11.properties.scan.properties.failOn,data:data33};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
break outer0;
}
}
}
}
}
else {
const err71 = {instancePath:instancePath+"/scan/failOn",schemaPath:"#/properties/scan/properties/failOn/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.scan.properties.failOn.type,parentSchema:schema11.properties.scan.properties.failOn,data:data33};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
let data35 = data31.ignoreUnfixed;
if(typeof data35 !== "boolean"){
const err72 = {instancePath:instancePath+"/scan/ignoreUnfixed",schemaPath:"#/properties/scan/properties/ignoreUnfixed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.scan.properties.ignoreUnfixed.type,parentSchema:schema11.properties.scan.properties.ignoreUnfixed,data:data35};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
let data36 = data31.ignoreFile;
if(typeof data36 === "string"){
if(func3(data36) > 4096){
const err73 = {instancePath:instancePath+"/scan/ignoreFile",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data36};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
if(func3(data36) < 1){
const err74 = {instancePath:instancePath+"/scan/ignoreFile",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data36};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
else {
const err75 = {instancePath:instancePath+"/scan/ignoreFile",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data36};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
let data37 = data31.sarif;
if(typeof data37 === "string"){
if(func3(data37) > 4096){
const err76 = {instancePath:instancePath+"/scan/sarif",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data37};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
if(func3(data37) < 1){
const err77 = {instancePath:instancePath+"/scan/sarif",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data37};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
else {
const err78 = {instancePath:instancePath+"/scan/sarif",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data37};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
let data38 = data31.secrets;
if(!(((data38 === "error") || (data38 === "warn")) || (data38 === "off"))){
const err79 = {instancePath:instancePath+"/scan/secrets",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data38};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
else {
const err80 = {instancePath:instancePath+"/scan",schemaPath:"#/properties/scan/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.scan.type,parentSchema:schema11.properties.scan,data:data31};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
let data39 = data.render;
const _errs109 = errors;
let valid29 = true;
const _errs110 = errors;
if(data39 && typeof data39 == "object" && !Array.isArray(data39)){
if(data39.mode !== undefined){
let data40 = data39.mode;
if(!((data40 === "builtin") || (data40 === "kserve"))){
const err81 = {};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
}
var _valid0 = _errs110 === errors;
errors = _errs109;
if(vErrors !== null){
if(_errs109){
vErrors.length = _errs109;
}
else {
vErrors = null;
}
}
if(_valid0){
const _errs112 = errors;
if(data39 && typeof data39 == "object" && !Array.isArray(data39)){
if(data39.values !== undefined){
if(!(validate11(data39.values, {instancePath:instancePath+"/render/values",parentData:data39,parentDataProperty:"values",rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
var _valid0 = _errs112 === errors;
valid29 = _valid0;
}
if(!valid29){
const err82 = {instancePath:instancePath+"/render",schemaPath:"#/properties/render/if",keyword:"if",params:{failingKeyword: "then"},message:"must match \"then\" schema",schema:schema11.properties.render.if,parentSchema:schema11.properties.render,data:data39};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
if(data39 && typeof data39 == "object" && !Array.isArray(data39)){
if(data39.mode === undefined){
data39.mode = "builtin";
}
if(data39.values === undefined){
data39.values = {};
}
if(data39.valuesFiles === undefined){
data39.valuesFiles = [];
}
if(data39.output === undefined){
data39.output = ".model-canary/rendered.yaml";
}
if(data39.policy === undefined){
data39.policy = {};
}
for(const key6 in data39){
if(!(func2.call(schema11.properties.render.properties, key6))){
const err83 = {instancePath:instancePath+"/render",schemaPath:"#/properties/render/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.render,data:data39};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
let data42 = data39.mode;
if(!(((((data42 === "builtin") || (data42 === "kserve")) || (data42 === "chart")) || (data42 === "kustomize")) || (data42 === "manifests"))){
const err84 = {instancePath:instancePath+"/render/mode",schemaPath:"#/properties/render/properties/mode/enum",keyword:"enum",params:{allowedValues: schema11.properties.render.properties.mode.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.render.properties.mode.enum,parentSchema:schema11.properties.render.properties.mode,data:data42};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
if(data39.chart !== undefined){
let data43 = data39.chart;
if(typeof data43 === "string"){
if(func3(data43) > 4096){
const err85 = {instancePath:instancePath+"/render/chart",schemaPath:"#/properties/render/properties/chart/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema11.properties.render.properties.chart,data:data43};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
if(func3(data43) < 1){
const err86 = {instancePath:instancePath+"/render/chart",schemaPath:"#/properties/render/properties/chart/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.render.properties.chart,data:data43};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
else {
const err87 = {instancePath:instancePath+"/render/chart",schemaPath:"#/properties/render/properties/chart/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.render.properties.chart.type,parentSchema:schema11.properties.render.properties.chart,data:data43};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
}
if(data39.chartVersion !== undefined){
let data44 = data39.chartVersion;
if(typeof data44 === "string"){
if(func3(data44) > 128){
const err88 = {instancePath:instancePath+"/render/chartVersion",schemaPath:"#/properties/render/properties/chartVersion/maxLength",keyword:"maxLength",params:{limit: 128},message:"must NOT have more than 128 characters",schema:128,parentSchema:schema11.properties.render.properties.chartVersion,data:data44};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
if(func3(data44) < 1){
const err89 = {instancePath:instancePath+"/render/chartVersion",schemaPath:"#/properties/render/properties/chartVersion/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.render.properties.chartVersion,data:data44};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
else {
const err90 = {instancePath:instancePath+"/render/chartVersion",schemaPath:"#/properties/render/properties/chartVersion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.render.properties.chartVersion.type,parentSchema:schema11.properties.render.properties.chartVersion,data:data44};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
if(data39.kustomize !== undefined){
let data45 = data39.kustomize;
if(typeof data45 === "string"){
if(func3(data45) > 4096){
const err91 = {instancePath:instancePath+"/render/kustomize",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data45};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
if(func3(data45) < 1){
const err92 = {instancePath:instancePath+"/render/kustomize",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data45};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
else {
const err93 = {instancePath:instancePath+"/render/kustomize",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data45};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
if(data39.manifests !== undefined){
let data46 = data39.manifests;
if(Array.isArray(data46)){
if(data46.length > 256){
const err94 = {instancePath:instancePath+"/render/manifests",schemaPath:"#/properties/render/properties/manifests/maxItems",keyword:"maxItems",params:{limit: 256},message:"must NOT have more than 256 items",schema:256,parentSchema:schema11.properties.render.properties.manifests,data:data46};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
if(data46.length < 1){
const err95 = {instancePath:instancePath+"/render/manifests",schemaPath:"#/properties/render/properties/manifests/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema11.properties.render.properties.manifests,data:data46};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
const len2 = data46.length;
for(let i4=0; i4<len2; i4++){
let data47 = data46[i4];
if(typeof data47 === "string"){
if(func3(data47) > 4096){
const err96 = {instancePath:instancePath+"/render/manifests/" + i4,schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data47};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
if(func3(data47) < 1){
const err97 = {instancePath:instancePath+"/render/manifests/" + i4,schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data47};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
else {
const err98 = {instancePath:instancePath+"/render/manifests/" + i4,schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data47};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
}
else {
const err99 = {instancePath:instancePath+"/render/manifests",schemaPath:"#/properties/render/properties/manifests/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.render.properties.manifests.type,parentSchema:schema11.properties.render.properties.manifests,data:data46};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
let data48 = data39.values;
if(!(data48 && typeof data48 == "object" && !Array.isArray(data48))){
const err100 = {instancePath:instancePath+"/render/values",schemaPath:"#/properties/render/properties/values/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.render.properties.values.type,parentSchema:schema11.properties.render.properties.values,data:data48};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
let data49 = data39.valuesFiles;
if(Array.isArray(data49)){
if(data49.length > 32){
const err101 = {instancePath:instancePath+"/render/valuesFiles",schemaPath:"#/properties/render/properties/valuesFiles/maxItems",keyword:"maxItems",params:{limit: 32},message:"must NOT have more than 32 items",schema:32,parentSchema:schema11.properties.render.properties.valuesFiles,data:data49};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
const len3 = data49.length;
for(let i5=0; i5<len3; i5++){
let data50 = data49[i5];
if(typeof data50 === "string"){
if(func3(data50) > 4096){
const err102 = {instancePath:instancePath+"/render/valuesFiles/" + i5,schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data50};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
if(func3(data50) < 1){
const err103 = {instancePath:instancePath+"/render/valuesFiles/" + i5,schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data50};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
}
else {
const err104 = {instancePath:instancePath+"/render/valuesFiles/" + i5,schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data50};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
}
else {
const err105 = {instancePath:instancePath+"/render/valuesFiles",schemaPath:"#/properties/render/properties/valuesFiles/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.render.properties.valuesFiles.type,parentSchema:schema11.properties.render.properties.valuesFiles,data:data49};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
let data51 = data39.output;
if(typeof data51 === "string"){
if(func3(data51) > 4096){
const err106 = {instancePath:instancePath+"/render/output",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data51};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
if(func3(data51) < 1){
const err107 = {instancePath:instancePath+"/render/output",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data51};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
}
else {
const err108 = {instancePath:instancePath+"/render/output",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data51};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
let data52 = data39.policy;
if(data52 && typeof data52 == "object" && !Array.isArray(data52)){
if(data52.missingResources === undefined){
data52.missingResources = "error";
}
if(data52.missingReadinessProbe === undefined){
data52.missingReadinessProbe = "error";
}
if(data52.unpinnedImage === undefined){
data52.unpinnedImage = "error";
}
if(data52.latestTag === undefined){
data52.latestTag = "error";
}
if(data52.privileged === undefined){
data52.privileged = "error";
}
if(data52.runAsRoot === undefined){
data52.runAsRoot = "error";
}
if(data52.hostAccess === undefined){
data52.hostAccess = "error";
}
if(data52.gpuWithoutTolerations === undefined){
data52.gpuWithoutTolerations = "warn";
}
if(data52.replicasWithHpa === undefined){
data52.replicasWithHpa = "error";
}
if(data52.inlineSecrets === undefined){
data52.inlineSecrets = "error";
}
for(const key7 in data52){
if(!(func2.call(schema11.properties.render.properties.policy.properties, key7))){
const err109 = {instancePath:instancePath+"/render/policy",schemaPath:"#/properties/render/properties/policy/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.render.properties.policy,data:data52};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
}
let data53 = data52.missingResources;
if(!(((data53 === "error") || (data53 === "warn")) || (data53 === "off"))){
const err110 = {instancePath:instancePath+"/render/policy/missingResources",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data53};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
let data54 = data52.missingReadinessProbe;
if(!(((data54 === "error") || (data54 === "warn")) || (data54 === "off"))){
const err111 = {instancePath:instancePath+"/render/policy/missingReadinessProbe",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data54};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
let data55 = data52.unpinnedImage;
if(!(((data55 === "error") || (data55 === "warn")) || (data55 === "off"))){
const err112 = {instancePath:instancePath+"/render/policy/unpinnedImage",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data55};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
let data56 = data52.latestTag;
if(!(((data56 === "error") || (data56 === "warn")) || (data56 === "off"))){
const err113 = {instancePath:instancePath+"/render/policy/latestTag",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data56};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
let data57 = data52.privileged;
if(!(((data57 === "error") || (data57 === "warn")) || (data57 === "off"))){
const err114 = {instancePath:instancePath+"/render/policy/privileged",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data57};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
let data58 = data52.runAsRoot;
if(!(((data58 === "error") || (data58 === "warn")) || (data58 === "off"))){
const err115 = {instancePath:instancePath+"/render/policy/runAsRoot",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data58};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
let data59 = data52.hostAccess;
if(!(((data59 === "error") || (data59 === "warn")) || (data59 === "off"))){
const err116 = {instancePath:instancePath+"/render/policy/hostAccess",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data59};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
let data60 = data52.gpuWithoutTolerations;
if(!(((data60 === "error") || (data60 === "warn")) || (data60 === "off"))){
const err117 = {instancePath:instancePath+"/render/policy/gpuWithoutTolerations",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data60};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
let data61 = data52.replicasWithHpa;
if(!(((data61 === "error") || (data61 === "warn")) || (data61 === "off"))){
const err118 = {instancePath:instancePath+"/render/policy/replicasWithHpa",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data61};
if(vErrors === null){
vErrors = [err118];
}
else {
vErrors.push(err118);
}
errors++;
}
let data62 = data52.inlineSecrets;
if(!(((data62 === "error") || (data62 === "warn")) || (data62 === "off"))){
const err119 = {instancePath:instancePath+"/render/policy/inlineSecrets",schemaPath:"#/definitions/level/enum",keyword:"enum",params:{allowedValues: schema18.enum},message:"must be equal to one of the allowed values",schema:schema18.enum,parentSchema:schema18,data:data62};
if(vErrors === null){
vErrors = [err119];
}
else {
vErrors.push(err119);
}
errors++;
}
}
else {
const err120 = {instancePath:instancePath+"/render/policy",schemaPath:"#/properties/render/properties/policy/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.render.properties.policy.type,parentSchema:schema11.properties.render.properties.policy,data:data52};
if(vErrors === null){
vErrors = [err120];
}
else {
vErrors.push(err120);
}
errors++;
}
}
else {
const err121 = {instancePath:instancePath+"/render",schemaPath:"#/properties/render/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.render.type,parentSchema:schema11.properties.render,data:data39};
if(vErrors === null){
vErrors = [err121];
}
else {
vErrors.push(err121);
}
errors++;
}
let data63 = data.cluster;
if(data63 && typeof data63 == "object" && !Array.isArray(data63)){
if(data63.namespace === undefined){
data63.namespace = "default";
}
if(data63.fieldManager === undefined){
data63.fieldManager = "model-canary";
}
for(const key8 in data63){
if(!(((key8 === "namespace") || (key8 === "context")) || (key8 === "fieldManager"))){
const err122 = {instancePath:instancePath+"/cluster",schemaPath:"#/properties/cluster/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.cluster,data:data63};
if(vErrors === null){
vErrors = [err122];
}
else {
vErrors.push(err122);
}
errors++;
}
}
let data64 = data63.namespace;
if(typeof data64 === "string"){
if(func3(data64) > 53){
const err123 = {instancePath:instancePath+"/cluster/namespace",schemaPath:"#/definitions/name/maxLength",keyword:"maxLength",params:{limit: 53},message:"must NOT have more than 53 characters",schema:53,parentSchema:schema12,data:data64};
if(vErrors === null){
vErrors = [err123];
}
else {
vErrors.push(err123);
}
errors++;
}
if(!pattern0.test(data64)){
const err124 = {instancePath:instancePath+"/cluster/namespace",schemaPath:"#/definitions/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"+"\"",schema:"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",parentSchema:schema12,data:data64};
if(vErrors === null){
vErrors = [err124];
}
else {
vErrors.push(err124);
}
errors++;
}
}
else {
const err125 = {instancePath:instancePath+"/cluster/namespace",schemaPath:"#/definitions/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data64};
if(vErrors === null){
vErrors = [err125];
}
else {
vErrors.push(err125);
}
errors++;
}
if(data63.context !== undefined){
let data65 = data63.context;
if(typeof data65 === "string"){
if(func3(data65) > 253){
const err126 = {instancePath:instancePath+"/cluster/context",schemaPath:"#/properties/cluster/properties/context/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters",schema:253,parentSchema:schema11.properties.cluster.properties.context,data:data65};
if(vErrors === null){
vErrors = [err126];
}
else {
vErrors.push(err126);
}
errors++;
}
if(func3(data65) < 1){
const err127 = {instancePath:instancePath+"/cluster/context",schemaPath:"#/properties/cluster/properties/context/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.cluster.properties.context,data:data65};
if(vErrors === null){
vErrors = [err127];
}
else {
vErrors.push(err127);
}
errors++;
}
}
else {
const err128 = {instancePath:instancePath+"/cluster/context",schemaPath:"#/properties/cluster/properties/context/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.cluster.properties.context.type,parentSchema:schema11.properties.cluster.properties.context,data:data65};
if(vErrors === null){
vErrors = [err128];
}
else {
vErrors.push(err128);
}
errors++;
}
}
let data66 = data63.fieldManager;
if(typeof data66 === "string"){
if(func3(data66) > 53){
const err129 = {instancePath:instancePath+"/cluster/fieldManager",schemaPath:"#/definitions/name/maxLength",keyword:"maxLength",params:{limit: 53},message:"must NOT have more than 53 characters",schema:53,parentSchema:schema12,data:data66};
if(vErrors === null){
vErrors = [err129];
}
else {
vErrors.push(err129);
}
errors++;
}
if(!pattern0.test(data66)){
const err130 = {instancePath:instancePath+"/cluster/fieldManager",schemaPath:"#/definitions/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"+"\"",schema:"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",parentSchema:schema12,data:data66};
if(vErrors === null){
vErrors = [err130];
}
else {
vErrors.push(err130);
}
errors++;
}
}
else {
const err131 = {instancePath:instancePath+"/cluster/fieldManager",schemaPath:"#/definitions/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data66};
if(vErrors === null){
vErrors = [err131];
}
else {
vErrors.push(err131);
}
errors++;
}
}
else {
const err132 = {instancePath:instancePath+"/cluster",schemaPath:"#/properties/cluster/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.cluster.type,parentSchema:schema11.properties.cluster,data:data63};
if(vErrors === null){
vErrors = [err132];
}
else {
vErrors.push(err132);
}
errors++;
}
let data67 = data.canary;
if(data67 && typeof data67 == "object" && !Array.isArray(data67)){
if(data67.strategy === undefined){
data67.strategy = "replicas";
}
if(data67.replicas === undefined){
data67.replicas = 1;
}
if(data67.weight === undefined){
data67.weight = 10;
}
if(data67.readinessTimeout === undefined){
data67.readinessTimeout = "5m";
}
if(data67.maxRestarts === undefined){
data67.maxRestarts = 1;
}
if(data67.lockTimeout === undefined){
data67.lockTimeout = "2m";
}
for(const key9 in data67){
if(!(func2.call(schema11.properties.canary.properties, key9))){
const err133 = {instancePath:instancePath+"/canary",schemaPath:"#/properties/canary/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.canary,data:data67};
if(vErrors === null){
vErrors = [err133];
}
else {
vErrors.push(err133);
}
errors++;
}
}
let data68 = data67.strategy;
if(!(((data68 === "replicas") || (data68 === "traffic")) || (data68 === "kserve"))){
const err134 = {instancePath:instancePath+"/canary/strategy",schemaPath:"#/properties/canary/properties/strategy/enum",keyword:"enum",params:{allowedValues: schema11.properties.canary.properties.strategy.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.canary.properties.strategy.enum,parentSchema:schema11.properties.canary.properties.strategy,data:data68};
if(vErrors === null){
vErrors = [err134];
}
else {
vErrors.push(err134);
}
errors++;
}
let data69 = data67.replicas;
if(!(((typeof data69 == "number") && (!(data69 % 1) && !isNaN(data69))) && (isFinite(data69)))){
const err135 = {instancePath:instancePath+"/canary/replicas",schemaPath:"#/properties/canary/properties/replicas/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.canary.properties.replicas.type,parentSchema:schema11.properties.canary.properties.replicas,data:data69};
if(vErrors === null){
vErrors = [err135];
}
else {
vErrors.push(err135);
}
errors++;
}
if((typeof data69 == "number") && (isFinite(data69))){
if(data69 > 100 || isNaN(data69)){
const err136 = {instancePath:instancePath+"/canary/replicas",schemaPath:"#/properties/canary/properties/replicas/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema11.properties.canary.properties.replicas,data:data69};
if(vErrors === null){
vErrors = [err136];
}
else {
vErrors.push(err136);
}
errors++;
}
if(data69 < 1 || isNaN(data69)){
const err137 = {instancePath:instancePath+"/canary/replicas",schemaPath:"#/properties/canary/properties/replicas/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.canary.properties.replicas,data:data69};
if(vErrors === null){
vErrors = [err137];
}
else {
vErrors.push(err137);
}
errors++;
}
}
let data70 = data67.weight;
if(!(((typeof data70 == "number") && (!(data70 % 1) && !isNaN(data70))) && (isFinite(data70)))){
const err138 = {instancePath:instancePath+"/canary/weight",schemaPath:"#/properties/canary/properties/weight/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.canary.properties.weight.type,parentSchema:schema11.properties.canary.properties.weight,data:data70};
if(vErrors === null){
vErrors = [err138];
}
else {
vErrors.push(err138);
}
errors++;
}
if((typeof data70 == "number") && (isFinite(data70))){
if(data70 > 100 || isNaN(data70)){
const err139 = {instancePath:instancePath+"/canary/weight",schemaPath:"#/properties/canary/properties/weight/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema11.properties.canary.properties.weight,data:data70};
if(vErrors === null){
vErrors = [err139];
}
else {
vErrors.push(err139);
}
errors++;
}
if(data70 < 0 || isNaN(data70)){
const err140 = {instancePath:instancePath+"/canary/weight",schemaPath:"#/properties/canary/properties/weight/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.canary.properties.weight,data:data70};
if(vErrors === null){
vErrors = [err140];
}
else {
vErrors.push(err140);
}
errors++;
}
}
if(data67.steps !== undefined){
let data71 = data67.steps;
if(Array.isArray(data71)){
if(data71.length > 20){
const err141 = {instancePath:instancePath+"/canary/steps",schemaPath:"#/properties/canary/properties/steps/maxItems",keyword:"maxItems",params:{limit: 20},message:"must NOT have more than 20 items",schema:20,parentSchema:schema11.properties.canary.properties.steps,data:data71};
if(vErrors === null){
vErrors = [err141];
}
else {
vErrors.push(err141);
}
errors++;
}
if(data71.length < 1){
const err142 = {instancePath:instancePath+"/canary/steps",schemaPath:"#/properties/canary/properties/steps/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema11.properties.canary.properties.steps,data:data71};
if(vErrors === null){
vErrors = [err142];
}
else {
vErrors.push(err142);
}
errors++;
}
const len4 = data71.length;
for(let i6=0; i6<len4; i6++){
let data72 = data71[i6];
if(!(((typeof data72 == "number") && (!(data72 % 1) && !isNaN(data72))) && (isFinite(data72)))){
const err143 = {instancePath:instancePath+"/canary/steps/" + i6,schemaPath:"#/properties/canary/properties/steps/items/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.canary.properties.steps.items.type,parentSchema:schema11.properties.canary.properties.steps.items,data:data72};
if(vErrors === null){
vErrors = [err143];
}
else {
vErrors.push(err143);
}
errors++;
}
if((typeof data72 == "number") && (isFinite(data72))){
if(data72 > 100 || isNaN(data72)){
const err144 = {instancePath:instancePath+"/canary/steps/" + i6,schemaPath:"#/properties/canary/properties/steps/items/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema11.properties.canary.properties.steps.items,data:data72};
if(vErrors === null){
vErrors = [err144];
}
else {
vErrors.push(err144);
}
errors++;
}
if(data72 < 1 || isNaN(data72)){
const err145 = {instancePath:instancePath+"/canary/steps/" + i6,schemaPath:"#/properties/canary/properties/steps/items/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.canary.properties.steps.items,data:data72};
if(vErrors === null){
vErrors = [err145];
}
else {
vErrors.push(err145);
}
errors++;
}
}
}
}
else {
const err146 = {instancePath:instancePath+"/canary/steps",schemaPath:"#/properties/canary/properties/steps/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.canary.properties.steps.type,parentSchema:schema11.properties.canary.properties.steps,data:data71};
if(vErrors === null){
vErrors = [err146];
}
else {
vErrors.push(err146);
}
errors++;
}
}
if(data67.gateway !== undefined){
let data73 = data67.gateway;
if(data73 && typeof data73 == "object" && !Array.isArray(data73)){
if(data73.name === undefined){
const err147 = {instancePath:instancePath+"/canary/gateway",schemaPath:"#/properties/canary/properties/gateway/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema11.properties.canary.properties.gateway.required,parentSchema:schema11.properties.canary.properties.gateway,data:data73};
if(vErrors === null){
vErrors = [err147];
}
else {
vErrors.push(err147);
}
errors++;
}
for(const key10 in data73){
if(!(((key10 === "name") || (key10 === "namespace")) || (key10 === "url"))){
const err148 = {instancePath:instancePath+"/canary/gateway",schemaPath:"#/properties/canary/properties/gateway/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.canary.properties.gateway,data:data73};
if(vErrors === null){
vErrors = [err148];
}
else {
vErrors.push(err148);
}
errors++;
}
}
if(data73.name !== undefined){
let data74 = data73.name;
if(typeof data74 === "string"){
if(func3(data74) > 53){
const err149 = {instancePath:instancePath+"/canary/gateway/name",schemaPath:"#/definitions/name/maxLength",keyword:"maxLength",params:{limit: 53},message:"must NOT have more than 53 characters",schema:53,parentSchema:schema12,data:data74};
if(vErrors === null){
vErrors = [err149];
}
else {
vErrors.push(err149);
}
errors++;
}
if(!pattern0.test(data74)){
const err150 = {instancePath:instancePath+"/canary/gateway/name",schemaPath:"#/definitions/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"+"\"",schema:"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",parentSchema:schema12,data:data74};
if(vErrors === null){
vErrors = [err150];
}
else {
vErrors.push(err150);
}
errors++;
}
}
else {
const err151 = {instancePath:instancePath+"/canary/gateway/name",schemaPath:"#/definitions/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data74};
if(vErrors === null){
vErrors = [err151];
}
else {
vErrors.push(err151);
}
errors++;
}
}
if(data73.namespace !== undefined){
let data75 = data73.namespace;
if(typeof data75 === "string"){
if(func3(data75) > 53){
const err152 = {instancePath:instancePath+"/canary/gateway/namespace",schemaPath:"#/definitions/name/maxLength",keyword:"maxLength",params:{limit: 53},message:"must NOT have more than 53 characters",schema:53,parentSchema:schema12,data:data75};
if(vErrors === null){
vErrors = [err152];
}
else {
vErrors.push(err152);
}
errors++;
}
if(!pattern0.test(data75)){
const err153 = {instancePath:instancePath+"/canary/gateway/namespace",schemaPath:"#/definitions/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"},message:"must match pattern \""+"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"+"\"",schema:"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",parentSchema:schema12,data:data75};
if(vErrors === null){
vErrors = [err153];
}
else {
vErrors.push(err153);
}
errors++;
}
}
else {
const err154 = {instancePath:instancePath+"/canary/gateway/namespace",schemaPath:"#/definitions/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.type,parentSchema:schema12,data:data75};
if(vErrors === null){
vErrors = [err154];
}
else {
vErrors.push(err154);
}
errors++;
}
}
if(data73.url !== undefined){
let data76 = data73.url;
if(typeof data76 === "string"){
if(func3(data76) > 2048){
const err155 = {instancePath:instancePath+"/canary/gateway/url",schemaPath:"#/properties/canary/properties/gateway/properties/url/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema11.properties.canary.properties.gateway.properties.url,data:data76};
if(vErrors === null){
vErrors = [err155];
}
else {
vErrors.push(err155);
}
errors++;
}
if(!pattern8.test(data76)){
const err156 = {instancePath:instancePath+"/canary/gateway/url",schemaPath:"#/properties/canary/properties/gateway/properties/url/pattern",keyword:"pattern",params:{pattern: "^https?://[^\\s/?#]+(:[0-9]{1,5})?/?$"},message:"must match pattern \""+"^https?://[^\\s/?#]+(:[0-9]{1,5})?/?$"+"\"",schema:"^https?://[^\\s/?#]+(:[0-9]{1,5})?/?$",parentSchema:schema11.properties.canary.properties.gateway.properties.url,data:data76};
if(vErrors === null){
vErrors = [err156];
}
else {
vErrors.push(err156);
}
errors++;
}
}
else {
const err157 = {instancePath:instancePath+"/canary/gateway/url",schemaPath:"#/properties/canary/properties/gateway/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.canary.properties.gateway.properties.url.type,parentSchema:schema11.properties.canary.properties.gateway.properties.url,data:data76};
if(vErrors === null){
vErrors = [err157];
}
else {
vErrors.push(err157);
}
errors++;
}
}
}
else {
const err158 = {instancePath:instancePath+"/canary/gateway",schemaPath:"#/properties/canary/properties/gateway/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.canary.properties.gateway.type,parentSchema:schema11.properties.canary.properties.gateway,data:data73};
if(vErrors === null){
vErrors = [err158];
}
else {
vErrors.push(err158);
}
errors++;
}
}
if(data67.hostnames !== undefined){
let data77 = data67.hostnames;
if(Array.isArray(data77)){
if(data77.length > 16){
const err159 = {instancePath:instancePath+"/canary/hostnames",schemaPath:"#/properties/canary/properties/hostnames/maxItems",keyword:"maxItems",params:{limit: 16},message:"must NOT have more than 16 items",schema:16,parentSchema:schema11.properties.canary.properties.hostnames,data:data77};
if(vErrors === null){
vErrors = [err159];
}
else {
vErrors.push(err159);
}
errors++;
}
const len5 = data77.length;
for(let i7=0; i7<len5; i7++){
let data78 = data77[i7];
if(typeof data78 === "string"){
if(func3(data78) > 253){
const err160 = {instancePath:instancePath+"/canary/hostnames/" + i7,schemaPath:"#/properties/canary/properties/hostnames/items/maxLength",keyword:"maxLength",params:{limit: 253},message:"must NOT have more than 253 characters",schema:253,parentSchema:schema11.properties.canary.properties.hostnames.items,data:data78};
if(vErrors === null){
vErrors = [err160];
}
else {
vErrors.push(err160);
}
errors++;
}
if(!pattern9.test(data78)){
const err161 = {instancePath:instancePath+"/canary/hostnames/" + i7,schemaPath:"#/properties/canary/properties/hostnames/items/pattern",keyword:"pattern",params:{pattern: "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"},message:"must match pattern \""+"^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"+"\"",schema:"^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",parentSchema:schema11.properties.canary.properties.hostnames.items,data:data78};
if(vErrors === null){
vErrors = [err161];
}
else {
vErrors.push(err161);
}
errors++;
}
}
else {
const err162 = {instancePath:instancePath+"/canary/hostnames/" + i7,schemaPath:"#/properties/canary/properties/hostnames/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.canary.properties.hostnames.items.type,parentSchema:schema11.properties.canary.properties.hostnames.items,data:data78};
if(vErrors === null){
vErrors = [err162];
}
else {
vErrors.push(err162);
}
errors++;
}
}
let i8 = data77.length;
let j2;
if(i8 > 1){
const indices1 = {};
for(;i8--;){
let item1 = data77[i8];
if(typeof item1 !== "string"){
continue;
}
if(typeof indices1[item1] == "number"){
j2 = indices1[item1];
const err163 = {instancePath:instancePath+"/canary/hostnames",schemaPath:"#/properties/canary/properties/hostnames/uniqueItems",keyword:"uniqueItems",params:{i: i8, j: j2},message:"must NOT have duplicate items (items ## "+j2+" and "+i8+" are identical)",schema:true,parentSchema:schema11.properties.canary.properties.hostnames,data:data77};
if(vErrors === null){
vErrors = [err163];
}
else {
vErrors.push(err163);
}
errors++;
break;
}
indices1[item1] = i8;
}
}
}
else {
const err164 = {instancePath:instancePath+"/canary/hostnames",schemaPath:"#/properties/canary/properties/hostnames/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.canary.properties.hostnames.type,parentSchema:schema11.properties.canary.properties.hostnames,data:data77};
if(vErrors === null){
vErrors = [err164];
}
else {
vErrors.push(err164);
}
errors++;
}
}
let data79 = data67.readinessTimeout;
if(typeof data79 === "string"){
if(!pattern10.test(data79)){
const err165 = {instancePath:instancePath+"/canary/readinessTimeout",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data79};
if(vErrors === null){
vErrors = [err165];
}
else {
vErrors.push(err165);
}
errors++;
}
}
else {
const err166 = {instancePath:instancePath+"/canary/readinessTimeout",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data79};
if(vErrors === null){
vErrors = [err166];
}
else {
vErrors.push(err166);
}
errors++;
}
let data80 = data67.maxRestarts;
if(!(((typeof data80 == "number") && (!(data80 % 1) && !isNaN(data80))) && (isFinite(data80)))){
const err167 = {instancePath:instancePath+"/canary/maxRestarts",schemaPath:"#/properties/canary/properties/maxRestarts/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.canary.properties.maxRestarts.type,parentSchema:schema11.properties.canary.properties.maxRestarts,data:data80};
if(vErrors === null){
vErrors = [err167];
}
else {
vErrors.push(err167);
}
errors++;
}
if((typeof data80 == "number") && (isFinite(data80))){
if(data80 > 100 || isNaN(data80)){
const err168 = {instancePath:instancePath+"/canary/maxRestarts",schemaPath:"#/properties/canary/properties/maxRestarts/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema11.properties.canary.properties.maxRestarts,data:data80};
if(vErrors === null){
vErrors = [err168];
}
else {
vErrors.push(err168);
}
errors++;
}
if(data80 < 0 || isNaN(data80)){
const err169 = {instancePath:instancePath+"/canary/maxRestarts",schemaPath:"#/properties/canary/properties/maxRestarts/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.canary.properties.maxRestarts,data:data80};
if(vErrors === null){
vErrors = [err169];
}
else {
vErrors.push(err169);
}
errors++;
}
}
let data81 = data67.lockTimeout;
if(typeof data81 === "string"){
if(!pattern10.test(data81)){
const err170 = {instancePath:instancePath+"/canary/lockTimeout",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data81};
if(vErrors === null){
vErrors = [err170];
}
else {
vErrors.push(err170);
}
errors++;
}
}
else {
const err171 = {instancePath:instancePath+"/canary/lockTimeout",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data81};
if(vErrors === null){
vErrors = [err171];
}
else {
vErrors.push(err171);
}
errors++;
}
}
else {
const err172 = {instancePath:instancePath+"/canary",schemaPath:"#/properties/canary/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.canary.type,parentSchema:schema11.properties.canary,data:data67};
if(vErrors === null){
vErrors = [err172];
}
else {
vErrors.push(err172);
}
errors++;
}
let data82 = data.smoke;
if(data82 && typeof data82 == "object" && !Array.isArray(data82)){
if(data82.enabled === undefined){
data82.enabled = true;
}
if(data82.protocol === undefined){
data82.protocol = "open-inference-v2";
}
if(data82.port === undefined){
data82.port = 8080;
}
if(data82.generateCases === undefined){
data82.generateCases = 0;
}
if(data82.readyTimeout === undefined){
data82.readyTimeout = "2m";
}
if(data82.warmup === undefined){
data82.warmup = 2;
}
if(data82.concurrency === undefined){
data82.concurrency = 2;
}
if(data82.requestTimeout === undefined){
data82.requestTimeout = "10s";
}
if(data82.maxDuration === undefined){
data82.maxDuration = "2m";
}
if(data82.thresholds === undefined){
data82.thresholds = {};
}
if(data82.parity === undefined){
data82.parity = {};
}
for(const key11 in data82){
if(!(func2.call(schema11.properties.smoke.properties, key11))){
const err173 = {instancePath:instancePath+"/smoke",schemaPath:"#/properties/smoke/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.smoke,data:data82};
if(vErrors === null){
vErrors = [err173];
}
else {
vErrors.push(err173);
}
errors++;
}
}
let data83 = data82.enabled;
if(typeof data83 !== "boolean"){
const err174 = {instancePath:instancePath+"/smoke/enabled",schemaPath:"#/properties/smoke/properties/enabled/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.smoke.properties.enabled.type,parentSchema:schema11.properties.smoke.properties.enabled,data:data83};
if(vErrors === null){
vErrors = [err174];
}
else {
vErrors.push(err174);
}
errors++;
}
let data84 = data82.protocol;
if(!((((((data84 === "kserve-v1") || (data84 === "open-inference-v2")) || (data84 === "tf-serving")) || (data84 === "torchserve")) || (data84 === "bentoml")) || (data84 === "http"))){
const err175 = {instancePath:instancePath+"/smoke/protocol",schemaPath:"#/properties/smoke/properties/protocol/enum",keyword:"enum",params:{allowedValues: schema11.properties.smoke.properties.protocol.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.smoke.properties.protocol.enum,parentSchema:schema11.properties.smoke.properties.protocol,data:data84};
if(vErrors === null){
vErrors = [err175];
}
else {
vErrors.push(err175);
}
errors++;
}
let data85 = data82.port;
if(!(((typeof data85 == "number") && (!(data85 % 1) && !isNaN(data85))) && (isFinite(data85)))){
const err176 = {instancePath:instancePath+"/smoke/port",schemaPath:"#/properties/smoke/properties/port/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.smoke.properties.port.type,parentSchema:schema11.properties.smoke.properties.port,data:data85};
if(vErrors === null){
vErrors = [err176];
}
else {
vErrors.push(err176);
}
errors++;
}
if((typeof data85 == "number") && (isFinite(data85))){
if(data85 > 65535 || isNaN(data85)){
const err177 = {instancePath:instancePath+"/smoke/port",schemaPath:"#/properties/smoke/properties/port/maximum",keyword:"maximum",params:{comparison: "<=", limit: 65535},message:"must be <= 65535",schema:65535,parentSchema:schema11.properties.smoke.properties.port,data:data85};
if(vErrors === null){
vErrors = [err177];
}
else {
vErrors.push(err177);
}
errors++;
}
if(data85 < 1 || isNaN(data85)){
const err178 = {instancePath:instancePath+"/smoke/port",schemaPath:"#/properties/smoke/properties/port/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.smoke.properties.port,data:data85};
if(vErrors === null){
vErrors = [err178];
}
else {
vErrors.push(err178);
}
errors++;
}
}
if(data82.cases !== undefined){
let data86 = data82.cases;
if(typeof data86 === "string"){
if(func3(data86) > 4096){
const err179 = {instancePath:instancePath+"/smoke/cases",schemaPath:"#/definitions/path/maxLength",keyword:"maxLength",params:{limit: 4096},message:"must NOT have more than 4096 characters",schema:4096,parentSchema:schema13,data:data86};
if(vErrors === null){
vErrors = [err179];
}
else {
vErrors.push(err179);
}
errors++;
}
if(func3(data86) < 1){
const err180 = {instancePath:instancePath+"/smoke/cases",schemaPath:"#/definitions/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema13,data:data86};
if(vErrors === null){
vErrors = [err180];
}
else {
vErrors.push(err180);
}
errors++;
}
}
else {
const err181 = {instancePath:instancePath+"/smoke/cases",schemaPath:"#/definitions/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data86};
if(vErrors === null){
vErrors = [err181];
}
else {
vErrors.push(err181);
}
errors++;
}
}
let data87 = data82.generateCases;
if(!(((typeof data87 == "number") && (!(data87 % 1) && !isNaN(data87))) && (isFinite(data87)))){
const err182 = {instancePath:instancePath+"/smoke/generateCases",schemaPath:"#/properties/smoke/properties/generateCases/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.smoke.properties.generateCases.type,parentSchema:schema11.properties.smoke.properties.generateCases,data:data87};
if(vErrors === null){
vErrors = [err182];
}
else {
vErrors.push(err182);
}
errors++;
}
if((typeof data87 == "number") && (isFinite(data87))){
if(data87 > 1000 || isNaN(data87)){
const err183 = {instancePath:instancePath+"/smoke/generateCases",schemaPath:"#/properties/smoke/properties/generateCases/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema11.properties.smoke.properties.generateCases,data:data87};
if(vErrors === null){
vErrors = [err183];
}
else {
vErrors.push(err183);
}
errors++;
}
if(data87 < 0 || isNaN(data87)){
const err184 = {instancePath:instancePath+"/smoke/generateCases",schemaPath:"#/properties/smoke/properties/generateCases/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.smoke.properties.generateCases,data:data87};
if(vErrors === null){
vErrors = [err184];
}
else {
vErrors.push(err184);
}
errors++;
}
}
if(data82.http !== undefined){
let data88 = data82.http;
if(data88 && typeof data88 == "object" && !Array.isArray(data88)){
if(data88.method === undefined){
data88.method = "POST";
}
if(data88.readyPath === undefined){
data88.readyPath = "/readyz";
}
if(data88.path === undefined){
const err185 = {instancePath:instancePath+"/smoke/http",schemaPath:"#/properties/smoke/properties/http/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",schema:schema11.properties.smoke.properties.http.required,parentSchema:schema11.properties.smoke.properties.http,data:data88};
if(vErrors === null){
vErrors = [err185];
}
else {
vErrors.push(err185);
}
errors++;
}
for(const key12 in data88){
if(!(((key12 === "method") || (key12 === "path")) || (key12 === "readyPath"))){
const err186 = {instancePath:instancePath+"/smoke/http",schemaPath:"#/properties/smoke/properties/http/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.smoke.properties.http,data:data88};
if(vErrors === null){
vErrors = [err186];
}
else {
vErrors.push(err186);
}
errors++;
}
}
let data89 = data88.method;
if(!(((data89 === "GET") || (data89 === "POST")) || (data89 === "PUT"))){
const err187 = {instancePath:instancePath+"/smoke/http/method",schemaPath:"#/properties/smoke/properties/http/properties/method/enum",keyword:"enum",params:{allowedValues: schema11.properties.smoke.properties.http.properties.method.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.smoke.properties.http.properties.method.enum,parentSchema:schema11.properties.smoke.properties.http.properties.method,data:data89};
if(vErrors === null){
vErrors = [err187];
}
else {
vErrors.push(err187);
}
errors++;
}
if(data88.path !== undefined){
let data90 = data88.path;
if(typeof data90 === "string"){
if(func3(data90) > 2048){
const err188 = {instancePath:instancePath+"/smoke/http/path",schemaPath:"#/properties/smoke/properties/http/properties/path/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema11.properties.smoke.properties.http.properties.path,data:data90};
if(vErrors === null){
vErrors = [err188];
}
else {
vErrors.push(err188);
}
errors++;
}
if(!pattern12.test(data90)){
const err189 = {instancePath:instancePath+"/smoke/http/path",schemaPath:"#/properties/smoke/properties/http/properties/path/pattern",keyword:"pattern",params:{pattern: "^/"},message:"must match pattern \""+"^/"+"\"",schema:"^/",parentSchema:schema11.properties.smoke.properties.http.properties.path,data:data90};
if(vErrors === null){
vErrors = [err189];
}
else {
vErrors.push(err189);
}
errors++;
}
}
else {
const err190 = {instancePath:instancePath+"/smoke/http/path",schemaPath:"#/properties/smoke/properties/http/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.smoke.properties.http.properties.path.type,parentSchema:schema11.properties.smoke.properties.http.properties.path,data:data90};
if(vErrors === null){
vErrors = [err190];
}
else {
vErrors.push(err190);
}
errors++;
}
}
let data91 = data88.readyPath;
if(typeof data91 === "string"){
if(func3(data91) > 2048){
const err191 = {instancePath:instancePath+"/smoke/http/readyPath",schemaPath:"#/properties/smoke/properties/http/properties/readyPath/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters",schema:2048,parentSchema:schema11.properties.smoke.properties.http.properties.readyPath,data:data91};
if(vErrors === null){
vErrors = [err191];
}
else {
vErrors.push(err191);
}
errors++;
}
if(!pattern12.test(data91)){
const err192 = {instancePath:instancePath+"/smoke/http/readyPath",schemaPath:"#/properties/smoke/properties/http/properties/readyPath/pattern",keyword:"pattern",params:{pattern: "^/"},message:"must match pattern \""+"^/"+"\"",schema:"^/",parentSchema:schema11.properties.smoke.properties.http.properties.readyPath,data:data91};
if(vErrors === null){
vErrors = [err192];
}
else {
vErrors.push(err192);
}
errors++;
}
}
else {
const err193 = {instancePath:instancePath+"/smoke/http/readyPath",schemaPath:"#/properties/smoke/properties/http/properties/readyPath/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.smoke.properties.http.properties.readyPath.type,parentSchema:schema11.properties.smoke.properties.http.properties.readyPath,data:data91};
if(vErrors === null){
vErrors = [err193];
}
else {
vErrors.push(err193);
}
errors++;
}
}
else {
const err194 = {instancePath:instancePath+"/smoke/http",schemaPath:"#/properties/smoke/properties/http/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.smoke.properties.http.type,parentSchema:schema11.properties.smoke.properties.http,data:data88};
if(vErrors === null){
vErrors = [err194];
}
else {
vErrors.push(err194);
}
errors++;
}
}
let data92 = data82.readyTimeout;
if(typeof data92 === "string"){
if(!pattern10.test(data92)){
const err195 = {instancePath:instancePath+"/smoke/readyTimeout",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data92};
if(vErrors === null){
vErrors = [err195];
}
else {
vErrors.push(err195);
}
errors++;
}
}
else {
const err196 = {instancePath:instancePath+"/smoke/readyTimeout",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data92};
if(vErrors === null){
vErrors = [err196];
}
else {
vErrors.push(err196);
}
errors++;
}
let data93 = data82.warmup;
if(!(((typeof data93 == "number") && (!(data93 % 1) && !isNaN(data93))) && (isFinite(data93)))){
const err197 = {instancePath:instancePath+"/smoke/warmup",schemaPath:"#/properties/smoke/properties/warmup/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.smoke.properties.warmup.type,parentSchema:schema11.properties.smoke.properties.warmup,data:data93};
if(vErrors === null){
vErrors = [err197];
}
else {
vErrors.push(err197);
}
errors++;
}
if((typeof data93 == "number") && (isFinite(data93))){
if(data93 > 1000 || isNaN(data93)){
const err198 = {instancePath:instancePath+"/smoke/warmup",schemaPath:"#/properties/smoke/properties/warmup/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema11.properties.smoke.properties.warmup,data:data93};
if(vErrors === null){
vErrors = [err198];
}
else {
vErrors.push(err198);
}
errors++;
}
if(data93 < 0 || isNaN(data93)){
const err199 = {instancePath:instancePath+"/smoke/warmup",schemaPath:"#/properties/smoke/properties/warmup/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.smoke.properties.warmup,data:data93};
if(vErrors === null){
vErrors = [err199];
}
else {
vErrors.push(err199);
}
errors++;
}
}
let data94 = data82.concurrency;
if(!(((typeof data94 == "number") && (!(data94 % 1) && !isNaN(data94))) && (isFinite(data94)))){
const err200 = {instancePath:instancePath+"/smoke/concurrency",schemaPath:"#/properties/smoke/properties/concurrency/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.smoke.properties.concurrency.type,parentSchema:schema11.properties.smoke.properties.concurrency,data:data94};
if(vErrors === null){
vErrors = [err200];
}
else {
vErrors.push(err200);
}
errors++;
}
if((typeof data94 == "number") && (isFinite(data94))){
if(data94 > 64 || isNaN(data94)){
const err201 = {instancePath:instancePath+"/smoke/concurrency",schemaPath:"#/properties/smoke/properties/concurrency/maximum",keyword:"maximum",params:{comparison: "<=", limit: 64},message:"must be <= 64",schema:64,parentSchema:schema11.properties.smoke.properties.concurrency,data:data94};
if(vErrors === null){
vErrors = [err201];
}
else {
vErrors.push(err201);
}
errors++;
}
if(data94 < 1 || isNaN(data94)){
const err202 = {instancePath:instancePath+"/smoke/concurrency",schemaPath:"#/properties/smoke/properties/concurrency/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.smoke.properties.concurrency,data:data94};
if(vErrors === null){
vErrors = [err202];
}
else {
vErrors.push(err202);
}
errors++;
}
}
let data95 = data82.requestTimeout;
if(typeof data95 === "string"){
if(!pattern10.test(data95)){
const err203 = {instancePath:instancePath+"/smoke/requestTimeout",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data95};
if(vErrors === null){
vErrors = [err203];
}
else {
vErrors.push(err203);
}
errors++;
}
}
else {
const err204 = {instancePath:instancePath+"/smoke/requestTimeout",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data95};
if(vErrors === null){
vErrors = [err204];
}
else {
vErrors.push(err204);
}
errors++;
}
let data96 = data82.maxDuration;
if(typeof data96 === "string"){
if(!pattern10.test(data96)){
const err205 = {instancePath:instancePath+"/smoke/maxDuration",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data96};
if(vErrors === null){
vErrors = [err205];
}
else {
vErrors.push(err205);
}
errors++;
}
}
else {
const err206 = {instancePath:instancePath+"/smoke/maxDuration",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data96};
if(vErrors === null){
vErrors = [err206];
}
else {
vErrors.push(err206);
}
errors++;
}
let data97 = data82.thresholds;
if(data97 && typeof data97 == "object" && !Array.isArray(data97)){
if(data97.errorRate === undefined){
data97.errorRate = 0;
}
if(data97.p95Ms === undefined){
data97.p95Ms = 1000;
}
for(const key13 in data97){
if(!((((key13 === "errorRate") || (key13 === "p50Ms")) || (key13 === "p95Ms")) || (key13 === "p99Ms"))){
const err207 = {instancePath:instancePath+"/smoke/thresholds",schemaPath:"#/properties/smoke/properties/thresholds/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.smoke.properties.thresholds,data:data97};
if(vErrors === null){
vErrors = [err207];
}
else {
vErrors.push(err207);
}
errors++;
}
}
let data98 = data97.errorRate;
if((typeof data98 == "number") && (isFinite(data98))){
if(data98 > 1 || isNaN(data98)){
const err208 = {instancePath:instancePath+"/smoke/thresholds/errorRate",schemaPath:"#/properties/smoke/properties/thresholds/properties/errorRate/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1",schema:1,parentSchema:schema11.properties.smoke.properties.thresholds.properties.errorRate,data:data98};
if(vErrors === null){
vErrors = [err208];
}
else {
vErrors.push(err208);
}
errors++;
}
if(data98 < 0 || isNaN(data98)){
const err209 = {instancePath:instancePath+"/smoke/thresholds/errorRate",schemaPath:"#/properties/smoke/properties/thresholds/properties/errorRate/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.smoke.properties.thresholds.properties.errorRate,data:data98};
if(vErrors === null){
vErrors = [err209];
}
else {
vErrors.push(err209);
}
errors++;
}
}
else {
const err210 = {instancePath:instancePath+"/smoke/thresholds/errorRate",schemaPath:"#/properties/smoke/properties/thresholds/properties/errorRate/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.smoke.properties.thresholds.properties.errorRate.type,parentSchema:schema11.properties.smoke.properties.thresholds.properties.errorRate,data:data98};
if(vErrors === null){
vErrors = [err210];
}
else {
vErrors.push(err210);
}
errors++;
}
if(data97.p50Ms !== undefined){
let data99 = data97.p50Ms;
if((typeof data99 == "number") && (isFinite(data99))){
if(data99 > 600000 || isNaN(data99)){
const err211 = {instancePath:instancePath+"/smoke/thresholds/p50Ms",schemaPath:"#/properties/smoke/properties/thresholds/properties/p50Ms/maximum",keyword:"maximum",params:{comparison: "<=", limit: 600000},message:"must be <= 600000",schema:600000,parentSchema:schema11.properties.smoke.properties.thresholds.properties.p50Ms,data:data99};
if(vErrors === null){
vErrors = [err211];
}
else {
vErrors.push(err211);
}
errors++;
}
if(data99 <= 0 || isNaN(data99)){
const err212 = {instancePath:instancePath+"/smoke/thresholds/p50Ms",schemaPath:"#/properties/smoke/properties/thresholds/properties/p50Ms/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.smoke.properties.thresholds.properties.p50Ms,data:data99};
if(vErrors === null){
vErrors = [err212];
}
else {
vErrors.push(err212);
}
errors++;
}
}
else {
const err213 = {instancePath:instancePath+"/smoke/thresholds/p50Ms",schemaPath:"#/properties/smoke/properties/thresholds/properties/p50Ms/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.smoke.properties.thresholds.properties.p50Ms.type,parentSchema:schema11.properties.smoke.properties.thresholds.properties.p50Ms,data:data99};
if(vErrors === null){
vErrors = [err213];
}
else {
vErrors.push(err213);
}
errors++;
}
}
let data100 = data97.p95Ms;
if((typeof data100 == "number") && (isFinite(data100))){
if(data100 > 600000 || isNaN(data100)){
const err214 = {instancePath:instancePath+"/smoke/thresholds/p95Ms",schemaPath:"#/properties/smoke/properties/thresholds/properties/p95Ms/maximum",keyword:"maximum",params:{comparison: "<=", limit: 600000},message:"must be <= 600000",schema:600000,parentSchema:schema11.properties.smoke.properties.thresholds.properties.p95Ms,data:data100};
if(vErrors === null){
vErrors = [err214];
}
else {
vErrors.push(err214);
}
errors++;
}
if(data100 <= 0 || isNaN(data100)){
const err215 = {instancePath:instancePath+"/smoke/thresholds/p95Ms",schemaPath:"#/properties/smoke/properties/thresholds/properties/p95Ms/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.smoke.properties.thresholds.properties.p95Ms,data:data100};
if(vErrors === null){
vErrors = [err215];
}
else {
vErrors.push(err215);
}
errors++;
}
}
else {
const err216 = {instancePath:instancePath+"/smoke/thresholds/p95Ms",schemaPath:"#/properties/smoke/properties/thresholds/properties/p95Ms/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.smoke.properties.thresholds.properties.p95Ms.type,parentSchema:schema11.properties.smoke.properties.thresholds.properties.p95Ms,data:data100};
if(vErrors === null){
vErrors = [err216];
}
else {
vErrors.push(err216);
}
errors++;
}
if(data97.p99Ms !== undefined){
let data101 = data97.p99Ms;
if((typeof data101 == "number") && (isFinite(data101))){
if(data101 > 600000 || isNaN(data101)){
const err217 = {instancePath:instancePath+"/smoke/thresholds/p99Ms",schemaPath:"#/properties/smoke/properties/thresholds/properties/p99Ms/maximum",keyword:"maximum",params:{comparison: "<=", limit: 600000},message:"must be <= 600000",schema:600000,parentSchema:schema11.properties.smoke.properties.thresholds.properties.p99Ms,data:data101};
if(vErrors === null){
vErrors = [err217];
}
else {
vErrors.push(err217);
}
errors++;
}
if(data101 <= 0 || isNaN(data101)){
const err218 = {instancePath:instancePath+"/smoke/thresholds/p99Ms",schemaPath:"#/properties/smoke/properties/thresholds/properties/p99Ms/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.smoke.properties.thresholds.properties.p99Ms,data:data101};
if(vErrors === null){
vErrors = [err218];
}
else {
vErrors.push(err218);
}
errors++;
}
}
else {
const err219 = {instancePath:instancePath+"/smoke/thresholds/p99Ms",schemaPath:"#/properties/smoke/properties/thresholds/properties/p99Ms/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.smoke.properties.thresholds.properties.p99Ms.type,parentSchema:schema11.properties.smoke.properties.thresholds.properties.p99Ms,data:data101};
if(vErrors === null){
vErrors = [err219];
}
else {
vErrors.push(err219);
}
errors++;
}
}
}
else {
const err220 = {instancePath:instancePath+"/smoke/thresholds",schemaPath:"#/properties/smoke/properties/thresholds/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.smoke.properties.thresholds.type,parentSchema:schema11.properties.smoke.properties.thresholds,data:data97};
if(vErrors === null){
vErrors = [err220];
}
else {
vErrors.push(err220);
}
errors++;
}
let data102 = data82.parity;
if(data102 && typeof data102 == "object" && !Array.isArray(data102)){
if(data102.enabled === undefined){
data102.enabled = true;
}
if(data102.minAgreement === undefined){
data102.minAgreement = 0.99;
}
if(data102.relativeTolerance === undefined){
data102.relativeTolerance = 0.01;
}
for(const key14 in data102){
if(!(((key14 === "enabled") || (key14 === "minAgreement")) || (key14 === "relativeTolerance"))){
const err221 = {instancePath:instancePath+"/smoke/parity",schemaPath:"#/properties/smoke/properties/parity/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key14},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.smoke.properties.parity,data:data102};
if(vErrors === null){
vErrors = [err221];
}
else {
vErrors.push(err221);
}
errors++;
}
}
let data103 = data102.enabled;
if(typeof data103 !== "boolean"){
const err222 = {instancePath:instancePath+"/smoke/parity/enabled",schemaPath:"#/properties/smoke/properties/parity/properties/enabled/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.smoke.properties.parity.properties.enabled.type,parentSchema:schema11.properties.smoke.properties.parity.properties.enabled,data:data103};
if(vErrors === null){
vErrors = [err222];
}
else {
vErrors.push(err222);
}
errors++;
}
let data104 = data102.minAgreement;
if((typeof data104 == "number") && (isFinite(data104))){
if(data104 > 1 || isNaN(data104)){
const err223 = {instancePath:instancePath+"/smoke/parity/minAgreement",schemaPath:"#/properties/smoke/properties/parity/properties/minAgreement/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1",schema:1,parentSchema:schema11.properties.smoke.properties.parity.properties.minAgreement,data:data104};
if(vErrors === null){
vErrors = [err223];
}
else {
vErrors.push(err223);
}
errors++;
}
if(data104 < 0 || isNaN(data104)){
const err224 = {instancePath:instancePath+"/smoke/parity/minAgreement",schemaPath:"#/properties/smoke/properties/parity/properties/minAgreement/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.smoke.properties.parity.properties.minAgreement,data:data104};
if(vErrors === null){
vErrors = [err224];
}
else {
vErrors.push(err224);
}
errors++;
}
}
else {
const err225 = {instancePath:instancePath+"/smoke/parity/minAgreement",schemaPath:"#/properties/smoke/properties/parity/properties/minAgreement/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.smoke.properties.parity.properties.minAgreement.type,parentSchema:schema11.properties.smoke.properties.parity.properties.minAgreement,data:data104};
if(vErrors === null){
vErrors = [err225];
}
else {
vErrors.push(err225);
}
errors++;
}
let data105 = data102.relativeTolerance;
if((typeof data105 == "number") && (isFinite(data105))){
if(data105 < 0 || isNaN(data105)){
const err226 = {instancePath:instancePath+"/smoke/parity/relativeTolerance",schemaPath:"#/properties/smoke/properties/parity/properties/relativeTolerance/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.smoke.properties.parity.properties.relativeTolerance,data:data105};
if(vErrors === null){
vErrors = [err226];
}
else {
vErrors.push(err226);
}
errors++;
}
}
else {
const err227 = {instancePath:instancePath+"/smoke/parity/relativeTolerance",schemaPath:"#/properties/smoke/properties/parity/properties/relativeTolerance/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.smoke.properties.parity.properties.relativeTolerance.type,parentSchema:schema11.properties.smoke.properties.parity.properties.relativeTolerance,data:data105};
if(vErrors === null){
vErrors = [err227];
}
else {
vErrors.push(err227);
}
errors++;
}
}
else {
const err228 = {instancePath:instancePath+"/smoke/parity",schemaPath:"#/properties/smoke/properties/parity/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.smoke.properties.parity.type,parentSchema:schema11.properties.smoke.properties.parity,data:data102};
if(vErrors === null){
vErrors = [err228];
}
else {
vErrors.push(err228);
}
errors++;
}
}
else {
const err229 = {instancePath:instancePath+"/smoke",schemaPath:"#/properties/smoke/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.smoke.type,parentSchema:schema11.properties.smoke,data:data82};
if(vErrors === null){
vErrors = [err229];
}
else {
vErrors.push(err229);
}
errors++;
}
let data106 = data.analysis;
if(data106 && typeof data106 == "object" && !Array.isArray(data106)){
if(data106.duration === undefined){
data106.duration = "2m";
}
if(data106.interval === undefined){
data106.interval = "10s";
}
if(data106.maxDuration === undefined){
data106.maxDuration = "10m";
}
if(data106.mode === undefined){
data106.mode = "enforce";
}
if(data106.onInconclusive === undefined){
data106.onInconclusive = "hold";
}
if(data106.minSamples === undefined){
data106.minSamples = 50;
}
if(data106.warmup === undefined){
data106.warmup = 5;
}
if(data106.load === undefined){
data106.load = {};
}
if(data106.latency === undefined){
data106.latency = {};
}
if(data106.errors === undefined){
data106.errors = {};
}
if(data106.agreement === undefined){
data106.agreement = {};
}
if(data106.postPromotion === undefined){
data106.postPromotion = "30s";
}
for(const key15 in data106){
if(!(func2.call(schema11.properties.analysis.properties, key15))){
const err230 = {instancePath:instancePath+"/analysis",schemaPath:"#/properties/analysis/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key15},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.analysis,data:data106};
if(vErrors === null){
vErrors = [err230];
}
else {
vErrors.push(err230);
}
errors++;
}
}
let data107 = data106.duration;
if(typeof data107 === "string"){
if(!pattern10.test(data107)){
const err231 = {instancePath:instancePath+"/analysis/duration",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data107};
if(vErrors === null){
vErrors = [err231];
}
else {
vErrors.push(err231);
}
errors++;
}
}
else {
const err232 = {instancePath:instancePath+"/analysis/duration",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data107};
if(vErrors === null){
vErrors = [err232];
}
else {
vErrors.push(err232);
}
errors++;
}
let data108 = data106.interval;
if(typeof data108 === "string"){
if(!pattern10.test(data108)){
const err233 = {instancePath:instancePath+"/analysis/interval",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data108};
if(vErrors === null){
vErrors = [err233];
}
else {
vErrors.push(err233);
}
errors++;
}
}
else {
const err234 = {instancePath:instancePath+"/analysis/interval",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data108};
if(vErrors === null){
vErrors = [err234];
}
else {
vErrors.push(err234);
}
errors++;
}
let data109 = data106.maxDuration;
if(typeof data109 === "string"){
if(!pattern10.test(data109)){
const err235 = {instancePath:instancePath+"/analysis/maxDuration",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data109};
if(vErrors === null){
vErrors = [err235];
}
else {
vErrors.push(err235);
}
errors++;
}
}
else {
const err236 = {instancePath:instancePath+"/analysis/maxDuration",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data109};
if(vErrors === null){
vErrors = [err236];
}
else {
vErrors.push(err236);
}
errors++;
}
let data110 = data106.mode;
if(!((data110 === "enforce") || (data110 === "report"))){
const err237 = {instancePath:instancePath+"/analysis/mode",schemaPath:"#/properties/analysis/properties/mode/enum",keyword:"enum",params:{allowedValues: schema11.properties.analysis.properties.mode.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.analysis.properties.mode.enum,parentSchema:schema11.properties.analysis.properties.mode,data:data110};
if(vErrors === null){
vErrors = [err237];
}
else {
vErrors.push(err237);
}
errors++;
}
let data111 = data106.onInconclusive;
if(!(((data111 === "hold") || (data111 === "fail")) || (data111 === "extend"))){
const err238 = {instancePath:instancePath+"/analysis/onInconclusive",schemaPath:"#/properties/analysis/properties/onInconclusive/enum",keyword:"enum",params:{allowedValues: schema11.properties.analysis.properties.onInconclusive.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.analysis.properties.onInconclusive.enum,parentSchema:schema11.properties.analysis.properties.onInconclusive,data:data111};
if(vErrors === null){
vErrors = [err238];
}
else {
vErrors.push(err238);
}
errors++;
}
let data112 = data106.minSamples;
if(!(((typeof data112 == "number") && (!(data112 % 1) && !isNaN(data112))) && (isFinite(data112)))){
const err239 = {instancePath:instancePath+"/analysis/minSamples",schemaPath:"#/properties/analysis/properties/minSamples/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.analysis.properties.minSamples.type,parentSchema:schema11.properties.analysis.properties.minSamples,data:data112};
if(vErrors === null){
vErrors = [err239];
}
else {
vErrors.push(err239);
}
errors++;
}
if((typeof data112 == "number") && (isFinite(data112))){
if(data112 > 100000 || isNaN(data112)){
const err240 = {instancePath:instancePath+"/analysis/minSamples",schemaPath:"#/properties/analysis/properties/minSamples/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100000},message:"must be <= 100000",schema:100000,parentSchema:schema11.properties.analysis.properties.minSamples,data:data112};
if(vErrors === null){
vErrors = [err240];
}
else {
vErrors.push(err240);
}
errors++;
}
if(data112 < 10 || isNaN(data112)){
const err241 = {instancePath:instancePath+"/analysis/minSamples",schemaPath:"#/properties/analysis/properties/minSamples/minimum",keyword:"minimum",params:{comparison: ">=", limit: 10},message:"must be >= 10",schema:10,parentSchema:schema11.properties.analysis.properties.minSamples,data:data112};
if(vErrors === null){
vErrors = [err241];
}
else {
vErrors.push(err241);
}
errors++;
}
}
let data113 = data106.warmup;
if(!(((typeof data113 == "number") && (!(data113 % 1) && !isNaN(data113))) && (isFinite(data113)))){
const err242 = {instancePath:instancePath+"/analysis/warmup",schemaPath:"#/properties/analysis/properties/warmup/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.analysis.properties.warmup.type,parentSchema:schema11.properties.analysis.properties.warmup,data:data113};
if(vErrors === null){
vErrors = [err242];
}
else {
vErrors.push(err242);
}
errors++;
}
if((typeof data113 == "number") && (isFinite(data113))){
if(data113 > 10000 || isNaN(data113)){
const err243 = {instancePath:instancePath+"/analysis/warmup",schemaPath:"#/properties/analysis/properties/warmup/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10000},message:"must be <= 10000",schema:10000,parentSchema:schema11.properties.analysis.properties.warmup,data:data113};
if(vErrors === null){
vErrors = [err243];
}
else {
vErrors.push(err243);
}
errors++;
}
if(data113 < 0 || isNaN(data113)){
const err244 = {instancePath:instancePath+"/analysis/warmup",schemaPath:"#/properties/analysis/properties/warmup/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.analysis.properties.warmup,data:data113};
if(vErrors === null){
vErrors = [err244];
}
else {
vErrors.push(err244);
}
errors++;
}
}
let data114 = data106.load;
if(data114 && typeof data114 == "object" && !Array.isArray(data114)){
if(data114.rps === undefined){
data114.rps = 5;
}
for(const key16 in data114){
if(!(key16 === "rps")){
const err245 = {instancePath:instancePath+"/analysis/load",schemaPath:"#/properties/analysis/properties/load/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key16},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.analysis.properties.load,data:data114};
if(vErrors === null){
vErrors = [err245];
}
else {
vErrors.push(err245);
}
errors++;
}
}
let data115 = data114.rps;
if((typeof data115 == "number") && (isFinite(data115))){
if(data115 > 200 || isNaN(data115)){
const err246 = {instancePath:instancePath+"/analysis/load/rps",schemaPath:"#/properties/analysis/properties/load/properties/rps/maximum",keyword:"maximum",params:{comparison: "<=", limit: 200},message:"must be <= 200",schema:200,parentSchema:schema11.properties.analysis.properties.load.properties.rps,data:data115};
if(vErrors === null){
vErrors = [err246];
}
else {
vErrors.push(err246);
}
errors++;
}
if(data115 < 0 || isNaN(data115)){
const err247 = {instancePath:instancePath+"/analysis/load/rps",schemaPath:"#/properties/analysis/properties/load/properties/rps/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.analysis.properties.load.properties.rps,data:data115};
if(vErrors === null){
vErrors = [err247];
}
else {
vErrors.push(err247);
}
errors++;
}
}
else {
const err248 = {instancePath:instancePath+"/analysis/load/rps",schemaPath:"#/properties/analysis/properties/load/properties/rps/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.analysis.properties.load.properties.rps.type,parentSchema:schema11.properties.analysis.properties.load.properties.rps,data:data115};
if(vErrors === null){
vErrors = [err248];
}
else {
vErrors.push(err248);
}
errors++;
}
}
else {
const err249 = {instancePath:instancePath+"/analysis/load",schemaPath:"#/properties/analysis/properties/load/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.analysis.properties.load.type,parentSchema:schema11.properties.analysis.properties.load,data:data114};
if(vErrors === null){
vErrors = [err249];
}
else {
vErrors.push(err249);
}
errors++;
}
let data116 = data106.latency;
if(data116 && typeof data116 == "object" && !Array.isArray(data116)){
if(data116.margin === undefined){
data116.margin = 0.1;
}
for(const key17 in data116){
if(!(key17 === "margin")){
const err250 = {instancePath:instancePath+"/analysis/latency",schemaPath:"#/properties/analysis/properties/latency/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key17},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.analysis.properties.latency,data:data116};
if(vErrors === null){
vErrors = [err250];
}
else {
vErrors.push(err250);
}
errors++;
}
}
let data117 = data116.margin;
if((typeof data117 == "number") && (isFinite(data117))){
if(data117 > 10 || isNaN(data117)){
const err251 = {instancePath:instancePath+"/analysis/latency/margin",schemaPath:"#/properties/analysis/properties/latency/properties/margin/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10},message:"must be <= 10",schema:10,parentSchema:schema11.properties.analysis.properties.latency.properties.margin,data:data117};
if(vErrors === null){
vErrors = [err251];
}
else {
vErrors.push(err251);
}
errors++;
}
if(data117 <= 0 || isNaN(data117)){
const err252 = {instancePath:instancePath+"/analysis/latency/margin",schemaPath:"#/properties/analysis/properties/latency/properties/margin/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.analysis.properties.latency.properties.margin,data:data117};
if(vErrors === null){
vErrors = [err252];
}
else {
vErrors.push(err252);
}
errors++;
}
}
else {
const err253 = {instancePath:instancePath+"/analysis/latency/margin",schemaPath:"#/properties/analysis/properties/latency/properties/margin/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.analysis.properties.latency.properties.margin.type,parentSchema:schema11.properties.analysis.properties.latency.properties.margin,data:data117};
if(vErrors === null){
vErrors = [err253];
}
else {
vErrors.push(err253);
}
errors++;
}
}
else {
const err254 = {instancePath:instancePath+"/analysis/latency",schemaPath:"#/properties/analysis/properties/latency/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.analysis.properties.latency.type,parentSchema:schema11.properties.analysis.properties.latency,data:data116};
if(vErrors === null){
vErrors = [err254];
}
else {
vErrors.push(err254);
}
errors++;
}
let data118 = data106.errors;
if(data118 && typeof data118 == "object" && !Array.isArray(data118)){
if(data118.maxRate === undefined){
data118.maxRate = 0.05;
}
for(const key18 in data118){
if(!(key18 === "maxRate")){
const err255 = {instancePath:instancePath+"/analysis/errors",schemaPath:"#/properties/analysis/properties/errors/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key18},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.analysis.properties.errors,data:data118};
if(vErrors === null){
vErrors = [err255];
}
else {
vErrors.push(err255);
}
errors++;
}
}
let data119 = data118.maxRate;
if((typeof data119 == "number") && (isFinite(data119))){
if(data119 > 1 || isNaN(data119)){
const err256 = {instancePath:instancePath+"/analysis/errors/maxRate",schemaPath:"#/properties/analysis/properties/errors/properties/maxRate/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1",schema:1,parentSchema:schema11.properties.analysis.properties.errors.properties.maxRate,data:data119};
if(vErrors === null){
vErrors = [err256];
}
else {
vErrors.push(err256);
}
errors++;
}
if(data119 <= 0 || isNaN(data119)){
const err257 = {instancePath:instancePath+"/analysis/errors/maxRate",schemaPath:"#/properties/analysis/properties/errors/properties/maxRate/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.analysis.properties.errors.properties.maxRate,data:data119};
if(vErrors === null){
vErrors = [err257];
}
else {
vErrors.push(err257);
}
errors++;
}
}
else {
const err258 = {instancePath:instancePath+"/analysis/errors/maxRate",schemaPath:"#/properties/analysis/properties/errors/properties/maxRate/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.analysis.properties.errors.properties.maxRate.type,parentSchema:schema11.properties.analysis.properties.errors.properties.maxRate,data:data119};
if(vErrors === null){
vErrors = [err258];
}
else {
vErrors.push(err258);
}
errors++;
}
}
else {
const err259 = {instancePath:instancePath+"/analysis/errors",schemaPath:"#/properties/analysis/properties/errors/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.analysis.properties.errors.type,parentSchema:schema11.properties.analysis.properties.errors,data:data118};
if(vErrors === null){
vErrors = [err259];
}
else {
vErrors.push(err259);
}
errors++;
}
if(data106.prometheus !== undefined){
let data120 = data106.prometheus;
if(data120 && typeof data120 == "object" && !Array.isArray(data120)){
if(data120.selector === undefined){
data120.selector = "";
}
if(data120.quantile === undefined){
data120.quantile = 0.95;
}
if(data120.timeout === undefined){
data120.timeout = "10s";
}
if(data120.queries === undefined){
data120.queries = [];
}
if(data120.url === undefined){
const err260 = {instancePath:instancePath+"/analysis/prometheus",schemaPath:"#/properties/analysis/properties/prometheus/required",keyword:"required",params:{missingProperty: "url"},message:"must have required property '"+"url"+"'",schema:schema11.properties.analysis.properties.prometheus.required,parentSchema:schema11.properties.analysis.properties.prometheus,data:data120};
if(vErrors === null){
vErrors = [err260];
}
else {
vErrors.push(err260);
}
errors++;
}
for(const key19 in data120){
if(!(((((key19 === "url") || (key19 === "selector")) || (key19 === "quantile")) || (key19 === "timeout")) || (key19 === "queries"))){
const err261 = {instancePath:instancePath+"/analysis/prometheus",schemaPath:"#/properties/analysis/properties/prometheus/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key19},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.analysis.properties.prometheus,data:data120};
if(vErrors === null){
vErrors = [err261];
}
else {
vErrors.push(err261);
}
errors++;
}
}
if(data120.url !== undefined){
let data121 = data120.url;
if(typeof data121 === "string"){
if(func3(data121) > 500){
const err262 = {instancePath:instancePath+"/analysis/prometheus/url",schemaPath:"#/properties/analysis/properties/prometheus/properties/url/maxLength",keyword:"maxLength",params:{limit: 500},message:"must NOT have more than 500 characters",schema:500,parentSchema:schema11.properties.analysis.properties.prometheus.properties.url,data:data121};
if(vErrors === null){
vErrors = [err262];
}
else {
vErrors.push(err262);
}
errors++;
}
if(!pattern20.test(data121)){
const err263 = {instancePath:instancePath+"/analysis/prometheus/url",schemaPath:"#/properties/analysis/properties/prometheus/properties/url/pattern",keyword:"pattern",params:{pattern: "^https?://[^\\s/?#]+(/[^\\s?#]*)?$"},message:"must match pattern \""+"^https?://[^\\s/?#]+(/[^\\s?#]*)?$"+"\"",schema:"^https?://[^\\s/?#]+(/[^\\s?#]*)?$",parentSchema:schema11.properties.analysis.properties.prometheus.properties.url,data:data121};
if(vErrors === null){
vErrors = [err263];
}
else {
vErrors.push(err263);
}
errors++;
}
}
else {
const err264 = {instancePath:instancePath+"/analysis/prometheus/url",schemaPath:"#/properties/analysis/properties/prometheus/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.analysis.properties.prometheus.properties.url.type,parentSchema:schema11.properties.analysis.properties.prometheus.properties.url,data:data121};
if(vErrors === null){
vErrors = [err264];
}
else {
vErrors.push(err264);
}
errors++;
}
}
let data122 = data120.selector;
if(typeof data122 === "string"){
if(func3(data122) > 500){
const err265 = {instancePath:instancePath+"/analysis/prometheus/selector",schemaPath:"#/properties/analysis/properties/prometheus/properties/selector/maxLength",keyword:"maxLength",params:{limit: 500},message:"must NOT have more than 500 characters",schema:500,parentSchema:schema11.properties.analysis.properties.prometheus.properties.selector,data:data122};
if(vErrors === null){
vErrors = [err265];
}
else {
vErrors.push(err265);
}
errors++;
}
if(!pattern21.test(data122)){
const err266 = {instancePath:instancePath+"/analysis/prometheus/selector",schemaPath:"#/properties/analysis/properties/prometheus/properties/selector/pattern",keyword:"pattern",params:{pattern: "^(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*(=|!=|=~|!~)\\s*\"([^\"\\\\]|\\\\.)*\"\\s*(,|$))*$"},message:"must match pattern \""+"^(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*(=|!=|=~|!~)\\s*\"([^\"\\\\]|\\\\.)*\"\\s*(,|$))*$"+"\"",schema:"^(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*(=|!=|=~|!~)\\s*\"([^\"\\\\]|\\\\.)*\"\\s*(,|$))*$",parentSchema:schema11.properties.analysis.properties.prometheus.properties.selector,data:data122};
if(vErrors === null){
vErrors = [err266];
}
else {
vErrors.push(err266);
}
errors++;
}
}
else {
const err267 = {instancePath:instancePath+"/analysis/prometheus/selector",schemaPath:"#/properties/analysis/properties/prometheus/properties/selector/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.analysis.properties.prometheus.properties.selector.type,parentSchema:schema11.properties.analysis.properties.prometheus.properties.selector,data:data122};
if(vErrors === null){
vErrors = [err267];
}
else {
vErrors.push(err267);
}
errors++;
}
let data123 = data120.quantile;
if((typeof data123 == "number") && (isFinite(data123))){
if(data123 >= 1 || isNaN(data123)){
const err268 = {instancePath:instancePath+"/analysis/prometheus/quantile",schemaPath:"#/properties/analysis/properties/prometheus/properties/quantile/exclusiveMaximum",keyword:"exclusiveMaximum",params:{comparison: "<", limit: 1},message:"must be < 1",schema:1,parentSchema:schema11.properties.analysis.properties.prometheus.properties.quantile,data:data123};
if(vErrors === null){
vErrors = [err268];
}
else {
vErrors.push(err268);
}
errors++;
}
if(data123 <= 0 || isNaN(data123)){
const err269 = {instancePath:instancePath+"/analysis/prometheus/quantile",schemaPath:"#/properties/analysis/properties/prometheus/properties/quantile/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema11.properties.analysis.properties.prometheus.properties.quantile,data:data123};
if(vErrors === null){
vErrors = [err269];
}
else {
vErrors.push(err269);
}
errors++;
}
}
else {
const err270 = {instancePath:instancePath+"/analysis/prometheus/quantile",schemaPath:"#/properties/analysis/properties/prometheus/properties/quantile/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.analysis.properties.prometheus.properties.quantile.type,parentSchema:schema11.properties.analysis.properties.prometheus.properties.quantile,data:data123};
if(vErrors === null){
vErrors = [err270];
}
else {
vErrors.push(err270);
}
errors++;
}
let data124 = data120.timeout;
if(typeof data124 === "string"){
if(!pattern10.test(data124)){
const err271 = {instancePath:instancePath+"/analysis/prometheus/timeout",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data124};
if(vErrors === null){
vErrors = [err271];
}
else {
vErrors.push(err271);
}
errors++;
}
}
else {
const err272 = {instancePath:instancePath+"/analysis/prometheus/timeout",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data124};
if(vErrors === null){
vErrors = [err272];
}
else {
vErrors.push(err272);
}
errors++;
}
let data125 = data120.queries;
if(Array.isArray(data125)){
if(data125.length > 20){
const err273 = {instancePath:instancePath+"/analysis/prometheus/queries",schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/maxItems",keyword:"maxItems",params:{limit: 20},message:"must NOT have more than 20 items",schema:20,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries,data:data125};
if(vErrors === null){
vErrors = [err273];
}
else {
vErrors.push(err273);
}
errors++;
}
const len6 = data125.length;
for(let i9=0; i9<len6; i9++){
let data126 = data125[i9];
if(data126 && typeof data126 == "object" && !Array.isArray(data126)){
if(data126.name === undefined){
const err274 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9,schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema11.properties.analysis.properties.prometheus.properties.queries.items.required,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items,data:data126};
if(vErrors === null){
vErrors = [err274];
}
else {
vErrors.push(err274);
}
errors++;
}
if(data126.query === undefined){
const err275 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9,schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/required",keyword:"required",params:{missingProperty: "query"},message:"must have required property '"+"query"+"'",schema:schema11.properties.analysis.properties.prometheus.properties.queries.items.required,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items,data:data126};
if(vErrors === null){
vErrors = [err275];
}
else {
vErrors.push(err275);
}
errors++;
}
for(const key20 in data126){
if(!((((key20 === "name") || (key20 === "query")) || (key20 === "max")) || (key20 === "min"))){
const err276 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9,schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key20},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items,data:data126};
if(vErrors === null){
vErrors = [err276];
}
else {
vErrors.push(err276);
}
errors++;
}
}
if(data126.name !== undefined){
let data127 = data126.name;
if(typeof data127 === "string"){
if(!pattern23.test(data127)){
const err277 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9+"/name",schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/properties/name/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$",parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.name,data:data127};
if(vErrors === null){
vErrors = [err277];
}
else {
vErrors.push(err277);
}
errors++;
}
}
else {
const err278 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9+"/name",schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.name.type,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.name,data:data127};
if(vErrors === null){
vErrors = [err278];
}
else {
vErrors.push(err278);
}
errors++;
}
}
if(data126.query !== undefined){
let data128 = data126.query;
if(typeof data128 === "string"){
if(func3(data128) > 4000){
const err279 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9+"/query",schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/properties/query/maxLength",keyword:"maxLength",params:{limit: 4000},message:"must NOT have more than 4000 characters",schema:4000,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.query,data:data128};
if(vErrors === null){
vErrors = [err279];
}
else {
vErrors.push(err279);
}
errors++;
}
if(func3(data128) < 1){
const err280 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9+"/query",schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/properties/query/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.query,data:data128};
if(vErrors === null){
vErrors = [err280];
}
else {
vErrors.push(err280);
}
errors++;
}
}
else {
const err281 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9+"/query",schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/properties/query/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.query.type,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.query,data:data128};
if(vErrors === null){
vErrors = [err281];
}
else {
vErrors.push(err281);
}
errors++;
}
}
if(data126.max !== undefined){
let data129 = data126.max;
if(!((typeof data129 == "number") && (isFinite(data129)))){
const err282 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9+"/max",schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/properties/max/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.max.type,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.max,data:data129};
if(vErrors === null){
vErrors = [err282];
}
else {
vErrors.push(err282);
}
errors++;
}
}
if(data126.min !== undefined){
let data130 = data126.min;
if(!((typeof data130 == "number") && (isFinite(data130)))){
const err283 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9+"/min",schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/properties/min/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.min.type,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items.properties.min,data:data130};
if(vErrors === null){
vErrors = [err283];
}
else {
vErrors.push(err283);
}
errors++;
}
}
}
else {
const err284 = {instancePath:instancePath+"/analysis/prometheus/queries/" + i9,schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/items/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.analysis.properties.prometheus.properties.queries.items.type,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries.items,data:data126};
if(vErrors === null){
vErrors = [err284];
}
else {
vErrors.push(err284);
}
errors++;
}
}
}
else {
const err285 = {instancePath:instancePath+"/analysis/prometheus/queries",schemaPath:"#/properties/analysis/properties/prometheus/properties/queries/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.analysis.properties.prometheus.properties.queries.type,parentSchema:schema11.properties.analysis.properties.prometheus.properties.queries,data:data125};
if(vErrors === null){
vErrors = [err285];
}
else {
vErrors.push(err285);
}
errors++;
}
}
else {
const err286 = {instancePath:instancePath+"/analysis/prometheus",schemaPath:"#/properties/analysis/properties/prometheus/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.analysis.properties.prometheus.type,parentSchema:schema11.properties.analysis.properties.prometheus,data:data120};
if(vErrors === null){
vErrors = [err286];
}
else {
vErrors.push(err286);
}
errors++;
}
}
let data131 = data106.agreement;
if(data131 && typeof data131 == "object" && !Array.isArray(data131)){
if(data131.minimum === undefined){
data131.minimum = 0.99;
}
for(const key21 in data131){
if(!(key21 === "minimum")){
const err287 = {instancePath:instancePath+"/analysis/agreement",schemaPath:"#/properties/analysis/properties/agreement/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key21},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.analysis.properties.agreement,data:data131};
if(vErrors === null){
vErrors = [err287];
}
else {
vErrors.push(err287);
}
errors++;
}
}
let data132 = data131.minimum;
if((typeof data132 == "number") && (isFinite(data132))){
if(data132 > 1 || isNaN(data132)){
const err288 = {instancePath:instancePath+"/analysis/agreement/minimum",schemaPath:"#/properties/analysis/properties/agreement/properties/minimum/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1",schema:1,parentSchema:schema11.properties.analysis.properties.agreement.properties.minimum,data:data132};
if(vErrors === null){
vErrors = [err288];
}
else {
vErrors.push(err288);
}
errors++;
}
if(data132 < 0 || isNaN(data132)){
const err289 = {instancePath:instancePath+"/analysis/agreement/minimum",schemaPath:"#/properties/analysis/properties/agreement/properties/minimum/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.analysis.properties.agreement.properties.minimum,data:data132};
if(vErrors === null){
vErrors = [err289];
}
else {
vErrors.push(err289);
}
errors++;
}
}
else {
const err290 = {instancePath:instancePath+"/analysis/agreement/minimum",schemaPath:"#/properties/analysis/properties/agreement/properties/minimum/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema11.properties.analysis.properties.agreement.properties.minimum.type,parentSchema:schema11.properties.analysis.properties.agreement.properties.minimum,data:data132};
if(vErrors === null){
vErrors = [err290];
}
else {
vErrors.push(err290);
}
errors++;
}
}
else {
const err291 = {instancePath:instancePath+"/analysis/agreement",schemaPath:"#/properties/analysis/properties/agreement/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.analysis.properties.agreement.type,parentSchema:schema11.properties.analysis.properties.agreement,data:data131};
if(vErrors === null){
vErrors = [err291];
}
else {
vErrors.push(err291);
}
errors++;
}
let data133 = data106.postPromotion;
if(typeof data133 === "string"){
if(!pattern10.test(data133)){
const err292 = {instancePath:instancePath+"/analysis/postPromotion",schemaPath:"#/definitions/duration/pattern",keyword:"pattern",params:{pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"},message:"must match pattern \""+"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"+"\"",schema:"^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",parentSchema:schema66,data:data133};
if(vErrors === null){
vErrors = [err292];
}
else {
vErrors.push(err292);
}
errors++;
}
}
else {
const err293 = {instancePath:instancePath+"/analysis/postPromotion",schemaPath:"#/definitions/duration/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema66.type,parentSchema:schema66,data:data133};
if(vErrors === null){
vErrors = [err293];
}
else {
vErrors.push(err293);
}
errors++;
}
}
else {
const err294 = {instancePath:instancePath+"/analysis",schemaPath:"#/properties/analysis/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.analysis.type,parentSchema:schema11.properties.analysis,data:data106};
if(vErrors === null){
vErrors = [err294];
}
else {
vErrors.push(err294);
}
errors++;
}
let data134 = data.decide;
if(data134 && typeof data134 == "object" && !Array.isArray(data134)){
if(data134.mode === undefined){
data134.mode = "auto";
}
if(data134.onFailure === undefined){
data134.onFailure = "rollback";
}
if(data134.historyLimit === undefined){
data134.historyLimit = 10;
}
for(const key22 in data134){
if(!(((key22 === "mode") || (key22 === "onFailure")) || (key22 === "historyLimit"))){
const err295 = {instancePath:instancePath+"/decide",schemaPath:"#/properties/decide/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key22},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.decide,data:data134};
if(vErrors === null){
vErrors = [err295];
}
else {
vErrors.push(err295);
}
errors++;
}
}
let data135 = data134.mode;
if(!((data135 === "auto") || (data135 === "manual"))){
const err296 = {instancePath:instancePath+"/decide/mode",schemaPath:"#/properties/decide/properties/mode/enum",keyword:"enum",params:{allowedValues: schema11.properties.decide.properties.mode.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.decide.properties.mode.enum,parentSchema:schema11.properties.decide.properties.mode,data:data135};
if(vErrors === null){
vErrors = [err296];
}
else {
vErrors.push(err296);
}
errors++;
}
let data136 = data134.onFailure;
if(!((data136 === "rollback") || (data136 === "hold"))){
const err297 = {instancePath:instancePath+"/decide/onFailure",schemaPath:"#/properties/decide/properties/onFailure/enum",keyword:"enum",params:{allowedValues: schema11.properties.decide.properties.onFailure.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.decide.properties.onFailure.enum,parentSchema:schema11.properties.decide.properties.onFailure,data:data136};
if(vErrors === null){
vErrors = [err297];
}
else {
vErrors.push(err297);
}
errors++;
}
let data137 = data134.historyLimit;
if(!(((typeof data137 == "number") && (!(data137 % 1) && !isNaN(data137))) && (isFinite(data137)))){
const err298 = {instancePath:instancePath+"/decide/historyLimit",schemaPath:"#/properties/decide/properties/historyLimit/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.decide.properties.historyLimit.type,parentSchema:schema11.properties.decide.properties.historyLimit,data:data137};
if(vErrors === null){
vErrors = [err298];
}
else {
vErrors.push(err298);
}
errors++;
}
if((typeof data137 == "number") && (isFinite(data137))){
if(data137 > 100 || isNaN(data137)){
const err299 = {instancePath:instancePath+"/decide/historyLimit",schemaPath:"#/properties/decide/properties/historyLimit/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema11.properties.decide.properties.historyLimit,data:data137};
if(vErrors === null){
vErrors = [err299];
}
else {
vErrors.push(err299);
}
errors++;
}
if(data137 < 1 || isNaN(data137)){
const err300 = {instancePath:instancePath+"/decide/historyLimit",schemaPath:"#/properties/decide/properties/historyLimit/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.decide.properties.historyLimit,data:data137};
if(vErrors === null){
vErrors = [err300];
}
else {
vErrors.push(err300);
}
errors++;
}
}
}
else {
const err301 = {instancePath:instancePath+"/decide",schemaPath:"#/properties/decide/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.decide.type,parentSchema:schema11.properties.decide,data:data134};
if(vErrors === null){
vErrors = [err301];
}
else {
vErrors.push(err301);
}
errors++;
}
}
else {
const err302 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err302];
}
else {
vErrors.push(err302);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

;// CONCATENATED MODULE: ./src/config/problem.ts
/** Dotted path as a user reads it: canary.weight, render.manifests[0]. */
function formatPath(path) {
    let out = '';
    for (const segment of path) {
        if (typeof segment === 'number')
            out += `[${segment}]`;
        else
            out += out === '' ? segment : `.${segment}`;
    }
    return out === '' ? '(top level)' : out;
}
/** Splits an Ajv instancePath (/render/manifests/0) into segments, numbers for array indexes. */
function splitPointer(pointer) {
    if (pointer === '')
        return [];
    return pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
/** Shows a config value in a message: strings quoted, long values shortened. */
function show(value) {
    const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

;// CONCATENATED MODULE: ./src/config/suggest.ts
/** The candidate closest to word by edit distance, when it is close enough to be a likely typo. */
function closest(word, candidates) {
    let best;
    let bestScore = Number.POSITIVE_INFINITY;
    const lower = word.toLowerCase();
    for (const candidate of candidates) {
        const c = candidate.toLowerCase();
        // A prefix counts as close: `p95` for `p95Ms`, `readiness` for `readinessTimeout`.
        const score = c.startsWith(lower) || lower.startsWith(c) ? 0.5 : editDistance(lower, c);
        if (score < bestScore) {
            bestScore = score;
            best = candidate;
        }
    }
    const allowed = Math.max(2, Math.floor(word.length / 3));
    return bestScore <= allowed ? best : undefined;
}
function editDistance(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0] ?? 0;
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j] ?? 0;
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
            diagonal = above;
        }
    }
    return row[b.length] ?? 0;
}

;// CONCATENATED MODULE: ./src/config/schema-messages.ts


/** Turns one Ajv error into a sentence that names the path, the value and the fix. */
function describeSchemaError(error, sourceAt) {
    const path = splitPointer(error.instancePath);
    const at = formatPath(path);
    const parent = (error.parentSchema ?? {});
    const hint = parent['x-hint'];
    const params = error.params;
    const data = error.data;
    switch (error.keyword) {
        case 'additionalProperties': {
            const key = String(params['additionalProperty']);
            const allowed = Object.keys(parent.properties ?? {});
            const fullPath = formatPath([...path, key]);
            const guess = closest(key, allowed);
            return {
                path: [...path, key],
                message: guess ? `unknown key ${fullPath}; did you mean \`${guess}\`?` : `unknown key ${fullPath}; remove it (allowed here: ${allowed.join(', ')})`,
            };
        }
        case 'required': {
            const key = String(params['missingProperty']);
            const fullPath = formatPath([...path, key]);
            const description = parent.properties?.[key]?.description;
            return { path: [...path, key], message: `${fullPath} is required${description ? `: ${lowerFirst(description)}` : ''}` };
        }
        case 'type': {
            const expected = String(params['type']).replace(',', ' or ');
            // YAML reads `version: 1.0` as the number 1: quote what the user wrote, not what YAML made of it.
            const written = sourceAt?.(path);
            const source = written && written.value === data ? written.source : undefined;
            return { path, message: `${at}: expected ${article(expected)}, got ${typeName(data)} ${show(data)}${typeFix(expected, data, source)}` };
        }
        case 'enum': {
            const allowed = error.schema.map(String);
            const guess = typeof data === 'string' ? closest(data, allowed) : undefined;
            return {
                path,
                message: `${at}: ${show(data)} is not one of ${allowed.join(', ')}${guess ? `; did you mean \`${guess}\`?` : ''}`,
            };
        }
        case 'const':
            return { path, message: `${at}: ${show(data)} is not supported${hint ? `; ${hint}` : `; use ${show(error.schema)}`}` };
        case 'maximum':
            return { path, message: `${at}: ${show(data)} is over ${String(params['limit'])}${hint ? `; ${hint}` : ''}` };
        case 'exclusiveMaximum':
            return { path, message: `${at}: ${show(data)} must be under ${String(params['limit'])}${hint ? `; ${hint}` : ''}` };
        case 'minimum':
            return { path, message: `${at}: ${show(data)} is under ${String(params['limit'])}${hint ? `; ${hint}` : ''}` };
        case 'exclusiveMinimum':
            return { path, message: `${at}: ${show(data)} must be over ${String(params['limit'])}${hint ? `; ${hint}` : ''}` };
        case 'pattern':
            return { path, message: `${at}: ${show(data)} is not valid${hint ? `; ${hint}` : ` (must match ${String(params['pattern'])})`}` };
        case 'maxLength':
            return { path, message: `${at}: ${show(data)} is longer than ${String(params['limit'])} characters${hint ? `; ${hint}` : ''}` };
        case 'minLength':
            return { path, message: `${at} is empty; give a value or remove the key` };
        case 'maxItems':
            return {
                path,
                message: `${at} has ${Array.isArray(data) ? data.length : 'too many'} items, over the limit of ${String(params['limit'])}${hint ? `; ${hint}` : ''}`,
            };
        case 'maxProperties':
            return {
                path,
                message: `${at} has ${isMapping(data) ? Object.keys(data).length : 'too many'} keys, over the limit of ${String(params['limit'])}${hint ? `; ${hint}` : ''}`,
            };
        case 'minItems':
            return { path, message: `${at} needs at least ${String(params['limit'])} item(s)` };
        case 'uniqueItems':
            return { path, message: `${at} lists the same value twice (items ${String(params['j'])} and ${String(params['i'])}); remove one` };
        case 'if':
        case 'anyOf':
        case 'oneOf':
            return undefined; // their branches report the useful errors
        default:
            return { path, message: `${at}: ${error.message ?? 'is invalid'}` };
    }
}
function isMapping(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function typeName(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a mapping';
    if (typeof value === 'number' && Number.isInteger(value))
        return 'integer';
    return typeof value;
}
function article(type) {
    if (type === 'object')
        return 'a mapping';
    if (type === 'array')
        return 'a list';
    if (type === 'integer')
        return 'a whole number';
    return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
function typeFix(expected, data, source) {
    if ((expected === 'number' || expected === 'integer') && typeof data === 'string' && data.trim() !== '' && !Number.isNaN(Number(data))) {
        return '; write the number without quotes';
    }
    if (expected === 'integer' && typeof data === 'number')
        return '; use a whole number';
    if (expected === 'string' && (typeof data === 'number' || typeof data === 'boolean')) {
        return `; quote it ("${source ?? String(data)}") to keep it as text`;
    }
    if (expected === 'boolean' && typeof data === 'string')
        return '; write true or false without quotes';
    return '';
}
function lowerFirst(text) {
    return text.charAt(0).toLowerCase() + text.slice(1);
}

;// CONCATENATED MODULE: ./src/config/schema.ts
// The validator is compiled from schema/model-canary.schema.json at build time (Ajv standalone code,
// scripts/gen-schema-validator.mjs), so no run loads Ajv or compiles the schema.


/**
 * Validates the parsed model file against the JSON Schema, filling defaults in place.
 * Returns every problem at once, in the order Ajv finds them (the caller sorts them by line).
 * sourceAt gives the text a value was written as, so a message can quote it as the user wrote it.
 */
function validateAgainstSchema(document, sourceAt) {
    if (validate_schema(document))
        return [];
    const problems = [];
    const seen = new Set();
    for (const error of validate_schema.errors ?? []) {
        const problem = describeSchemaError(error, sourceAt);
        if (!problem || seen.has(problem.message))
            continue;
        seen.add(problem.message);
        problems.push(problem);
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/config/quantity.ts
// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity): a decimal number with a binary
// suffix (Ki..Ei), a decimal suffix (n, u, m, k, M..E) or an exponent (e3, E-2).
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
const SUFFIX = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
};
/** The value of a quantity in base units (cores, bytes, devices); undefined when it is not one. */
function parseQuantity(quantity) {
    if (typeof quantity === 'number')
        return Number.isFinite(quantity) ? quantity : undefined;
    const match = QUANTITY.exec(quantity);
    if (!match)
        return undefined;
    const number = Number(match[1]);
    const suffix = match[2] ?? '';
    if (suffix === '')
        return number;
    const multiplier = SUFFIX[suffix];
    return multiplier === undefined ? number * 10 ** Number(suffix.slice(1)) : number * multiplier;
}

;// CONCATENATED MODULE: ./src/config/values-limits.ts

const TiB = 2 ** 40;
/** The same resources the policy's gpuWithoutTolerations rule counts as GPUs. */
const GPU_RESOURCE = /(^|\/)gpu$|^nvidia\.com\//;
const CPU = { max: 1024, says: '1024 cores' };
const BYTES = { max: 16 * TiB, says: '16Ti' };
const DEVICES = { max: 16, says: '16 per pod' };
/** Kubernetes allows 256 KiB for all annotations of one object. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;
function limitFor(resource) {
    if (resource === 'cpu')
        return CPU;
    if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-'))
        return BYTES;
    if (GPU_RESOURCE.test(resource))
        return DEVICES;
    return undefined;
}
/**
 * Limits on model-canary's chart values (render.values with render.mode builtin or kserve) the schema
 * cannot express: resource quantities in sensible ranges, and the annotations of an object within what
 * the API server accepts. The schema has checked their types.
 */
function checkChartValueLimits(add, values) {
    const resources = record(values['resources']);
    for (const kind of ['requests', 'limits']) {
        for (const [resource, quantity] of Object.entries(record(resources[kind]))) {
            checkQuantity(add, ['render', 'values', 'resources', kind, resource], quantity, limitFor(resource));
        }
    }
    const tmp = record(values['tmp']);
    if (tmp['sizeLimit'] !== undefined)
        checkQuantity(add, ['render', 'values', 'tmp', 'sizeLimit'], tmp['sizeLimit'], BYTES);
    const annotated = [['annotations'], ['podAnnotations'], ['serviceAccount', 'annotations'], ['kserve', 'annotations']];
    for (const at of annotated) {
        const annotations = record(at.reduce((node, key) => record(node)[key], values));
        const bytes = Object.entries(annotations).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
        if (bytes > ANNOTATIONS_MAX_BYTES) {
            add(['render', 'values', ...at], `${bytes} bytes in all, over the 262144 bytes (256 KiB) Kubernetes allows for the annotations of an object; keep large data out of annotations`);
        }
    }
}
function checkQuantity(add, path, quantity, limit) {
    if (typeof quantity !== 'string' && typeof quantity !== 'number')
        return;
    const value = parseQuantity(quantity);
    const shown = JSON.stringify(quantity);
    if (value === undefined) {
        add(path, `${shown} is not a Kubernetes quantity; write it like 500m, 2 or 4Gi`);
    }
    else if (value < 0) {
        add(path, `${shown} is negative; a quantity is 0 or more`);
    }
    else if (limit !== undefined && value > limit.max) {
        add(path, `${shown} is over ${limit.says}; no node has that much, so the pod would never be scheduled`);
    }
}
function record(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

;// CONCATENATED MODULE: ./src/config/semantic.ts






/**
 * Checks the schema cannot express: references parse, durations are positive, paths stay in the
 * workspace, and fields that only make sense together are set together. Runs on a schema-valid
 * document with defaults filled in. Resolved absolute paths are written to `resolved`.
 */
function checkSemantics(doc, workspace, resolved) {
    const problems = [];
    const add = (path, message) => {
        problems.push({ path, message: `${formatPath(path)}: ${message}` });
    };
    const checkPath = (path, value, mustExist, kind) => {
        if (typeof value !== 'string')
            return;
        const result = resolveInWorkspace(workspace, value, { mustExist, kind });
        if ('problem' in result)
            add(path, result.problem);
        else
            resolved.set(formatPath(path), result.path);
    };
    const c = { add, checkPath };
    checkImage(c, doc);
    const scan = doc['scan'];
    checkPath(['scan', 'ignoreFile'], scan['ignoreFile'], false, 'file');
    checkPath(['scan', 'sarif'], scan['sarif'], false, 'file');
    checkRender(c, doc['render']);
    checkCanary(c, doc);
    checkSmoke(c, doc);
    return problems;
}
/** image and model: the repository parses without a tag, one way to build, the files it reads. */
function checkImage({ add, checkPath }, doc) {
    const image = doc['image'];
    try {
        const ref = (0,image_ref/* parseImageRef */.Q)(image['repository']);
        if (ref.tag || ref.digest) {
            add(['image', 'repository'], `"${image['repository']}" carries a ${ref.digest ? 'digest' : 'tag'}; give the repository alone and put the tag in image.tag or the image-tag input`);
        }
    }
    catch (err) {
        add(['image', 'repository'], err instanceof errors/* ModelCanaryError */.Md ? err.message.replace(/\.$/, '') : String(err));
    }
    const model = doc['model'];
    if (image['dockerfile'] !== undefined && image['template'] !== undefined) {
        add(['image'], 'set either dockerfile (your own Dockerfile) or template, not both');
    }
    if (image['dockerfile'] === undefined && image['template'] === undefined) {
        if ((model['framework'] === 'sklearn' || model['framework'] === 'onnx') && model['artifact'] !== undefined) {
            image['template'] = model['framework'];
        }
        else {
            add(['image'], 'say how to build the image: set image.dockerfile to your Dockerfile, or image.template (sklearn or onnx) with model.artifact');
        }
    }
    if (image['template'] !== undefined && model['artifact'] === undefined) {
        add(['model', 'artifact'], `is required with image.template ${image['template']}; point it at the model file (for example model.joblib)`);
    }
    for (const key of Object.keys(image['buildArgs'] ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
            add(['image', 'buildArgs', key], 'is not a valid build argument name; use letters, digits and _');
    }
    checkPath(['model', 'artifact'], model['artifact'], true, 'file');
    checkPath(['model', 'card'], model['card'], true, 'file');
    checkPath(['image', 'dockerfile'], image['dockerfile'], true, 'file');
    checkPath(['image', 'context'], image['context'], true, 'directory');
    checkPath(['image', 'wheelhouse'], image['wheelhouse'], true, 'directory');
    if (image['wheelhouse'] !== undefined && image['template'] === undefined) {
        add(['image', 'wheelhouse'], 'is only used with image.template; with your own Dockerfile, COPY the wheels in it');
    }
}
/** render: each mode's own field and no other's, the files it reads, the builtin chart's value limits. */
function checkRender({ add, checkPath }, render) {
    const mode = render['mode'];
    const needs = { chart: 'chart', kustomize: 'kustomize', manifests: 'manifests' };
    for (const [m, key] of Object.entries(needs)) {
        if (mode === m && render[key] === undefined)
            add(['render', key], `is required with render.mode ${m}`);
        if (mode !== m && render[key] !== undefined)
            add(['render', key], `is only used with render.mode ${m}; set render.mode: ${m} or remove it`);
    }
    if (typeof render['chart'] === 'string' && !render['chart'].startsWith('oci://')) {
        checkPath(['render', 'chart'], render['chart'], true, 'directory');
    }
    if (render['chartVersion'] !== undefined && !String(render['chart'] ?? '').startsWith('oci://')) {
        add(['render', 'chartVersion'], 'is only used with an oci:// chart; remove it for a chart in the workspace');
    }
    checkPath(['render', 'kustomize'], render['kustomize'], true, 'directory');
    render['manifests']?.forEach((m, i) => checkPath(['render', 'manifests', i], m, true, 'any'));
    render['valuesFiles'].forEach((f, i) => checkPath(['render', 'valuesFiles', i], f, true, 'file'));
    checkPath(['render', 'output'], render['output'], false, 'file');
    if (mode === 'builtin' || mode === 'kserve')
        checkChartValueLimits(add, render['values']);
}
/** canary: the strategy's own fields, its render mode, durations, steps and the analysis window. */
function checkCanary({ add }, doc) {
    const mode = doc['render']['mode'];
    const canary = doc['canary'];
    if (canary['strategy'] === 'traffic' && canary['gateway'] === undefined) {
        add(['canary', 'gateway'], 'is required with canary.strategy traffic; name the Gateway the HTTPRoute attaches to');
    }
    if (canary['strategy'] !== 'traffic' && canary['gateway'] !== undefined) {
        add(['canary', 'gateway'], 'is only used with canary.strategy traffic; remove it');
    }
    if (canary['strategy'] !== 'traffic' && canary['hostnames'] !== undefined) {
        add(['canary', 'hostnames'], 'is only used with canary.strategy traffic; remove it');
    }
    if ((canary['strategy'] === 'kserve') !== (mode === 'kserve')) {
        add(['canary', 'strategy'], canary['strategy'] === 'kserve'
            ? 'kserve needs render.mode kserve (an InferenceService to set canaryTrafficPercent on)'
            : `${canary['strategy']} cannot canary an InferenceService; use canary.strategy kserve with render.mode kserve`);
    }
    checkDuration(add, ['canary', 'readinessTimeout'], canary['readinessTimeout']);
    checkDuration(add, ['canary', 'lockTimeout'], canary['lockTimeout']);
    checkSteps(add, canary, doc['analysis']);
    checkAnalysis(add, doc['analysis']);
}
/** smoke: durations, the protocol's own settings, where the cases come from, ordered latency limits. */
function checkSmoke({ add, checkPath }, doc) {
    const model = doc['model'];
    const smoke = doc['smoke'];
    for (const key of ['readyTimeout', 'requestTimeout', 'maxDuration'])
        checkDuration(add, ['smoke', key], smoke[key]);
    if (smoke['protocol'] === 'http' && smoke['http'] === undefined) {
        add(['smoke', 'http'], 'is required with smoke.protocol http; give at least path (for example /predict)');
    }
    if (smoke['protocol'] !== 'http' && smoke['http'] !== undefined) {
        add(['smoke', 'http'], `is only used with smoke.protocol http (the protocol is ${smoke['protocol']}); remove it`);
    }
    checkPath(['smoke', 'cases'], smoke['cases'], true, 'file');
    if (smoke['generateCases'] > 0 && model['card'] === undefined) {
        add(['smoke', 'generateCases'], 'needs model.card (the feature names come from the model card)');
    }
    if (smoke['enabled'] && smoke['cases'] === undefined && smoke['generateCases'] === 0) {
        add(['smoke'], 'has no cases: set smoke.cases to a cases file, or smoke.generateCases with model.card, or smoke.enabled: false');
    }
    const t = smoke['thresholds'];
    const ordered = [
        ['p50Ms', t['p50Ms']],
        ['p95Ms', t['p95Ms']],
        ['p99Ms', t['p99Ms']],
    ];
    const given = ordered.filter((e) => e[1] !== undefined);
    for (let i = 1; i < given.length; i++) {
        const [lowName, low] = given[i - 1];
        const [highName, high] = given[i];
        if (low > high)
            add(['smoke', 'thresholds', highName], `${high} is below ${lowName} (${low}); a higher percentile needs an equal or higher limit`);
    }
}
/** canary.steps: strategy traffic only, strictly increasing, below 100 (100 is the promotion). */
function checkSteps(add, canary, analysisDoc) {
    const steps = canary['steps'];
    if (steps === undefined)
        return;
    if (canary['strategy'] !== 'traffic') {
        add(['canary', 'steps'], `need canary.strategy traffic (route weights to step through); with ${canary['strategy']} the canary's share is set by its pods, so remove canary.steps`);
        return;
    }
    steps.forEach((step, i) => {
        const before = steps[i - 1];
        if (before !== undefined && step <= before)
            add(['canary', 'steps', i], `${step} does not increase on ${before}; list the weights in increasing order, each once (for example [10, 25, 50])`);
    });
    const last = steps[steps.length - 1];
    if (last === 100 && steps.length === 1)
        add(['canary', 'steps', 0], 'a single step of 100 sends everything to the canary before it is judged; start lower (for example [10, 50])');
    const analysis = analysisDoc ?? {};
    const duration = typeof analysis['duration'] === 'string' ? parseDuration(analysis['duration']) : undefined;
    if (duration === 0)
        add(['canary', 'steps'], 'need an analysis window to judge each step; set analysis.duration above 0s (for example 1m), or remove canary.steps');
}
/** analysis: the window's durations fit together. */
function checkAnalysis(add, analysis) {
    const duration = typeof analysis['duration'] === 'string' ? parseDuration(analysis['duration']) : undefined;
    const interval = typeof analysis['interval'] === 'string' ? parseDuration(analysis['interval']) : undefined;
    const max = typeof analysis['maxDuration'] === 'string' ? parseDuration(analysis['maxDuration']) : undefined;
    checkDuration(add, ['analysis', 'interval'], analysis['interval']);
    checkDuration(add, ['analysis', 'maxDuration'], analysis['maxDuration']);
    const HOUR = 3_600_000;
    if (duration !== undefined && duration > 6 * HOUR)
        add(['analysis', 'duration'], `${analysis['duration']} is over the 6h limit (a job runs at most 6 hours); use a shorter window`);
    if (max !== undefined && max > 6 * HOUR)
        add(['analysis', 'maxDuration'], `${analysis['maxDuration']} is over the 6h limit (a job runs at most 6 hours)`);
    if (duration !== undefined && duration > 0 && interval !== undefined && interval > duration) {
        add(['analysis', 'interval'], `${analysis['interval']} is longer than analysis.duration (${analysis['duration']}); use an interval of at most the window`);
    }
    const queries = analysis['prometheus']?.['queries'];
    if (Array.isArray(queries)) {
        queries.forEach((q, i) => {
            if (q && typeof q === 'object' && q['max'] === undefined && q['min'] === undefined)
                add(['analysis', 'prometheus', 'queries', i], `${String(q['name'])} has no threshold; give it max, min or both (a query without one could never fail the canary)`);
        });
    }
    if (analysis['onInconclusive'] === 'extend' && duration !== undefined && max !== undefined && max < duration) {
        add(['analysis', 'maxDuration'], `${analysis['maxDuration']} is shorter than analysis.duration (${analysis['duration']}); extend needs room to grow: make it longer than the window`);
    }
}
function checkDuration(add, path, value) {
    if (typeof value !== 'string')
        return;
    const ms = parseDuration(value);
    if (ms !== undefined && ms <= 0)
        add(path, `${JSON.stringify(value)} must be longer than zero`);
}

;// CONCATENATED MODULE: ./src/config/load.ts












/** A model file is a page of YAML; far larger is a mistake or an attack. */
const MODEL_FILE_MAX_BYTES = 1 * read_user_file/* MiB */.lv;
/**
 * Reads the model file and the inputs once, and returns the typed, validated config; or throws a
 * ConfigError listing every problem at once.
 */
function loadConfig(inputs, env) {
    const { command, problems: inputProblems } = (0,config_inputs/* checkInputs */.sw)(inputs);
    const configRel = inputs.config.trim() || 'model-canary.yaml';
    const where = resolveInWorkspace(env.workspace, configRel, { mustExist: true, kind: 'file' });
    if ('problem' in where) {
        throw (0,errors/* userError */.IF)(`No usable model file: ${where.problem}.`, 'Create model-canary.yaml at the repository root (see the README quick start) or set the config input to its path.');
    }
    const configPath = where.path;
    const label = `Model file ${configRel}`;
    const text = (0,read_user_file/* readUserFile */.E1)(configPath, {
        label,
        maxBytes: MODEL_FILE_MAX_BYTES,
        hint: 'Point the config input (--config) at the model file itself, a regular file in the workspace.',
    });
    const counter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
        throw new errors/* ConfigError */.xL(configRel, doc.errors.map((e) => {
            // prettyErrors appends " at line L, column C:" and a code excerpt; keep the sentence, say the line our way.
            const sentence = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
            const line = e.linePos?.[0].line;
            return `YAML syntax: ${sentence}${line ? ` (line ${line})` : ''}`;
        }));
    }
    let data;
    try {
        data = doc.toJS({ maxAliasCount: read_user_file/* YAML_MAX_ALIAS_COUNT */.cV });
    }
    catch (err) {
        if ((0,read_user_file/* isAliasBomb */.V1)(err))
            throw (0,read_user_file/* aliasBombError */.J3)(label);
        throw err;
    }
    if (data === null || data === undefined) {
        throw new errors/* ConfigError */.xL(configRel, ['the file is empty; start from the example in the README (apiVersion: model-canary/v1, model, image)']);
    }
    if (typeof data !== 'object' || Array.isArray(data)) {
        throw new errors/* ConfigError */.xL(configRel, ['the top level must be a mapping (key: value), not a list or a single value']);
    }
    const document = data;
    applyOverrides(document, inputs.set);
    // An input already reported as invalid is not applied too: that would report it twice, the second time
    // against a line of the model file that does not hold it.
    const invalidInput = (name) => inputProblems.some((p) => p.message.startsWith(`input ${name}:`));
    if (inputs.imageTag !== '' && !invalidInput('image-tag'))
        setIn(document, ['image', 'tag'], inputs.imageTag);
    if (inputs.namespace !== '' && !invalidInput('namespace'))
        setIn(document, ['cluster', 'namespace'], inputs.namespace);
    const problems = [...inputProblems];
    const schemaProblems = validateAgainstSchema(document, (path) => scalarSourceAt(doc, path));
    problems.push(...inDocumentOrder(schemaProblems.map((p) => locate(doc, counter, p))));
    const resolved = new Map();
    if (schemaProblems.length === 0) {
        problems.push(...inDocumentOrder(checkSemantics(document, env.workspace, resolved).map((p) => locate(doc, counter, p))));
    }
    const fromInputs = runInputs(inputs, env, document, command);
    problems.push(...fromInputs.problems);
    if (problems.length > 0 || !command) {
        throw new errors/* ConfigError */.xL(configRel, problems.map((p) => (p.line ? `${p.message} (line ${p.line})` : p.message)));
    }
    const run = {
        command,
        configPath,
        workspace: env.workspace,
        revision: inputs.revision || 'previous',
        runId: runIdentity(env),
        tempDir: env.tempDir,
    };
    if (inputs.environment !== '')
        run.environment = inputs.environment;
    Object.assign(run, fromInputs.run);
    if (env.commitSha)
        run.commitSha = env.commitSha;
    if (env.repository)
        run.repository = env.repository;
    if (env.serverUrl)
        run.serverUrl = env.serverUrl;
    if (env.registryUsername && env.registryPassword) {
        run.registryAuth = { username: env.registryUsername, password: env.registryPassword };
    }
    if (env.serverUrl && env.repository && env.runId)
        run.runUrl = `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}`;
    // The validator filled in every default: the document is a ModelFile now (src/config/generated/model-file.d.ts).
    return toConfig(document, resolved, run);
}
function locate(doc, counter, problem) {
    const line = problem.path.length > 0 ? lineOf(doc, counter, problem.path) : undefined;
    return line === undefined ? problem : { ...problem, line };
}
/** Stable sort by line: problems without a line first, in the order they were found. */
function inDocumentOrder(problems) {
    return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
function setIn(doc, path, value) {
    let node = doc;
    for (const key of path.slice(0, -1)) {
        if (node[key] === undefined || typeof node[key] !== 'object' || node[key] === null)
            node[key] = {};
        node = node[key];
    }
    node[path[path.length - 1]] = value;
}
function runIdentity(env) {
    if (env.repository && env.runId)
        return `${env.repository}/runs/${env.runId}/${env.runAttempt ?? '1'}`;
    return `local-${process.pid}-${Date.now()}`;
}
/** Maps the validated document to the typed config; paths absolute, durations in ms. */
function toConfig(d, resolved, run) {
    const abs = (key) => {
        const value = resolved.get(key);
        if (value === undefined)
            throw new Error(`internal: path ${key} was not resolved`);
        return value;
    };
    const ms = (text) => parseDuration(text) ?? 0;
    const image = d['image'];
    const tag = image['tag'] ?? run.commitSha ?? '';
    const config = {
        apiVersion: 'model-canary/v1',
        model: { name: d['model'].name, version: d['model'].version, framework: d['model'].framework },
        image: {
            repository: image['repository'],
            tag,
            extraTags: image['extraTags'],
            context: abs('image.context'),
            buildArgs: Object.fromEntries(Object.entries(image['buildArgs']).map(([k, v]) => [k, String(v)])),
            push: image['push'],
            guards: image['guards'],
        },
        scan: {
            enabled: d['scan'].enabled,
            failOn: d['scan'].failOn,
            ignoreUnfixed: d['scan'].ignoreUnfixed,
            ignoreFile: abs('scan.ignoreFile'),
            sarif: abs('scan.sarif'),
            secrets: d['scan'].secrets,
        },
        render: {
            mode: d['render'].mode,
            values: d['render'].values,
            valuesFiles: d['render'].valuesFiles.map((_, i) => abs(`render.valuesFiles[${i}]`)),
            output: abs('render.output'),
            policy: d['render'].policy,
        },
        cluster: { namespace: d['cluster'].namespace, fieldManager: d['cluster'].fieldManager },
        canary: {
            strategy: d['canary'].strategy,
            replicas: d['canary'].replicas,
            weight: d['canary'].weight,
            readinessTimeoutMs: ms(d['canary'].readinessTimeout),
            maxRestarts: d['canary'].maxRestarts,
            lockTimeoutMs: ms(d['canary'].lockTimeout),
        },
        smoke: {
            enabled: d['smoke'].enabled,
            protocol: d['smoke'].protocol,
            port: d['smoke'].port,
            generateCases: d['smoke'].generateCases,
            readyTimeoutMs: ms(d['smoke'].readyTimeout),
            warmup: d['smoke'].warmup,
            concurrency: d['smoke'].concurrency,
            requestTimeoutMs: ms(d['smoke'].requestTimeout),
            maxDurationMs: ms(d['smoke'].maxDuration),
            thresholds: d['smoke'].thresholds,
            parity: d['smoke'].parity,
        },
        analysis: {
            durationMs: ms(d['analysis'].duration),
            intervalMs: ms(d['analysis'].interval),
            maxDurationMs: ms(d['analysis'].maxDuration),
            mode: d['analysis'].mode,
            onInconclusive: d['analysis'].onInconclusive,
            minSamples: d['analysis'].minSamples,
            warmup: d['analysis'].warmup,
            load: d['analysis'].load,
            latency: d['analysis'].latency,
            errors: d['analysis'].errors,
            agreement: d['analysis'].agreement,
            ...(d['analysis'].prometheus ? { prometheus: prometheusConfig(d['analysis'].prometheus) } : {}),
            postPromotionMs: ms(d['analysis'].postPromotion),
        },
        decide: d['decide'],
        run,
    };
    if (d['model'].artifact !== undefined)
        config.model.artifact = abs('model.artifact');
    if (d['model'].card !== undefined)
        config.model.card = abs('model.card');
    if (image['dockerfile'] !== undefined)
        config.image.dockerfile = abs('image.dockerfile');
    if (image['template'] !== undefined)
        config.image.template = image['template'];
    if (image['wheelhouse'] !== undefined)
        config.image.wheelhouse = abs('image.wheelhouse');
    const r = d['render'];
    if (r.chart !== undefined)
        config.render.chart = r.chart.startsWith('oci://') ? r.chart : abs('render.chart');
    if (r.chartVersion !== undefined)
        config.render.chartVersion = r.chartVersion;
    if (r.kustomize !== undefined)
        config.render.kustomize = abs('render.kustomize');
    if (r.manifests !== undefined)
        config.render.manifests = r.manifests.map((_, i) => abs(`render.manifests[${i}]`));
    if (d['cluster'].context !== undefined)
        config.cluster.context = d['cluster'].context;
    if (d['canary'].gateway !== undefined)
        config.canary.gateway = d['canary'].gateway;
    if (d['canary'].hostnames !== undefined)
        config.canary.hostnames = d['canary'].hostnames;
    if (d['canary'].steps !== undefined)
        config.canary.steps = d['canary'].steps;
    if (d['smoke'].cases !== undefined)
        config.smoke.cases = abs('smoke.cases');
    if (d['smoke'].http !== undefined)
        config.smoke.http = d['smoke'].http;
    return config;
}
/** The model file path relative to the workspace, for messages. */
function relativeToWorkspace(config, absolute) {
    return path.relative(config.run.workspace, absolute) || '.';
}
function prometheusConfig(p) {
    return {
        url: String(p['url']).replace(/\/+$/, ''),
        selector: p['selector'],
        quantile: p['quantile'],
        timeoutMs: parseDuration(p['timeout']) ?? 10_000,
        queries: p['queries'],
    };
}

// EXTERNAL MODULE: ./src/exec/exec.ts + 1 modules
var exec_exec = __nccwpck_require__(21211);
;// CONCATENATED MODULE: ./src/log/host.ts
/** Outputs of a run; every name here is declared in action.yml (a contract test checks both ways). */
const OUTPUT_NAMES = [
    'image',
    'digest',
    'verdict',
    'revision',
    'report',
    'error-rate',
    'p95-ms',
    'analysis',
    'analysis-pairs',
    'latency-ratio',
    'error-rate-bound',
    'agreement',
    'deployment-id',
];
function emptyOutputs() {
    return Object.fromEntries(OUTPUT_NAMES.map((n) => [n, '']));
}

// EXTERNAL MODULE: ./src/log/markdown.ts
var markdown = __nccwpck_require__(20157);
// EXTERNAL MODULE: ./src/log/report.ts
var log_report = __nccwpck_require__(65666);
;// CONCATENATED MODULE: ./src/log/summary.ts


const STATUS_ICON = { ok: '✅', failed: '❌', skipped: '⏭️' };
/** The job summary of a run, successful or not: what happened, then what to do. */
function renderSummary(report) {
    const lines = [];
    const ok = !report.error;
    lines.push(`## model-canary ${report.command}: ${headline(report, ok)}`);
    lines.push('');
    lines.push(`Config: ${(0,markdown/* codeCell */.MZ)(report.configPath)}`);
    lines.push('');
    if (report.stages.length > 0) {
        lines.push('| Stage | Result | Time | Detail |');
        lines.push('| --- | --- | --- | --- |');
        for (const s of report.stages) {
            lines.push(`| ${(0,markdown/* cell */.Hn)(s.name)} | ${STATUS_ICON[s.status]} ${s.status} | ${(0,log_report/* formatDuration */.a)(s.durationMs)} | ${(0,markdown/* cell */.Hn)(s.detail)} |`);
        }
        lines.push('');
    }
    for (const section of report.sections) {
        lines.push(section, '');
    }
    if (report.error) {
        lines.push('### What went wrong');
        lines.push('');
        lines.push((0,markdown/* codeBlock */.DV)(report.error.message));
        if (report.error.hint)
            lines.push('', `**What to do:** ${(0,markdown/* cell */.Hn)(report.error.hint)}`);
        lines.push('');
    }
    const outputs = Object.entries(report.outputs).filter(([, v]) => v !== '');
    if (outputs.length > 0) {
        lines.push('### Outputs', '', '| Output | Value |', '| --- | --- |');
        for (const [k, v] of outputs)
            lines.push(`| \`${k}\` | ${(0,markdown/* codeCell */.MZ)(v)} |`);
        lines.push('');
    }
    return lines.join('\n');
}
/**
 * What happened, in a few words: a clean automatic rollback is a rollback (the canary was caught and
 * removed, stable untouched), not a generic failure, though the step still fails.
 */
function headline(report, ok) {
    const verdict = report.outputs.verdict;
    if (report.error?.kind === 'cancelled')
        return 'cancelled (the canary was removed, stable untouched)';
    if (verdict === 'rolled-back' && report.command === 'release')
        return '🔙 rolled back (the canary failed its checks and was removed; stable untouched)';
    if (verdict === 'held')
        return ok ? '⏸️ held (the canary waits for promote or rollback)' : '⏸️ held after a failure (decide.onFailure is hold)';
    return ok ? 'succeeded' : 'failed';
}

// EXTERNAL MODULE: ./src/log/stage.ts
var log_stage = __nccwpck_require__(43828);
// EXTERNAL MODULE: ./src/deploy/canary-plan.ts
var canary_plan = __nccwpck_require__(30991);
// EXTERNAL MODULE: ./src/smoke/cases.ts
var smoke_cases = __nccwpck_require__(98288);
// EXTERNAL MODULE: ./src/tools/resolve.ts + 3 modules
var resolve = __nccwpck_require__(85291);
;// CONCATENATED MODULE: ./src/commands/plan-render.ts

/** Stands for the digest the build pushes: a release deploys by digest, so the policy sees one. */
const PLANNED_DIGEST = `sha256:${'0'.repeat(64)}`;
/**
 * Renders the objects exactly as the render stage will (the same chart, values files, values, image
 * injection and policy; the objects written to render.output), and throws the error render would: a plan
 * that passes is not refused at render for its config. helm checks the values against the chart's
 * values.schema.json as it renders, so that check is helm's own, as at release time.
 */
async function plan_render_checkRender(config, ctx, tools) {
    const tool = config.render.mode === 'manifests' ? undefined : config.render.mode === 'kustomize' ? 'kubectl' : 'helm';
    const status = tool === undefined ? undefined : tools.find((t) => (t.state === 'found' ? t.tool.name : t.name) === tool);
    if (tool !== undefined && status?.state !== 'found') {
        return {
            checked: false,
            detail: `not checked: ${tool} is not on PATH here (a release installs it); run plan with ${tool} on PATH to check the objects before a release`,
        };
    }
    const { render, policyFailure } = await __nccwpck_require__.e(/* import() */ 148).then(__nccwpck_require__.bind(__nccwpck_require__, 17148));
    const built = config.image.push
        ? { reference: `${config.image.repository}@${PLANNED_DIGEST}`, digest: PLANNED_DIGEST }
        : { reference: config.image.tag ? `${config.image.repository}:${config.image.tag}` : config.image.repository, digest: '' };
    const image = config.run.prebuiltImage ?? built;
    const result = await render(config, image, { ...ctx, host: quietHost(ctx.host) });
    const failed = policyFailure(result, config);
    if (failed)
        throw failed;
    const warnings = result.findings.length;
    return {
        checked: true,
        detail: `${result.objects.length} object(s) from ${result.source}; policy passed${warnings ? ` with ${warnings} warning(s)` : ''}; written to ${external_node_path_default().relative(config.run.workspace, result.output)}`,
    };
}
/** The run's host with a logger that keeps render's warnings and drops its object listing. */
function quietHost(host) {
    const logger = {
        debugEnabled: host.logger.debugEnabled,
        debug: (m) => host.logger.debug(m),
        info: () => undefined,
        warn: (m, where) => host.logger.warn(m, where),
        // A policy error is thrown with every finding in it; logging each too would say it twice.
        error: () => undefined,
        group: (_title, fn) => fn(),
        setSecret: (v) => host.logger.setSecret(v),
    };
    return {
        logger,
        setOutputs: (o) => host.setOutputs(o),
        writeSummary: (m) => host.writeSummary(m),
        saveState: (n, v) => host.saveState(n, v),
    };
}

;// CONCATENATED MODULE: ./src/commands/plan.ts






/** Tools a release needs for this config. */
function toolsNeeded(config) {
    const tools = ['docker'];
    if (config.scan.enabled)
        tools.push('trivy');
    if (config.render.mode !== 'kustomize' && config.render.mode !== 'manifests')
        tools.push('helm');
    tools.push('kubectl');
    return tools;
}
/**
 * The plan; throws the error the render stage would give (the chart refusing the values, a policy rule)
 * when the objects can be rendered here, so a plan that passes is not refused later for its config.
 */
async function planRelease(config, ctx) {
    const rel = (p) => external_node_path_default().relative(config.run.workspace, p) || '.';
    const { model, image, canary, smoke, decide } = config;
    const tag = image.tag || '<commit SHA>';
    const tags = [...new Set([tag, ...(config.run.commitSha && config.run.commitSha !== tag ? [config.run.commitSha] : []), ...image.extraTags])];
    const build = image.dockerfile
        ? `your Dockerfile ${rel(image.dockerfile)} (context ${rel(image.context)})`
        : `the ${image.template ?? ''} template serving ${model.artifact ? rel(model.artifact) : 'the model'} (context ${rel(image.context)})`;
    const statuses = await Promise.all(toolsNeeded(config).map((name) => (0,resolve/* inspectTool */.d)(name, ctx.tools)));
    const blockers = statuses.flatMap((s) => (s.state === 'missing' ? [s.problem] : []));
    if (!image.tag)
        blockers.push('No image tag: there is no commit SHA in this run; give the image-tag input (or --image-tag).');
    const source = {
        builtin: "model-canary's Helm chart",
        kserve: "model-canary's Helm chart in KServe mode (an InferenceService)",
        chart: `your Helm chart ${config.render.chart ?? ''}`,
        kustomize: `your kustomize directory ${config.render.kustomize ? rel(config.render.kustomize) : ''}`,
        manifests: `your manifests ${(config.render.manifests ?? []).map(rel).join(', ')}`,
    }[config.render.mode];
    const canaryObjects = canary.strategy === 'replicas'
        ? [`Deployment/${(0,canary_plan/* canaryName */.mh)(model.name)} (${canary.replicas} pod(s), label track=canary, same Service as stable)`]
        : canary.strategy === 'traffic'
            ? [
                `Deployment/${(0,canary_plan/* canaryName */.mh)(model.name)}`,
                `Service/${(0,canary_plan/* canaryName */.mh)(model.name)}`,
                `HTTPRoute/${model.name} (stable ${100 - canary.weight}% / canary ${canary.weight}% via Gateway ${canary.gateway?.name ?? ''})`,
            ]
            : [`InferenceService/${model.name} with canaryTrafficPercent ${canary.weight}`];
    const decideStep = decide.mode === 'manual'
        ? 'Hold: keep the canary running with its smoke report for a promote or rollback dispatch'
        : `Promote on a passing verdict (stable takes the new digest, its rollout is gated, the canary is removed); otherwise ${decide.onFailure === 'rollback' ? 'roll back (remove the canary, stable untouched)' : 'hold the canary for inspection'}`;
    const canarySteps = [
        `Take the lock Lease model-canary-${model.name} in namespace ${config.cluster.namespace} (wait up to ${(0,log_report/* formatDuration */.a)(canary.lockTimeoutMs)})`,
        `Apply ${canaryObjects.join(', ')} with server-side apply (field manager ${config.cluster.fieldManager}); on a first deploy the release becomes stable directly`,
        `Gate: wait up to ${(0,log_report/* formatDuration */.a)(canary.readinessTimeoutMs)} for every canary pod to be Ready; fail at once on image pull errors, crash loops, more than ${canary.maxRestarts} restart(s), OOMKilled or Unschedulable`,
        smoke.enabled ? `Smoke: ${smoke.protocol} predictions to each Ready canary pod, compared with stable` : 'Smoke: disabled; the gate alone decides',
        decideStep,
        `Record the release (digest, commit, verdict) in the cluster's history (last ${decide.historyLimit} kept) and release the lock`,
    ];
    const render = await plan_render_checkRender(config, ctx, statuses);
    let smokePlan;
    if (smoke.enabled) {
        const cases = smoke.cases ? (0,smoke_cases/* loadCases */.EG)(smoke.cases).map((c) => c.name) : [];
        const limits = [
            `error rate <= ${smoke.thresholds.errorRate}`,
            smoke.thresholds.p50Ms !== undefined ? `p50 <= ${smoke.thresholds.p50Ms} ms` : undefined,
            `p95 <= ${smoke.thresholds.p95Ms} ms`,
            smoke.thresholds.p99Ms !== undefined ? `p99 <= ${smoke.thresholds.p99Ms} ms` : undefined,
            smoke.parity.enabled ? `parity with stable >= ${smoke.parity.minAgreement}` : undefined,
        ].filter((x) => x !== undefined);
        smokePlan = { protocol: smoke.protocol, cases, generated: smoke.generateCases, limits: limits.join(', ') };
    }
    return {
        model: { name: model.name, version: model.version, framework: model.framework },
        namespace: config.cluster.namespace,
        image: { reference: `${image.repository}:${tag}`, tags, build, push: image.push },
        stages: [
            { name: 'build', action: `Build ${image.repository} from ${build}; tags ${tags.join(', ')}; ${image.push ? 'push and deploy by digest' : 'no push'}` },
            {
                name: 'scan',
                action: config.scan.enabled
                    ? `Trivy: fail on ${config.scan.failOn.join(', ')}${config.scan.ignoreUnfixed ? ' (fixed only)' : ''}; full SARIF to ${rel(config.scan.sarif)}; secrets ${config.scan.secrets}`
                    : 'disabled',
            },
            { name: 'render', action: `Render the objects from ${source}` },
            { name: 'deploy', action: `Canary by ${canary.strategy} in namespace ${config.cluster.namespace}` },
            { name: 'smoke', action: smoke.enabled ? `${smoke.protocol} on port ${smoke.port}` : 'disabled' },
            { name: 'decide', action: decide.mode === 'manual' ? 'manual (hold for a dispatch)' : `auto (on failure: ${decide.onFailure})` },
        ],
        tools: statuses,
        objects: { source, canary: canaryObjects },
        render,
        canarySteps,
        smoke: smokePlan,
        blockers,
    };
}
function toolLine(status) {
    switch (status.state) {
        case 'found':
            return `${status.tool.name} ${status.tool.version} (${status.tool.path})`;
        case 'will-install':
            return `${status.name}: will install the pinned ${status.version} (${status.reason})`;
        case 'missing':
            return `${status.name}: MISSING - ${status.problem}`;
    }
}
/** The plan as log lines. */
function planLines(plan) {
    const lines = [
        `Model ${plan.model.name} ${plan.model.version} (${plan.model.framework}) to namespace ${plan.namespace}`,
        `Image: ${plan.image.reference}`,
        '',
        'Stages:',
        ...plan.stages.map((s, i) => `  ${i + 1}. ${s.name}: ${s.action}`),
        '',
        'Tools:',
        ...plan.tools.map((t) => `  - ${toolLine(t)}`),
        '',
        `Objects: rendered at release time from ${plan.objects.source}; the canary adds:`,
        ...plan.objects.canary.map((o) => `  - ${o}`),
        `Render check: ${plan.render.detail}`,
        '',
        'Canary steps:',
        ...plan.canarySteps.map((s, i) => `  ${i + 1}. ${s}`),
    ];
    if (plan.smoke) {
        lines.push('', `Smoke (${plan.smoke.protocol}): ${plan.smoke.cases.length} case(s) from the cases file${plan.smoke.generated ? ` + ${plan.smoke.generated} generated from the model card` : ''}; limits: ${plan.smoke.limits}`);
        lines.push(...plan.smoke.cases.map((c) => `  - ${c}`));
    }
    if (plan.blockers.length > 0)
        lines.push('', 'Blockers:', ...plan.blockers.map((b) => `  - ${b}`));
    return lines;
}
/** The plan as a job summary section. */
function planMarkdown(plan) {
    const out = [
        `### Release plan for \`${plan.model.name}\` ${plan.model.version}`,
        '',
        `Image \`${plan.image.reference}\` to namespace \`${plan.namespace}\``,
        '',
        '| # | Stage | What it would do |',
        '| --- | --- | --- |',
        ...plan.stages.map((s, i) => `| ${i + 1} | ${s.name} | ${s.action.replace(/\|/g, '\\|')} |`),
        '',
        '**Canary steps**',
        '',
        ...plan.canarySteps.map((s, i) => `${i + 1}. ${s}`),
        '',
        '**Tools**',
        '',
        ...plan.tools.map((t) => `- ${toolLine(t)}`),
        '',
        `**Render check**: ${plan.render.detail}`,
    ];
    if (plan.smoke)
        out.push('', `**Smoke**: ${plan.smoke.cases.length} case(s); ${plan.smoke.limits}`);
    if (plan.blockers.length > 0)
        out.push('', '**Blockers**', '', ...plan.blockers.map((b) => `- ${b}`));
    return out.join('\n');
}

;// CONCATENATED MODULE: ./src/pipeline/stages.ts

// The stages are imported when a command needs them (ncc puts each in a chunk beside the bundle), so
// plan and the other short commands do not load and compile the code of the build, scan, deploy and
// smoke stages, nor what those import (node:crypto, node:http), at every start.
const buildImage = async (...a) => (await __nccwpck_require__.e(/* import() */ 972).then(__nccwpck_require__.bind(__nccwpck_require__, 45972))).buildImage(...a);
const scanImage = async (...a) => (await __nccwpck_require__.e(/* import() */ 737).then(__nccwpck_require__.bind(__nccwpck_require__, 90737))).scanImage(...a);
/**
 * The render stage: with the image a release just built, or on its own with the digest the registry gives
 * image.repository:tag. Writes render.output, adds the summary section, fails on policy errors.
 */
async function runRenderStage(config, ctx, built) {
    return (0,log_stage/* runStage */.S)(ctx.host.logger, ctx.report, 'render', async () => {
        const { imageForRender, render, renderSection, policyFailure } = await __nccwpck_require__.e(/* import() */ 148).then(__nccwpck_require__.bind(__nccwpck_require__, 17148));
        const image = built ?? (await imageForRender(config, ctx.host.logger));
        const result = await render(config, image, ctx);
        ctx.report.outputs.report = result.output;
        if (!built)
            Object.assign(ctx.report.outputs, { image: result.image, digest: image.digest });
        ctx.report.sections.push(renderSection(result, config));
        const failed = policyFailure(result, config);
        if (failed)
            throw failed;
        return { value: result, detail: `${result.objects.length} objects, ${result.findings.length} policy finding(s)` };
    });
}
/**
 * The image of input image (built and scanned by an earlier job), set as the image and digest outputs;
 * for a release, build and scan are recorded as skipped. Undefined when the input is not given.
 */
function prebuiltImage(config, ctx, release) {
    const given = config.run.prebuiltImage;
    if (!given)
        return undefined;
    Object.assign(ctx.report.outputs, { image: given.reference, digest: given.digest });
    ctx.host.logger.info(`Using ${given.reference} from input image: built and scanned by an earlier job${release ? '; no build, no scan here' : ''}.`);
    if (release) {
        for (const name of ['build', 'scan']) {
            ctx.report.stages.push({ name, status: 'skipped', durationMs: 0, detail: `input image ${given.digest.slice(0, 19)}: done by the job that built it` });
        }
    }
    return { reference: given.reference, digest: given.digest };
}
async function runBuildStage(config, ctx) {
    const built = await (0,log_stage/* runStage */.S)(ctx.host.logger, ctx.report, 'build', async () => {
        const image = await buildImage(config, ctx);
        const size = image.sizeBytes !== undefined ? `, ${(image.sizeBytes / 1024 / 1024).toFixed(0)} MiB` : '';
        return { value: image, detail: `${image.reference} (${image.builder ?? 'docker'}${size})` };
    });
    Object.assign(ctx.report.outputs, { image: built.reference, digest: built.digest });
    const warnings = (built.findings ?? []).filter((f) => f.level === 'warn');
    ctx.report.sections.push([
        '### Image',
        '',
        `- Reference: \`${built.reference}\``,
        `- Tags: ${(built.tags ?? []).map((t) => `\`${t}\``).join(', ')}`,
        `- Built with ${built.builder === 'buildx' ? 'docker buildx' : 'the legacy docker builder'}${built.sizeBytes !== undefined ? `, ${(built.sizeBytes / 1024 / 1024).toFixed(1)} MiB` : ''}`,
        ...(warnings.length > 0 ? ['', '**Guard warnings**', '', ...warnings.map((w) => `- ${w.guard}: ${w.message}`)] : []),
    ].join('\n'));
    return built;
}
async function runScan(config, image, ctx) {
    if (!config.scan.enabled) {
        ctx.report.stages.push({ name: 'scan', status: 'skipped', durationMs: 0, detail: 'scan.enabled is false' });
        return;
    }
    const verdict = await (0,log_stage/* runStage */.S)(ctx.host.logger, ctx.report, 'scan', async () => {
        const result = await scanImage(config, image, ctx);
        const counts = Object.entries(result.gate.counts)
            .filter(([, n]) => n > 0)
            .map(([sev, n]) => `${n} ${sev}`);
        return { value: result, detail: `passed (${counts.join(', ') || 'no vulnerabilities'})` };
    });
    ctx.report.outputs.report = verdict.reportPath;
    ctx.report.sections.push([
        '### Scan',
        '',
        '| Severity | Found |',
        '| --- | --- |',
        ...Object.entries(verdict.gate.counts).map(([sev, n]) => `| ${sev} | ${n} |`),
        '',
        `Secrets found: ${verdict.gate.secrets.length}. Full SARIF (all severities): \`${verdict.sarifPath}\``,
    ].join('\n'));
}

;// CONCATENATED MODULE: ./src/pipeline/release.ts

const deliverRelease = async (...a) => (await Promise.all(/* import() */[__nccwpck_require__.e(809), __nccwpck_require__.e(593), __nccwpck_require__.e(312)]).then(__nccwpck_require__.bind(__nccwpck_require__, 35312))).deliverRelease(...a);
/**
 * A release, in order: image (built here, or input image built and scanned by an earlier job) → scan →
 * render → [holding the lock] deploy → smoke → decide (src/pipeline/deliver.ts).
 */
async function runRelease(config, ctx, github) {
    const prebuilt = prebuiltImage(config, ctx, true);
    const image = prebuilt ?? (await runBuildStage(config, ctx));
    if (!prebuilt)
        await runScan(config, image, ctx);
    const rendered = await runRenderStage(config, ctx, image);
    await github?.start({ image: rendered.image, digest: image.digest });
    return deliverRelease(config, rendered.objects, rendered.image, ctx);
}
/** command deploy: render, apply the canary and gate it, then hold it for `promote` or `rollback`. */
async function runDeployOnly(config, ctx) {
    const rendered = await runRenderStage(config, ctx, prebuiltImage(config, ctx, false));
    const held = { ...config, smoke: { ...config.smoke, enabled: false }, decide: { ...config.decide, mode: 'manual' } };
    return deliverRelease(held, rendered.objects, rendered.image, ctx);
}

;// CONCATENATED MODULE: ./src/commands/run.ts







// The stages are imported when a command needs them (ncc puts each in a chunk beside the bundle), so
// plan and the other short commands do not load and compile the code of the build, scan, deploy and
// smoke stages, nor what those import (node:crypto, node:http), at every start.
const smokeCanary = async (...a) => (await __nccwpck_require__.e(/* import() */ 12).then(__nccwpck_require__.bind(__nccwpck_require__, 1012))).smokeCanary(...a);
const promote = async (...a) => (await Promise.all(/* import() */[__nccwpck_require__.e(593), __nccwpck_require__.e(778)]).then(__nccwpck_require__.bind(__nccwpck_require__, 63778))).promote(...a);
const rollback = async (...a) => (await Promise.all(/* import() */[__nccwpck_require__.e(593), __nccwpck_require__.e(778)]).then(__nccwpck_require__.bind(__nccwpck_require__, 63778))).rollback(...a);
const run_status = async (...a) => (await Promise.all(/* import() */[__nccwpck_require__.e(593), __nccwpck_require__.e(778)]).then(__nccwpck_require__.bind(__nccwpck_require__, 63778))).status(...a);
/**
 * Runs the command the config names. Stages record themselves in ctx.report. With github-token, release,
 * promote and rollback also record a GitHub Deployment (src/github, loaded only then); its reporting never
 * changes the outcome.
 */
async function runCommand(config, ctx) {
    const github = config.run.github && config_inputs/* DEPLOYMENT_COMMANDS */.ho.includes(config.run.command) ? (await __nccwpck_require__.e(/* import() */ 482).then(__nccwpck_require__.bind(__nccwpck_require__, 49482))).gitHubReporter(config, ctx) : undefined;
    if (!github)
        return runSelected(config, ctx);
    try {
        await runSelected(config, ctx, github);
    }
    catch (err) {
        await github.finish(err);
        throw err;
    }
    await github.finish(undefined);
}
async function runSelected(config, ctx, github) {
    const { logger } = ctx.host;
    const stage = (name, fn) => (0,log_stage/* runStage */.S)(logger, ctx.report, name, fn);
    switch (config.run.command) {
        case 'plan':
            return runPlan(config, ctx);
        case 'release':
            await runRelease(config, ctx, github);
            return;
        case 'build':
            await runBuildStage(config, ctx);
            return;
        case 'scan':
            await runScan(config, { reference: `${config.image.repository}:${config.image.tag}`, digest: '' }, ctx);
            return;
        case 'render':
            await runRenderStage(config, ctx, prebuiltImage(config, ctx, false));
            return;
        case 'deploy':
            await runDeployOnly(config, ctx);
            return;
        case 'smoke':
            // Alone, smoke tests the canary that is there (deployed by model-canary or by your own tooling): the
            // current ReplicaSet of Deployment <model>-canary, compared with <model>. The stage records its summary
            // section and the error-rate, p95-ms and report outputs; the verdict output and a failing exit are here.
            await stage('smoke', async () => {
                const { smokeOutputs, SmokeFailed } = await __nccwpck_require__.e(/* import() */ 12).then(__nccwpck_require__.bind(__nccwpck_require__, 1012));
                const report = await smokeCanary(config, { revision: '', readyPods: [] }, ctx);
                Object.assign(ctx.report.outputs, smokeOutputs(report));
                if (report.verdict === 'fail')
                    throw new SmokeFailed(report);
                return {
                    value: report,
                    detail: `passed: ${report.cases} case(s) on ${report.pods.length} pod(s), error rate ${report.errorRate}, p95 ${report.p95Ms} ms`,
                };
            });
            return;
        case 'promote':
            await github?.start();
            await stage('promote', async () => ({ value: await promote(config, ctx), detail: 'canary promoted to stable' }));
            return;
        case 'rollback':
            await github?.start();
            await stage('rollback', async () => ({ value: await rollback(config, ctx), detail: `rolled back (revision ${config.run.revision || 'previous'})` }));
            return;
        case 'status':
            await stage('status', async () => {
                const s = await run_status(config, ctx);
                return { value: s, detail: `${s.history.length} release(s) recorded${s.canary ? ', a canary is in place' : ''}` };
            });
            return;
    }
}
async function runPlan(config, ctx) {
    const { logger } = ctx.host;
    const plan = await (0,log_stage/* runStage */.S)(logger, ctx.report, 'plan', async () => {
        const result = await planRelease(config, ctx);
        for (const line of planLines(result))
            logger.info(line);
        return { value: result, detail: result.blockers.length ? `${result.blockers.length} blocker(s)` : 'a release can run' };
    });
    const reportPath = (0,contained/* writeWorkspaceReport */.xv)(config.run.workspace, 'plan.json', `${JSON.stringify(plan, null, 2)}\n`);
    ctx.report.sections.push(planMarkdown(plan));
    Object.assign(ctx.report.outputs, { image: plan.image.reference, verdict: 'planned', report: reportPath });
    if (plan.blockers.length > 0) {
        throw new errors/* ModelCanaryError */.Md('tool', `A release with this config would fail:\n${plan.blockers.map((b) => `  - ${b}`).join('\n')}`, 'Fix the blockers above; the rest of the plan is valid.');
    }
}

// EXTERNAL MODULE: ./src/kube/client.ts
var client = __nccwpck_require__(31934);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(48161);
var external_node_os_default = /*#__PURE__*/__nccwpck_require__.n(external_node_os_);
// EXTERNAL MODULE: ./src/exec/background.ts
var background = __nccwpck_require__(69909);
// EXTERNAL MODULE: ./src/kube/http.ts + 1 modules
var http = __nccwpck_require__(30964);
;// CONCATENATED MODULE: ./src/kube/proxy.ts





/**
 * One `kubectl proxy` for the whole run: every API call after it is plain HTTP to it, so a release starts
 * one kubectl instead of one per call, and the kubeconfig's auth (exec plugins included) is kubectl's
 * business. The proxy hands out the deployer's credentials to whoever can connect and checks nothing, so
 * it listens on a Unix socket, not a TCP port: the socket (0600) is in a folder made by mkdtemp (0700),
 * so no other local user (a shared self-hosted runner) can reach it. Under the OS temp folder because a
 * socket path is limited to about 100 bytes.
 */
async function startKubeProxy(logger, counter, kubectl, options = {}) {
    const dir = (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(options.socketDir ?? external_node_os_default().tmpdir(), 'model-canary-kube-'));
    const socket = external_node_path_default().join(dir, 'proxy.sock');
    const args = ['proxy', `--unix-socket=${socket}`, '--keepalive=30s'];
    if (options.context)
        args.push('--context', options.context);
    const proc = (0,background/* startBackground */.r)(logger, counter, kubectl, args);
    const stop = async () => {
        try {
            await proc.stop();
        }
        finally {
            (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
        }
    };
    try {
        await proc.waitForLine(/Starting to serve on/, 30_000);
        if (!(0,external_node_fs_.statSync)(socket).isSocket())
            throw new Error(`internal: kubectl proxy made no socket at ${socket}`);
        (0,external_node_fs_.chmodSync)(socket, 0o600);
    }
    catch (err) {
        await stop();
        throw err;
    }
    return { url: (0,http/* unixBase */.G)(socket), process: proc, stop };
}

;// CONCATENATED MODULE: ./src/kube/session.ts



/**
 * The run's connection to the cluster, opened on first use: commands that never touch the cluster
 * (plan, build, scan, render) start no kubectl at all. close() stops the proxy; safe to call twice.
 */
class KubeSession {
    logger;
    counter;
    tools;
    context;
    opened;
    pid;
    constructor(logger, counter, tools, context) {
        this.logger = logger;
        this.counter = counter;
        this.tools = tools;
        this.context = context;
    }
    async client() {
        this.opened ??= this.open();
        return (await this.opened).client;
    }
    /** The pid of the kubectl proxy, once it runs (a cancelled run keeps it to clean up through it). */
    get proxyPid() {
        return this.pid;
    }
    /** The kubectl binary the session uses (for the few things only kubectl does, like port-forward). */
    async kubectl() {
        return (await (0,resolve/* resolveTool */.H)('kubectl', this.tools)).path;
    }
    async close() {
        if (!this.opened)
            return;
        const pending = this.opened;
        this.opened = undefined;
        try {
            await (await pending).proxy.stop();
        }
        catch {
            // it never started; nothing to stop
        }
    }
    async open() {
        const kubectl = await this.kubectl();
        const proxy = await startKubeProxy(this.logger, this.counter, kubectl, this.context ? { context: this.context } : {});
        this.logger.debug(`kubectl proxy serving on ${proxy.url}`);
        this.pid = proxy.process.pid;
        return { proxy, client: new client/* KubeClient */.Bx(proxy.url, this.logger) };
    }
}

// EXTERNAL MODULE: ./src/deploy/left-behind.ts
var left_behind = __nccwpck_require__(40411);
// EXTERNAL MODULE: ./src/deploy/lock.ts
var lock = __nccwpck_require__(24332);
// EXTERNAL MODULE: ./src/deploy/traffic/index.ts
var traffic = __nccwpck_require__(42613);
// EXTERNAL MODULE: ./src/deploy/kserve/index.ts + 3 modules
var kserve = __nccwpck_require__(88270);
// EXTERNAL MODULE: ./src/kube/resources.ts
var resources = __nccwpck_require__(26804);
;// CONCATENATED MODULE: ./src/commands/post.ts








/**
 * Cleans up after a cancelled or failed run from the state main saved: deletes the objects the run created
 * and still listed (a canary, or a failed first release), then releases the lock if it still holds this
 * run's identity. Running it twice is harmless: missing objects and a lock held by someone else are left.
 * Returns what it did, one line each.
 */
async function runPost(saved, log, options = {}) {
    if (!saved) {
        log.info('model-canary post: main saved no state (it did not get as far as loading the config); nothing to clean.');
        return [];
    }
    let state;
    try {
        state = JSON.parse(saved);
    }
    catch {
        log.warn('model-canary post: the saved state is not readable; nothing was cleaned.');
        return [];
    }
    const namespace = state.namespace ?? 'default';
    const routes = state.routes ?? [];
    const entries = state.kserveCanaries ?? [];
    if (state.created.length === 0 && !state.lockHeld && routes.length === 0 && entries.length === 0) {
        log.info(`model-canary post: ${state.command} of ${state.model ?? 'the model'} left nothing to clean.`);
        return [];
    }
    const logger = asLogger(log);
    const session = options.client ? undefined : openSession(logger, options, state.context);
    const done = [];
    try {
        const client = options.client ?? (await session?.client());
        if (!client)
            return done;
        // Traffic first: the canary's Service must not be deleted while a route still sends to it.
        for (const route of routes) {
            try {
                const restored = await (0,traffic/* restoreRouteWeights */.nM)(client, namespace, route.name, route.fieldManager, logger, 10_000);
                done.push(restored ? `sent all traffic of HTTPRoute/${route.name} back to stable` : `HTTPRoute/${route.name} sends nothing to a canary`);
            }
            catch (err) {
                log.warn(`model-canary post: could not send HTTPRoute/${route.name} back to stable: ${err instanceof Error ? err.message : String(err)}`);
            }
        }
        for (const e of entries) {
            try {
                const removed = await (0,kserve/* removeCanaryEntry */.XI)(client, namespace, e.isvc, e.entry, e.fieldManager);
                done.push(removed ? `removed canary ${e.entry} from InferenceService/${e.isvc} (spec.canary)` : `InferenceService/${e.isvc} has no canary ${e.entry}`);
            }
            catch (err) {
                log.warn(`model-canary post: could not remove canary ${e.entry} from InferenceService/${e.isvc}: ${err instanceof Error ? err.message : String(err)}`);
            }
        }
        for (const key of [...state.created].reverse()) {
            const [kind = '', ...rest] = key.split('/');
            const name = rest.join('/');
            if (!(0,resources/* isKnownKind */.mT)(kind) || !name) {
                log.warn(`model-canary post: cannot delete ${key} (unknown kind); delete it by hand.`);
                continue;
            }
            try {
                // A Deployment the Role will not delete is scaled to 0 at least, so a canary left behind serves nothing.
                const deleted = kind === 'Deployment' ? await (0,left_behind/* deleteDeployment */.rd)(client, namespace, name) : await client.delete((0,resources/* apiPath */.So)(kind, namespace, name));
                done.push(`${deleted ? 'deleted' : 'already gone:'} ${key}`);
            }
            catch (err) {
                log.warn(`model-canary post: could not delete ${key} in ${namespace}: ${err instanceof errors/* ModelCanaryError */.Md ? err.userMessage : err instanceof Error ? err.message : String(err)}`);
            }
        }
        if (state.lockHeld && state.model && state.runId) {
            try {
                const released = await (0,lock/* releaseLease */.wL)(client, namespace, state.model, state.runId);
                done.push(released ? `released the lock ${(0,lock/* leaseName */.AI)(state.model)}` : `the lock ${(0,lock/* leaseName */.AI)(state.model)} is not held by this run; left alone`);
            }
            catch (err) {
                log.warn(`model-canary post: could not release the lock ${(0,lock/* leaseName */.AI)(state.model)}: ${err instanceof Error ? err.message : String(err)}; it expires by itself.`);
            }
        }
    }
    catch (err) {
        const left = [
            ...routes.map((r) => `canary weights on HTTPRoute/${r.name} (remove its canary backendRef by hand)`),
            ...entries.map((e) => `canary ${e.entry} in spec.canary of InferenceService/${e.isvc} (remove the entry by hand)`),
            ...state.created.map((o) => `${o} in namespace ${namespace}`),
            ...(state.lockHeld ? [`the lock Lease ${(0,lock/* leaseName */.AI)(state.model ?? '?')} (it expires by itself)`] : []),
        ];
        log.warn(`model-canary post: could not reach the cluster to clean up (${err instanceof Error ? err.message : String(err)}). Left behind: ${left.join('; ')}.`);
    }
    finally {
        await session?.close();
    }
    for (const line of done)
        log.info(`model-canary post: ${line} (namespace ${namespace})`);
    return done;
}
function openSession(logger, options, context) {
    const counter = new exec_exec/* ProcessCounter */.MS();
    const exec = (0,exec_exec/* createExec */.k7)(logger, counter);
    const tools = { exec, logger, searchPath: options.searchPath ?? process.env['PATH'] ?? '', ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) };
    return new KubeSession(logger, counter, tools, context);
}
function asLogger(log) {
    return {
        debugEnabled: false,
        debug: () => undefined,
        info: (m) => log.info(m),
        warn: (m) => log.warn(m),
        error: (m) => log.warn(m),
        group: (_title, fn) => fn(),
        setSecret: () => undefined,
    };
}

;// CONCATENATED MODULE: ./src/credentials/run.ts

/**
 * Masks every credential the inputs and the environment carry (the GitHub token, the registry password,
 * the kubeconfig and the tokens, keys, passwords and exec-plugin env values and args inside it) before
 * anything can print them: first thing the main step does.
 */
function maskInputCredentials(logger, inputs, env = {}) {
    if (inputs.githubToken)
        logger.setSecret(inputs.githubToken);
    if (env.registryPassword)
        logger.setSecret(env.registryPassword);
    if (!inputs.kubeconfig)
        return;
    const read = (0,credentials_kubeconfig/* readKubeconfigInput */.Aw)(inputs.kubeconfig);
    for (const secret of 'secrets' in read ? read.secrets : [inputs.kubeconfig.trim()])
        logger.setSecret(secret);
}
/**
 * With the kubeconfig input: writes it to a 0600 file of its own under the run's temp folder, points
 * KUBECONFIG at it for every command this process starts, and records the path in the cleanup state for
 * the post step, which removes it. Returns the undo of KUBECONFIG (the file stays for the post step).
 */
function openKubeconfig(config, state, logger) {
    const given = config.run.kubeconfig;
    if (!given)
        return undefined;
    const file = (0,credentials_kubeconfig/* writeKubeconfig */.fQ)(given.content, config.run.tempDir);
    state.kubeconfigFile = file;
    logger.info('Using the kubeconfig of input kubeconfig (a file of mode 0600 in the runner temp folder, removed by the post step).');
    return (0,credentials_kubeconfig/* useKubeconfig */.xR)(file);
}
/**
 * The post step's part: runs fn (the cluster cleanup) with KUBECONFIG on the saved file, then removes the
 * file, whatever fn did. Harmless when the file is gone or the state names none.
 */
async function withSavedKubeconfig(saved, log, fn) {
    const file = kubeconfigFileOf(saved);
    const restore = file ? useKubeconfig(file) : undefined;
    try {
        return await fn();
    }
    finally {
        restore?.();
        if (file) {
            try {
                const outcome = removeKubeconfig(file);
                log.info(outcome === 'removed'
                    ? 'model-canary post: removed the kubeconfig file of input kubeconfig.'
                    : 'model-canary post: the kubeconfig file is already gone.');
            }
            catch (err) {
                log.warn(`model-canary post: could not remove the kubeconfig file ${file}: ${err instanceof Error ? err.message : String(err)}; the runner removes its temp folder when the job ends.`);
            }
        }
    }
}
function kubeconfigFileOf(saved) {
    if (!saved)
        return undefined;
    try {
        const state = JSON.parse(saved);
        return typeof state.kubeconfigFile === 'string' && state.kubeconfigFile !== '' ? state.kubeconfigFile : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/commands/entry.ts







/** How long a cancelled run's pipeline gets to unwind before the cleanup record is used directly. */
const CANCEL_BUDGET_MS = 1200;


/**
 * What the action, the CLI and the tests all run: load the config once, run the command, then always set
 * the outputs and write the summary. Returns the process exit code.
 */
async function runEntry(host, inputs, env) {
    const { logger } = host;
    const report = {
        command: inputs.command || 'release',
        configPath: inputs.config,
        startedAt: new Date().toISOString(),
        stages: [],
        outputs: emptyOutputs(),
        sections: [],
    };
    let cleanupState;
    let kube;
    const cancel = cancelOnSignal(logger, () => kube, () => cleanupState);
    let exitCode = 0;
    let restoreKubeconfig;
    try {
        maskInputCredentials(logger, inputs, env);
        const config = loadConfig(inputs, env);
        const cleanup = (cleanupState = {
            command: config.run.command,
            model: config.model.name,
            namespace: config.cluster.namespace,
            created: [],
            lockHeld: false,
            runId: config.run.runId,
            ...(config.cluster.context ? { context: config.cluster.context } : {}),
        });
        restoreKubeconfig = openKubeconfig(config, cleanup, logger);
        host.saveState('cleanup', JSON.stringify(cleanup));
        const counter = new exec_exec/* ProcessCounter */.MS();
        const exec = (0,exec_exec/* createExec */.k7)(logger, counter);
        const tools = { exec, logger, searchPath: env.searchPath, ...(env.cacheDir ? { cacheDir: env.cacheDir } : {}) };
        kube = new KubeSession(logger, counter, tools, config.cluster.context);
        const ctx = {
            host,
            exec,
            counter,
            report,
            tools,
            kube,
            cleanup: cleanupRecorder(cleanup, (state) => host.saveState('cleanup', JSON.stringify(state))),
            signal: cancel.signal,
        };
        await runCommand(config, ctx);
    }
    catch (err) {
        exitCode = cancel.signal.aborted ? 130 : 1;
        const error = (0,errors/* asModelCanaryError */.GW)(err);
        report.error = { kind: error.kind, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
        if (report.outputs.verdict === '' || report.outputs.verdict === 'planned')
            report.outputs.verdict = 'failed';
        logger.error(error.userMessage);
        if (logger.debugEnabled || error.kind === 'internal')
            debugStack(host, err);
    }
    finally {
        cancel.settled();
        await kube?.close();
        restoreKubeconfig?.();
        cancel.dispose();
    }
    try {
        host.setOutputs(report.outputs);
    }
    catch (err) {
        exitCode = 1;
        logger.error(`Could not set the step outputs: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
        await host.writeSummary(renderSummary(report));
    }
    catch (err) {
        logger.warn(`Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
    }
    return exitCode;
}
/**
 * Cancel (SIGINT from Ctrl-C, or the runner's SIGINT/SIGTERM on a cancelled job): the run stops, and
 * what it started is removed through the run's own kubectl proxy, which is kept alive for that. The
 * pipeline removes its canary as it unwinds; if it has not finished within CANCEL_BUDGET_MS, the same
 * cleanup the post step does runs here from the cleanup record, and the process exits. `settled` once the
 * pipeline has unwound; `dispose` when the run is over.
 */
function cancelOnSignal(logger, kube, cleanupState) {
    const cancel = new AbortController();
    let forced;
    const forceCleanup = async () => {
        logger.warn('The pipeline did not unwind in time: cleaning up from the cleanup record.');
        try {
            const session = kube();
            const client = session ? await Promise.race([session.client(), new Promise((r) => setTimeout(() => r(undefined), 300))]) : undefined;
            const state = cleanupState();
            if (state)
                await Promise.race([
                    runPost(JSON.stringify(state), { info: (m) => logger.info(m), warn: (m) => logger.warn(m) }, client ? { client } : {}),
                    new Promise((r) => setTimeout(r, 1500)),
                ]);
        }
        finally {
            (0,exec_exec/* killLiveChildren */.Ow)('SIGKILL');
            process.exit(130);
        }
    };
    const onSignal = (signal) => {
        if (cancel.signal.aborted) {
            logger.warn(`Received ${signal} again: exiting now; the post step (or command rollback) removes what is left.`);
            process.exit(130);
        }
        cancel.abort();
        const proxyPid = kube()?.proxyPid;
        const killed = (0,exec_exec/* killLiveChildren */.Ow)('SIGTERM', proxyPid !== undefined ? [proxyPid] : []);
        logger.warn(`Received ${signal}: cancelling; stopped ${killed} running command(s); removing the canary, sending traffic back to stable and releasing the lock.`);
        forced = setTimeout(() => void forceCleanup(), CANCEL_BUDGET_MS);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return {
        signal: cancel.signal,
        settled: () => {
            if (forced)
                clearTimeout(forced);
        },
        dispose: () => {
            process.removeListener('SIGINT', onSignal);
            process.removeListener('SIGTERM', onSignal);
        },
    };
}
function debugStack(host, err) {
    if (!host.logger.debugEnabled)
        return;
    const stack = err instanceof Error ? err.stack : undefined;
    if (stack)
        host.logger.debug(stack);
    if (err instanceof errors/* ModelCanaryError */.Md && err.cause instanceof Error && err.cause.stack)
        host.logger.debug(err.cause.stack);
}
/** Keeps the cleanup state current and saved as a stage creates and removes things. */
function cleanupRecorder(state, save) {
    return {
        created: (o) => {
            if (!state.created.includes(o))
                state.created.push(o);
            save(state);
        },
        removed: (o) => {
            state.created = state.created.filter((c) => c !== o);
            save(state);
        },
        lock: (held) => {
            state.lockHeld = held;
            save(state);
        },
        route: (name, fieldManager) => {
            const others = (state.routes ?? []).filter((r) => r.name !== name);
            state.routes = fieldManager === undefined ? others : [...others, { name, fieldManager }];
            save(state);
        },
        kserveCanary: (isvc, entry, fieldManager) => {
            const others = (state.kserveCanaries ?? []).filter((c) => c.isvc !== isvc);
            state.kserveCanaries = entry === undefined ? others : [...others, { isvc, entry, fieldManager }];
            save(state);
        },
    };
}


/***/ }),

/***/ 17962:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  nX: () => (/* binding */ privateTempDir),
  ET: () => (/* binding */ readRunnerEnvironment)
});

// UNUSED EXPORTS: readActionInputs

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(48161);
var external_node_os_default = /*#__PURE__*/__nccwpck_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(76760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(77598);
;// CONCATENATED MODULE: ./src/log/workflow-commands.ts
/**
 * GitHub Actions' runner protocol, as documented for workflow commands (`::name key=value::message` on
 * stdout) and environment files (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), for the handful of
 * calls model-canary makes.
 *
 * Why not @actions/core: its one entry point loads its OIDC client, and with it @actions/http-client and
 * undici, at import; ncc cannot drop them, so every run paid about 1 MB of bundle and ~45 ms of start for
 * a token model-canary never asks for. test/unit/workflow-commands.test.ts runs these and @actions/core
 * side by side and requires the runner to receive exactly the same bytes, with one deliberate difference:
 * `info` neutralises what would start a workflow command (./neutralise.ts), where @actions/core writes the
 * text as it is.
 */




/** What the runner expects for a value: text as is, nothing as '', anything else as JSON. */
function asText(value) {
    if (value === undefined || value === null)
        return '';
    return typeof value === 'string' || value instanceof String ? String(value) : JSON.stringify(value);
}
/** Percent-encodes the characters the protocol reserves: in messages %, CR, LF; in properties also : and ,. */
function encode(value, inProperty) {
    const text = asText(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    return inProperty ? text.replace(/:/g, '%3A').replace(/,/g, '%2C') : text;
}
/** Writes one workflow command line; empty properties are omitted. */
function issueCommand(name, properties, message) {
    const pairs = Object.entries(properties)
        .filter(([, v]) => Boolean(v))
        .map(([k, v]) => `${k}=${encode(v, true)}`);
    const head = Object.keys(properties).length > 0 ? `::${name} ${pairs.join(',')}` : `::${name}`;
    process.stdout.write(`${head}::${encode(message, false)}${EOL}`);
}
/** Appends `name<<DELIM`, the value and `DELIM` to an environment file, with a fresh random delimiter. */
function appendKeyValue(variable, name, value) {
    const file = process.env[variable];
    if (!existsSync(file))
        throw new Error(`${variable} names ${file}, which does not exist`);
    const delimiter = `ghadelimiter_${randomUUID()}`;
    const text = asText(value);
    if (name.includes(delimiter) || text.includes(delimiter))
        throw new Error(`${name}: the value contains the file delimiter`);
    appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}
function workflow_commands_getInput(name, options = {}) {
    const raw = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
    if (options.required && raw === '')
        throw new Error(`Input required and not supplied: ${name}`);
    return options.trimWhitespace === false ? raw : raw.trim();
}
function workflow_commands_getMultilineInput(name, options = {}) {
    const lines = workflow_commands_getInput(name, options)
        .split('\n')
        .filter((l) => l !== '');
    return options.trimWhitespace === false ? lines : lines.map((l) => l.trim());
}
function setOutput(name, value) {
    if (process.env['GITHUB_OUTPUT'])
        appendKeyValue('GITHUB_OUTPUT', name, value);
    else {
        process.stdout.write(EOL);
        issueCommand('set-output', { name }, value);
    }
}
function saveState(name, value) {
    if (process.env['GITHUB_STATE'])
        appendKeyValue('GITHUB_STATE', name, value);
    else
        issueCommand('save-state', { name }, value);
}
/** The runner hands state saved by main to post as STATE_<name>. */
function getState(name) {
    return process.env[`STATE_${name}`] ?? '';
}
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
function debug(message) {
    issueCommand('debug', {}, message);
}
/** A plain log line (or several): never a workflow command, whatever the text holds. */
function info(message) {
    process.stdout.write(`${neutralise(message)}${EOL}`);
}
function annotation(kind, message, where) {
    const properties = Object.keys(where).length === 0
        ? {}
        : { title: where.title, file: where.file, line: where.startLine, endLine: where.endLine, col: where.startColumn, endColumn: where.endColumn };
    issueCommand(kind, properties, message instanceof Error ? message.toString() : message);
}
function warning(message, where = {}) {
    annotation('warning', message, where);
}
function error(message, where = {}) {
    annotation('error', message, where);
}
function startGroup(title) {
    issueCommand('group', {}, title);
}
function endGroup() {
    issueCommand('endgroup', {}, '');
}
async function group(title, fn) {
    startGroup(title);
    try {
        return await fn();
    }
    finally {
        endGroup();
    }
}
/** Appends markdown and a newline to the job summary file. */
function appendSummary(markdown) {
    const file = process.env['GITHUB_STEP_SUMMARY'];
    if (!file)
        return Promise.reject(new Error('GITHUB_STEP_SUMMARY is not set; this runner does not support job summaries'));
    return new Promise((resolve, reject) => appendFile(file, `${markdown}${EOL}`, { encoding: 'utf8' }, (err) => (err ? reject(err) : resolve())));
}

// EXTERNAL MODULE: ./src/config/inputs.ts
var inputs = __nccwpck_require__(64389);
;// CONCATENATED MODULE: ./src/config/action-inputs.ts





/** Reads every action input, once. Nothing else in model-canary calls getInput. */
function readActionInputs() {
    const get = (name, fallback) => getInput(name).trim() || fallback;
    return {
        // No default: a step without a command must not release to whatever cluster the kubeconfig names.
        command: get('command', ''),
        config: get('config', DEFAULT_INPUTS.config),
        imageTag: get('image-tag', ''),
        namespace: get('namespace', ''),
        environment: get('environment', ''),
        revision: get('revision', DEFAULT_INPUTS.revision),
        set: getMultilineInput('set').filter((l) => !l.trim().startsWith('#')),
        image: get('image', ''),
        // Content from a secret: read as given (trimmed), never logged; see src/credentials/kubeconfig.ts.
        kubeconfig: get('kubeconfig', ''),
        githubToken: get('github-token', ''),
        expectDigest: get('expect-digest', ''),
        expectRevision: get('expect-revision', ''),
    };
}
/** A new folder of the run's own (mkdtemp: 0700) in the OS temp folder, for a run outside a runner. */
function privateTempDir() {
    return (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(external_node_os_default().tmpdir(), 'model-canary-'));
}
/** Reads the runner's environment variables, once. */
function readRunnerEnvironment(env = process.env) {
    const result = {
        workspace: env['GITHUB_WORKSPACE'] || process.cwd(),
        tempDir: env['RUNNER_TEMP'] || privateTempDir(),
        searchPath: env['PATH'] ?? '',
        cacheDir: external_node_path_default().join(env['RUNNER_TOOL_CACHE'] || external_node_path_default().join(external_node_os_default().homedir(), '.cache'), 'model-canary'),
    };
    const optional = [
        ['commitSha', 'GITHUB_SHA'],
        ['repository', 'GITHUB_REPOSITORY'],
        ['serverUrl', 'GITHUB_SERVER_URL'],
        ['runId', 'GITHUB_RUN_ID'],
        ['runAttempt', 'GITHUB_RUN_ATTEMPT'],
        ['job', 'GITHUB_JOB'],
        ['registryUsername', 'MODEL_CANARY_REGISTRY_USERNAME'],
        ['registryPassword', 'MODEL_CANARY_REGISTRY_PASSWORD'],
        ['apiUrl', 'GITHUB_API_URL'],
        // Takes precedence over GITHUB_API_URL (which a workflow cannot change): a proxy, or a test's server.
        ['apiUrl', 'MODEL_CANARY_GITHUB_API_URL'],
        ['eventName', 'GITHUB_EVENT_NAME'],
        ['eventPath', 'GITHUB_EVENT_PATH'],
    ];
    for (const [key, variable] of optional) {
        const value = env[variable];
        if (value)
            result[key] = value;
    }
    return result;
}


/***/ }),

/***/ 27668:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ CLI_USAGE),
/* harmony export */   h: () => (/* binding */ parseCliArgs)
/* harmony export */ });
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(57975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_util__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(83916);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(22143);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(64389);




const CLI_USAGE = `Usage: model-canary <command> [options]

Commands: ${_types_js__WEBPACK_IMPORTED_MODULE_3__/* .COMMANDS */ .L.join(', ')}
  plan      check the config and print what a release would do, changing nothing

Options:
  --config FILE        model file (default model-canary.yaml)
  --set PATH=VALUE     override a value of the model file (repeatable), e.g. --set canary.weight=20
  --image-tag TAG      tag to build and push (default: the commit SHA)
  --namespace NS       namespace to deploy to
  --environment NAME   environment name recorded with the release
  --revision REV       revision for rollback (default previous)
  --image REPO@DIGEST  release (or render, deploy) this built and scanned image: no build, no scan
  --expect-digest SHA  promote: refuse unless the held canary runs this digest (sha256:...)
  --expect-revision N  promote: refuse unless the held release is this revision
  --workspace DIR      folder every config path must stay inside (default: the current folder)
  --debug              print debug lines and stack traces
  -h, --help           show this help

Progress goes to stderr; the outputs are printed as JSON on stdout.`;
/** Parses the CLI's argv into the same raw inputs the action reads. */
function parseCliArgs(argv) {
    let parsed;
    try {
        parsed = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({
            args: [...argv],
            allowPositionals: true,
            strict: true,
            options: {
                config: { type: 'string' },
                set: { type: 'string', multiple: true },
                'image-tag': { type: 'string' },
                namespace: { type: 'string' },
                environment: { type: 'string' },
                revision: { type: 'string' },
                image: { type: 'string' },
                'expect-digest': { type: 'string' },
                'expect-revision': { type: 'string' },
                workspace: { type: 'string' },
                debug: { type: 'boolean' },
                help: { type: 'boolean', short: 'h' },
            },
        });
    }
    catch (err) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .userError */ .IF)(err instanceof Error ? err.message : String(err), 'Run model-canary --help for the options.');
    }
    const { values, positionals } = parsed;
    if (positionals.length > 1) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .userError */ .IF)(`Expected one command, got ${positionals.join(' ')}.`, 'Run model-canary --help for the commands.');
    }
    const result = {
        inputs: {
            command: positionals[0] ?? '',
            config: values.config ?? _inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .DEFAULT_INPUTS */ .yV.config,
            imageTag: values['image-tag'] ?? '',
            namespace: values.namespace ?? '',
            environment: values.environment ?? '',
            revision: values.revision ?? _inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .DEFAULT_INPUTS */ .yV.revision,
            set: values.set ?? [],
            image: values.image ?? '',
            // Credentials never come from argv: the CLI uses KUBECONFIG as kubectl does, and records no
            // GitHub Deployment (that is the action's, with its github-token input).
            kubeconfig: '',
            githubToken: '',
            expectDigest: values['expect-digest'] ?? '',
            expectRevision: values['expect-revision'] ?? '',
        },
        debug: values.debug ?? false,
        help: values.help ?? false,
    };
    if (values.workspace !== undefined)
        result.workspace = values.workspace;
    return result;
}


/***/ }),

/***/ 53967:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   CU: () => (/* binding */ assertTreeContained),
/* harmony export */   FK: () => (/* binding */ isInside),
/* harmony export */   or: () => (/* binding */ containedFile),
/* harmony export */   xv: () => (/* binding */ writeWorkspaceReport)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(83916);




/*
 * Containment of what the run reads for the user. The config loader checks a path itself; these check it
 * again where it is read, with every symlink followed, and look inside folders too: a symlink inside a
 * chart that points at RUNNER_TEMP would otherwise let helm read the run's kubeconfig into an object.
 */
const FIX = 'Replace the symlink with the file itself, or keep what it points to inside the repository.';
/** True when candidate is root or under it (both absolute, already resolved). */
function isInside(root, candidate) {
    const rel = node_path__WEBPACK_IMPORTED_MODULE_2___default().relative(root, candidate);
    return rel === '' || (!rel.startsWith('..') && !node_path__WEBPACK_IMPORTED_MODULE_2___default().isAbsolute(rel));
}
/**
 * The real path of `file`, a file or folder the run reads for the user (`what` names it: "smoke.cases").
 * Refuses, as a user error, one whose real path (every symlink followed) is outside the workspace.
 */
function containedFile(workspace, file, what) {
    const root = workspaceRoot(workspace);
    const absolute = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(workspace, file);
    const real = realTarget(absolute);
    if (isInside(root, real))
        return real;
    if (!isInside(node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(workspace), absolute) && !isInside(root, absolute)) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .userError */ .IF)(`${what}: ${absolute} is outside the workspace (${workspace}).`, 'Keep what it names inside the repository.');
    }
    throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .userError */ .IF)(`${what}: ${shown(workspace, absolute)} leads outside the workspace (${workspace}): ${pointsTo(absolute, real)}.`, FIX);
}
/**
 * Checks the folder `dir` and everything inside it (`what` names it: "render.chart"): the folder's own real
 * path, and every symlink inside, found with lstat, must lead into the workspace. A symlinked folder that
 * stays inside is walked too, since the tools reading the folder follow it.
 */
function assertTreeContained(workspace, dir, what, options = {}) {
    const top = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(workspace, dir);
    const realTop = containedFile(workspace, top, what);
    const root = workspaceRoot(workspace);
    const walked = new Set();
    const walk = (real, shownDir, rel) => {
        if (walked.has(real))
            return;
        walked.add(real);
        for (const entry of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(real, { withFileTypes: true })) {
            const entryRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
            const entryShown = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(shownDir, entry.name);
            const entryReal = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(real, entry.name);
            if (entry.isSymbolicLink()) {
                const target = realTarget(entryReal);
                const targetIsDir = isDirectory(target);
                if (options.skip?.(entryRel, targetIsDir))
                    continue;
                if (!isInside(root, target)) {
                    throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .userError */ .IF)(`${what} (${shown(workspace, top)}) holds ${shown(workspace, entryShown)}, a symlink that leads outside the workspace (${workspace}): ${pointsTo(entryReal, target)}.`, options.fix ?? FIX);
                }
                if (targetIsDir)
                    walk(target, entryShown, entryRel);
            }
            else if (entry.isDirectory()) {
                if (options.skip?.(entryRel, true))
                    continue;
                walk(entryReal, entryShown, entryRel);
            }
        }
    };
    if (isDirectory(realTop))
        walk(realTop, top, '');
}
/**
 * Writes `name` into the workspace's .model-canary/ folder and returns its path. A .model-canary that is
 * a symlink (a repository can hold one) is refused rather than followed out of the workspace, and the file
 * is written beside its name and renamed over it, which replaces a symlink there instead of writing through.
 */
function writeWorkspaceReport(workspace, name, content) {
    const dir = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(workspace), '.model-canary');
    let stat;
    try {
        stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(dir);
    }
    catch {
        stat = undefined;
    }
    if (stat === undefined)
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)(dir, { mode: 0o755 });
    else if (stat.isSymbolicLink()) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .userError */ .IF)(`.model-canary in the workspace (${workspace}) is a symlink (${pointsTo(dir, realTarget(dir))}); model-canary writes its reports there and does not follow a symlink.`, 'Remove the symlink (and keep .model-canary out of the repository): model-canary makes the folder itself.');
    }
    else if (!stat.isDirectory()) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .userError */ .IF)(`.model-canary in the workspace (${workspace}) is not a folder; model-canary writes its reports there.`, 'Remove the file: model-canary makes the folder itself.');
    }
    const file = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, name);
    const scratch = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, `.${name}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}`);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)(scratch, content, { flag: 'wx', mode: 0o644 });
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.renameSync)(scratch, file);
    return file;
}
function workspaceRoot(workspace) {
    const absolute = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(workspace);
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(absolute);
    }
    catch {
        return absolute;
    }
}
/**
 * Where `absolute` really is. A dangling symlink has no real path, yet it may be made to resolve later:
 * its target is then taken as written, resolved from the link's folder.
 */
function realTarget(absolute) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)(absolute);
    }
    catch {
        let current = absolute;
        for (let hops = 0; hops < 40; hops++) {
            let stat;
            try {
                stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(current);
            }
            catch {
                return current;
            }
            if (!stat.isSymbolicLink())
                return current;
            current = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(current), (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readlinkSync)(current));
        }
        return current;
    }
}
function pointsTo(link, real) {
    let written;
    try {
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(link).isSymbolicLink())
            written = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readlinkSync)(link);
    }
    catch {
        written = undefined;
    }
    return written !== undefined && written !== real ? `it points to ${written}, which is ${real}` : `it points to ${real}`;
}
function isDirectory(p) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(p).isDirectory();
    }
    catch {
        return false;
    }
}
function shown(workspace, absolute) {
    const rel = node_path__WEBPACK_IMPORTED_MODULE_2___default().relative(node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(workspace), absolute);
    return rel === '' ? '.' : rel.startsWith('..') || node_path__WEBPACK_IMPORTED_MODULE_2___default().isAbsolute(rel) ? absolute : rel;
}


/***/ }),

/***/ 64389:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Io: () => (/* binding */ splitPinnedImage),
/* harmony export */   h5: () => (/* binding */ completeInputs),
/* harmony export */   ho: () => (/* binding */ DEPLOYMENT_COMMANDS),
/* harmony export */   j$: () => (/* binding */ expectedDigest),
/* harmony export */   sw: () => (/* binding */ checkInputs),
/* harmony export */   yV: () => (/* binding */ DEFAULT_INPUTS)
/* harmony export */ });
/* unused harmony exports INPUT_NAMES, IMAGE_COMMANDS */
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(22143);
/* harmony import */ var _credentials_kubeconfig_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(59803);


/** Every input declared in action.yml; the contract test checks the two lists match. */
const INPUT_NAMES = (/* unused pure expression or super */ null && ([
    'command',
    'config',
    'image-tag',
    'namespace',
    'environment',
    'revision',
    'set',
    'image',
    'kubeconfig',
    'github-token',
    'expect-digest',
    'expect-revision',
]));
const DEFAULT_INPUTS = {
    command: 'release',
    config: 'model-canary.yaml',
    imageTag: '',
    namespace: '',
    environment: '',
    revision: 'previous',
    set: [],
    image: '',
    kubeconfig: '',
    githubToken: '',
    expectDigest: '',
    expectRevision: '',
};
/** The inputs with every optional one filled in ('' when absent). */
function completeInputs(raw) {
    return {
        ...raw,
        image: raw.image ?? '',
        kubeconfig: raw.kubeconfig ?? '',
        githubToken: raw.githubToken ?? '',
        expectDigest: raw.expectDigest ?? '',
        expectRevision: raw.expectRevision ?? '',
    };
}
/** The commands that take an already built image (input image). */
const IMAGE_COMMANDS = ['release', 'render', 'deploy'];
/** The commands that record a GitHub Deployment when github-token is given. */
const DEPLOYMENT_COMMANDS = ['release', 'promote', 'rollback'];
/** repository@sha256:<64 hex>, no tag. */
const PINNED_IMAGE = /^([^@\s]+)@(sha256:[a-f0-9]{64})$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;
/** Splits input image into repository and digest, or undefined when it is not repository@sha256:<64 hex>. */
function splitPinnedImage(image) {
    const match = PINNED_IMAGE.exec(image);
    if (!match?.[1] || !match[2])
        return undefined;
    const repository = match[1];
    // A tag before the digest (repo:tag@sha256:...) is refused: the digest alone says what runs.
    if (repository.lastIndexOf(':') > repository.lastIndexOf('/'))
        return undefined;
    return { repository, digest: match[2] };
}
/** The digest of input expect-digest: sha256:<64 hex>, or the digest part of repository@sha256:<64 hex>. */
function expectedDigest(text) {
    const digest = text.includes('@') ? text.slice(text.indexOf('@') + 1) : text;
    return SHA256.test(digest) ? digest : undefined;
}
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const REVISION = /^(previous|[0-9]+|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;
/** Checks the inputs on their own; problems name the input, as the user wrote it in the workflow. */
function checkInputs(given) {
    const raw = completeInputs(given);
    const problems = [];
    const bad = (input, message) => {
        problems.push({ path: [], message: `input ${input}: ${message}` });
    };
    const command = _types_js__WEBPACK_IMPORTED_MODULE_1__/* .COMMANDS */ .L.find((c) => c === raw.command);
    if (raw.command === '')
        bad('command', `is required: one of ${_types_js__WEBPACK_IMPORTED_MODULE_1__/* .COMMANDS */ .L.join(', ')} (plan checks the config and changes nothing)`);
    else if (!command)
        bad('command', `"${raw.command}" is not one of ${_types_js__WEBPACK_IMPORTED_MODULE_1__/* .COMMANDS */ .L.join(', ')}`);
    if (raw.config.trim() === '')
        bad('config', 'is empty; give the path of the model file (default model-canary.yaml)');
    if (raw.imageTag !== '' && !TAG.test(raw.imageTag)) {
        bad('image-tag', `"${raw.imageTag}" is not a valid tag; use at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`);
    }
    if (raw.namespace !== '' && (!DNS_LABEL.test(raw.namespace) || raw.namespace.length > 63)) {
        bad('namespace', `"${raw.namespace}" is not a valid namespace; use lowercase letters, digits and '-' (at most 63)`);
    }
    if (/[\r\n]/.test(raw.environment) || raw.environment.length > 255) {
        bad('environment', 'must be one line of at most 255 characters');
    }
    if (raw.revision !== '' && !REVISION.test(raw.revision)) {
        bad('revision', `"${raw.revision}" is not a revision; use previous or a revision listed by command status`);
    }
    if (raw.image !== '') {
        if (!splitPinnedImage(raw.image)) {
            bad('image', `"${raw.image}" is not repository@sha256:<64 hex>; pass the image output of the job that built and scanned it (for example \${{ needs.build.outputs.image }}), without a tag`);
        }
        else if (command && !IMAGE_COMMANDS.includes(command)) {
            bad('image', `is used by command ${IMAGE_COMMANDS.join(', ')}, not ${command}; remove it${command === 'promote' ? ' (to check the held canary, give expect-digest)' : ''}`);
        }
    }
    if (raw.expectDigest !== '') {
        if (!expectedDigest(raw.expectDigest))
            bad('expect-digest', `"${raw.expectDigest}" is not a digest; pass sha256:<64 hex>, the digest output of the release that held the canary`);
        else if (command && command !== 'promote')
            bad('expect-digest', `is checked by command promote only, not ${command}; remove it`);
    }
    if (raw.expectRevision !== '') {
        if (!/^[1-9][0-9]{0,8}$/.test(raw.expectRevision))
            bad('expect-revision', `"${raw.expectRevision}" is not a revision number; pass the revision output of the release that held the canary`);
        else if (command && command !== 'promote')
            bad('expect-revision', `is checked by command promote only, not ${command}; remove it`);
    }
    if (raw.kubeconfig !== '') {
        const kubeconfig = (0,_credentials_kubeconfig_js__WEBPACK_IMPORTED_MODULE_0__/* .readKubeconfigInput */ .Aw)(raw.kubeconfig);
        if ('problem' in kubeconfig)
            bad('kubeconfig', kubeconfig.problem);
    }
    if (/\s/.test(raw.githubToken))
        bad('github-token', 'contains whitespace; pass the token alone (for example ${{ github.token }})');
    return command ? { command, problems } : { problems };
}


/***/ }),

/***/ 49617:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E1: () => (/* binding */ readUserFile),
/* harmony export */   J3: () => (/* binding */ aliasBombError),
/* harmony export */   V1: () => (/* binding */ isAliasBomb),
/* harmony export */   cV: () => (/* binding */ YAML_MAX_ALIAS_COUNT),
/* harmony export */   lv: () => (/* binding */ MiB)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(83916);


const MiB = 1024 * 1024;
/** Aliases a user's YAML file may expand to; far above any real model or cases file, far below a bomb. */
const YAML_MAX_ALIAS_COUNT = 1000;
/**
 * Reads a file the user names (the model file, the cases file) as UTF-8. It must be a regular file, checked
 * before it is opened: opening a FIFO blocks until something writes to it, so a run would hang. Its size
 * is checked before and while reading, so a file that grows (or lies in stat) cannot exhaust memory.
 */
function readUserFile(file, options) {
    const { label, maxBytes, hint } = options;
    let size;
    try {
        const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(file);
        if (!stat.isFile())
            throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .userError */ .IF)(`${label} is not a regular file (it is ${kindOf(stat)}).`, hint);
        size = stat.size;
    }
    catch (err) {
        if (err instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ModelCanaryError */ .Md)
            throw err;
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .userError */ .IF)(`${label} could not be read: ${err.message}`, hint);
    }
    if (size > maxBytes)
        throw tooLarge(label, maxBytes);
    let fd;
    try {
        // Non-blocking, so a FIFO swapped in after the stat is refused below instead of waited on.
        fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(file, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK);
    }
    catch (err) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .userError */ .IF)(`${label} could not be read: ${err.message}`, hint);
    }
    try {
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(fd).isFile())
            throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .userError */ .IF)(`${label} is not a regular file.`, hint);
        // Sized by the stat (the limit is a ceiling, not an allocation); a file that grew is read on in chunks.
        const chunks = [];
        let length = 0;
        let chunk = Buffer.alloc(Math.min(size, maxBytes) + 1);
        for (;;) {
            const read = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, chunk, 0, chunk.length, null);
            if (read === 0)
                break;
            chunks.push(chunk.subarray(0, read));
            length += read;
            if (length > maxBytes)
                throw tooLarge(label, maxBytes);
            // A fresh buffer after every read: the chunk kept above must not be overwritten.
            chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes - length + 1));
        }
        return Buffer.concat(chunks, length).toString('utf8');
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}
/** True for the error `yaml` throws when aliases expand past maxAliasCount. */
function isAliasBomb(err) {
    return err instanceof ReferenceError && /excessive alias count/i.test(err.message);
}
/** The user error for a YAML file whose aliases expand past YAML_MAX_ALIAS_COUNT. */
function aliasBombError(label) {
    return (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .userError */ .IF)(`${label} has YAML aliases (*name) that expand past the limit of ${YAML_MAX_ALIAS_COUNT} (aliases of aliases multiply, as in a "billion laughs" file); it was not read.`, 'Write the repeated values out, or use fewer aliases of aliases.');
}
function tooLarge(label, maxBytes) {
    return (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .userError */ .IF)(`${label} is larger than the ${formatSize(maxBytes)} limit; it was not read.`, 'Make the file smaller: split it, or keep large data out of it.');
}
function formatSize(bytes) {
    return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}
function kindOf(stat) {
    if (stat.isDirectory())
        return 'a directory';
    if (stat.isFIFO())
        return 'a named pipe';
    if (stat.isSocket())
        return 'a socket';
    if (stat.isCharacterDevice() || stat.isBlockDevice())
        return 'a device';
    return 'not a file';
}


/***/ }),

/***/ 22143:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ COMMANDS)
/* harmony export */ });
const COMMANDS = ['release', 'plan', 'build', 'scan', 'render', 'deploy', 'smoke', 'promote', 'rollback', 'status'];


/***/ }),

/***/ 59803:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Aw: () => (/* binding */ readKubeconfigInput),
/* harmony export */   fQ: () => (/* binding */ writeKubeconfig),
/* harmony export */   xR: () => (/* binding */ useKubeconfig)
/* harmony export */ });
/* unused harmony export removeKubeconfig */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(38815);




/*
 * The kubeconfig input: content from a secret, never a path, never on a command line. The action masks it
 * and the credentials inside it, writes it to a 0600 file of its own under RUNNER_TEMP, and every command
 * it starts finds it through KUBECONFIG in its environment. The post step removes the file.
 */
/** Keys whose values are credentials: each is masked on its own as well as the whole content. */
const SECRET_KEYS = new Set(['token', 'client-key-data', 'password', 'id-token', 'refresh-token', 'client-secret', 'access-token']);
/** A flag name alone (`--region`, `-o`): an exec plugin's argument that is not worth masking. */
const FLAG_NAME = /^--?[A-Za-z][\w-]*$/;
/** The password of a URL with credentials in it (https://user:password@host). */
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:([^/@\s]+)@/i;
/**
 * Reads the kubeconfig input: YAML, or the same YAML base64-encoded (as secrets often hold it). A problem
 * never quotes the content: it may be a credential.
 */
function readKubeconfigInput(text) {
    const trimmed = text.trim();
    const decoded = decodeBase64(trimmed);
    const content = decoded !== undefined && looksLikeKubeconfig(parseQuietly(decoded)) ? decoded.trim() : trimmed;
    const doc = parseQuietly(content);
    if (!looksLikeKubeconfig(doc)) {
        const oneLine = !/[\r\n]/.test(trimmed);
        return {
            problem: oneLine && !trimmed.includes(':')
                ? 'is not kubeconfig content; pass the file itself from a secret (for example ${{ secrets.KUBECONFIG }}), not its path: a path is used through the KUBECONFIG variable instead'
                : 'is not a kubeconfig (YAML, or base64 of it, with clusters, contexts and users); check the secret it comes from',
        };
    }
    const secrets = new Set([trimmed, content]);
    collectSecrets(doc, secrets);
    return { content: content.endsWith('\n') ? content : `${content}\n`, secrets: [...secrets].filter((s) => s.length >= 4) };
}
function decodeBase64(text) {
    const compact = text.replace(/\s+/g, '');
    if (compact.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
        return undefined;
    return Buffer.from(compact, 'base64').toString('utf8');
}
function parseQuietly(text) {
    try {
        return (0,yaml__WEBPACK_IMPORTED_MODULE_3__/* .parse */ .qg)(text, { prettyErrors: false });
    }
    catch {
        return undefined;
    }
}
function looksLikeKubeconfig(doc) {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
        return false;
    const d = doc;
    return Array.isArray(d['clusters']) || d['kind'] === 'Config';
}
/**
 * Every credential in the document: values of the secret keys, URL passwords, and in an exec plugin
 * (`user.exec`) each env value and each argument but flag names, since plugins take keys and tokens
 * that way (`--token=...`, `AWS_SECRET_ACCESS_KEY`).
 */
function collectSecrets(node, into) {
    if (Array.isArray(node)) {
        for (const item of node)
            collectSecrets(item, into);
        return;
    }
    if (typeof node === 'string') {
        const password = URL_PASSWORD.exec(node)?.[1];
        if (password)
            into.add(password);
        return;
    }
    if (typeof node !== 'object' || node === null)
        return;
    for (const [key, value] of Object.entries(node)) {
        if (SECRET_KEYS.has(key) && typeof value === 'string' && value !== '')
            into.add(value);
        else if (key === 'exec' && typeof value === 'object' && value !== null)
            collectExecPlugin(value, into);
        else
            collectSecrets(value, into);
    }
}
function collectExecPlugin(exec, into) {
    for (const entry of Array.isArray(exec['env']) ? exec['env'] : []) {
        const value = entry?.value;
        if (typeof value === 'string' && value !== '')
            into.add(value);
    }
    for (const arg of Array.isArray(exec['args']) ? exec['args'] : []) {
        if (typeof arg !== 'string' || FLAG_NAME.test(arg))
            continue;
        const eq = /^--?[A-Za-z][\w-]*=(.+)$/.exec(arg);
        into.add(eq?.[1] ?? arg);
    }
    collectSecrets(exec, into);
}
/**
 * Writes the kubeconfig to a new file of mode 0600 under dir, with a name no other run uses; refuses to
 * follow or overwrite anything already there.
 */
function writeKubeconfig(content, dir) {
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)(dir, { recursive: true });
    const file = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, `model-canary-kubeconfig-${process.pid}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(8).toString('hex')}`);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)(file, content, { mode: 0o600, flag: 'wx' });
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.chmodSync)(file, 0o600);
    return file;
}
/** Removes the kubeconfig file; a file already gone is fine. Says which. */
function removeKubeconfig(file) {
    try {
        statSync(file);
    }
    catch {
        return 'absent';
    }
    rmSync(file, { force: true });
    return 'removed';
}
/**
 * Points KUBECONFIG at the file for this process, so every command it starts gets it through its
 * environment (the exec wrapper and background processes merge process.env). Returns the undo.
 */
function useKubeconfig(file, env = process.env) {
    const before = env['KUBECONFIG'];
    env['KUBECONFIG'] = file;
    return () => {
        if (before === undefined)
            delete env['KUBECONFIG'];
        else
            env['KUBECONFIG'] = before;
    };
}


/***/ }),

/***/ 42427:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $M: () => (/* binding */ removeObjects),
/* harmony export */   T5: () => (/* binding */ objectKey),
/* harmony export */   r3: () => (/* binding */ applyObjects)
/* harmony export */ });
/* unused harmony export objectPath */
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(26804);
/* harmony import */ var _left_behind_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(40411);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(44130);



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

/***/ 30991:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $O: () => (/* binding */ stableWithImage),
/* harmony export */   D2: () => (/* binding */ referencedConfigMaps),
/* harmony export */   JG: () => (/* binding */ modelDeployment),
/* harmony export */   Kq: () => (/* binding */ TRACK),
/* harmony export */   MN: () => (/* binding */ cleanTemplate),
/* harmony export */   O_: () => (/* binding */ withPostPromotionWindow),
/* harmony export */   TD: () => (/* binding */ templateImages),
/* harmony export */   _M: () => (/* binding */ repositoryOf),
/* harmony export */   bJ: () => (/* binding */ planDeploy),
/* harmony export */   ii: () => (/* binding */ stableNameOf),
/* harmony export */   ju: () => (/* binding */ cleanForApply),
/* harmony export */   kI: () => (/* binding */ isCanaryName),
/* harmony export */   mh: () => (/* binding */ canaryName),
/* harmony export */   nz: () => (/* binding */ canaryWorkersOf),
/* harmony export */   oK: () => (/* binding */ hpaTargets),
/* harmony export */   sm: () => (/* binding */ promotedStable),
/* harmony export */   sr: () => (/* binding */ stableWorkerFrom),
/* harmony export */   vM: () => (/* binding */ CANARY_OF),
/* harmony export */   x7: () => (/* binding */ CANARY_CONFIGMAPS),
/* harmony export */   zs: () => (/* binding */ withoutCanaryWeight)
/* harmony export */ });
/* unused harmony exports CANARY_SUFFIX, VERSION_LABEL, CANARY_WORKERS, ROLE_LABEL, CANARY_WEIGHT_ENV, isWorker, canaryWorker, canaryDeployment */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(83916);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(44130);


/**
 * The canary plan, as pure data transforms: rendered objects + image in, objects to apply out. Nothing here
 * talks to the cluster, so every shape is tested on recorded objects.
 */
const TRACK = 'track';
const CANARY_SUFFIX = '-canary';
/** The canary's name for a stable object's name: `<name>-canary`, the one place it is spelled. */
const canaryName = (stable) => `${stable}${CANARY_SUFFIX}`;
/** Whether a name is a canary's (`<name>-canary`). */
const isCanaryName = (name) => name.endsWith(CANARY_SUFFIX);
/** The stable name a canary's name was made from. */
const stableNameOf = (canary) => (isCanaryName(canary) ? canary.slice(0, -CANARY_SUFFIX.length) : canary);
const VERSION_LABEL = 'app.kubernetes.io/version';
/** On the canary Deployment: the stable Deployment it is a canary of, and the ConfigMaps copied for it. */
const CANARY_OF = 'model-canary.dev/canary-of';
const CANARY_CONFIGMAPS = 'model-canary.dev/canary-configmaps';
/** On the canary Deployment: the canary workers deployed with it (removed and promoted with it). */
const CANARY_WORKERS = 'model-canary.dev/canary-workers';
/** The label of a batch worker Deployment (templates/chart's worker.yaml): released beside the model's. */
const ROLE_LABEL = 'model-canary.dev/role';
/** The variable that tells a canary worker the percent of the untracked jobs its track takes. */
const CANARY_WEIGHT_ENV = 'MODEL_CANARY_WEIGHT';
/** Whether a Deployment is a batch worker (labelled model-canary.dev/role: worker), not the model's server. */
const isWorker = (d) => d.metadata.labels?.[ROLE_LABEL] === 'worker';
/** The canary workers a canary Deployment lists. */
const canaryWorkersOf = (canary) => (canary?.metadata.annotations?.[CANARY_WORKERS] ?? '').split(',').filter((n) => n !== '');
const APPLY_ORDER = [
    'Namespace',
    'ServiceAccount',
    'Secret',
    'ConfigMap',
    'Service',
    'Deployment',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'NetworkPolicy',
];
function planDeploy(input) {
    const objects = input.objects.map((o) => withNamespace(clone(o), input.namespace));
    const model = modelDeployment(objects, input.image);
    const workers = objects.filter(_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isDeployment */ .c).filter(isWorker);
    const unscaled = (d) => (hpaTargets(objects, d.metadata.name) ? withoutReplicas(d) : d);
    const hpaManaged = hpaTargets(objects, model.metadata.name);
    if (!input.stableExists) {
        const apply = objects.map((o) => ((0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isDeployment */ .c)(o) && (o === model || isWorker(o)) ? unscaled(o) : o));
        const gatedWorkers = workers.map((w) => w.metadata.name);
        return { mode: 'first', stable: model.metadata.name, gated: model.metadata.name, apply: sortForApply(apply), hpaManaged, shared: [], gatedWorkers };
    }
    const templates = [model, ...workers].map((d) => d.spec.template);
    const copied = [...new Set(templates.flatMap(referencedConfigMaps))].filter((name) => objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === name));
    const configMaps = objects
        .filter((o) => o.kind === 'ConfigMap' && copied.includes(o.metadata.name))
        .map((cm) => ({ ...cm, metadata: { ...cm.metadata, name: canaryName(cm.metadata.name), labels: { ...cm.metadata.labels, [TRACK]: 'canary' } } }));
    const canaryWorkers = workers.map((w) => canaryWorker(w, input.canaryReplicas, copied, input.canaryWeight, input.image));
    const canary = canaryDeployment(model, input.canaryReplicas, copied);
    if (canaryWorkers.length > 0)
        canary.metadata.annotations = { ...canary.metadata.annotations, [CANARY_WORKERS]: canaryWorkers.map((w) => w.metadata.name).join(',') };
    const secrets = objects.filter((o) => o.kind === 'Secret');
    const shared = objects.filter((o) => o !== model && o.kind !== 'Secret' && !((0,_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isDeployment */ .c)(o) && isWorker(o)));
    return {
        mode: 'canary',
        stable: model.metadata.name,
        gated: canary.metadata.name,
        apply: [...secrets, ...configMaps, canary, ...canaryWorkers],
        hpaManaged,
        shared: sortForApply(shared),
        gatedWorkers: canaryWorkers.map((w) => w.metadata.name),
    };
}
/**
 * The canary copy of a worker Deployment, as canaryDeployment makes it, whose containers running the image are
 * told the canary's weight: the percent of the jobs submitted without a track that its track takes.
 */
function canaryWorker(worker, replicas, configMaps, weight, image) {
    const copy = canaryDeployment(worker, replicas, configMaps);
    const all = containers(copy.spec.template);
    const running = all.filter((c) => c.image === image);
    for (const c of running.length > 0 ? running : all.slice(0, 1)) {
        c.env = [...(c.env ?? []).filter((e) => e.name !== CANARY_WEIGHT_ENV), { name: CANARY_WEIGHT_ENV, value: String(weight) }];
    }
    return copy;
}
/** A promoted worker's template: the canary worker's, without the canary's weight. */
function withoutCanaryWeight(canary) {
    const copy = clone(canary);
    for (const c of containers(copy.spec.template)) {
        if (c.env)
            c.env = c.env.filter((e) => e.name !== CANARY_WEIGHT_ENV);
    }
    return copy;
}
/** The stable worker a canary worker would be promoted over, when there is none yet: its name, track stable, no pods. */
function stableWorkerFrom(canary) {
    const stable = withoutCanaryWeight(canary);
    const track = { [TRACK]: 'stable' };
    const annotations = { ...stable.metadata.annotations };
    delete annotations[CANARY_OF];
    delete annotations[CANARY_CONFIGMAPS];
    stable.metadata = { ...stable.metadata, name: stableNameOf(canary.metadata.name), labels: { ...stable.metadata.labels, ...track }, annotations };
    stable.spec.selector = { ...stable.spec.selector, matchLabels: { ...stable.spec.selector.matchLabels, ...track } };
    return stable;
}
/** The model's Deployment among the rendered objects: the one whose containers run the image. */
function modelDeployment(objects, image) {
    const deployments = objects.filter(_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isDeployment */ .c).filter((d) => !isWorker(d));
    const running = deployments.filter((d) => containers(d.spec.template).some((c) => c.image === image));
    const found = running.length === 1 ? running[0] : deployments.length === 1 ? deployments[0] : undefined;
    if (!found) {
        const names = deployments.map((d) => d.metadata.name).join(', ') || 'none';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `The strategy replicas needs exactly one Deployment running ${image} among the rendered objects; found ${running.length} (Deployments: ${names}).`, 'Render one Deployment for the model server (the builtin chart does), or use canary.strategy traffic or kserve.');
    }
    return found;
}
/** The canary copy of the stable Deployment: its own name, `track: canary` in labels and selector, its own pod count. */
function canaryDeployment(stable, replicas, configMaps) {
    const copy = clone(stable);
    const name = canaryName(stable.metadata.name);
    const annotations = { ...copy.metadata.annotations, [CANARY_OF]: stable.metadata.name };
    if (configMaps.length > 0)
        annotations[CANARY_CONFIGMAPS] = configMaps.join(',');
    copy.metadata = { ...copy.metadata, name, labels: { ...copy.metadata.labels, [TRACK]: 'canary' }, annotations };
    copy.spec.replicas = replicas;
    copy.spec.selector = { ...copy.spec.selector, matchLabels: { ...copy.spec.selector.matchLabels, [TRACK]: 'canary' } };
    copy.spec.template = renameConfigMaps(copy.spec.template, (n) => (configMaps.includes(n) ? canaryName(n) : n));
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
    const template = renameConfigMaps(cleanTemplate(liveCanary.spec.template), (n) => (copied.some((c) => canaryName(c) === n) ? stableNameOf(n) : n));
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...stable.spec.selector.matchLabels, [TRACK]: stableTrack } };
    stable.spec.template = template;
    const version = liveCanary.metadata.labels?.[VERSION_LABEL];
    if (version !== undefined)
        stable.metadata.labels = { ...stable.metadata.labels, [VERSION_LABEL]: version };
    return hpaManaged ? withoutReplicas(stable) : stable;
}
/**
 * A promotion that cannot take stable down: no old pod goes before a new one has been Ready for
 * `minReadySeconds` (the post-promotion window), and all new pods start at once beside the old ones
 * (maxSurge 100 %, maxUnavailable 0), so the window runs once, not once per pod.
 */
function withPostPromotionWindow(stable, seconds) {
    if (seconds <= 0)
        return stable;
    return {
        ...stable,
        spec: { ...stable.spec, minReadySeconds: seconds, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '100%' } } },
    };
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


/***/ }),

/***/ 70683:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ GateFailure),
/* harmony export */   p: () => (/* binding */ describeFailure)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(83916);
/* harmony import */ var _gate_signals_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(96980);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(26804);



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
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
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
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ gateDeployment)
/* harmony export */ });
/* harmony import */ var _kube_watch_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(87002);
/* harmony import */ var _gate_report_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(70683);
/* harmony import */ var _gate_signals_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(96980);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(26804);




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

/***/ 88270:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Jx: () => (/* binding */ InferenceServiceFailure),
  Jo: () => (/* reexport */ cleanIsvc),
  u0: () => (/* binding */ deployInferenceService),
  $N: () => (/* binding */ isvcPath),
  rS: () => (/* reexport */ ourCanaryEntry),
  QV: () => (/* reexport */ predictorImage),
  Bi: () => (/* binding */ promoteInferenceService),
  XI: () => (/* binding */ removeCanaryEntry),
  kK: () => (/* reexport */ renderedInferenceService),
  eo: () => (/* binding */ restoreStandardPredictor),
  p1: () => (/* binding */ rollbackInferenceService),
  xh: () => (/* reexport */ standardMode)
});

// UNUSED EXPORTS: CANARY_READY, DEPLOYMENT_MODE, ISVC_API, OUR_ENTRY, PREVIOUS_PREDICTOR, canaryEntries, canaryEntryName, canaryInferenceService, canaryRouteShare, describeStatus, entryImage, firstInferenceService, inCanary, inferenceServiceState, isInferenceService, latestShare, predictorDeployment, promotedInferenceService, rawDeployment, rollbackInferenceServices, scalingOf, stableDeploymentOf, standardCanary, standardPromoted, standardRolledBack, waitForInferenceService

// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(83916);
// EXTERNAL MODULE: ./src/deploy/apply.ts
var apply = __nccwpck_require__(42427);
;// CONCATENATED MODULE: ./src/deploy/kserve/conditions.ts
/** KServe's aggregate condition over the Standard-mode canaries (reasons AllCanariesReady, CanariesNotReady). */
const CANARY_READY = 'CanaryPredictorReady';
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
    // In Standard mode KServe copies the predictor Deployment's observedGeneration there, not its own: the
    // canary statuses (written by the reconcile that saw the entry, cleared by the one that saw it go) say instead.
    const standard = expect.kind === 'standard-canary' || expect.kind === 'standard-stable';
    if (!standard && generation !== undefined && (observed === undefined || observed < generation)) {
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
    if (expect.kind === 'standard-canary' || expect.kind === 'standard-stable')
        return standardState(isvc, expect, detail);
    const latest = latestShare(predictor);
    if (latest !== undefined) {
        const want = expect.kind === 'canary' ? expect.weight : expect.kind === 'full' ? 100 : 0;
        if (latest !== want)
            return { state: 'pending', detail: `the latest revision has ${latest}% of the traffic, not ${want}% yet; ${detail}` };
    }
    return { state: 'ready', detail };
}
/** After the shared checks (generation observed, nothing decisive, Ready True): KServe's canary status. */
function standardState(isvc, expect, detail) {
    const statuses = isvc.status?.canaryStatuses ?? [];
    const aggregate = isvc.status?.conditions?.find((c) => c.type === CANARY_READY);
    if (expect.kind === 'standard-stable') {
        if (statuses.length > 0)
            return {
                state: 'pending',
                detail: `canar${statuses.length === 1 ? 'y' : 'ies'} ${statuses.map((c) => c.name).join(', ')} still in the status; ${detail}`,
            };
        return { state: 'ready', detail };
    }
    const mine = statuses.find((c) => c.name === expect.name);
    if (!mine)
        return { state: 'pending', detail: `no status for canary ${expect.name} yet; ${detail}` };
    if (!mine.ready)
        return { state: 'pending', detail: `canary ${expect.name} not Ready yet${aggregate?.reason ? ` (${CANARY_READY} ${aggregate.reason})` : ''}; ${detail}` };
    if (mine.trafficPercent !== expect.weight)
        return { state: 'pending', detail: `canary ${expect.name} has ${mine.trafficPercent}% of the traffic, not ${expect.weight}% yet; ${detail}` };
    if (aggregate && aggregate.status !== 'True')
        return { state: 'pending', detail: `${CANARY_READY} ${aggregate.status}${aggregate.reason ? ` (${aggregate.reason})` : ''}; ${detail}` };
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
    const canaries = isvc.status?.canaryStatuses ?? [];
    if (canaries.length)
        parts.push(`canaries ${canaries.map((c) => `${c.name}=${c.trafficPercent}%${c.ready ? ' Ready' : ' not Ready'}`).join(' ')}`);
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
var resources = __nccwpck_require__(26804);
// EXTERNAL MODULE: ./src/kube/client.ts
var kube_client = __nccwpck_require__(31934);
// EXTERNAL MODULE: ./src/deploy/gate.ts
var gate = __nccwpck_require__(97772);
// EXTERNAL MODULE: ./src/deploy/gate-report.ts
var gate_report = __nccwpck_require__(70683);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(77598);
;// CONCATENATED MODULE: ./src/deploy/kserve/standard.ts



/**
 * Model-canary's canary entries are named `mc-` and 8 hex (canaryEntryName). Nothing else marks them: KServe
 * copies the InferenceService's annotations and labels onto stable's pods, so a mark there would restart
 * stable for every canary.
 */
const OUR_ENTRY = /^mc-[0-9a-f]{8}(-b)?$/;
/** Fields KServe's webhook refuses on a canary predictor (the canary runs fixed replicas). */
const SCALING_FIELDS = ['minReplicas', 'maxReplicas', 'scaleTarget', 'scaleMetric', 'autoScaling', 'canaryTrafficPercent'];
/** A predictor's scaling fields (what a promotion gives stable). */
function scalingOf(p) {
    const out = {};
    for (const f of SCALING_FIELDS)
        if (f !== 'canaryTrafficPercent' && p[f] !== undefined)
            out[f] = structuredClone(p[f]);
    return out;
}
/** Standard mode: the annotation KServe's defaulting webhook writes (`RawDeployment` is its old name). */
function standardMode(isvc) {
    const mode = isvc.metadata.annotations?.[DEPLOYMENT_MODE] ?? '';
    return mode === 'Standard' || mode === 'RawDeployment';
}
/** The Deployment (and Service) KServe runs a predictor as: `{isvc}-predictor`, or `{isvc}-{name}-predictor`. */
function predictorDeployment(isvc, predictorName) {
    return predictorName ? `${isvc}-${predictorName}-predictor` : `${isvc}-predictor`;
}
/** The Deployment stable runs as now. */
const stableDeploymentOf = (isvc) => predictorDeployment(isvc.metadata.name, predictorName(isvc.spec.predictor));
function predictorName(p) {
    return typeof p['name'] === 'string' && p['name'] !== '' ? p['name'] : undefined;
}
/**
 * A canary's name: `mc-` and 8 hex of what it runs, so the same release gets the same name (a rerun
 * finds its entry) and a new one a name unlike stable's. `-b` when that still equals stable's (the same
 * model released again after a promotion named stable after it).
 */
function canaryEntryName(rendered, stableName) {
    const spec = structuredClone(rendered);
    delete spec['name'];
    for (const f of SCALING_FIELDS)
        delete spec[f];
    const name = `mc-${(0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 8)}`;
    return name === stableName ? `${name}-b` : name;
}
/** Model-canary's canary entry on the live InferenceService, when there is one. */
function ourCanaryEntry(live) {
    return canaryEntries(live).find((c) => OUR_ENTRY.test(c.predictor.name ?? ''));
}
function canaryEntries(isvc) {
    const list = isvc.spec['canary'];
    return Array.isArray(list) ? list : [];
}
/**
 * The InferenceService for a canary: the rendered metadata and shared spec, stable's predictor as it runs
 * now, and one `spec.canary` entry with the rendered predictor at `weight` percent and `replicas` fixed
 * replicas. Refuses an InferenceService that carries canaries of someone else's.
 */
function standardCanary(rendered, live, weight, replicas, namespace) {
    const foreign = canaryEntries(live).filter((c) => !OUR_ENTRY.test(c.predictor.name ?? ''));
    if (foreign.length > 0) {
        throw new errors/* ModelCanaryError */.Md('user', `InferenceService ${live.metadata.name} already has canar${foreign.length === 1 ? 'y' : 'ies'} ${foreign.map((c) => c.predictor.name ?? '?').join(', ')} that model-canary did not add: it runs one canary at a time and will not change another's.`, 'Finish or remove those spec.canary entries (kubectl edit inferenceservice), then release again.');
    }
    if (!live.spec.predictor.model?.storageUri || !rendered.spec.predictor.model?.storageUri) {
        throw new errors/* ModelCanaryError */.Md('user', `InferenceService ${live.metadata.name} runs in KServe's Standard mode, where a canary needs a predictor with a model and its storageUri (stable's and the release's); ${live.spec.predictor.model?.storageUri ? 'the release' : 'stable'} has none (its own containers).`, 'Render the predictor as a model: with the builtin chart, set render.values.kserve.modelFormat and kserve.storageUri (a pvc://, s3://, http(s):// or oci:// model-car URI).');
    }
    const desired = structuredClone(rendered);
    if (!desired.metadata.namespace)
        desired.metadata.namespace = namespace;
    const stable = cleanIsvc(live).spec.predictor;
    const name = canaryEntryName(rendered.spec.predictor, predictorName(stable));
    const predictor = structuredClone(rendered.spec.predictor);
    for (const f of SCALING_FIELDS)
        delete predictor[f];
    predictor.name = name;
    predictor.minReplicas = replicas;
    desired.spec = { ...desired.spec, predictor: stable, canary: [{ predictor, trafficPercent: weight }] };
    // Stable's pods get the InferenceService's metadata: keep it as it is live, or stable restarts.
    desired.metadata = { ...cleanIsvc(live).metadata };
    return desired;
}
/**
 * KServe's promotion: stable's predictor becomes the canary's (named after it, so KServe keeps the
 * canary's Deployment as stable's and restarts nothing) with `scaling` (the release's rendered scaling
 * fields; stable's own when not given), and the entry removed.
 */
function standardPromoted(live, scaling = scalingOf(live.spec.predictor)) {
    const entry = ourCanaryEntry(live);
    if (!entry) {
        throw new errors/* ModelCanaryError */.Md('user', `InferenceService ${live.metadata.name} has no canary of model-canary's to promote (no spec.canary entry named mc-<8 hex>).`, 'Deploy one first (command deploy with decide.mode manual, or command release).');
    }
    const desired = withoutOurs(live);
    const promoted = structuredClone(entry.predictor);
    delete promoted.minReplicas;
    desired.spec.predictor = { ...promoted, ...scaling };
    return desired;
}
/** The rollback: the entry removed, stable's predictor untouched. */
function standardRolledBack(live) {
    if (!ourCanaryEntry(live)) {
        throw new errors/* ModelCanaryError */.Md('user', `InferenceService ${live.metadata.name} has no canary of model-canary's to roll back (no spec.canary entry named mc-<8 hex>).`, 'Use command rollback with a revision number from command status to restore a recorded release.');
    }
    return withoutOurs(live);
}
/** The InferenceService without model-canary's entry (others' entries are kept). */
function withoutOurs(live) {
    const desired = cleanIsvc(live);
    const rest = canaryEntries(desired).filter((c) => !OUR_ENTRY.test(c.predictor.name ?? ''));
    if (rest.length > 0)
        desired.spec['canary'] = rest;
    else
        delete desired.spec['canary'];
    return desired;
}
/** What a canary entry runs, for messages: its container image or storageUri. */
const entryImage = (entry) => predictorImage(entry.predictor);
/**
 * The share of KServe's HTTPRoutes for the InferenceService that goes to the canary's Service: the summed
 * weight of its backendRefs over all of them (a backendRef without a weight counts 1, as the Gateway API
 * says), as a percent of each rule's total. `undefined` when KServe made no route (no Gateway API, or a
 * cluster-local InferenceService): then no user traffic reaches the canary through a Gateway at all.
 */
function canaryRouteShare(routes, canaryService) {
    if (routes.length === 0)
        return undefined;
    let best = 0;
    for (const route of routes) {
        for (const rule of route.spec.rules ?? []) {
            const refs = rule.backendRefs ?? [];
            const total = refs.reduce((sum, r) => sum + (r.weight ?? 1), 0);
            const canary = refs.filter((r) => r.name === canaryService).reduce((sum, r) => sum + (r.weight ?? 1), 0);
            if (total > 0)
                best = Math.max(best, (100 * canary) / total);
        }
    }
    return { percent: best, routes: routes.map((r) => r.metadata.name) };
}

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
            const applied = await client.get(isvcPath(namespace, name));
            if (applied && standardMode(applied)) {
                const stable = stableDeploymentOf(applied);
                const gated = await gatePredictor(client, config, stable, 'first release', logger);
                const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'standard-stable' }, config.canary.readinessTimeoutMs, logger);
                const standard = { deployment: stable, stable, revision: gated.revision, readyPods: gated.readyPods, entry: '' };
                return { mode: 'first', namespace, name, image, previousImage: '', created, shared: [], elapsedMs, standard };
            }
            const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'full' }, config.canary.readinessTimeoutMs, logger);
            return { mode: 'first', namespace, name, image, previousImage: '', created, shared: [], elapsedMs };
        }
        catch (err) {
            logger.info(`The first release of ${name} failed; removing the ${created.length} object(s) it created.`);
            await (0,apply/* removeObjects */.$M)(client, created, ctx.cleanup, logger);
            throw err;
        }
    }
    if (standardMode(live))
        return deployStandardCanary(config, rendered, live, others, ctx);
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
/**
 * Standard mode: a `spec.canary` entry with the rendered predictor at canary.weight, recorded for the post
 * step before it is applied; then KServe's canary Deployment gated like any canary's pods (a crash or a
 * model that will not load fails it at once, with KServe's status beside the pod's reason), then the
 * InferenceService's own canary status waited on.
 */
async function deployStandardCanary(config, rendered, live, others, ctx) {
    const { logger } = ctx.host;
    const client = await ctx.kube.client();
    const namespace = config.cluster.namespace;
    const name = live.metadata.name;
    const weight = config.canary.weight;
    const desired = standardCanary(rendered, live, weight, config.canary.replicas, namespace);
    const entry = ourCanaryEntry(desired)?.predictor.name ?? '';
    const canary = predictorDeployment(name, entry);
    const stable = stableDeploymentOf(live);
    const previousImage = predictorImage(live.spec.predictor);
    const image = predictorImage(rendered.spec.predictor);
    logger.info(`InferenceService ${name} (KServe Standard mode) runs ${previousImage} as ${stable}; adding canary ${entry} with ${image} at ${weight}% (spec.canary; KServe runs it as ${canary}).`);
    const stableMin = typeof live.spec.predictor['minReplicas'] === 'number' ? live.spec.predictor['minReplicas'] : 1;
    if (stableMin > 1)
        logger.info(`KServe takes the canary's ${config.canary.replicas} replica(s) off stable's minReplicas ${stableMin} (never below 1) while the canary runs, and gives them back on promotion or rollback.`);
    ctx.cleanup.kserveCanary(name, entry, config.cluster.fieldManager);
    await client.apply(desired, config.cluster.fieldManager);
    const gated = await gatePredictor(client, config, canary, 'canary', logger, name);
    const elapsedMs = await waitForInferenceService(client, namespace, name, { kind: 'standard-canary', name: entry, weight }, config.canary.readinessTimeoutMs, logger);
    const route = await routeLine(client, namespace, name, { stable, canary }, weight, logger);
    const standard = {
        deployment: canary,
        stable,
        revision: gated.revision,
        readyPods: gated.readyPods,
        entry,
        route,
        scaling: scalingOf(rendered.spec.predictor),
    };
    return { mode: 'canary', namespace, name, image, previousImage, created: [], shared: others, elapsedMs, standard };
}
/**
 * What KServe's HTTPRoutes for the InferenceService (named after it and after its predictor) send the
 * canary's Service, said in the log and the summary; a warning when that is not canary.weight: the canary
 * then gets no user traffic through the Gateway, and only smoke and the analysis window's own load judge it.
 */
async function routeLine(client, namespace, isvc, services, weight, logger) {
    const { stable: stableService, canary: canaryService } = services;
    // KServe names its routes after the InferenceService (the top-level one) and after each predictor's Service.
    const routes = [];
    for (const route of [isvc, stableService, canaryService]) {
        try {
            const found = await client.get((0,resources/* apiPath */.So)('HTTPRoute', namespace, route));
            if (found)
                routes.push(found);
        }
        catch (err) {
            if (!(err instanceof kube_client/* KubeRequestError */.fR) || (err.status !== 404 && err.status !== 403))
                throw err;
        }
    }
    const share = canaryRouteShare(routes, canaryService);
    if (!share) {
        logger.warn(`InferenceService ${isvc} has no HTTPRoute (KServe makes one only with the Gateway API on and for an InferenceService not labelled cluster-local): no user traffic reaches the canary through a Gateway; it is judged on the smoke cases and the analysis window's own load.`);
        return 'no HTTPRoute: no user traffic to the canary';
    }
    const percent = Math.round(share.percent * 10) / 10;
    if (Math.abs(percent - weight) > 0.5) {
        logger.warn(`KServe's HTTPRoute(s) ${share.routes.join(', ')} send ${percent}% to the canary's Service ${canaryService}, not its trafficPercent ${weight}%: this KServe does not weight its route by spec.canary (v0.20.0 runs the canary's Deployment and Service only). The canary is judged on the smoke cases and the analysis window's own load, not on user traffic.`);
    }
    else
        logger.info(`KServe's HTTPRoute(s) ${share.routes.join(', ')} send ${percent}% to the canary.`);
    return `HTTPRoute ${share.routes.join(', ')}: ${percent}% to the canary (trafficPercent ${weight}%)`;
}
/**
 * The readiness gate on a Deployment KServe makes (it may not exist for a moment after the apply). A
 * failure is an InferenceServiceFailure naming the pod's reason and what KServe's status says.
 */
async function gatePredictor(client, config, deployment, label, logger, isvc = config.model.name) {
    const namespace = config.cluster.namespace;
    const started = Date.now();
    const path = (0,resources/* apiPath */.So)('Deployment', namespace, deployment);
    while (!(await client.get(path))) {
        if (Date.now() - started > config.canary.readinessTimeoutMs) {
            const live = await client.get(isvcPath(namespace, isvc));
            throw new InferenceServiceFailure(isvc, `KServe made no Deployment ${deployment} within ${Math.round(config.canary.readinessTimeoutMs / 1000)}s`, live ? describeStatus(live) : 'gone');
        }
        await new Promise((r) => setTimeout(r, 500));
    }
    try {
        return await (0,gate/* gateDeployment */.T)(client, {
            namespace,
            deployment,
            label,
            timeoutMs: Math.max(1000, config.canary.readinessTimeoutMs - (Date.now() - started)),
            maxRestarts: config.canary.maxRestarts,
            logger,
        });
    }
    catch (err) {
        if (!(err instanceof gate_report/* GateFailure */.I))
            throw err;
        const live = await client.get(isvcPath(namespace, isvc));
        throw new InferenceServiceFailure(isvc, err.message.split('\n')[0] ?? err.message, `${live ? describeStatus(live) : 'gone'}\n${err.message}`);
    }
}
/** Promotion: `canaryTrafficPercent` removed (100% to the latest revision), waited on like the canary. */
async function promoteInferenceService(client, config, name, logger, shared = [], scaling) {
    const namespace = config.cluster.namespace;
    const live = await liveInferenceService(client, namespace, name);
    if (standardMode(live))
        return promoteStandard(client, config, live, logger, shared, scaling);
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
    if (standardMode(live)) {
        const removed = ourCanaryEntry(live);
        const desired = standardRolledBack(live);
        const image = predictorImage(desired.spec.predictor);
        logger.info(`Rolling back InferenceService ${name}: canary ${removed?.predictor.name ?? '?'} removed from spec.canary; all traffic to stable ${stableDeploymentOf(live)} (${image}).`);
        await client.apply(desired, config.cluster.fieldManager);
        await waitForInferenceService(client, namespace, name, { kind: 'standard-stable' }, config.canary.readinessTimeoutMs, logger);
        return { image, removed: removed ? entryImage(removed) : '' };
    }
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
/**
 * Standard mode's promotion, KServe's way: stable's predictor named after the canary (KServe keeps the
 * canary's Deployment as stable's: no pod restarts) and the entry removed; then stable's Deployment (the
 * former canary's) gated and the status waited on until no canary is left in it.
 */
async function promoteStandard(client, config, live, logger, shared, scaling) {
    const started = Date.now();
    const name = live.metadata.name;
    const desired = standardPromoted(live, scaling);
    const image = predictorImage(desired.spec.predictor);
    const next = stableDeploymentOf(desired);
    for (const o of shared)
        await client.apply(o, config.cluster.fieldManager);
    logger.info(`Promoting InferenceService ${name}: stable's predictor retargeted to the canary (${next}, ${image}); ${stableDeploymentOf(live)} is removed by KServe.`);
    await client.apply(desired, config.cluster.fieldManager);
    await waitForInferenceService(client, config.cluster.namespace, name, { kind: 'standard-stable' }, config.canary.readinessTimeoutMs, logger);
    // KServe ran the canary at its fixed replicas: stable's Deployment grows to minReplicas after the
    // retargeting, so wait for KServe to ask for them before gating, or the gate would pass on fewer.
    const wanted = typeof desired.spec.predictor['minReplicas'] === 'number' ? desired.spec.predictor['minReplicas'] : 1;
    await replicasAsked(client, config, next, wanted, logger);
    await gatePredictor(client, config, next, 'stable', logger, name);
    return { image, elapsedMs: Date.now() - started };
}
/** Waits (up to canary.readinessTimeout) until Deployment `name` asks for at least `wanted` replicas. */
async function replicasAsked(client, config, name, wanted, logger) {
    const started = Date.now();
    const path = (0,resources/* apiPath */.So)('Deployment', config.cluster.namespace, name);
    for (;;) {
        const d = await client.get(path);
        const asked = d?.spec?.replicas ?? 0;
        if (asked >= wanted)
            return;
        if (Date.now() - started > config.canary.readinessTimeoutMs) {
            logger.warn(`Stable's Deployment ${name} asks for ${asked} replica(s), not minReplicas ${wanted}, ${Math.round(config.canary.readinessTimeoutMs / 1000)}s after the promotion; gating what it has.`);
            return;
        }
        await new Promise((r) => setTimeout(r, 500));
    }
}
/**
 * Standard mode's rollback to a recorded revision, with stable serving throughout: the recorded predictor
 * comes back as a canary (gated like a release's), then is promoted KServe's way. A canary of
 * model-canary's already there is removed first; when the restored predictor fails its gate, its entry is
 * removed again and stable keeps what it runs.
 */
async function restoreStandardPredictor(config, ctx, predictor) {
    const { logger } = ctx.host;
    const client = await ctx.kube.client();
    const namespace = config.cluster.namespace;
    const name = config.model.name;
    let live = await liveInferenceService(client, namespace, name);
    if (ourCanaryEntry(live)) {
        await rollbackInferenceService(client, config, name, logger);
        live = await liveInferenceService(client, namespace, name);
    }
    const removed = predictorImage(live.spec.predictor);
    const base = standardRolledBackOrSelf(live);
    const restored = { ...base, spec: { ...base.spec, predictor: structuredClone(predictor) } };
    const started = Date.now();
    try {
        await deployStandardCanary(config, restored, live, [], ctx);
    }
    catch (err) {
        const now = await client.get(isvcPath(namespace, name));
        if (now && ourCanaryEntry(now)) {
            logger.info(`The restored predictor did not pass its gate; removing it again: stable keeps ${removed}.`);
            await client.apply(standardRolledBack(now), config.cluster.fieldManager);
        }
        ctx.cleanup.kserveCanary(name, undefined, config.cluster.fieldManager);
        throw err;
    }
    const promoted = await promoteStandard(client, config, await liveInferenceService(client, namespace, name), logger, [], scalingOf(predictor));
    ctx.cleanup.kserveCanary(name, undefined, config.cluster.fieldManager);
    return { image: promoted.image, removed, elapsedMs: Date.now() - started };
}
function standardRolledBackOrSelf(live) {
    return ourCanaryEntry(live) ? standardRolledBack(live) : cleanIsvc(live);
}
/**
 * The post step's and Ctrl-C's cleanup: removes spec.canary entry `entry` when it is still there (as
 * field manager `fieldManager`, which added it). Returns whether there was one.
 */
async function removeCanaryEntry(client, namespace, isvc, entry, fieldManager) {
    const live = await client.get(isvcPath(namespace, isvc));
    if (!live || ourCanaryEntry(live)?.predictor.name !== entry)
        return false;
    await client.apply(standardRolledBack(live), fieldManager);
    return true;
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
    if (e.kind === 'standard-canary')
        return `canary ${e.name} Ready at ${e.weight}%`;
    if (e.kind === 'standard-stable')
        return 'stable Ready, no canary left';
    return e.kind === 'canary'
        ? `latest revision Ready with ${e.weight}% of the traffic`
        : e.kind === 'full'
            ? 'latest revision Ready with all traffic'
            : 'all traffic pinned to the previous revision';
}


/***/ }),

/***/ 40411:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   LG: () => (/* binding */ DeploymentLeftBehind),
/* harmony export */   rd: () => (/* binding */ deleteDeployment)
/* harmony export */ });
/* unused harmony export leftBehindText */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(83916);
/* harmony import */ var _kube_client_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(31934);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(26804);



class DeploymentLeftBehind extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md {
    left;
    constructor(left) {
        const { message, hint } = leftBehindText(left);
        super('cluster', message, hint);
        this.left = left;
        this.name = 'DeploymentLeftBehind';
    }
}
/** What is left in the cluster and how to remove it, in words. */
function leftBehindText(left) {
    const { namespace, deployment, refusal, scaleFailure, others } = left;
    const scaled = scaleFailure === undefined;
    const state = scaled
        ? 'It was scaled to 0 replicas instead, so it serves nothing, but it is still in the cluster.'
        : `Scaling it to 0 failed too (${scaleFailure}): it still runs and serves its share of the Service's traffic.`;
    const items = [`Deployment/${deployment}${scaled ? ' (0 replicas)' : ''}`, ...others];
    const command = `kubectl -n ${namespace} delete ${[`deployment/${deployment}`, ...others.map((o) => o.replace(/^[^/]+/, (kind) => kind.toLowerCase()))].join(' ')}`;
    return {
        message: `Could not delete Deployment ${deployment} in namespace ${namespace}: ${refusal}. ${state} Left in namespace ${namespace}: ${items.join(', ')}. Remove ${scaled ? 'it' : 'it now'} as someone allowed to: ${command}`,
        hint: 'Add delete on deployments (apps) to the Role bound to the kubeconfig (docs/rbac.yaml has it), so model-canary removes its canaries itself.',
    };
}
/**
 * Deletes a Deployment (false when it was not there). When the Role refuses the delete (403), the
 * Deployment is scaled to 0 so it serves nothing, and a DeploymentLeftBehind names what is left. A merge
 * patch, not server-side apply: applying only spec.replicas would drop our ownership of every other field.
 */
async function deleteDeployment(client, namespace, name, others = async () => []) {
    const path = (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_2__/* .apiPath */ .So)('Deployment', namespace, name);
    try {
        return await client.delete(path);
    }
    catch (err) {
        if (!(0,_kube_client_js__WEBPACK_IMPORTED_MODULE_1__/* .isForbidden */ .US)(err))
            throw err;
        let scaleFailure;
        try {
            await client.mergePatch(path, { spec: { replicas: 0 } });
        }
        catch (scaleErr) {
            scaleFailure = scaleErr instanceof Error ? scaleErr.message : String(scaleErr);
        }
        let alsoLeft = [];
        try {
            alsoLeft = await others();
        }
        catch {
            // naming the Deployment is what matters
        }
        throw new DeploymentLeftBehind({
            namespace,
            deployment: name,
            refusal: err.message,
            ...(scaleFailure !== undefined ? { scaleFailure } : {}),
            others: alsoLeft,
        });
    }
}


/***/ }),

/***/ 24332:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   AI: () => (/* binding */ leaseName),
/* harmony export */   U8: () => (/* binding */ leasePath),
/* harmony export */   nT: () => (/* binding */ ReleaseLock),
/* harmony export */   wL: () => (/* binding */ releaseLease)
/* harmony export */ });
/* unused harmony exports LEASE_SECONDS, RENEW_MS, leaseFree */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(83916);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(26804);


/**
 * One release of a model per namespace at a time: a coordination.k8s.io Lease named model-canary-<model>,
 * holding the run's identity and renewed while the run lives. Taken with create, or with replace on the
 * resourceVersion read (so two runs never both win); a lease its holder stopped renewing expires and is
 * taken over.
 */
const LEASE_SECONDS = 30;
const RENEW_MS = 10_000;
const leaseName = (model) => `model-canary-${model}`;
const leasePath = (namespace, model) => (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('Lease', namespace, leaseName(model));
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
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('cluster', `Creating the lock Lease ${leaseName(model)} failed with HTTP ${created.status}: ${JSON.stringify(created.body)}`, 'Check that the Role allows create on leases (docs/rbac.md).');
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
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('cluster', `Another release of ${model} in namespace ${namespace} holds the lock ${leaseName(model)}: ${holder} (since ${lease.spec?.acquireTime ?? '?'}, renewed ${lease.spec?.renewTime ?? '?'}). Waited ${Math.round(waited / 1000)}s (canary.lockTimeout).`, `Wait for that run to finish, or raise canary.lockTimeout. A run that was killed releases the lock when its lease expires (${LEASE_SECONDS}s without renewal).`);
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
        return {
            holderIdentity: this.options.identity,
            leaseDurationSeconds: this.options.leaseSeconds ?? LEASE_SECONDS,
            acquireTime: t,
            renewTime: t,
            leaseTransitions: transitions,
        };
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


/***/ }),

/***/ 42613:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   H6: () => (/* reexport safe */ _plan_js__WEBPACK_IMPORTED_MODULE_2__.H6),
/* harmony export */   Lb: () => (/* binding */ removeCanaryServices),
/* harmony export */   QT: () => (/* binding */ applyRoute),
/* harmony export */   _2: () => (/* binding */ sendAllToStable),
/* harmony export */   bZ: () => (/* binding */ canaryServices),
/* harmony export */   dA: () => (/* binding */ routePath),
/* harmony export */   id: () => (/* reexport safe */ _plan_js__WEBPACK_IMPORTED_MODULE_2__.id),
/* harmony export */   nM: () => (/* binding */ restoreRouteWeights)
/* harmony export */ });
/* unused harmony exports ROUTE_SETTLE_MS, waitForRoute */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(83916);
/* harmony import */ var _canary_plan_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(30991);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(47202);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(26804);





/** How long the Gateway's controller gets to accept a route change before we go on without its word. */
const ROUTE_SETTLE_MS = 30_000;
const routePath = (namespace, name) => (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_3__/* .apiPath */ .So)('HTTPRoute', namespace, name);
const servicePath = (namespace, name) => (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_3__/* .apiPath */ .So)('Service', namespace, name);
/**
 * Applies a route (server-side, our field manager) and waits until the Gateway's controller has accepted
 * this generation with its backends resolved. A refusal (not Accepted, a backend it cannot resolve) fails
 * with the controller's reason; no word within the budget is a warning (a controller that writes no status
 * still routes), not a failure.
 */
async function applyRoute(client, route, gateway, fieldManager, logger, budgetMs = ROUTE_SETTLE_MS) {
    const applied = await client.apply(route, fieldManager);
    logger.info(`applied HTTPRoute/${route.metadata.name}: ${(0,_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .describeWeights */ .Jq)(route)}`);
    return waitForRoute(client, applied, gateway, logger, budgetMs);
}
async function waitForRoute(client, applied, gateway, logger, budgetMs = ROUTE_SETTLE_MS) {
    const namespace = applied.metadata.namespace ?? '';
    const path = routePath(namespace, applied.metadata.name);
    const started = Date.now();
    let live = applied;
    for (;;) {
        const state = live ? (0,_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .routeState */ .HC)(live, gateway) : { state: 'pending' };
        if (state.state === 'ready' && live) {
            logger.info(`HTTPRoute/${applied.metadata.name} accepted by Gateway ${gatewayName(gateway)} after ${((Date.now() - started) / 1000).toFixed(1)}s.`);
            return live;
        }
        if (state.state === 'refused') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('cluster', `Gateway ${gatewayName(gateway)} refused HTTPRoute ${namespace}/${applied.metadata.name}: ${state.reason}.`, 'Check canary.gateway (name and namespace), that the Gateway allows routes from this namespace (listeners[].allowedRoutes), and that the stable and canary Services exist.');
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
    const restored = live ? (0,_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .routeToStable */ .aI)(live) : undefined;
    if (!live || !restored)
        return false;
    const gateway = (0,_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .routeGateway */ ._s)(live) ?? { name: '?' };
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
    const list = await client.list((0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_3__/* .apiPath */ .So)('Service', namespace), 'track=canary');
    return list.items.filter((x) => x.metadata.annotations?.[_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .CANARY_OF */ .vM] === stable && (0,_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .isCanaryName */ .kI)(x.metadata.name)).map((x) => x.metadata.name);
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


/***/ }),

/***/ 47202:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $4: () => (/* binding */ cleanRoute),
/* harmony export */   H6: () => (/* binding */ planTraffic),
/* harmony export */   HC: () => (/* binding */ routeState),
/* harmony export */   Jq: () => (/* binding */ describeWeights),
/* harmony export */   _s: () => (/* binding */ routeGateway),
/* harmony export */   aI: () => (/* binding */ routeToStable),
/* harmony export */   id: () => (/* binding */ httpRoute),
/* harmony export */   mj: () => (/* binding */ CANARY_BACKEND)
/* harmony export */ });
/* unused harmony exports HTTPROUTE_API, STABLE_SUFFIX, isService, modelService, trackService, backendShare, routeCondition */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(83916);
/* harmony import */ var _canary_plan_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(30991);


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
        return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => k === _canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .TRACK */ .Kq || podLabels[k] === v);
    });
    const found = services[0];
    if (services.length !== 1 || !found || (found.spec.ports ?? []).length === 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `The strategy traffic needs exactly one Service with a port selecting the pods of Deployment ${stable.metadata.name}; found ${services.length} (${services.map((s) => s.metadata.name).join(', ') || 'none'}).`, 'Render one Service for the model server (the builtin chart does with service.enabled true); model-canary derives the stable and canary Services the HTTPRoute sends to from it.');
    }
    return found;
}
function planTraffic(input) {
    const service = modelService(input.objects, input.stable);
    const stableTrack = input.stable.spec.selector.matchLabels?.[_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .TRACK */ .Kq] ?? 'stable';
    const port = service.spec.ports?.[0]?.port ?? 0;
    return {
        route: input.stable.metadata.name,
        stableService: trackService(service, `${service.metadata.name}${STABLE_SUFFIX}`, stableTrack, input.namespace, input.stable.metadata.name),
        canaryService: trackService(service, (0,_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryName */ .mh)(service.metadata.name), 'canary', input.namespace, input.stable.metadata.name),
        port,
    };
}
/** A copy of the model's Service that selects one track only (ClusterIP, the same ports). */
function trackService(service, name, track, namespace, stable) {
    const ports = (service.spec.ports ?? []).map((p) => ({ ...p }));
    const labels = { ...service.metadata.labels, [_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .TRACK */ .Kq]: track };
    const metadata = { name, namespace, labels };
    if (track === 'canary')
        metadata.annotations = { [_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .CANARY_OF */ .vM]: stable };
    return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata,
        spec: { type: 'ClusterIP', selector: { ...service.spec.selector, [_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .TRACK */ .Kq]: track }, ports },
    };
}
/**
 * The HTTPRoute: attached to the Gateway, matching the host names given (all the listener accepts when
 * none), one rule sending `weight` percent to the canary Service and the rest to the stable one. With
 * weight undefined, all traffic goes to stable and the canary is not referenced at all.
 */
function httpRoute(args) {
    const parentRef = {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: args.gateway.name,
    };
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
    const isCanary = (b) => (canary !== undefined ? b.name === canary : (0,_canary_plan_js__WEBPACK_IMPORTED_MODULE_1__/* .isCanaryName */ .kI)(b.name));
    const rules = live.spec.rules ?? [];
    if (!rules.some((r) => (r.backendRefs ?? []).some(isCanary)))
        return undefined;
    const route = cleanRoute(live);
    route.spec.rules = (route.spec.rules ?? []).map((rule) => {
        const kept = (rule.backendRefs ?? []).filter((b) => !isCanary(b));
        if (kept.length === 0) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `HTTPRoute ${live.metadata.name} has a rule that sends only to the canary ${canary ?? ''}; there is no stable backend to send its traffic back to.`, 'Fix the route by hand (give the rule a stable backendRef), then run command rollback again.');
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


/***/ }),

/***/ 44130:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ isDeployment)
/* harmony export */ });
const isDeployment = (o) => o.kind === 'Deployment' && o.apiVersion === 'apps/v1';


/***/ }),

/***/ 83916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   GW: () => (/* binding */ asModelCanaryError),
/* harmony export */   IF: () => (/* binding */ userError),
/* harmony export */   Md: () => (/* binding */ ModelCanaryError),
/* harmony export */   xL: () => (/* binding */ ConfigError)
/* harmony export */ });
/* unused harmony export notAvailable */
/* harmony import */ var _exec_redact_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(84524);

class ModelCanaryError extends Error {
    kind;
    /** What the user should do about it; printed after the message. */
    hint;
    /** The message and hint are redacted of every registered secret (src/exec/redact.ts) as they are made. */
    constructor(kind, message, hint, options) {
        super((0,_exec_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message), options);
        this.name = 'ModelCanaryError';
        this.kind = kind;
        this.hint = hint === undefined ? undefined : (0,_exec_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(hint);
    }
    /** The whole text a user sees: the message and, when there is one, what to do. */
    get userMessage() {
        return this.hint ? `${this.message}\n${this.hint}` : this.message;
    }
}
/** Raised when the config has problems; lists every one of them. */
class ConfigError extends ModelCanaryError {
    problems;
    constructor(source, problems) {
        const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
        super('user', `${source} has ${count}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 'Fix the lines above and run again; `model-canary plan` checks a config without changing anything.');
        this.name = 'ConfigError';
        this.problems = problems;
    }
}
function userError(message, hint) {
    return new ModelCanaryError('user', message, hint);
}
/** A stage that a later release provides answers with this instead of pretending to work. */
function notAvailable(stage) {
    return new ModelCanaryError('unavailable', `The ${stage} stage is not available in this version of model-canary.`, `Use \`command: plan\` to check your config; the ${stage} stage ships in a later release.`);
}
/** Turns anything thrown into a ModelCanaryError, keeping the original as the cause. */
function asModelCanaryError(err) {
    if (err instanceof ModelCanaryError)
        return err;
    const message = err instanceof Error ? err.message : String(err);
    return new ModelCanaryError('internal', `Unexpected error: ${message}`, 'This is a bug in model-canary; rerun with RUNNER_DEBUG=1 for the stack and report it.', { cause: err });
}


/***/ }),

/***/ 69909:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   r: () => (/* binding */ startBackground)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(83916);
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(84524);
/* harmony import */ var _children_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(22870);
/* harmony import */ var _child_env_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(17921);





/**
 * Starts a long-running command through the same rules as the exec wrapper: argv array, the environment
 * built for children (./child-env.ts), output captured, counted, killed with everything it started.
 */
function startBackground(logger, counter, command, args, options = {}) {
    const shown = (0,_redact_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCommand */ .fE)(command, args);
    logger.debug(`$ ${shown} &`);
    counter.add(command);
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(command, [...args], { env: (0,_child_env_js__WEBPACK_IMPORTED_MODULE_4__/* .childEnv */ .g)(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid === undefined)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ModelCanaryError */ .Md('tool', `Could not start \`${shown}\`.`);
    const pid = child.pid;
    (0,_children_js__WEBPACK_IMPORTED_MODULE_3__/* .trackChild */ .yH)(pid);
    let stdoutText = '';
    let stderrText = '';
    let exited = false;
    const lineWaiters = [];
    const exitWaiters = [];
    child.stdout.on('data', (chunk) => {
        stdoutText += chunk.toString('utf8');
        if (stdoutText.length > 1_000_000)
            stdoutText = stdoutText.slice(-500_000);
        for (const line of stdoutText.split('\n')) {
            for (const w of [...lineWaiters]) {
                if (w.pattern.test(line)) {
                    lineWaiters.splice(lineWaiters.indexOf(w), 1);
                    w.resolve(line);
                }
            }
        }
    });
    child.stderr.on('data', (chunk) => {
        stderrText = (stderrText + chunk.toString('utf8')).slice(-100_000);
    });
    child.on('close', () => {
        exited = true;
        (0,_children_js__WEBPACK_IMPORTED_MODULE_3__/* .untrackChild */ .$b)(pid);
        for (const w of exitWaiters.splice(0))
            w();
    });
    child.on('error', () => {
        exited = true;
        (0,_children_js__WEBPACK_IMPORTED_MODULE_3__/* .untrackChild */ .$b)(pid);
        for (const w of exitWaiters.splice(0))
            w();
    });
    return {
        pid,
        get exited() {
            return exited;
        },
        waitForLine(pattern, timeoutMs) {
            return new Promise((resolve, reject) => {
                const already = stdoutText.split('\n').find((l) => pattern.test(l));
                if (already !== undefined)
                    return resolve(already);
                const fail = (why) => reject(new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ModelCanaryError */ .Md('command', `\`${shown}\` ${why}.\nLast lines of its stderr:\n${(0,_redact_js__WEBPACK_IMPORTED_MODULE_2__/* .lastLines */ .w$)(stderrText, 10) || '(none)'}`));
                if (exited)
                    return fail('exited before it was ready');
                const timer = setTimeout(() => fail(`was not ready after ${Math.round(timeoutMs / 1000)}s`), timeoutMs);
                exitWaiters.push(() => {
                    clearTimeout(timer);
                    fail('exited before it was ready');
                });
                lineWaiters.push({
                    pattern,
                    resolve: (line) => {
                        clearTimeout(timer);
                        resolve(line);
                    },
                });
            });
        },
        stop() {
            if (exited)
                return Promise.resolve();
            return new Promise((resolve) => {
                exitWaiters.push(resolve);
                try {
                    process.kill(-pid, 'SIGTERM');
                }
                catch {
                    // gone already
                }
                setTimeout(() => {
                    try {
                        process.kill(-pid, 'SIGKILL');
                    }
                    catch {
                        // gone already
                    }
                }, 3000).unref();
            });
        },
    };
}


/***/ }),

/***/ 17921:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ childEnv)
/* harmony export */ });
/* unused harmony export isWithheld */
/*
 * The environment every command model-canary starts gets (docker, helm, kubectl, trivy, git, and through
 * kubectl the exec plugins of the kubeconfig): the parent's, less what is model-canary's own.
 *
 * Dropped, because no child needs them and any child (or a chart's plugin, or a kubeconfig exec plugin
 * from a secret) could read them:
 * - INPUT_*: the action's inputs, kubeconfig and github-token among them; model-canary read them once.
 * - STATE_*: what main handed to post.
 * - MODEL_CANARY_REGISTRY_PASSWORD: reaches `docker login` on stdin only.
 * - ACTIONS_RUNTIME_TOKEN and the runtime, results and cache URLs it is used with (artifacts, cache).
 * - GITHUB_TOKEN, GH_TOKEN: model-canary talks to GitHub itself; none of its children does.
 *
 * Kept: everything else, because tools and exec plugins legitimately read a wide, open-ended set (PATH,
 * HOME, KUBECONFIG, DOCKER_CONFIG, proxies and CA bundles, AWS_*, AZURE_*, GOOGLE_* and CLOUDSDK_*,
 * ACTIONS_ID_TOKEN_REQUEST_* for OIDC exec plugins, TRIVY_*, HELM_*...). A denylist keeps them working;
 * the secrets model-canary itself holds are all on it.
 */
const DROPPED_PREFIXES = ['INPUT_', 'STATE_'];
const DROPPED_NAMES = new Set([
    'MODEL_CANARY_REGISTRY_PASSWORD',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_URL',
    'GITHUB_TOKEN',
    'GH_TOKEN',
]);
/** True for a variable of the parent's environment that no child gets. */
function isWithheld(name) {
    const upper = name.toUpperCase();
    return DROPPED_NAMES.has(upper) || DROPPED_PREFIXES.some((p) => upper.startsWith(p));
}
/**
 * The environment for a child: the parent's without the withheld variables, then the call's own
 * overrides (a value of undefined removes the variable). An override may set a withheld name on purpose.
 */
function childEnv(overrides = {}, parent = process.env) {
    const env = {};
    for (const [key, value] of Object.entries(parent)) {
        if (value !== undefined && !isWithheld(key))
            env[key] = value;
    }
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined)
            delete env[key];
        else
            env[key] = value;
    }
    return env;
}


/***/ }),

/***/ 22870:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $b: () => (/* binding */ untrackChild),
/* harmony export */   Ow: () => (/* binding */ killLiveChildren),
/* harmony export */   yH: () => (/* binding */ trackChild)
/* harmony export */ });
/** Process groups model-canary started and that still run; killed on SIGINT/SIGTERM. */
const live = new Set();
function trackChild(pid) {
    live.add(pid);
}
function untrackChild(pid) {
    live.delete(pid);
}
/** Kills every live process group this process started but `keep`; returns how many were signalled. */
function killLiveChildren(signal = 'SIGTERM', keep = []) {
    let killed = 0;
    for (const pid of live) {
        if (keep.includes(pid))
            continue;
        try {
            process.kill(-pid, signal);
            killed++;
        }
        catch {
            // already gone
        }
    }
    return killed;
}


/***/ }),

/***/ 21211:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  MS: () => (/* binding */ ProcessCounter),
  k7: () => (/* binding */ createExec),
  Ow: () => (/* reexport */ children/* killLiveChildren */.Ow)
});

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(31421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(73024);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(83916);
// EXTERNAL MODULE: ./src/exec/redact.ts
var redact = __nccwpck_require__(84524);
;// CONCATENATED MODULE: ./src/exec/command-error.ts


/** An external command that failed: names the command (secrets redacted), its exit and its stderr. */
class CommandError extends errors/* ModelCanaryError */.Md {
    command;
    exitCode;
    signal;
    stderrTail;
    timedOut;
    constructor(init) {
        const secrets = init.secrets ?? [];
        const command = (0,redact/* redact */.E$)(init.command, secrets);
        const stderrTail = (0,redact/* redact */.E$)(init.stderrTail, secrets);
        const how = init.timedOut
            ? `timed out after ${Math.round((init.timeoutMs ?? 0) / 1000)}s and was killed`
            : init.signal
                ? `was killed by ${init.signal}`
                : `exited with code ${init.exitCode}`;
        const tail = stderrTail ? `\nLast lines of its stderr:\n${indent(stderrTail)}` : '\nIt wrote nothing to stderr.';
        super('command', `\`${command}\` ${how}.${tail}`, init.hint === undefined ? undefined : (0,redact/* redact */.E$)(init.hint, secrets));
        this.name = 'CommandError';
        this.command = command;
        this.exitCode = init.exitCode;
        this.signal = init.signal;
        this.stderrTail = stderrTail;
        this.timedOut = init.timedOut;
    }
}
function indent(text) {
    return text
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n');
}

// EXTERNAL MODULE: ./src/exec/children.ts
var children = __nccwpck_require__(22870);
// EXTERNAL MODULE: ./src/exec/child-env.ts
var child_env = __nccwpck_require__(17921);
;// CONCATENATED MODULE: ./src/exec/exec.ts







const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
const KILL_GRACE_MS = 5_000;
/** Each of stdout and stderr keeps at most this much, the newest part. */
const CAPTURE_LIMIT = 32 * 1024 * 1024;
/** Counts processes started, by command name: the release benchmark reports kubectl starts per release. */
class ProcessCounter {
    counts = new Map();
    add(command) {
        const name = command.split('/').pop() ?? command;
        this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    }
    get(name) {
        return this.counts.get(name) ?? 0;
    }
    snapshot() {
        return Object.fromEntries(this.counts);
    }
}

function createExec(logger, counter = new ProcessCounter()) {
    return (command, args, options = {}) => runProcess(logger, counter, command, args, options);
}
function runProcess(logger, counter, command, args, options) {
    const secrets = options.secrets ?? [];
    for (const secret of secrets)
        logger.setSecret(secret);
    const shown = (0,redact/* redact */.E$)((0,redact/* formatCommand */.fE)(command, args), secrets);
    if (options.echo)
        logger.info(`$ ${shown}`);
    else
        logger.debug(`$ ${shown}`);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = Date.now();
    counter.add(command);
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)(command, [...args], {
            cwd: options.cwd,
            env: (0,child_env/* childEnv */.g)(options.env),
            stdio: ['pipe', 'pipe', 'pipe'],
            // Own process group, so a timeout kills the command and everything it started.
            detached: true,
        });
        const stdout = new Capture(options.onStdoutLine);
        const stderr = new Capture(options.onStderrLine);
        let timedOut = false;
        let killTimer;
        if (child.pid !== undefined)
            (0,children/* trackChild */.yH)(child.pid);
        const timer = setTimeout(() => {
            timedOut = true;
            signalGroup(child.pid, 'SIGTERM');
            killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
        }, timeoutMs);
        child.stdout.on('data', (chunk) => stdout.push(chunk));
        child.stderr.on('data', (chunk) => stderr.push(chunk));
        child.stdin.on('error', () => {
            // The command may exit without reading stdin; its exit status tells what happened.
        });
        if (options.stdin !== undefined)
            child.stdin.end(options.stdin);
        else
            child.stdin.end();
        child.on('error', (err) => {
            clearTimeout(timer);
            if (child.pid !== undefined)
                (0,children/* untrackChild */.$b)(child.pid);
            if (err.code === 'ENOENT' && options.cwd !== undefined && !(0,external_node_fs_.existsSync)(options.cwd)) {
                // spawn says ENOENT for a missing working directory too; do not blame the command.
                reject(new errors/* ModelCanaryError */.Md('command', `Could not start \`${shown}\`: its working directory ${options.cwd} does not exist.`, options.failureHint));
            }
            else if (err.code === 'ENOENT') {
                reject(new errors/* ModelCanaryError */.Md('tool', `\`${command}\` was not found${options.cwd ? ` (working directory ${options.cwd})` : ''}.`, `Install ${command} or put it on PATH, then run again.`));
            }
            else {
                reject(new errors/* ModelCanaryError */.Md('command', `Could not start \`${shown}\`: ${(0,redact/* redact */.E$)(err.message, secrets)}`, options.failureHint));
            }
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            if (killTimer)
                clearTimeout(killTimer);
            if (child.pid !== undefined)
                (0,children/* untrackChild */.$b)(child.pid);
            const result = {
                exitCode: code ?? -1,
                stdout: stdout.text(),
                stderr: stderr.text(),
                durationMs: Date.now() - started,
                truncated: stdout.truncated || stderr.truncated,
            };
            if (code === 0 && !timedOut) {
                resolve(result);
                return;
            }
            if (options.allowFailure && !timedOut) {
                resolve(result);
                return;
            }
            reject(new CommandError({
                command: shown,
                exitCode: code,
                signal: signal ?? null,
                stderrTail: (0,redact/* lastLines */.w$)(result.stderr, 20),
                secrets,
                timedOut,
                timeoutMs,
                ...(options.failureHint !== undefined ? { hint: options.failureHint } : {}),
            }));
        });
    });
}
function signalGroup(pid, signal) {
    if (pid === undefined)
        return;
    try {
        process.kill(-pid, signal);
    }
    catch {
        // the group is gone already
    }
}
/** Collects a stream, keeping the newest CAPTURE_LIMIT bytes, and hands out complete lines as they come. */
class Capture {
    onLine;
    chunks = [];
    size = 0;
    partial = '';
    truncated = false;
    constructor(onLine) {
        this.onLine = onLine;
    }
    push(chunk) {
        this.chunks.push(chunk);
        this.size += chunk.length;
        while (this.size > CAPTURE_LIMIT && this.chunks.length > 1) {
            const dropped = this.chunks.shift();
            this.size -= dropped?.length ?? 0;
            this.truncated = true;
        }
        if (this.onLine) {
            const text = this.partial + chunk.toString('utf8');
            const lines = text.split('\n');
            this.partial = lines.pop() ?? '';
            for (const line of lines)
                this.onLine(line.replace(/\r$/, ''));
        }
    }
    text() {
        if (this.onLine && this.partial) {
            this.onLine(this.partial);
            this.partial = '';
        }
        return Buffer.concat(this.chunks).toString('utf8');
    }
}


/***/ }),

/***/ 84524:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   cl: () => (/* binding */ registerSecret),
/* harmony export */   fE: () => (/* binding */ formatCommand),
/* harmony export */   w$: () => (/* binding */ lastLines)
/* harmony export */ });
/* unused harmony export forgetSecrets */
/*
 * The run's secrets, process-wide: every value a logger is told to mask (the inputs' credentials, the
 * registry password, values a command was given) is registered here, and every error message, stderr tail,
 * log line, summary and output is redacted against all of them, not only the ones a caller knows about.
 * Process-wide because errors are made deep in code that has no logger (src/errors.ts redacts each one).
 */
const registered = new Set();
/** Adds a value to redact from now on; empty and whitespace-only values are ignored. */
function registerSecret(value) {
    if (value.trim() !== '')
        registered.add(value);
}
/** Forgets every registered secret: a new run in the same process (the tests' in-memory hosts) starts clean. */
function forgetSecrets() {
    registered.clear();
}
/** Replaces every registered secret, and each of extra, with ***; longest first so overlapping secrets vanish whole. */
function redact(text, extra = []) {
    if (text === '')
        return text;
    let out = text;
    const ordered = [...new Set([...registered, ...extra])].filter((s) => s.trim() !== '').sort((a, b) => b.length - a.length);
    for (const secret of ordered)
        if (out.includes(secret))
            out = out.split(secret).join('***');
    return out;
}
/** Renders argv the way a person would retype it, for logs and error messages only (never executed). */
function formatCommand(command, args) {
    return [command, ...args].map(quoteForDisplay).join(' ');
}
function quoteForDisplay(arg) {
    if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg))
        return arg;
    return `'${arg.replace(/'/g, `'\\''`)}'`;
}
/** The last n non-empty lines of text. */
function lastLines(text, n) {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    return lines.slice(-n).join('\n');
}


/***/ }),

/***/ 21052:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   MC: () => (/* binding */ pinnedByDigest),
/* harmony export */   Q: () => (/* binding */ parseImageRef),
/* harmony export */   _M: () => (/* binding */ repositoryOf),
/* harmony export */   kL: () => (/* binding */ formatImageRef)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(83916);

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Parses an image reference, or throws a user error saying what is wrong with it. */
function parseImageRef(text) {
    const problem = (why) => (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .userError */ .IF)(`"${text}" is not a valid image reference: ${why}.`, 'Write it as [registry[:port]/]path[:tag][@sha256:digest], in lowercase.');
    if (text.trim() === '')
        throw problem('it is empty');
    if (text !== text.trim() || /\s/.test(text))
        throw problem('it contains whitespace');
    let rest = text;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            throw problem(`the digest "${digest}" is not algorithm:hex`);
        if (digest.startsWith('sha256:') && !SHA256_DIGEST.test(digest)) {
            throw problem('a sha256 digest is 64 lowercase hex characters');
        }
    }
    let tag;
    const lastSlash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw problem(`the tag "${tag}" may hold only letters, digits, '_', '.' and '-' (at most 128)`);
    }
    if (rest === '')
        throw problem('the repository name is missing');
    let registry;
    const firstSlash = rest.indexOf('/');
    if (firstSlash > 0) {
        const first = rest.slice(0, firstSlash);
        if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[')) {
            registry = first;
            rest = rest.slice(firstSlash + 1);
            checkRegistry(registry, problem);
        }
    }
    if (rest.length > 255)
        throw problem('the repository name is longer than 255 characters');
    for (const component of rest.split('/')) {
        if (component === '')
            throw problem('it has an empty path component (//)');
        if (/[A-Z]/.test(component))
            throw problem(`"${component}" has uppercase letters; repository names are lowercase`);
        if (!PATH_COMPONENT.test(component)) {
            throw problem(`"${component}" may hold only lowercase letters, digits and single separators (. _ __ -)`);
        }
    }
    const ref = { path: rest };
    if (registry !== undefined)
        ref.registry = registry;
    if (tag !== undefined)
        ref.tag = tag;
    if (digest !== undefined)
        ref.digest = digest;
    return ref;
}
function checkRegistry(registry, problem) {
    let host = registry;
    let port;
    if (registry.startsWith('[')) {
        const close = registry.indexOf(']');
        if (close < 0)
            throw problem(`the registry "${registry}" has an unclosed [`);
        host = registry.slice(0, close + 1);
        const after = registry.slice(close + 1);
        if (after !== '') {
            if (!after.startsWith(':'))
                throw problem(`the registry "${registry}" is not host[:port]`);
            port = after.slice(1);
        }
    }
    else {
        const c = registry.indexOf(':');
        if (c >= 0) {
            host = registry.slice(0, c);
            port = registry.slice(c + 1);
        }
        if (!host.split('.').every((part) => DOMAIN_COMPONENT.test(part))) {
            throw problem(`the registry host "${host}" is not a valid host name`);
        }
    }
    if (port !== undefined && !/^\d{1,5}$/.test(port))
        throw problem(`the registry port "${port}" is not a number`);
}
/** The repository without tag or digest: [registry/]path. */
function repositoryOf(ref) {
    return ref.registry ? `${ref.registry}/${ref.path}` : ref.path;
}
function formatImageRef(ref) {
    let out = repositoryOf(ref);
    if (ref.tag)
        out += `:${ref.tag}`;
    if (ref.digest)
        out += `@${ref.digest}`;
    return out;
}
/** The reference later stages deploy: repository@digest, with no tag to drift. */
function pinnedByDigest(ref, digest) {
    return `${repositoryOf(ref)}@${digest}`;
}


/***/ }),

/***/ 31934:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bx: () => (/* binding */ KubeClient),
/* harmony export */   US: () => (/* binding */ isForbidden),
/* harmony export */   fR: () => (/* binding */ KubeRequestError)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(83916);
/* harmony import */ var _resources_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(26804);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(30964);



const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
/** The API server answered a request with an error that is not retried: its HTTP status, for callers that handle one (403). */
class KubeRequestError extends _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md {
    status;
    constructor(status, message, hint) {
        super('cluster', message, hint);
        this.status = status;
    }
}
const isForbidden = (err) => err instanceof KubeRequestError && err.status === 403;
/**
 * The one client to the cluster: HTTP to the run's `kubectl proxy` (on its private Unix socket, ./proxy.ts). Transient failures (connection
 * refused or reset, 429, 5xx, timeouts) are retried with backoff within a budget; everything else fails
 * at once with the API server's own message.
 */
class KubeClient {
    baseUrl;
    logger;
    retryBudgetMs;
    requestTimeoutMs;
    /** Requests sent, for the release benchmark. */
    requests = 0;
    discovered = new Map();
    constructor(baseUrl, logger, retryBudgetMs = 60_000, requestTimeoutMs = 30_000) {
        this.baseUrl = baseUrl;
        this.logger = logger;
        this.retryBudgetMs = retryBudgetMs;
        this.requestTimeoutMs = requestTimeoutMs;
    }
    /** GET one object; undefined when it does not exist. */
    async get(path) {
        const { status, body } = await this.request('GET', path);
        if (status === 404)
            return undefined;
        return this.expectOk('GET', path, status, body);
    }
    async list(path, labelSelector) {
        const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
        const { status, body } = await this.request('GET', `${path}${query}`);
        return this.expectOk('GET', path, status, body);
    }
    /** Server-side apply with our field manager; a conflict names the other manager and the field. */
    async apply(object, fieldManager) {
        const info = await this.resourceFor(object.apiVersion, object.kind);
        const path = (0,_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .resourcePath */ .oU)(info, object.metadata.namespace, object.metadata.name);
        const query = `?fieldManager=${encodeURIComponent(fieldManager)}&force=false`;
        const { status, body } = await this.request('PATCH', `${path}${query}`, JSON.stringify(object), 'application/apply-patch+yaml');
        if (status === 409) {
            const s = body;
            const causes = (s.details?.causes ?? []).map((c) => `${c.field ?? '?'} (${c.message ?? c.type ?? 'conflict'})`);
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('cluster', `Applying ${object.kind}/${object.metadata.name} conflicts with another field manager: ${causes.join('; ') || s.message}`, `Another tool manages these fields. Stop changing them with that tool (for example kubectl apply or an HPA on replicas), or hand them over with 'kubectl apply --server-side --force-conflicts --field-manager=${fieldManager}'.`);
        }
        return this.expectOk('PATCH', path, status, body);
    }
    /** Deletes an object; a missing one is not an error (cleanup runs twice safely). */
    async delete(path, propagationPolicy = 'Background') {
        const { status, body } = await this.request('DELETE', path, JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy }), 'application/json');
        if (status === 404)
            return false;
        this.expectOk('DELETE', path, status, body);
        return true;
    }
    /** Merge-patches an object (used for annotations and the lease renewal). */
    async mergePatch(path, patch) {
        const { status, body } = await this.request('PATCH', path, JSON.stringify(patch), 'application/merge-patch+json');
        return this.expectOk('PATCH', path, status, body);
    }
    async create(object) {
        const info = await this.resourceFor(object.apiVersion, object.kind);
        const { status, body } = await this.request('POST', (0,_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .resourcePath */ .oU)(info, object.metadata.namespace), JSON.stringify(object), 'application/json');
        if (status === 201 || status === 200)
            return { created: true, object: body };
        return { created: false, status, body };
    }
    /** PUT with the object's resourceVersion: an optimistic update that fails (409) if someone changed it. */
    async replace(object) {
        const info = await this.resourceFor(object.apiVersion, object.kind);
        const path = (0,_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .resourcePath */ .oU)(info, object.metadata.namespace, object.metadata.name);
        const { status, body } = await this.request('PUT', path, JSON.stringify(object), 'application/json');
        if (status === 200)
            return { ok: true, object: body };
        if (status === 409 || status === 404)
            return { ok: false, status };
        return { ok: true, object: this.expectOk('PUT', path, status, body) };
    }
    /**
     * Streams watch events of a collection until the signal aborts or the server closes the stream;
     * returns the last resourceVersion seen so a caller can resume.
     */
    async watch(path, params, onEvent, signal) {
        const query = new URLSearchParams({ watch: '1', allowWatchBookmarks: 'true' });
        if (params.labelSelector)
            query.set('labelSelector', params.labelSelector);
        if (params.fieldSelector)
            query.set('fieldSelector', params.fieldSelector);
        if (params.resourceVersion)
            query.set('resourceVersion', params.resourceVersion);
        this.requests++;
        let lastVersion = params.resourceVersion;
        let response;
        try {
            response = await (0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .httpRequest */ .a)(`${this.baseUrl}${path}?${query}`, { method: 'GET', headers: { Accept: 'application/json' }, signal });
        }
        catch (err) {
            if (signal.aborted)
                return lastVersion;
            throw err;
        }
        if (response.status < 200 || response.status >= 300)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('cluster', `Watching ${path} failed with HTTP ${response.status}.`);
        const decoder = new TextDecoder();
        let buffer = '';
        try {
            for await (const chunk of response.stream) {
                buffer += decoder.decode(chunk, { stream: true });
                let newline;
                while ((newline = buffer.indexOf('\n')) >= 0) {
                    const line = buffer.slice(0, newline).trim();
                    buffer = buffer.slice(newline + 1);
                    if (line === '')
                        continue;
                    const event = JSON.parse(line);
                    const rv = event.object?.metadata?.resourceVersion;
                    if (rv)
                        lastVersion = rv;
                    if (event.type !== 'BOOKMARK')
                        onEvent(event);
                }
            }
        }
        catch (err) {
            if (!signal.aborted)
                throw err;
        }
        return lastVersion;
    }
    /** The API location of a kind: a table of the usual ones, API discovery for the rest. */
    async resourceFor(apiVersion, kind) {
        const known = (0,_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .knownResource */ ._c)(apiVersion, kind) ?? this.discovered.get(`${apiVersion}/${kind}`);
        if (known)
            return known;
        const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        const list = await this.get(path);
        const found = list?.resources.find((r) => r.kind === kind && !r.name.includes('/'));
        if (!found) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('cluster', `The cluster does not serve ${kind} in ${apiVersion}.`, 'Install the CRD that defines it (for example KServe or the Gateway API), or choose a mode that does not need it.');
        }
        const info = { apiVersion, plural: found.name, namespaced: found.namespaced };
        this.discovered.set(`${apiVersion}/${kind}`, info);
        return info;
    }
    expectOk(method, path, status, body) {
        if (status >= 200 && status < 300)
            return body;
        const s = body;
        const message = s?.message ?? (typeof body === 'string' ? body : JSON.stringify(body));
        const hint = status === 401 || status === 403 ? 'The kubeconfig in use lacks this permission; see the README for the Role model-canary needs.' : undefined;
        throw new KubeRequestError(status, `${method} ${path} failed with HTTP ${status}: ${message}`, hint);
    }
    /** One HTTP call, retried on transient failures within the budget. */
    async request(method, path, body, contentType) {
        const deadline = Date.now() + this.retryBudgetMs;
        let delay = 250;
        for (let attempt = 1;; attempt++) {
            this.requests++;
            let why;
            try {
                const headers = { Accept: 'application/json' };
                if (contentType)
                    headers['Content-Type'] = contentType;
                const call = { method, headers, signal: AbortSignal.timeout(this.requestTimeoutMs) };
                if (body !== undefined)
                    call.body = body;
                const response = await (0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .httpRequest */ .a)(`${this.baseUrl}${path}`, call);
                const text = await response.text();
                let parsed = text;
                try {
                    parsed = text === '' ? undefined : JSON.parse(text);
                }
                catch {
                    // not JSON (a proxy error page): keep the text
                }
                if (!TRANSIENT_STATUS.has(response.status))
                    return { status: response.status, body: parsed };
                why = `HTTP ${response.status}`;
            }
            catch (err) {
                why =
                    err instanceof Error
                        ? `${err.name}: ${err.code ?? err.cause?.message ?? err.message}`
                        : String(err);
            }
            if (Date.now() + delay > deadline) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('cluster', `${method} ${path} kept failing (${why}) for ${Math.round(this.retryBudgetMs / 1000)}s over ${attempt} attempts.`, 'The API server is unreachable or overloaded; check the cluster and the kubeconfig, then run again.');
            }
            this.logger.info(`API ${method} ${path}: ${why}; retrying in ${delay} ms (attempt ${attempt})`);
            await new Promise((r) => setTimeout(r, delay));
            delay = Math.min(delay * 2, 4000);
        }
    }
}


/***/ }),

/***/ 30964:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  a: () => (/* binding */ httpRequest),
  G: () => (/* binding */ unixBase)
});

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(37067);
var external_node_http_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http_);
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
var external_node_https_default = /*#__PURE__*/__nccwpck_require__.n(external_node_https_namespaceObject);
;// CONCATENATED MODULE: ./src/kube/http.ts


/*
 * HTTP to the run's kubectl proxy and to pods, over TCP or a Unix socket. The proxy listens on a Unix
 * socket in a folder only this user can enter (./proxy.ts), which fetch cannot reach; node:http can
 * (socketPath). A base URL for a socket is `unix://<the socket path, percent-encoded>`, so code that
 * builds URLs by appending a path (`${base}/api/v1/...`) works for both.
 */
/** The base URL of a server on a Unix socket. */
function unixBase(socketPath) {
    return `unix://${encodeURIComponent(socketPath)}`;
}
function target(url) {
    const unix = /^unix:\/\/([^/]+)(\/.*)?$/.exec(url);
    if (unix)
        return { socketPath: decodeURIComponent(unix[1]), protocol: 'http:', hostname: 'localhost', path: unix[2] ?? '/' };
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
        throw new Error(`internal: unsupported URL ${url}`);
    return { protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), ...(u.port ? { port: u.port } : {}), path: `${u.pathname}${u.search}` };
}
/** One HTTP request; resolves once the status and headers are in. Errors carry node's `code` (ECONNREFUSED...). */
function httpRequest(url, call) {
    return new Promise((resolve, reject) => {
        const t = target(url);
        const lib = t.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
        const headers = { ...call.headers };
        if (call.body !== undefined)
            headers['Content-Length'] = String(Buffer.byteLength(call.body));
        const req = lib.request({
            method: call.method,
            path: t.path,
            headers,
            ...(t.socketPath ? { socketPath: t.socketPath } : { hostname: t.hostname, ...(t.port ? { port: t.port } : {}) }),
            ...(call.signal ? { signal: call.signal } : {}),
        }, (res) => {
            const answer = {
                status: res.statusCode ?? 0,
                stream: res,
                async text() {
                    const chunks = [];
                    for await (const chunk of res)
                        chunks.push(chunk);
                    return Buffer.concat(chunks).toString('utf8');
                },
            };
            resolve(answer);
        });
        req.on('error', (err) => reject(abortReason(err, call.signal)));
        if (call.body !== undefined)
            req.write(call.body);
        req.end();
    });
}
/** node:http reports an abort as AbortError whatever the reason; a timeout signal's reason says TimeoutError. */
function abortReason(err, signal) {
    if (signal?.aborted && signal.reason instanceof Error && signal.reason.name === 'TimeoutError')
        return signal.reason;
    return err;
}


/***/ }),

/***/ 26804:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   So: () => (/* binding */ apiPath),
/* harmony export */   _c: () => (/* binding */ knownResource),
/* harmony export */   mT: () => (/* binding */ isKnownKind),
/* harmony export */   oU: () => (/* binding */ resourcePath)
/* harmony export */ });
/* unused harmony export apiVersionOf */
/** The kinds model-canary applies and reads; anything else is found through API discovery. */
const KNOWN = {
    'v1/Pod': { apiVersion: 'v1', plural: 'pods', namespaced: true },
    'v1/Service': { apiVersion: 'v1', plural: 'services', namespaced: true },
    'v1/ConfigMap': { apiVersion: 'v1', plural: 'configmaps', namespaced: true },
    'v1/Secret': { apiVersion: 'v1', plural: 'secrets', namespaced: true },
    'v1/ServiceAccount': { apiVersion: 'v1', plural: 'serviceaccounts', namespaced: true },
    'v1/Event': { apiVersion: 'v1', plural: 'events', namespaced: true },
    'v1/Namespace': { apiVersion: 'v1', plural: 'namespaces', namespaced: false },
    'apps/v1/Deployment': { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true },
    'apps/v1/ReplicaSet': { apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true },
    'autoscaling/v2/HorizontalPodAutoscaler': { apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true },
    'policy/v1/PodDisruptionBudget': { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
    'networking.k8s.io/v1/NetworkPolicy': { apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
    'coordination.k8s.io/v1/Lease': { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true },
    'gateway.networking.k8s.io/v1/HTTPRoute': { apiVersion: 'gateway.networking.k8s.io/v1', plural: 'httproutes', namespaced: true },
    'authorization.k8s.io/v1/SelfSubjectAccessReview': { apiVersion: 'authorization.k8s.io/v1', plural: 'selfsubjectaccessreviews', namespaced: false },
    'serving.kserve.io/v1beta1/InferenceService': { apiVersion: 'serving.kserve.io/v1beta1', plural: 'inferenceservices', namespaced: true },
};
function knownResource(apiVersion, kind) {
    return KNOWN[`${apiVersion}/${kind}`];
}
/** The API path of a collection or, with a name, of one object. */
function resourcePath(info, namespace, name) {
    const base = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
    const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${info.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
const BY_KIND = Object.fromEntries(Object.entries(KNOWN).map(([key, info]) => [key.slice(key.lastIndexOf('/') + 1), info]));
/** The group/version a known kind is served at (apps/v1 for Deployment). */
function apiVersionOf(kind) {
    return BY_KIND[kind].apiVersion;
}
/** Whether a kind name is one of the known kinds. */
function isKnownKind(kind) {
    return Object.hasOwn(BY_KIND, kind);
}
/**
 * The API path of a known kind's collection in a namespace or, with a name, of one object, and with a
 * subresource (log, status) of it: every segment URL-encoded. The one place such paths are spelled.
 */
function apiPath(kind, namespace, name, subresource) {
    const path = resourcePath(BY_KIND[kind], namespace, name);
    return subresource && name ? `${path}/${subresource}` : path;
}


/***/ }),

/***/ 87002:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
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


/***/ }),

/***/ 57012:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ createCliHost),
/* harmony export */   p$: () => (/* binding */ outputsJson)
/* harmony export */ });
/* unused harmony export CliLogger */
/* harmony import */ var _exec_redact_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(84524);
/* harmony import */ var _neutralise_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(26582);


/**
 * Logger for a terminal: progress on stderr (stdout is kept for the JSON outputs), groups as headings.
 * The CLI may itself run in a workflow step, where the runner parses stderr for commands too: every line
 * is redacted and neutralised (./neutralise.ts).
 */
class CliLogger {
    debugEnabled;
    write;
    constructor(debugEnabled, write = (t) => process.stderr.write(t)) {
        this.debugEnabled = debugEnabled;
        this.write = write;
    }
    line(text) {
        this.write(`${(0,_neutralise_js__WEBPACK_IMPORTED_MODULE_1__/* .neutralise */ .$)((0,_exec_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(text))}\n`);
    }
    debug(message) {
        if (this.debugEnabled)
            this.line(`debug: ${message}`);
    }
    info(message) {
        this.line(message);
    }
    warn(message, where) {
        this.line(`warning: ${located(message, where)}`);
    }
    error(message, where) {
        this.line(`error: ${located(message, where)}`);
    }
    async group(title, fn) {
        this.line(`\n== ${title} ==`);
        return fn();
    }
    setSecret(value) {
        if (value)
            (0,_exec_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .registerSecret */ .cl)(value);
    }
}
function located(message, where) {
    if (!where?.file)
        return message;
    return `${where.file}${where.startLine ? `:${where.startLine}` : ''}: ${message}`;
}
function createCliHost(debugEnabled) {
    const logger = new CliLogger(debugEnabled);
    const outputs = {};
    return {
        logger,
        outputs,
        setOutputs(values) {
            for (const [name, value] of Object.entries(values))
                outputs[name] = (0,_exec_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(value);
        },
        async writeSummary(markdown) {
            process.stderr.write(`\n== Summary ==\n${(0,_neutralise_js__WEBPACK_IMPORTED_MODULE_1__/* .neutralise */ .$)((0,_exec_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(markdown))}\n`);
        },
        saveState() {
            // The CLI cleans up in-process on SIGINT; there is no post step to hand state to.
        },
    };
}
/** The outputs as the CLI prints them on stdout: JSON, redacted, and never a workflow command. */
function outputsJson(outputs) {
    return (0,_neutralise_js__WEBPACK_IMPORTED_MODULE_1__/* .neutraliseJson */ .r)((0,_exec_redact_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(JSON.stringify(outputs, null, 2)));
}


/***/ }),

/***/ 20157:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   DV: () => (/* binding */ codeBlock),
/* harmony export */   Hn: () => (/* binding */ cell),
/* harmony export */   MZ: () => (/* binding */ codeCell)
/* harmony export */ });
/*
 * Untrusted text (a model or case name, a manifest's metadata.name, a stderr line, an error message) put
 * into the job summary or the pull-request comment: it must stay inside its table cell or code block and
 * bring no markup of its own (no extra columns or rows, no HTML, no links or images). Every summary and
 * comment builder uses these.
 */
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;
/**
 * Text for one table cell: on one line, with the characters that would end the cell (`|`, and `\` before
 * it), open HTML (`<`, `>`) or make a link or image (`[`, `]`) escaped.
 */
function cell(text) {
    return text
        .replace(LINE_BREAKS, ' ')
        .replace(/[\\|[\]]/g, (c) => `\\${c}`)
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;');
}
/**
 * Text shown as code in a table cell. A code span keeps HTML and links inert; text it cannot hold safely
 * (a backtick, a pipe or a backslash, which the table reads before the span) is shown as a plain cell.
 */
function codeCell(text) {
    const flat = text.replace(LINE_BREAKS, ' ');
    return flat === '' || /[`|\\]/.test(flat) ? cell(flat) : `\`${flat}\``;
}
/** A fenced code block that the text cannot close: the fence is longer than any run of backticks in it. */
function codeBlock(text, info = 'text') {
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return `${fence}${info}\n${text}\n${fence}`;
}


/***/ }),

/***/ 26582:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ neutralise),
/* harmony export */   r: () => (/* binding */ neutraliseJson)
/* harmony export */ });
/*
 * Untrusted text on the runner's log must not become a workflow command. The runner (actions/runner,
 * ActionCommand.cs) reads stdout and stderr line by line, splitting at LF, CR and CRLF, and takes a line
 * as a command when, with leading white space trimmed, it starts with `::name ...::`, or when it holds the
 * legacy `##[name ...]` anywhere. So every line a log message is made of is neutralised here: a `::` at the
 * start (after any white space) gets a backslash before it, and every `##[` becomes `##\[`. The text stays
 * readable; only the commands model-canary issues itself (./workflow-commands.ts) start with `::`.
 */
/** White space .NET's TrimStart removes (and more: control and zero-width characters), before a `::`. */
// eslint-disable-next-line no-control-regex -- control characters are what the runner trims too
const COMMAND_START = /^([\s\u0000-\u001f\u007f-\u009f\u180e\u200b-\u200f\u2060\ufeff]*)::/u;
const LEGACY = /##\[/g;
/** One line, made harmless to the runner's command parser. */
function neutraliseLine(line) {
    return line.replace(LEGACY, '##\\[').replace(COMMAND_START, '$1\\::');
}
/** The text with every line (split as the runner splits them) neutralised; line breaks become LF. */
function neutralise(text) {
    return text
        .split(/\r\n|\r|\n/)
        .map(neutraliseLine)
        .join('\n');
}
/** JSON for a line-oriented stream the runner reads: `##[` inside strings is written as `##\u005b` (the same value). */
function neutraliseJson(json) {
    return neutralise(json.replace(LEGACY, '##\\u005b'));
}


/***/ }),

/***/ 65666:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
function formatDuration(ms) {
    if (ms < 1000)
        return `${ms}ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${s.toFixed(1)}s`;
    const m = Math.floor(s / 60);
    return `${m}m${Math.round(s - m * 60)}s`;
}


/***/ }),

/***/ 43828:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ runStage)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(83916);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(65666);


/**
 * Runs one stage in its own log group and records it in the report. The stage's function returns a
 * one-line detail with its value; the group always ends with a line giving the elapsed time.
 */
async function runStage(logger, report, name, fn) {
    const started = Date.now();
    return logger.group(name, async () => {
        try {
            const { value, detail } = await fn();
            const durationMs = Date.now() - started;
            report.stages.push({ name, status: 'ok', durationMs, detail });
            logger.info(`${name} finished in ${(0,_report_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(durationMs)}: ${detail}`);
            return value;
        }
        catch (err) {
            const durationMs = Date.now() - started;
            const detail = err instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md ? (err.message.split('\n')[0] ?? err.message) : String(err);
            report.stages.push({ name, status: 'failed', durationMs, detail });
            logger.info(`${name} failed after ${(0,_report_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(durationMs)}`);
            throw err;
        }
    });
}


/***/ }),

/***/ 98288:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   EG: () => (/* binding */ loadCases),
/* harmony export */   f: () => (/* binding */ generateCases)
/* harmony export */ });
/* unused harmony exports parseCases, casesFromCard */
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(38815);
/* harmony import */ var _config_read_user_file_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(49617);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(83916);



/**
 * Reads a cases file: a YAML list (or a mapping with `cases:`), or JSON Lines (.jsonl), one case a line.
 * Every case needs a unique name and inputs; every problem in the file is listed at once.
 *
 *   - name: setosa
 *     inputs: [[5.1, 3.5, 1.4, 0.2]]
 *     expect:
 *       outputs: [setosa]        # or `predictions:` (same); exact, or within `tolerance`
 *       tolerance: 0.01          # a number (absolute) or {absolute, relative}
 *       classes: [setosa, versicolor]   # each output one of these (also `oneOf`)
 *       status: 200              # or a list; default any 2xx
 *       maxLatencyMs: 500
 *     async: { resultPath: /jobs/{id}, budgetMs: 30000 }   # a job: 202 with an id, then poll
 *     # model-canary's job queue: the inputs as rows, run on the pod's track's workers, predictions read back
 *     async: { submitPath: /v1/jobs, resultPath: /v1/jobs/{id}, inputsField: inputs, trackField: track, outputsField: predictions }
 */
function loadCases(file) {
    const text = (0,_config_read_user_file_js__WEBPACK_IMPORTED_MODULE_1__/* .readUserFile */ .E1)(file, { label: `Cases file ${file}`, maxBytes: 16 * _config_read_user_file_js__WEBPACK_IMPORTED_MODULE_1__/* .MiB */ .lv, hint: 'Check smoke.cases: the path is relative to the model file.' });
    return parseCases(text, file);
}
/** Parses the text of a cases file (see loadCases); `file` names it in messages and picks JSON Lines by extension. */
function parseCases(text, file) {
    let entries;
    const problems = [];
    try {
        if (file.endsWith('.jsonl') || file.endsWith('.ndjson')) {
            entries = [];
            text.split('\n').forEach((line, i) => {
                if (line.trim() === '')
                    return;
                try {
                    entries.push(JSON.parse(line));
                }
                catch (err) {
                    problems.push(`line ${i + 1} is not JSON (${err.message})`);
                }
            });
        }
        else {
            const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parse */ .qg)(text, { maxAliasCount: _config_read_user_file_js__WEBPACK_IMPORTED_MODULE_1__/* .YAML_MAX_ALIAS_COUNT */ .cV });
            entries = Array.isArray(doc) ? doc : (doc?.cases ?? []);
        }
    }
    catch (err) {
        if ((0,_config_read_user_file_js__WEBPACK_IMPORTED_MODULE_1__/* .isAliasBomb */ .V1)(err))
            throw (0,_config_read_user_file_js__WEBPACK_IMPORTED_MODULE_1__/* .aliasBombError */ .J3)(`Cases file ${file}`);
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .userError */ .IF)(`Cases file ${file} could not be read: ${err instanceof Error ? err.message : String(err)}`, 'Write a YAML list of cases, or one JSON object per line in a .jsonl file.');
    }
    const names = new Set();
    const cases = [];
    entries.forEach((entry, i) => {
        const c = parseCase(entry, i, problems);
        if (!c)
            return;
        if (names.has(c.name))
            problems.push(`case name "${c.name}" is used twice`);
        names.add(c.name);
        cases.push(c);
    });
    if (entries.length === 0 && problems.length === 0)
        problems.push('it holds no cases');
    if (problems.length > 0) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .userError */ .IF)(`Cases file ${file} has ${problems.length} problem(s): ${problems.join('; ')}.`, 'Give each case a unique name and its inputs; see the smoke section of the README for the fields.');
    }
    return cases;
}
const CASE_KEYS = new Set(['name', 'inputs', 'expect', 'output', 'tensor', 'async']);
const EXPECT_KEYS = new Set(['status', 'outputs', 'predictions', 'tolerance', 'classes', 'oneOf', 'maxLatencyMs']);
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function parseCase(entry, i, problems) {
    if (!isRecord(entry)) {
        problems.push(`case ${i + 1} is not a mapping`);
        return undefined;
    }
    const name = typeof entry['name'] === 'string' && entry['name'] !== '' ? entry['name'] : undefined;
    const label = name ? `case "${name}"` : `case ${i + 1}`;
    if (!name)
        problems.push(`case ${i + 1} has no name`);
    if (entry['inputs'] === undefined)
        problems.push(`${label} has no inputs`);
    for (const key of Object.keys(entry))
        if (!CASE_KEYS.has(key))
            problems.push(`${label}: unknown key "${key}"`);
    const before = problems.length;
    const c = { name: name ?? '', inputs: entry['inputs'], source: 'file' };
    if (entry['expect'] !== undefined) {
        const expect = parseExpect(entry['expect'], label, problems);
        if (expect)
            c.expect = expect;
    }
    if (entry['output'] !== undefined) {
        if (typeof entry['output'] === 'string')
            c.output = entry['output'];
        else
            problems.push(`${label}: output must be the name of an output`);
    }
    if (entry['tensor'] !== undefined) {
        const t = entry['tensor'];
        if (isRecord(t) && (t['name'] === undefined || typeof t['name'] === 'string') && (t['datatype'] === undefined || typeof t['datatype'] === 'string')) {
            c.tensor = {};
            if (typeof t['name'] === 'string')
                c.tensor.name = t['name'];
            if (typeof t['datatype'] === 'string')
                c.tensor.datatype = t['datatype'];
        }
        else
            problems.push(`${label}: tensor must be {name, datatype} strings`);
    }
    if (entry['async'] !== undefined) {
        const job = parseAsync(entry['async'], label, problems);
        if (job)
            c.async = job;
    }
    return name && entry['inputs'] !== undefined && problems.length === before ? c : undefined;
}
function parseExpect(raw, label, problems) {
    if (!isRecord(raw)) {
        problems.push(`${label}: expect must be a mapping`);
        return undefined;
    }
    const e = {};
    for (const key of Object.keys(raw))
        if (!EXPECT_KEYS.has(key))
            problems.push(`${label}: unknown key "expect.${key}"`);
    const status = raw['status'];
    if (status !== undefined) {
        const list = Array.isArray(status) ? status : [status];
        if (list.length > 0 && list.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
            e.status = Array.isArray(status) ? list : status;
        }
        else
            problems.push(`${label}: expect.status must be an HTTP status or a list of them`);
    }
    const outputs = raw['outputs'] ?? raw['predictions'];
    if (raw['outputs'] !== undefined && raw['predictions'] !== undefined)
        problems.push(`${label}: give expect.outputs or expect.predictions, not both`);
    if (outputs !== undefined)
        e.outputs = Array.isArray(outputs) ? outputs : [outputs];
    const tolerance = raw['tolerance'];
    if (tolerance !== undefined) {
        if (typeof tolerance === 'number' && tolerance >= 0)
            e.tolerance = { absolute: tolerance };
        else if (isRecord(tolerance) &&
            ['absolute', 'relative'].some((k) => tolerance[k] !== undefined) &&
            Object.entries(tolerance).every(([k, v]) => (k === 'absolute' || k === 'relative') && typeof v === 'number' && v >= 0)) {
            e.tolerance = {};
            if (typeof tolerance['absolute'] === 'number')
                e.tolerance.absolute = tolerance['absolute'];
            if (typeof tolerance['relative'] === 'number')
                e.tolerance.relative = tolerance['relative'];
        }
        else
            problems.push(`${label}: expect.tolerance must be a number >= 0 or {absolute, relative}`);
        if (outputs === undefined)
            problems.push(`${label}: expect.tolerance needs expect.outputs`);
    }
    const classes = raw['classes'] ?? raw['oneOf'];
    if (classes !== undefined) {
        if (Array.isArray(classes) && classes.length > 0)
            e.classes = classes;
        else
            problems.push(`${label}: expect.classes must be a non-empty list`);
    }
    const maxLatency = raw['maxLatencyMs'];
    if (maxLatency !== undefined) {
        if (typeof maxLatency === 'number' && maxLatency > 0)
            e.maxLatencyMs = maxLatency;
        else
            problems.push(`${label}: expect.maxLatencyMs must be a number above 0`);
    }
    return e;
}
const ASYNC_KEYS = new Set([
    'submitPath',
    'resultPath',
    'idField',
    'statusField',
    'doneValues',
    'failedValues',
    'pollIntervalMs',
    'budgetMs',
    'inputsField',
    'trackField',
    'outputsField',
]);
const ASYNC_TEXT_KEYS = new Set(['submitPath', 'idField', 'statusField', 'inputsField', 'trackField', 'outputsField']);
function parseAsync(raw, label, problems) {
    if (!isRecord(raw) || typeof raw['resultPath'] !== 'string' || !raw['resultPath'].startsWith('/')) {
        problems.push(`${label}: async needs resultPath, a path starting with / (with {id} for the job id)`);
        return undefined;
    }
    const job = { resultPath: raw['resultPath'] };
    for (const [key, value] of Object.entries(raw)) {
        if (!ASYNC_KEYS.has(key))
            problems.push(`${label}: unknown key "async.${key}"`);
        else if (ASYNC_TEXT_KEYS.has(key)) {
            if (typeof value === 'string' && value !== '')
                job[key] = value;
            else
                problems.push(`${label}: async.${key} must be a string`);
        }
        else if (key === 'doneValues' || key === 'failedValues') {
            if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
                job[key] = value;
            else
                problems.push(`${label}: async.${key} must be a list of strings`);
        }
        else if (key === 'pollIntervalMs' || key === 'budgetMs') {
            if (typeof value === 'number' && value > 0)
                job[key] = value;
            else
                problems.push(`${label}: async.${key} must be a number of ms above 0`);
        }
    }
    if (job.submitPath !== undefined && !job.submitPath.startsWith('/'))
        problems.push(`${label}: async.submitPath must start with /`);
    return job;
}
/**
 * Makes `count` cases from a model card's feature names: each a single row of values spread over the
 * feature's range (the card's `feature_ranges` {name: [min, max]}, else 0 to 1), deterministic. Each
 * expects a 2xx answer and, when the card lists `class_names`, an output from that set.
 */
function generateCases(cardFile, count) {
    const text = (0,_config_read_user_file_js__WEBPACK_IMPORTED_MODULE_1__/* .readUserFile */ .E1)(cardFile, { label: `The model card ${cardFile}`, maxBytes: 4 * _config_read_user_file_js__WEBPACK_IMPORTED_MODULE_1__/* .MiB */ .lv, hint: 'model.card must be a JSON file with feature_names.' });
    let card;
    try {
        card = JSON.parse(text);
    }
    catch (err) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .userError */ .IF)(`The model card ${cardFile} could not be read as JSON: ${err.message}`, 'model.card must be a JSON file with feature_names.');
    }
    return casesFromCard(card, count, cardFile);
}
function casesFromCard(card, count, where = 'the model card') {
    const names = card.feature_names;
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .userError */ .IF)(`${where} has no feature_names, so no cases can be generated.`, 'Add "feature_names": [...] to the card, or set smoke.generateCases to 0 and write smoke.cases.');
    }
    const ranges = isRecord(card.feature_ranges) ? card.feature_ranges : {};
    const classes = Array.isArray(card.class_names) && card.class_names.length > 0 ? card.class_names : undefined;
    const cases = [];
    for (let k = 0; k < count; k++) {
        const row = names.map((name, j) => {
            const r = ranges[name];
            const [lo, hi] = Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number') ? r : [0, 1];
            // A low-discrepancy spread over the range (golden ratio steps), offset per feature.
            const t = ((((k + 1) * 0.6180339887 + j * 0.7548776662) % 1) + 1) % 1;
            return Math.round((lo + t * (hi - lo)) * 1000) / 1000;
        });
        const c = { name: `generated-${k + 1}`, inputs: [row], source: 'generated' };
        if (classes)
            c.expect = { classes };
        cases.push(c);
    }
    return cases;
}


/***/ }),

/***/ 85291:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  d: () => (/* binding */ inspectTool),
  H: () => (/* binding */ resolveTool)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(76760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(83916);
;// CONCATENATED MODULE: ./src/tools/checksums.ts
const RELEASES = {
    docker: {},
    kubectl: {
        '1.34.4': {
            'linux-x64': {
                url: 'https://dl.k8s.io/release/v1.34.4/bin/linux/amd64/kubectl',
                sha256: 'd50c359d95e0841eaad08ddc27c7be37cba8fdccfba5c8e2ded65e121ff112db',
                archive: 'raw',
            },
            'linux-arm64': {
                url: 'https://dl.k8s.io/release/v1.34.4/bin/linux/arm64/kubectl',
                sha256: '5b982c0644ab1e27780246b9085a5886651b4a7ed86243acbb2bacc1bea01dda',
                archive: 'raw',
            },
        },
    },
    helm: {
        '3.22.0': {
            'linux-x64': {
                url: 'https://get.helm.sh/helm-v3.22.0-linux-amd64.tar.gz',
                sha256: '1e4ab49e429626cf6c6958d914248b78c9730803c2751b87627e171dc800e7bb',
                archive: 'tar.gz',
                binaryPath: 'linux-amd64/helm',
            },
            'linux-arm64': {
                url: 'https://get.helm.sh/helm-v3.22.0-linux-arm64.tar.gz',
                sha256: 'f14e804dfee240f55525b667488fe9adca349e63e00c9af634c0beb1421ac310',
                archive: 'tar.gz',
                binaryPath: 'linux-arm64/helm',
            },
        },
    },
    trivy: {
        '0.74.0': {
            'linux-x64': {
                url: 'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz',
                sha256: '2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a',
                archive: 'tar.gz',
                binaryPath: 'trivy',
            },
            'linux-arm64': {
                url: 'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-ARM64.tar.gz',
                sha256: 'b94ce1976bbf3c15b514b605ee88be7c6d94a29be2302847ff01cb794d47aad5',
                archive: 'tar.gz',
                binaryPath: 'trivy',
            },
        },
    },
};
function currentPlatform() {
    if (process.platform !== 'linux')
        return undefined;
    if (process.arch === 'x64')
        return 'linux-x64';
    if (process.arch === 'arm64')
        return 'linux-arm64';
    return undefined;
}
function releaseFor(name, version, platform = currentPlatform()) {
    if (!platform)
        return undefined;
    return RELEASES[name][version]?.[platform];
}

;// CONCATENATED MODULE: ./src/tools/specs.ts
const TOOL_SPECS = {
    docker: {
        name: 'docker',
        minVersion: '20.10.0',
        versionArgs: ['--version'],
        installHint: 'Docker must be installed on the runner (GitHub-hosted Ubuntu runners have it); model-canary does not install it.',
    },
    kubectl: {
        name: 'kubectl',
        minVersion: '1.30.0',
        versionArgs: ['version', '--client', '-o', 'json'],
        pinned: '1.34.4',
        installHint: 'Install kubectl 1.30 or newer, or remove it from PATH so model-canary installs its pinned version.',
    },
    helm: {
        name: 'helm',
        minVersion: '3.14.0',
        versionArgs: ['version', '--template', '{{.Version}}'],
        pinned: '3.22.0',
        installHint: 'Install helm 3.14 or newer, or remove it from PATH so model-canary installs its pinned version.',
    },
    trivy: {
        name: 'trivy',
        minVersion: '0.50.0',
        versionArgs: ['--version'],
        pinned: '0.74.0',
        installHint: 'Install trivy 0.50 or newer, or remove it from PATH so model-canary installs its pinned version.',
    },
};

;// CONCATENATED MODULE: ./src/tools/version.ts
/** A dotted numeric version: 1.34.4 from "v1.34.4", "Version: 0.74.0", "28.2.2, build e6534b4". */
function extractVersion(text) {
    const match = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
    if (!match)
        return undefined;
    return `${match[1]}.${match[2]}.${match[3] ?? '0'}`;
}
/** -1, 0 or 1 as a is older, equal or newer than b (numeric dotted versions). */
function compareVersions(a, b) {
    const pa = a.replace(/^v/, '').split('.').map(Number);
    const pb = b.replace(/^v/, '').split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const x = pa[i] ?? 0;
        const y = pb[i] ?? 0;
        if (x !== y)
            return x < y ? -1 : 1;
    }
    return 0;
}

;// CONCATENATED MODULE: ./src/tools/resolve.ts






/** Finds a tool on PATH and checks its version, without installing anything. */
async function inspectTool(name, deps) {
    const spec = TOOL_SPECS[name];
    const found = findExecutable(name, deps.searchPath);
    if (found) {
        const version = await probeVersion(spec, found, deps);
        if (version && compareVersions(version, spec.minVersion) >= 0) {
            return { state: 'found', tool: { name, path: found, version, source: 'path' } };
        }
        const why = version ? `${found} is version ${version}, older than the ${spec.minVersion} model-canary needs` : `could not read the version of ${found}`;
        if (spec.pinned && releaseFor(name, spec.pinned))
            return { state: 'will-install', name, version: spec.pinned, reason: why };
        return { state: 'missing', name, problem: `${why}. ${spec.installHint}` };
    }
    if (spec.pinned && releaseFor(name, spec.pinned)) {
        return { state: 'will-install', name, version: spec.pinned, reason: 'not on PATH' };
    }
    return { state: 'missing', name, problem: `${name} is not on PATH. ${spec.installHint}` };
}
/** Finds a tool on PATH, or installs its pinned release; throws a tool error saying what to do. */
async function resolveTool(name, deps) {
    const status = await inspectTool(name, deps);
    if (status.state === 'found')
        return status.tool;
    if (status.state === 'missing')
        throw new errors/* ModelCanaryError */.Md('tool', status.problem);
    const source = releaseFor(name, status.version);
    if (!source)
        throw new errors/* ModelCanaryError */.Md('tool', `No pinned release of ${name} for this platform.`, TOOL_SPECS[name].installHint);
    // Loaded only to install: it brings node:crypto and, in turn, @actions/tool-cache.
    const { installTool } = await __nccwpck_require__.e(/* import() */ 884).then(__nccwpck_require__.bind(__nccwpck_require__, 54884));
    const binary = await installTool(name, status.version, source, deps);
    return { name, path: binary, version: status.version, source: 'installed' };
}
function findExecutable(name, searchPath) {
    for (const dir of searchPath.split((external_node_path_default()).delimiter)) {
        if (!dir)
            continue;
        const candidate = external_node_path_default().join(dir, name);
        try {
            const st = (0,external_node_fs_.statSync)(candidate);
            if (st.isFile() && (st.mode & 0o111) !== 0)
                return candidate;
        }
        catch {
            // not in this folder
        }
    }
    return undefined;
}
/**
 * Runs the tool's version command, remembering the answer per binary (path, size, mtime) so a plan does
 * not start four processes every time.
 */
async function probeVersion(spec, binary, deps) {
    const st = (0,external_node_fs_.statSync)(binary);
    const key = `${binary}:${st.size}:${Math.round(st.mtimeMs)}`;
    const cacheFile = deps.cacheDir ? external_node_path_default().join(deps.cacheDir, 'tool-versions.json') : undefined;
    const cache = readCache(cacheFile);
    const known = cache[key];
    if (known)
        return known;
    const result = await deps.exec(binary, spec.versionArgs, { allowFailure: true, timeoutMs: 30_000 });
    const text = spec.name === 'kubectl' ? kubectlClientVersion(result.stdout) : result.stdout;
    const version = result.exitCode === 0 ? extractVersion(text) : undefined;
    if (version && cacheFile) {
        // Read again: the probes of a plan run in parallel, and each would otherwise write back the cache as
        // it was before any of them finished, keeping only the last tool's version.
        const latest = { ...readCache(cacheFile), [key]: version };
        try {
            (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(cacheFile), { recursive: true });
            (0,external_node_fs_.writeFileSync)(cacheFile, JSON.stringify(latest));
        }
        catch {
            // a cache that cannot be written only costs time
        }
    }
    return version;
}
function kubectlClientVersion(stdout) {
    try {
        const parsed = JSON.parse(stdout);
        return parsed.clientVersion?.gitVersion ?? stdout;
    }
    catch {
        return stdout;
    }
}
function readCache(file) {
    if (!file || !(0,external_node_fs_.existsSync)(file))
        return {};
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch {
        return {};
    }
}


/***/ }),

/***/ 64994:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 20181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 35317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 76982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 24434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 79896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 58611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 65692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 69278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 34589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 16698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 31421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 37540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 77598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 53053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 40610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 78474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 73024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 51455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 37067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 32467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 77030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 48161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 76760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 41792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 57075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 41692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 73136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 57975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 73429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 75919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 38522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 70857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 16928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 13193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 53557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 64756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 52018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 39023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 57349:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var Scalar = __nccwpck_require__(63301);
var YAMLMap = __nccwpck_require__(84454);
var YAMLSeq = __nccwpck_require__(92223);
var resolveBlockMap = __nccwpck_require__(87103);
var resolveBlockSeq = __nccwpck_require__(90334);
var resolveFlowCollection = __nccwpck_require__(13142);

function resolveCollection(CN, ctx, token, onError, tagName, tag) {
    const coll = token.type === 'block-map'
        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
        : token.type === 'block-seq'
            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
    const Coll = coll.constructor;
    // If we got a tagName matching the class, or the tag name is '!',
    // then use the tagName from the node class used to create it.
    if (tagName === '!' || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
    }
    if (tagName)
        coll.tag = tagName;
    return coll;
}
function composeCollection(CN, ctx, token, props, onError) {
    const tagToken = props.tag;
    const tagName = !tagToken
        ? null
        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
    if (token.type === 'block-seq') {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken
            ? anchor.offset > tagToken.offset
                ? anchor
                : tagToken
            : (anchor ?? tagToken);
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
            const message = 'Missing newline after block sequence props';
            onError(lastProp, 'MISSING_CHAR', message);
        }
    }
    const expType = token.type === 'block-map'
        ? 'map'
        : token.type === 'block-seq'
            ? 'seq'
            : token.start.source === '{'
                ? 'map'
                : 'seq';
    // shortcut: check if it's a generic YAMLMap or YAMLSeq
    // before jumping into the custom tag logic.
    if (!tagToken ||
        !tagName ||
        tagName === '!' ||
        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
        return resolveCollection(CN, ctx, token, onError, tagName);
    }
    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
    if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
            tag = kt;
        }
        else {
            if (kt) {
                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
            }
            else {
                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
            }
            return resolveCollection(CN, ctx, token, onError, tagName);
        }
    }
    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
    const node = identity.isNode(res)
        ? res
        : new Scalar.Scalar(res);
    node.range = coll.range;
    node.tag = tagName;
    if (tag?.format)
        node.format = tag.format;
    return node;
}

exports.composeCollection = composeCollection;


/***/ }),

/***/ 23683:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Document = __nccwpck_require__(3021);
var composeNode = __nccwpck_require__(45937);
var resolveEnd = __nccwpck_require__(17788);
var resolveProps = __nccwpck_require__(34631);

function composeDoc(options, directives, { offset, start, value, end }, onError) {
    const opts = Object.assign({ _directives: directives }, options);
    const doc = new Document.Document(undefined, opts);
    const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
    };
    const props = resolveProps.resolveProps(start, {
        indicator: 'doc-start',
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
    });
    if (props.found) {
        doc.directives.docStart = true;
        if (value &&
            (value.type === 'block-map' || value.type === 'block-seq') &&
            !props.hasNewline)
            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    }
    // @ts-expect-error If Contents is set, let's trust the user
    doc.contents = value
        ? composeNode.composeNode(ctx, value, props, onError)
        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
    const contentEnd = doc.contents.range[2];
    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
    if (re.comment)
        doc.comment = re.comment;
    doc.range = [offset, contentEnd, re.offset];
    return doc;
}

exports.composeDoc = composeDoc;


/***/ }),

/***/ 45937:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(41127);
var composeCollection = __nccwpck_require__(57349);
var composeScalar = __nccwpck_require__(5413);
var resolveEnd = __nccwpck_require__(17788);
var utilEmptyScalarPosition = __nccwpck_require__(22599);

const CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
    const atKey = ctx.atKey;
    const { spaceBefore, comment, anchor, tag } = props;
    let node;
    let isSrcToken = true;
    switch (token.type) {
        case 'alias':
            node = composeAlias(ctx, token, onError);
            if (anchor || tag)
                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
            break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
            node = composeScalar.composeScalar(ctx, token, tag, onError);
            if (anchor)
                node.anchor = anchor.source.substring(1);
            break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
            try {
                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
                if (anchor)
                    node.anchor = anchor.source.substring(1);
            }
            catch (error) {
                // Almost certainly here due to a stack overflow
                const message = error instanceof Error ? error.message : String(error);
                onError(token, 'RESOURCE_EXHAUSTION', message);
            }
            break;
        default: {
            const message = token.type === 'error'
                ? token.message
                : `Unsupported token (type: ${token.type})`;
            onError(token, 'UNEXPECTED_TOKEN', message);
            isSrcToken = false;
        }
    }
    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
    if (anchor && node.anchor === '')
        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    if (atKey &&
        ctx.options.stringKeys &&
        (!identity.isScalar(node) ||
            typeof node.value !== 'string' ||
            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
        const msg = 'With stringKeys, all keys must be strings';
        onError(tag ?? token, 'NON_STRING_KEY', msg);
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        if (token.type === 'scalar' && token.source === '')
            node.comment = comment;
        else
            node.commentBefore = comment;
    }
    // @ts-expect-error Type checking misses meaning of isSrcToken
    if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
    return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
    const token = {
        type: 'scalar',
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ''
    };
    const node = composeScalar.composeScalar(ctx, token, tag, onError);
    if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === '')
            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        node.comment = comment;
        node.range[2] = end;
    }
    return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
    const alias = new Alias.Alias(source.substring(1));
    if (alias.source === '')
        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
    if (alias.source.endsWith(':'))
        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
    alias.range = [offset, valueEnd, re.offset];
    if (re.comment)
        alias.comment = re.comment;
    return alias;
}

exports.composeEmptyNode = composeEmptyNode;
exports.composeNode = composeNode;


/***/ }),

/***/ 5413:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var Scalar = __nccwpck_require__(63301);
var resolveBlockScalar = __nccwpck_require__(48913);
var resolveFlowScalar = __nccwpck_require__(76842);

function composeScalar(ctx, token, tagToken, onError) {
    const { value, type, comment, range } = token.type === 'block-scalar'
        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
    const tagName = tagToken
        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
        : null;
    let tag;
    if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
    }
    else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
    else if (token.type === 'scalar')
        tag = findScalarTagByTest(ctx, value, token, onError);
    else
        tag = ctx.schema[identity.SCALAR];
    let scalar;
    try {
        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
    }
    catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
        scalar = new Scalar.Scalar(value);
    }
    scalar.range = range;
    scalar.source = value;
    if (type)
        scalar.type = type;
    if (tagName)
        scalar.tag = tagName;
    if (tag.format)
        scalar.format = tag.format;
    if (comment)
        scalar.comment = comment;
    return scalar;
}
function findScalarTagByName(schema, value, tagName, tagToken, onError) {
    if (tagName === '!')
        return schema[identity.SCALAR]; // non-specific tag
    const matchWithTest = [];
    for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
            if (tag.default && tag.test)
                matchWithTest.push(tag);
            else
                return tag;
        }
    }
    for (const tag of matchWithTest)
        if (tag.test?.test(value))
            return tag;
    const kt = schema.knownTags[tagName];
    if (kt && !kt.collection) {
        // Ensure that the known tag is available for stringifying,
        // but does not get used by default.
        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
        return kt;
    }
    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
    return schema[identity.SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
        tag.test?.test(value)) || schema[identity.SCALAR];
    if (schema.compat) {
        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
            schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
            const ts = directives.tagString(tag.tag);
            const cs = directives.tagString(compat.tag);
            const msg = `Value may be parsed as either ${ts} or ${cs}`;
            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
        }
    }
    return tag;
}

exports.composeScalar = composeScalar;


/***/ }),

/***/ 89984:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var directives = __nccwpck_require__(61342);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(91464);
var identity = __nccwpck_require__(41127);
var composeDoc = __nccwpck_require__(23683);
var resolveEnd = __nccwpck_require__(17788);

function getErrorPos(src) {
    if (typeof src === 'number')
        return [src, src + 1];
    if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
    const { offset, source } = src;
    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
}
function parsePrelude(prelude) {
    let comment = '';
    let atComment = false;
    let afterEmptyLine = false;
    for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
            case '#':
                comment +=
                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
                        (source.substring(1) || ' ');
                atComment = true;
                afterEmptyLine = false;
                break;
            case '%':
                if (prelude[i + 1]?.[0] !== '#')
                    i += 1;
                atComment = false;
                break;
            default:
                // This may be wrong after doc-end, but in that case it doesn't matter
                if (!atComment)
                    afterEmptyLine = true;
                atComment = false;
        }
    }
    return { comment, afterEmptyLine };
}
/**
 * Compose a stream of CST nodes into a stream of YAML Documents.
 *
 * ```ts
 * import { Composer, Parser } from 'yaml'
 *
 * const src: string = ...
 * const tokens = new Parser().parse(src)
 * const docs = new Composer().compose(tokens)
 * ```
 */
class Composer {
    constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
            const pos = getErrorPos(source);
            if (warning)
                this.warnings.push(new errors.YAMLWarning(pos, code, message));
            else
                this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        this.directives = new directives.Directives({ version: options.version || '1.2' });
        this.options = options;
    }
    decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        //console.log({ dc: doc.comment, prelude, comment })
        if (comment) {
            const dc = doc.contents;
            if (afterDoc) {
                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
            }
            else if (afterEmptyLine || doc.directives.docStart || !dc) {
                doc.commentBefore = comment;
            }
            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
                let it = dc.items[0];
                if (identity.isPair(it))
                    it = it.key;
                const cb = it.commentBefore;
                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
            else {
                const cb = dc.commentBefore;
                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
        }
        if (afterDoc) {
            for (let i = 0; i < this.errors.length; ++i)
                doc.errors.push(this.errors[i]);
            for (let i = 0; i < this.warnings.length; ++i)
                doc.warnings.push(this.warnings[i]);
        }
        else {
            doc.errors = this.errors;
            doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
    }
    /**
     * Current stream status information.
     *
     * Mostly useful at the end of input for an empty stream.
     */
    streamInfo() {
        return {
            comment: parsePrelude(this.prelude).comment,
            directives: this.directives,
            errors: this.errors,
            warnings: this.warnings
        };
    }
    /**
     * Compose tokens into documents.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
            yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
    }
    /** Advance the composer by one CST token. */
    *next(token) {
        if (node_process.env.LOG_STREAM)
            console.dir(token, { depth: null });
        switch (token.type) {
            case 'directive':
                this.directives.add(token.source, (offset, message, warning) => {
                    const pos = getErrorPos(token);
                    pos[0] += offset;
                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
                });
                this.prelude.push(token.source);
                this.atDirectives = true;
                break;
            case 'document': {
                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
                if (this.atDirectives && !doc.directives.docStart)
                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
                this.decorate(doc, false);
                if (this.doc)
                    yield this.doc;
                this.doc = doc;
                this.atDirectives = false;
                break;
            }
            case 'byte-order-mark':
            case 'space':
                break;
            case 'comment':
            case 'newline':
                this.prelude.push(token.source);
                break;
            case 'error': {
                const msg = token.source
                    ? `${token.message}: ${JSON.stringify(token.source)}`
                    : token.message;
                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
                if (this.atDirectives || !this.doc)
                    this.errors.push(error);
                else
                    this.doc.errors.push(error);
                break;
            }
            case 'doc-end': {
                if (!this.doc) {
                    const msg = 'Unexpected doc-end without preceding document';
                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
                    break;
                }
                this.doc.directives.docEnd = true;
                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
                this.decorate(this.doc, true);
                if (end.comment) {
                    const dc = this.doc.comment;
                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
                }
                this.doc.range[2] = end.offset;
                break;
            }
            default:
                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
        }
    }
    /**
     * Call at end of input to yield any remaining document.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
            this.decorate(this.doc, true);
            yield this.doc;
            this.doc = null;
        }
        else if (forceDoc) {
            const opts = Object.assign({ _directives: this.directives }, this.options);
            const doc = new Document.Document(undefined, opts);
            if (this.atDirectives)
                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
            doc.range = [0, endOffset, endOffset];
            this.decorate(doc, false);
            yield doc;
        }
    }
}

exports.Composer = Composer;


/***/ }),

/***/ 87103:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Pair = __nccwpck_require__(57165);
var YAMLMap = __nccwpck_require__(84454);
var resolveProps = __nccwpck_require__(34631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilFlowIndentCheck = __nccwpck_require__(74051);
var utilMapIncludes = __nccwpck_require__(81187);

const startColMsg = 'All mapping items must start at the same column';
function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
    const map = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    let offset = bm.offset;
    let commentEnd = null;
    for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        // key properties
        const keyProps = resolveProps.resolveProps(start, {
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: bm.indent,
            startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
            if (key) {
                if (key.type === 'block-seq')
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
                else if ('indent' in key && key.indent !== bm.indent)
                    onError(offset, 'BAD_INDENT', startColMsg);
            }
            if (!keyProps.anchor && !keyProps.tag && !sep) {
                commentEnd = keyProps.end;
                if (keyProps.comment) {
                    if (map.comment)
                        map.comment += '\n' + keyProps.comment;
                    else
                        map.comment = keyProps.comment;
                }
                continue;
            }
            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
            }
        }
        else if (keyProps.found?.indent !== bm.indent) {
            onError(offset, 'BAD_INDENT', startColMsg);
        }
        // key value
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key
            ? composeNode(ctx, key, keyProps, onError)
            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
        // value properties
        const valueProps = resolveProps.resolveProps(sep ?? [], {
            indicator: 'map-value-ind',
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: bm.indent,
            startOnNewline: !key || key.type === 'block-scalar'
        });
        offset = valueProps.end;
        if (valueProps.found) {
            if (implicitKey) {
                if (value?.type === 'block-map' && !valueProps.hasNewline)
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
                if (ctx.options.strict &&
                    keyProps.start < valueProps.found.offset - 1024)
                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
            if (ctx.schema.compat)
                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
            offset = valueNode.range[2];
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
        else {
            // key with no value
            if (implicitKey)
                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
            if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
    }
    if (commentEnd && commentEnd < offset)
        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    map.range = [bm.offset, offset, commentEnd ?? offset];
    return map;
}

exports.resolveBlockMap = resolveBlockMap;


/***/ }),

/***/ 48913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(63301);

function resolveBlockScalar(ctx, scalar, onError) {
    const start = scalar.offset;
    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
    if (!header)
        return { value: '', type: null, comment: '', range: [start, start, start] };
    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
    const lines = scalar.source ? splitLines(scalar.source) : [];
    // determine the end of content & start of chomping
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === '' || content === '\r')
            chompStart = i;
        else
            break;
    }
    // shortcut for empty contents
    if (chompStart === 0) {
        const value = header.chomp === '+' && lines.length > 0
            ? '\n'.repeat(Math.max(1, lines.length - 1))
            : '';
        let end = start + header.length;
        if (scalar.source)
            end += scalar.source.length;
        return { value, type, comment: header.comment, range: [start, end, end] };
    }
    // find the indentation level to trim from start
    let trimIndent = scalar.indent + header.indent;
    let offset = scalar.offset + header.length;
    let contentStart = 0;
    for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === '' || content === '\r') {
            if (header.indent === 0 && indent.length > trimIndent)
                trimIndent = indent.length;
        }
        else {
            if (indent.length < trimIndent) {
                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
                onError(offset + indent.length, 'MISSING_CHAR', message);
            }
            if (header.indent === 0)
                trimIndent = indent.length;
            contentStart = i;
            if (trimIndent === 0 && !ctx.atRoot) {
                const message = 'Block scalar values in collections must be indented';
                onError(offset, 'BAD_INDENT', message);
            }
            break;
        }
        offset += indent.length + content.length + 1;
    }
    // include trailing more-indented empty lines in content
    for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
            chompStart = i + 1;
    }
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    // leading whitespace is kept intact
    for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + '\n';
    for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === '\r';
        if (crlf)
            content = content.slice(0, -1);
        /* istanbul ignore if already caught in lexer */
        if (content && indent.length < trimIndent) {
            const src = header.indent
                ? 'explicit indentation indicator'
                : 'first line';
            const message = `Block scalar lines must not be less indented than their ${src}`;
            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
            indent = '';
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
        }
        else if (indent.length > trimIndent || content[0] === '\t') {
            // more-indented content within a folded block
            if (sep === ' ')
                sep = '\n';
            else if (!prevMoreIndented && sep === '\n')
                sep = '\n\n';
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
            prevMoreIndented = true;
        }
        else if (content === '') {
            // empty line
            if (sep === '\n')
                value += '\n';
            else
                sep = '\n';
        }
        else {
            value += sep + content;
            sep = ' ';
            prevMoreIndented = false;
        }
    }
    switch (header.chomp) {
        case '-':
            break;
        case '+':
            for (let i = chompStart; i < lines.length; ++i)
                value += '\n' + lines[i][0].slice(trimIndent);
            if (value[value.length - 1] !== '\n')
                value += '\n';
            break;
        default:
            value += '\n';
    }
    const end = start + header.length + scalar.source.length;
    return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
    /* istanbul ignore if should not happen */
    if (props[0].type !== 'block-scalar-header') {
        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
        return null;
    }
    const { source } = props[0];
    const mode = source[0];
    let indent = 0;
    let chomp = '';
    let error = -1;
    for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === '-' || ch === '+'))
            chomp = ch;
        else {
            const n = Number(ch);
            if (!indent && n)
                indent = n;
            else if (error === -1)
                error = offset + i;
        }
    }
    if (error !== -1)
        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
    let hasSpace = false;
    let comment = '';
    let length = source.length;
    for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
            case 'space':
                hasSpace = true;
            // fallthrough
            case 'newline':
                length += token.source.length;
                break;
            case 'comment':
                if (strict && !hasSpace) {
                    const message = 'Comments must be separated from other tokens by white space characters';
                    onError(token, 'MISSING_CHAR', message);
                }
                length += token.source.length;
                comment = token.source.substring(1);
                break;
            case 'error':
                onError(token, 'UNEXPECTED_TOKEN', token.message);
                length += token.source.length;
                break;
            /* istanbul ignore next should not happen */
            default: {
                const message = `Unexpected token in block scalar header: ${token.type}`;
                onError(token, 'UNEXPECTED_TOKEN', message);
                const ts = token.source;
                if (ts && typeof ts === 'string')
                    length += ts.length;
            }
        }
    }
    return { mode, indent, chomp, comment, length };
}
/** @returns Array of lines split up as `[indent, content]` */
function splitLines(source) {
    const split = source.split(/\n( *)/);
    const first = split[0];
    const m = first.match(/^( *)/);
    const line0 = m?.[1]
        ? [m[1], first.slice(m[1].length)]
        : ['', first];
    const lines = [line0];
    for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
    return lines;
}

exports.resolveBlockScalar = resolveBlockScalar;


/***/ }),

/***/ 90334:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var YAMLSeq = __nccwpck_require__(92223);
var resolveProps = __nccwpck_require__(34631);
var utilFlowIndentCheck = __nccwpck_require__(74051);

function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
    const seq = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = bs.offset;
    let commentEnd = null;
    for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
            indicator: 'seq-item-ind',
            next: value,
            offset,
            onError,
            parentIndent: bs.indent,
            startOnNewline: true
        });
        if (!props.found) {
            if (props.anchor || props.tag || value) {
                if (value?.type === 'block-seq')
                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
                else
                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
            }
            else {
                commentEnd = props.end;
                if (props.comment)
                    seq.comment = props.comment;
                continue;
            }
        }
        const node = value
            ? composeNode(ctx, value, props, onError)
            : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
    }
    seq.range = [bs.offset, offset, commentEnd ?? offset];
    return seq;
}

exports.resolveBlockSeq = resolveBlockSeq;


/***/ }),

/***/ 17788:
/***/ ((__unused_webpack_module, exports) => {



function resolveEnd(end, offset, reqSpace, onError) {
    let comment = '';
    if (end) {
        let hasSpace = false;
        let sep = '';
        for (const token of end) {
            const { source, type } = token;
            switch (type) {
                case 'space':
                    hasSpace = true;
                    break;
                case 'comment': {
                    if (reqSpace && !hasSpace)
                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                    const cb = source.substring(1) || ' ';
                    if (!comment)
                        comment = cb;
                    else
                        comment += sep + cb;
                    sep = '';
                    break;
                }
                case 'newline':
                    if (comment)
                        sep += source;
                    hasSpace = true;
                    break;
                default:
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
            }
            offset += source.length;
        }
    }
    return { comment, offset };
}

exports.resolveEnd = resolveEnd;


/***/ }),

/***/ 13142:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var Pair = __nccwpck_require__(57165);
var YAMLMap = __nccwpck_require__(84454);
var YAMLSeq = __nccwpck_require__(92223);
var resolveEnd = __nccwpck_require__(17788);
var resolveProps = __nccwpck_require__(34631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilMapIncludes = __nccwpck_require__(81187);

const blockMsg = 'Block collections are not allowed within flow collections';
const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
    const coll = new NodeClass(ctx.schema);
    coll.flow = true;
    const atRoot = ctx.atRoot;
    if (atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
            flow: fcName,
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
        });
        if (!props.found) {
            if (!props.anchor && !props.tag && !sep && !value) {
                if (i === 0 && props.comma)
                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
                else if (i < fc.items.length - 1)
                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
                if (props.comment) {
                    if (coll.comment)
                        coll.comment += '\n' + props.comment;
                    else
                        coll.comment = props.comment;
                }
                offset = props.end;
                continue;
            }
            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
                onError(key, // checked by containsNewline()
                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
        }
        if (i === 0) {
            if (props.comma)
                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
        }
        else {
            if (!props.comma)
                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
            if (props.comment) {
                let prevItemComment = '';
                loop: for (const st of start) {
                    switch (st.type) {
                        case 'comma':
                        case 'space':
                            break;
                        case 'comment':
                            prevItemComment = st.source.substring(1);
                            break loop;
                        default:
                            break loop;
                    }
                }
                if (prevItemComment) {
                    let prev = coll.items[coll.items.length - 1];
                    if (identity.isPair(prev))
                        prev = prev.value ?? prev.key;
                    if (prev.comment)
                        prev.comment += '\n' + prevItemComment;
                    else
                        prev.comment = prevItemComment;
                    props.comment = props.comment.substring(prevItemComment.length + 1);
                }
            }
        }
        if (!isMap && !sep && !props.found) {
            // item is a value in a seq
            // → key & sep are empty, start does not include ? or :
            const valueNode = value
                ? composeNode(ctx, value, props, onError)
                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
            coll.items.push(valueNode);
            offset = valueNode.range[2];
            if (isBlock(value))
                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
        }
        else {
            // item is a key+value pair
            // key value
            ctx.atKey = true;
            const keyStart = props.end;
            const keyNode = key
                ? composeNode(ctx, key, props, onError)
                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
            if (isBlock(key))
                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
            ctx.atKey = false;
            // value properties
            const valueProps = resolveProps.resolveProps(sep ?? [], {
                flow: fcName,
                indicator: 'map-value-ind',
                next: value,
                offset: keyNode.range[2],
                onError,
                parentIndent: fc.indent,
                startOnNewline: false
            });
            if (valueProps.found) {
                if (!isMap && !props.found && ctx.options.strict) {
                    if (sep)
                        for (const st of sep) {
                            if (st === valueProps.found)
                                break;
                            if (st.type === 'newline') {
                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
                                break;
                            }
                        }
                    if (props.start < valueProps.found.offset - 1024)
                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
                }
            }
            else if (value) {
                if ('source' in value && value.source?.[0] === ':')
                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
                else
                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : valueProps.found
                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
                    : null;
            if (valueNode) {
                if (isBlock(value))
                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
            }
            else if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            if (isMap) {
                const map = coll;
                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
                map.items.push(pair);
            }
            else {
                const map = new YAMLMap.YAMLMap(ctx.schema);
                map.flow = true;
                map.items.push(pair);
                const endRange = (valueNode ?? keyNode).range;
                map.range = [keyNode.range[0], endRange[1], endRange[2]];
                coll.items.push(map);
            }
            offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
    else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot
            ? `${name} must end with a ${expectedEnd}`
            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
        if (ce && ce.source.length !== 1)
            ee.unshift(ce);
    }
    if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
            if (coll.comment)
                coll.comment += '\n' + end.comment;
            else
                coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
    }
    else {
        coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
}

exports.resolveFlowCollection = resolveFlowCollection;


/***/ }),

/***/ 76842:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(63301);
var resolveEnd = __nccwpck_require__(17788);

function resolveFlowScalar(scalar, strict, onError) {
    const { offset, type, source, end } = scalar;
    let _type;
    let value;
    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
    switch (type) {
        case 'scalar':
            _type = Scalar.Scalar.PLAIN;
            value = plainValue(source, _onError);
            break;
        case 'single-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_SINGLE;
            value = singleQuotedValue(source, _onError);
            break;
        case 'double-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_DOUBLE;
            value = doubleQuotedValue(source, _onError);
            break;
        /* istanbul ignore next should not happen */
        default:
            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
            return {
                value: '',
                type: null,
                comment: '',
                range: [offset, offset + source.length, offset + source.length]
            };
    }
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
    return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
    };
}
function plainValue(source, onError) {
    let badChar = '';
    switch (source[0]) {
        /* istanbul ignore next should not happen */
        case '\t':
            badChar = 'a tab character';
            break;
        case ',':
            badChar = 'flow indicator character ,';
            break;
        case '%':
            badChar = 'directive indicator character %';
            break;
        case '|':
        case '>': {
            badChar = `block scalar indicator ${source[0]}`;
            break;
        }
        case '@':
        case '`': {
            badChar = `reserved character ${source[0]}`;
            break;
        }
    }
    if (badChar)
        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
    return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
    if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
    const line = /(.*?)\r?\n/sy;
    let match = line.exec(source);
    if (!match)
        return source;
    /**
     * The negative lookbehinds in these RegExps are to
     * prevent causing a polynomial search time in certain cases.
     *
     * The try-catch is for Safari < 16.4 and other old browsers:
     * https://caniuse.com/js-regexp-lookbehind
     */
    let trimEnd, trimBoth;
    try {
        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
    }
    catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
    }
    let res = match[1].replace(trimEnd, '');
    let sep = ' ';
    let pos = line.lastIndex;
    while ((match = line.exec(source))) {
        const lm = match[1].replace(trimBoth, '');
        if (lm === '') {
            if (sep === '\n')
                res += sep;
            else
                sep = '\n';
        }
        else {
            res += sep + lm;
            sep = ' ';
        }
        pos = line.lastIndex;
    }
    const last = /[ \t]*(.*)/sy;
    last.lastIndex = pos;
    match = last.exec(source);
    return res + sep + (match?.[1] ?? '');
}
function doubleQuotedValue(source, onError) {
    let res = '';
    for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === '\r' && source[i + 1] === '\n')
            continue;
        if (ch === '\n') {
            const { fold, offset } = foldNewline(source, i);
            res += fold;
            i = offset;
        }
        else if (ch === '\\') {
            let next = source[++i];
            const cc = escapeCodes[next];
            if (cc)
                res += cc;
            else if (next === '\n') {
                // skip escaped newlines, but still trim the following line
                next = source[i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === '\r' && source[i + 1] === '\n') {
                // skip escaped CRLF newlines, but still trim the following line
                next = source[++i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === 'x' || next === 'u' || next === 'U') {
                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
                res += parseCharCode(source, i + 1, length, onError);
                i += length;
            }
            else {
                const raw = source.substr(i - 1, 2);
                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
                res += raw;
            }
        }
        else if (ch === ' ' || ch === '\t') {
            // trim trailing whitespace
            const wsStart = i;
            let next = source[i + 1];
            while (next === ' ' || next === '\t')
                next = source[++i + 1];
            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        }
        else {
            res += ch;
        }
    }
    if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
    return res;
}
/**
 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
 * Presumes `source[offset] === '\n'`
 */
function foldNewline(source, offset) {
    let fold = '';
    let ch = source[offset + 1];
    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (ch === '\r' && source[offset + 2] !== '\n')
            break;
        if (ch === '\n')
            fold += '\n';
        offset += 1;
        ch = source[offset + 1];
    }
    if (!fold)
        fold = ' ';
    return { fold, offset };
}
const escapeCodes = {
    '0': '\0', // null character
    a: '\x07', // bell character
    b: '\b', // backspace
    e: '\x1b', // escape character
    f: '\f', // form feed
    n: '\n', // line feed
    r: '\r', // carriage return
    t: '\t', // horizontal tab
    v: '\v', // vertical tab
    N: '\u0085', // Unicode next line
    _: '\u00a0', // Unicode non-breaking space
    L: '\u2028', // Unicode line separator
    P: '\u2029', // Unicode paragraph separator
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    '\t': '\t'
};
function parseCharCode(source, offset, length, onError) {
    const cc = source.substr(offset, length);
    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
    const code = ok ? parseInt(cc, 16) : NaN;
    try {
        return String.fromCodePoint(code);
    }
    catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
        return raw;
    }
}

exports.resolveFlowScalar = resolveFlowScalar;


/***/ }),

/***/ 34631:
/***/ ((__unused_webpack_module, exports) => {



function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
    let spaceBefore = false;
    let atNewline = startOnNewline;
    let hasSpace = startOnNewline;
    let comment = '';
    let commentSep = '';
    let hasNewline = false;
    let reqSpace = false;
    let tab = null;
    let anchor = null;
    let tag = null;
    let newlineAfterProp = null;
    let comma = null;
    let found = null;
    let start = null;
    for (const token of tokens) {
        if (reqSpace) {
            if (token.type !== 'space' &&
                token.type !== 'newline' &&
                token.type !== 'comma')
                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
            reqSpace = false;
        }
        if (tab) {
            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
            }
            tab = null;
        }
        switch (token.type) {
            case 'space':
                // At the doc level, tabs at line start may be parsed
                // as leading white space rather than indentation.
                // In a flow collection, only the parser handles indent.
                if (!flow &&
                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
                    token.source.includes('\t')) {
                    tab = token;
                }
                hasSpace = true;
                break;
            case 'comment': {
                if (!hasSpace)
                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                const cb = token.source.substring(1) || ' ';
                if (!comment)
                    comment = cb;
                else
                    comment += commentSep + cb;
                commentSep = '';
                atNewline = false;
                break;
            }
            case 'newline':
                if (atNewline) {
                    if (comment)
                        comment += token.source;
                    else if (!found || indicator !== 'seq-item-ind')
                        spaceBefore = true;
                }
                else
                    commentSep += token.source;
                atNewline = true;
                hasNewline = true;
                if (anchor || tag)
                    newlineAfterProp = token;
                hasSpace = true;
                break;
            case 'anchor':
                if (anchor)
                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
                if (token.source.endsWith(':'))
                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
                anchor = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            case 'tag': {
                if (tag)
                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
                tag = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            }
            case indicator:
                // Could here handle preceding comments differently
                if (anchor || tag)
                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
                if (found)
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
                found = token;
                atNewline =
                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
                hasSpace = false;
                break;
            case 'comma':
                if (flow) {
                    if (comma)
                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
                    comma = token;
                    atNewline = false;
                    hasSpace = false;
                    break;
                }
            // else fallthrough
            default:
                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
                atNewline = false;
                hasSpace = false;
        }
    }
    const last = tokens[tokens.length - 1];
    const end = last ? last.offset + last.source.length : offset;
    if (reqSpace &&
        next &&
        next.type !== 'space' &&
        next.type !== 'newline' &&
        next.type !== 'comma' &&
        (next.type !== 'scalar' || next.source !== '')) {
        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
    }
    if (tab &&
        ((atNewline && tab.indent <= parentIndent) ||
            next?.type === 'block-map' ||
            next?.type === 'block-seq'))
        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
    return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
    };
}

exports.resolveProps = resolveProps;


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, exports) => {



function containsNewline(key) {
    if (!key)
        return null;
    switch (key.type) {
        case 'alias':
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            if (key.source.includes('\n'))
                return true;
            if (key.end)
                for (const st of key.end)
                    if (st.type === 'newline')
                        return true;
            return false;
        case 'flow-collection':
            for (const it of key.items) {
                for (const st of it.start)
                    if (st.type === 'newline')
                        return true;
                if (it.sep)
                    for (const st of it.sep)
                        if (st.type === 'newline')
                            return true;
                if (containsNewline(it.key) || containsNewline(it.value))
                    return true;
            }
            return false;
        default:
            return true;
    }
}

exports.containsNewline = containsNewline;


/***/ }),

/***/ 22599:
/***/ ((__unused_webpack_module, exports) => {



function emptyScalarPosition(offset, before, pos) {
    if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
            let st = before[i];
            switch (st.type) {
                case 'space':
                case 'comment':
                case 'newline':
                    offset -= st.source.length;
                    continue;
            }
            // Technically, an empty scalar is immediately after the last non-empty
            // node, but it's more useful to place it after any whitespace.
            st = before[++i];
            while (st?.type === 'space') {
                offset += st.source.length;
                st = before[++i];
            }
            break;
        }
    }
    return offset;
}

exports.emptyScalarPosition = emptyScalarPosition;


/***/ }),

/***/ 74051:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var utilContainsNewline = __nccwpck_require__(9499);

function flowIndentCheck(indent, fc, onError) {
    if (fc?.type === 'flow-collection') {
        const end = fc.end[0];
        if (end.indent === indent &&
            (end.source === ']' || end.source === '}') &&
            utilContainsNewline.containsNewline(fc)) {
            const msg = 'Flow end indicator should be more indented than parent';
            onError(end, 'BAD_INDENT', msg, true);
        }
    }
}

exports.flowIndentCheck = flowIndentCheck;


/***/ }),

/***/ 81187:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);

function mapIncludes(ctx, items, search) {
    const { uniqueKeys } = ctx.options;
    if (uniqueKeys === false)
        return false;
    const isEqual = typeof uniqueKeys === 'function'
        ? uniqueKeys
        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
    return items.some(pair => isEqual(pair.key, search));
}

exports.mapIncludes = mapIncludes;


/***/ }),

/***/ 3021:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var Collection = __nccwpck_require__(40101);
var identity = __nccwpck_require__(41127);
var Pair = __nccwpck_require__(57165);
var toJS = __nccwpck_require__(74043);
var Schema = __nccwpck_require__(45840);
var stringifyDocument = __nccwpck_require__(6829);
var anchors = __nccwpck_require__(71596);
var applyReviver = __nccwpck_require__(83661);
var createNode = __nccwpck_require__(42404);
var directives = __nccwpck_require__(61342);

class Document {
    constructor(value, replacer, options) {
        /** A comment before this Document */
        this.commentBefore = null;
        /** A comment immediately after this Document */
        this.comment = null;
        /** Errors encountered during parsing. */
        this.errors = [];
        /** Warnings encountered during parsing. */
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === 'function' || Array.isArray(replacer)) {
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const opt = Object.assign({
            intAsBigInt: false,
            keepSourceTokens: false,
            logLevel: 'warn',
            prettyErrors: true,
            strict: true,
            stringKeys: false,
            uniqueKeys: true,
            version: '1.2'
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
            this.directives = options._directives.atDocument();
            if (this.directives.yaml.explicit)
                version = this.directives.yaml.version;
        }
        else
            this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        // @ts-expect-error We can't really know that this matches Contents.
        this.contents =
            value === undefined ? null : this.createNode(value, _replacer, options);
    }
    /**
     * Create a deep copy of this Document and its contents.
     *
     * Custom Node values that inherit from `Object` still refer to their original instances.
     */
    clone() {
        const copy = Object.create(Document.prototype, {
            [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
            copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        // @ts-expect-error We can't really know that this matches Contents.
        copy.contents = identity.isNode(this.contents)
            ? this.contents.clone(copy.schema)
            : this.contents;
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** Adds a value to the document. */
    add(value) {
        if (assertCollection(this.contents))
            this.contents.add(value);
    }
    /** Adds a value to the document. */
    addIn(path, value) {
        if (assertCollection(this.contents))
            this.contents.addIn(path, value);
    }
    /**
     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
     *
     * If `node` already has an anchor, `name` is ignored.
     * Otherwise, the `node.anchor` value will be set to `name`,
     * or if an anchor with that name is already present in the document,
     * `name` will be used as a prefix for a new unique anchor.
     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
     */
    createAlias(node, name) {
        if (!node.anchor) {
            const prev = anchors.anchorNames(this);
            node.anchor =
                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
        }
        return new Alias.Alias(node.anchor);
    }
    createNode(value, replacer, options) {
        let _replacer = undefined;
        if (typeof replacer === 'function') {
            value = replacer.call({ '': value }, '', value);
            _replacer = replacer;
        }
        else if (Array.isArray(replacer)) {
            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
            const asStr = replacer.filter(keyToStr).map(String);
            if (asStr.length > 0)
                replacer = replacer.concat(asStr);
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        anchorPrefix || 'a');
        const ctx = {
            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
            keepUndefined: keepUndefined ?? false,
            onAnchor,
            onTagObj,
            replacer: _replacer,
            schema: this.schema,
            sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
            node.flow = true;
        setAnchors();
        return node;
    }
    /**
     * Convert a key and a value into a `Pair` using the current schema,
     * recursively wrapping all values as `Scalar` or `Collection` nodes.
     */
    createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
            if (this.contents == null)
                return false;
            // @ts-expect-error Presumed impossible if Strict extends false
            this.contents = null;
            return true;
        }
        return assertCollection(this.contents)
            ? this.contents.deleteIn(path)
            : false;
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    get(key, keepScalar) {
        return identity.isCollection(this.contents)
            ? this.contents.get(key, keepScalar)
            : undefined;
    }
    /**
     * Returns item at `path`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
            return !keepScalar && identity.isScalar(this.contents)
                ? this.contents.value
                : this.contents;
        return identity.isCollection(this.contents)
            ? this.contents.getIn(path, keepScalar)
            : undefined;
    }
    /**
     * Checks if the document includes a value with the key `key`.
     */
    has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
    }
    /**
     * Checks if the document includes a value at `path`.
     */
    hasIn(path) {
        if (Collection.isEmptyPath(path))
            return this.contents !== undefined;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    set(key, value) {
        if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, [key], value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.set(key, value);
        }
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = value;
        }
        else if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.setIn(path, value);
        }
    }
    /**
     * Change the YAML version and schema used by the document.
     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
     * It also requires the `schema` option to be given as a `Schema` instance value.
     *
     * Overrides all previously set schema options.
     */
    setSchema(version, options = {}) {
        if (typeof version === 'number')
            version = String(version);
        let opt;
        switch (version) {
            case '1.1':
                if (this.directives)
                    this.directives.yaml.version = '1.1';
                else
                    this.directives = new directives.Directives({ version: '1.1' });
                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
                break;
            case '1.2':
            case 'next':
                if (this.directives)
                    this.directives.yaml.version = version;
                else
                    this.directives = new directives.Directives({ version });
                opt = { resolveKnownTags: true, schema: 'core' };
                break;
            case null:
                if (this.directives)
                    delete this.directives;
                opt = null;
                break;
            default: {
                const sv = JSON.stringify(version);
                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
            }
        }
        // Not using `instanceof Schema` to allow for duck typing
        if (options.schema instanceof Object)
            this.schema = options.schema;
        else if (opt)
            this.schema = new Schema.Schema(Object.assign(opt, options));
        else
            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
    }
    // json & jsonArg are only used from toJSON()
    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
            anchors: new Map(),
            doc: this,
            keep: !json,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
    /**
     * A JSON representation of the document `contents`.
     *
     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
     *   property name.
     */
    toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
    }
    /** A YAML representation of the document. */
    toString(options = {}) {
        if (this.errors.length > 0)
            throw new Error('Document with errors cannot be stringified');
        if ('indent' in options &&
            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
            const s = JSON.stringify(options.indent);
            throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
    }
}
function assertCollection(contents) {
    if (identity.isCollection(contents))
        return true;
    throw new Error('Expected a YAML collection as document contents');
}

exports.Document = Document;


/***/ }),

/***/ 71596:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var visit = __nccwpck_require__(10204);

/**
 * Verify that the input string is a valid anchor.
 *
 * Will throw on errors.
 */
function anchorIsValid(anchor) {
    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
    }
    return true;
}
function anchorNames(root) {
    const anchors = new Set();
    visit.visit(root, {
        Value(_key, node) {
            if (node.anchor)
                anchors.add(node.anchor);
        }
    });
    return anchors;
}
/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
function findNewAnchor(prefix, exclude) {
    for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
            return name;
    }
}
function createNodeAnchors(doc, prefix) {
    const aliasObjects = [];
    const sourceObjects = new Map();
    let prevAnchors = null;
    return {
        onAnchor: (source) => {
            aliasObjects.push(source);
            prevAnchors ?? (prevAnchors = anchorNames(doc));
            const anchor = findNewAnchor(prefix, prevAnchors);
            prevAnchors.add(anchor);
            return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
            for (const source of aliasObjects) {
                const ref = sourceObjects.get(source);
                if (typeof ref === 'object' &&
                    ref.anchor &&
                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
                    ref.node.anchor = ref.anchor;
                }
                else {
                    const error = new Error('Failed to resolve repeated object (this should not happen)');
                    error.source = source;
                    throw error;
                }
            }
        },
        sourceObjects
    };
}

exports.anchorIsValid = anchorIsValid;
exports.anchorNames = anchorNames;
exports.createNodeAnchors = createNodeAnchors;
exports.findNewAnchor = findNewAnchor;


/***/ }),

/***/ 83661:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
 *
 * Includes extensions for handling Map and Set objects.
 */
function applyReviver(reviver, obj, key, val) {
    if (val && typeof val === 'object') {
        if (Array.isArray(val)) {
            for (let i = 0, len = val.length; i < len; ++i) {
                const v0 = val[i];
                const v1 = applyReviver(reviver, val, String(i), v0);
                // eslint-disable-next-line @typescript-eslint/no-array-delete
                if (v1 === undefined)
                    delete val[i];
                else if (v1 !== v0)
                    val[i] = v1;
            }
        }
        else if (val instanceof Map) {
            for (const k of Array.from(val.keys())) {
                const v0 = val.get(k);
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    val.delete(k);
                else if (v1 !== v0)
                    val.set(k, v1);
            }
        }
        else if (val instanceof Set) {
            for (const v0 of Array.from(val)) {
                const v1 = applyReviver(reviver, val, v0, v0);
                if (v1 === undefined)
                    val.delete(v0);
                else if (v1 !== v0) {
                    val.delete(v0);
                    val.add(v1);
                }
            }
        }
        else {
            for (const [k, v0] of Object.entries(val)) {
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    delete val[k];
                else if (v1 !== v0)
                    val[k] = v1;
            }
        }
    }
    return reviver.call(obj, key, val);
}

exports.applyReviver = applyReviver;


/***/ }),

/***/ 42404:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(41127);
var Scalar = __nccwpck_require__(63301);

const defaultTagPrefix = 'tag:yaml.org,2002:';
function findTagObject(value, tagName, tags) {
    if (tagName) {
        const match = tags.filter(t => t.tag === tagName);
        const tagObj = match.find(t => !t.format) ?? match[0];
        if (!tagObj)
            throw new Error(`Tag ${tagName} not found`);
        return tagObj;
    }
    return tags.find(t => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
    if (identity.isDocument(value))
        value = value.contents;
    if (identity.isNode(value))
        return value;
    if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
    }
    if (value instanceof String ||
        value instanceof Number ||
        value instanceof Boolean ||
        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
    ) {
        // https://tc39.es/ecma262/#sec-serializejsonproperty
        value = value.valueOf();
    }
    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
    // Detect duplicate references to the same object & use Alias nodes for all
    // after first. The `ref` wrapper allows for circular references to resolve.
    let ref = undefined;
    if (aliasDuplicateObjects && value && typeof value === 'object') {
        ref = sourceObjects.get(value);
        if (ref) {
            ref.anchor ?? (ref.anchor = onAnchor(value));
            return new Alias.Alias(ref.anchor);
        }
        else {
            ref = { anchor: null, node: null };
            sourceObjects.set(value, ref);
        }
    }
    if (tagName?.startsWith('!!'))
        tagName = defaultTagPrefix + tagName.slice(2);
    let tagObj = findTagObject(value, tagName, schema.tags);
    if (!tagObj) {
        if (value && typeof value.toJSON === 'function') {
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
            value = value.toJSON();
        }
        if (!value || typeof value !== 'object') {
            const node = new Scalar.Scalar(value);
            if (ref)
                ref.node = node;
            return node;
        }
        tagObj =
            value instanceof Map
                ? schema[identity.MAP]
                : Symbol.iterator in Object(value)
                    ? schema[identity.SEQ]
                    : schema[identity.MAP];
    }
    if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
    }
    const node = tagObj?.createNode
        ? tagObj.createNode(ctx.schema, value, ctx)
        : typeof tagObj?.nodeClass?.from === 'function'
            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
            : new Scalar.Scalar(value);
    if (tagName)
        node.tag = tagName;
    else if (!tagObj.default)
        node.tag = tagObj.tag;
    if (ref)
        ref.node = node;
    return node;
}

exports.createNode = createNode;


/***/ }),

/***/ 61342:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var visit = __nccwpck_require__(10204);

const escapeChars = {
    '!': '%21',
    ',': '%2C',
    '[': '%5B',
    ']': '%5D',
    '{': '%7B',
    '}': '%7D'
};
const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
class Directives {
    constructor(yaml, tags) {
        /**
         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
         * included in the document's stringified representation.
         */
        this.docStart = null;
        /** The doc-end marker `...`.  */
        this.docEnd = false;
        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, Directives.defaultTags, tags);
    }
    clone() {
        const copy = new Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
    }
    /**
     * During parsing, get a Directives instance for the current document and
     * update the stream state according to the current version's spec.
     */
    atDocument() {
        const res = new Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
            case '1.1':
                this.atNextDocument = true;
                break;
            case '1.2':
                this.atNextDocument = false;
                this.yaml = {
                    explicit: Directives.defaultYaml.explicit,
                    version: '1.2'
                };
                this.tags = Object.assign({}, Directives.defaultTags);
                break;
        }
        return res;
    }
    /**
     * @param onError - May be called even if the action was successful
     * @returns `true` on success
     */
    add(line, onError) {
        if (this.atNextDocument) {
            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
            this.tags = Object.assign({}, Directives.defaultTags);
            this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
            case '%TAG': {
                if (parts.length !== 2) {
                    onError(0, '%TAG directive should contain exactly two parts');
                    if (parts.length < 2)
                        return false;
                }
                const [handle, prefix] = parts;
                this.tags[handle] = prefix;
                return true;
            }
            case '%YAML': {
                this.yaml.explicit = true;
                if (parts.length !== 1) {
                    onError(0, '%YAML directive should contain exactly one part');
                    return false;
                }
                const [version] = parts;
                if (version === '1.1' || version === '1.2') {
                    this.yaml.version = version;
                    return true;
                }
                else {
                    const isValid = /^\d+\.\d+$/.test(version);
                    onError(6, `Unsupported YAML version ${version}`, isValid);
                    return false;
                }
            }
            default:
                onError(0, `Unknown directive ${name}`, true);
                return false;
        }
    }
    /**
     * Resolves a tag, matching handles to those defined in %TAG directives.
     *
     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
     *   `'!local'` tag, or `null` if unresolvable.
     */
    tagName(source, onError) {
        if (source === '!')
            return '!'; // non-specific tag
        if (source[0] !== '!') {
            onError(`Not a valid tag: ${source}`);
            return null;
        }
        if (source[1] === '<') {
            const verbatim = source.slice(2, -1);
            if (verbatim === '!' || verbatim === '!!') {
                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
                return null;
            }
            if (source[source.length - 1] !== '>')
                onError('Verbatim tags must end with a >');
            return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
            onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
            try {
                return prefix + decodeURIComponent(suffix);
            }
            catch (error) {
                onError(String(error));
                return null;
            }
        }
        if (handle === '!')
            return source; // local tag
        onError(`Could not resolve tag: ${source}`);
        return null;
    }
    /**
     * Given a fully resolved tag, returns its printable string form,
     * taking into account current tag prefixes and defaults.
     */
    tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
            if (tag.startsWith(prefix))
                return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === '!' ? tag : `!<${tag}>`;
    }
    toString(doc) {
        const lines = this.yaml.explicit
            ? [`%YAML ${this.yaml.version || '1.2'}`]
            : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
            const tags = {};
            visit.visit(doc.contents, (_key, node) => {
                if (identity.isNode(node) && node.tag)
                    tags[node.tag] = true;
            });
            tagNames = Object.keys(tags);
        }
        else
            tagNames = [];
        for (const [handle, prefix] of tagEntries) {
            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
                continue;
            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
                lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join('\n');
    }
}
Directives.defaultYaml = { explicit: false, version: '1.2' };
Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

exports.Directives = Directives;


/***/ }),

/***/ 91464:
/***/ ((__unused_webpack_module, exports) => {



class YAMLError extends Error {
    constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
    }
}
class YAMLParseError extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLParseError', pos, code, message);
    }
}
class YAMLWarning extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLWarning', pos, code, message);
    }
}
const prettifyError = (src, lc) => (error) => {
    if (error.pos[0] === -1)
        return;
    error.linePos = error.pos.map(pos => lc.linePos(pos));
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src
        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
        .replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = '…' + lineStr.substring(trimStart);
        ci -= trimStart - 1;
    }
    if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        // Regexp won't match if start is trimmed
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
            prev = prev.substring(0, 79) + '…\n';
        lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
            count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = ' '.repeat(ci) + '^'.repeat(count);
        error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
};

exports.YAMLError = YAMLError;
exports.YAMLParseError = YAMLParseError;
exports.YAMLWarning = YAMLWarning;
exports.prettifyError = prettifyError;


/***/ }),

/***/ 38815:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var composer = __nccwpck_require__(89984);
var Document = __nccwpck_require__(3021);
var Schema = __nccwpck_require__(45840);
var errors = __nccwpck_require__(91464);
var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(41127);
var Pair = __nccwpck_require__(57165);
var Scalar = __nccwpck_require__(63301);
var YAMLMap = __nccwpck_require__(84454);
var YAMLSeq = __nccwpck_require__(92223);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(40361);
var lineCounter = __nccwpck_require__(66628);
var parser = __nccwpck_require__(3456);
var publicApi = __nccwpck_require__(84047);
var visit = __nccwpck_require__(10204);



__webpack_unused_export__ = composer.Composer;
exports.yo = Document.Document;
exports.Sj = Schema.Schema;
__webpack_unused_export__ = errors.YAMLError;
__webpack_unused_export__ = errors.YAMLParseError;
__webpack_unused_export__ = errors.YAMLWarning;
__webpack_unused_export__ = Alias.Alias;
__webpack_unused_export__ = identity.isAlias;
__webpack_unused_export__ = identity.isCollection;
__webpack_unused_export__ = identity.isDocument;
exports.jh = identity.isMap;
__webpack_unused_export__ = identity.isNode;
__webpack_unused_export__ = identity.isPair;
exports.jn = identity.isScalar;
exports.oP = identity.isSeq;
__webpack_unused_export__ = Pair.Pair;
exports.X5 = Scalar.Scalar;
__webpack_unused_export__ = YAMLMap.YAMLMap;
__webpack_unused_export__ = YAMLSeq.YAMLSeq;
__webpack_unused_export__ = cst;
__webpack_unused_export__ = lexer.Lexer;
exports.HN = lineCounter.LineCounter;
__webpack_unused_export__ = parser.Parser;
exports.qg = publicApi.parse;
exports.hR = publicApi.parseAllDocuments;
exports.Tp = publicApi.parseDocument;
exports.As = publicApi.stringify;
exports.YR = visit.visit;
__webpack_unused_export__ = visit.visitAsync;


/***/ }),

/***/ 57249:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);

function debug(logLevel, ...messages) {
    if (logLevel === 'debug')
        console.log(...messages);
}
function warn(logLevel, warning) {
    if (logLevel === 'debug' || logLevel === 'warn') {
        if (typeof node_process.emitWarning === 'function')
            node_process.emitWarning(warning);
        else
            console.warn(warning);
    }
}

exports.debug = debug;
exports.warn = warn;


/***/ }),

/***/ 4065:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(71596);
var visit = __nccwpck_require__(10204);
var identity = __nccwpck_require__(41127);
var Node = __nccwpck_require__(66673);
var toJS = __nccwpck_require__(74043);

class Alias extends Node.NodeBase {
    constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, 'tag', {
            set() {
                throw new Error('Alias nodes cannot have tags');
            }
        });
    }
    /**
     * Resolve the value of this alias within `doc`, finding the last
     * instance of the `source` anchor before this node.
     */
    resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
            throw new ReferenceError('Alias resolution is disabled');
        let nodes;
        if (ctx?.aliasResolveCache) {
            nodes = ctx.aliasResolveCache;
        }
        else {
            nodes = [];
            visit.visit(doc, {
                Node: (_key, node) => {
                    if (identity.isAlias(node) || identity.hasAnchor(node))
                        nodes.push(node);
                }
            });
            if (ctx)
                ctx.aliasResolveCache = nodes;
        }
        let found = undefined;
        for (const node of nodes) {
            if (node === this)
                break;
            if (node.anchor === this.source)
                found = node;
        }
        if (found && ctx) {
            const { anchors, doc, maxAliasCount } = ctx;
            let data = anchors.get(found);
            if (!data) {
                // Resolve anchors for Node.prototype.toJS()
                toJS.toJS(found, null, ctx);
                data = anchors.get(found);
            }
            /* istanbul ignore if */
            if (data?.res === undefined) {
                const msg = 'This should not happen: Alias anchor was not resolved?';
                throw new ReferenceError(msg);
            }
            if (maxAliasCount >= 0) {
                data.count += 1;
                if (data.aliasCount === 0)
                    data.aliasCount = getAliasCount(doc, found, anchors);
                if (data.count * data.aliasCount > maxAliasCount) {
                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
                    throw new ReferenceError(msg);
                }
            }
        }
        return found;
    }
    toJSON(_arg, ctx) {
        if (!ctx)
            return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
    }
    toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
            anchors.anchorIsValid(this.source);
            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
                throw new Error(msg);
            }
            if (ctx.implicitKey)
                return `${src} `;
        }
        return src;
    }
}
function getAliasCount(doc, node, anchors) {
    if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors && source && anchors.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
            const c = getAliasCount(doc, item, anchors);
            if (c > count)
                count = c;
        }
        return count;
    }
    else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors);
        const vc = getAliasCount(doc, node.value, anchors);
        return Math.max(kc, vc);
    }
    return 1;
}

exports.Alias = Alias;


/***/ }),

/***/ 40101:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(42404);
var identity = __nccwpck_require__(41127);
var Node = __nccwpck_require__(66673);

function collectionFromPath(schema, path, value) {
    let v = value;
    for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
            const a = [];
            a[k] = v;
            v = a;
        }
        else {
            v = new Map([[k, v]]);
        }
    }
    return createNode.createNode(v, undefined, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
            throw new Error('This should not happen, please report a bug.');
        },
        schema,
        sourceObjects: new Map()
    });
}
// Type guard is intentionally a little wrong so as to be more useful,
// as it does not cover untypable empty non-string iterables (e.g. []).
const isEmptyPath = (path) => path == null ||
    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
class Collection extends Node.NodeBase {
    constructor(type, schema) {
        super(type);
        Object.defineProperty(this, 'schema', {
            value: schema,
            configurable: true,
            enumerable: false,
            writable: true
        });
    }
    /**
     * Create a copy of this collection.
     *
     * @param schema - If defined, overwrites the original's schema
     */
    clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
            copy.schema = schema;
        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /**
     * Adds a value to the collection. For `!!map` and `!!omap` the value must
     * be a Pair instance or a `{ key, value }` object, which may not have a key
     * that already exists in the map.
     */
    addIn(path, value) {
        if (isEmptyPath(path))
            this.add(value);
        else {
            const [key, ...rest] = path;
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.addIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
    /**
     * Removes a value from the collection.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
            return node.deleteIn(rest);
        else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
            return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
    }
    hasAllNullValues(allowScalar) {
        return this.items.every(node => {
            if (!identity.isPair(node))
                return false;
            const n = node.value;
            return (n == null ||
                (allowScalar &&
                    identity.isScalar(n) &&
                    n.value == null &&
                    !n.commentBefore &&
                    !n.comment &&
                    !n.tag));
        });
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     */
    hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
            this.set(key, value);
        }
        else {
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.setIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
}

exports.Collection = Collection;
exports.collectionFromPath = collectionFromPath;
exports.isEmptyPath = isEmptyPath;


/***/ }),

/***/ 66673:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var applyReviver = __nccwpck_require__(83661);
var identity = __nccwpck_require__(41127);
var toJS = __nccwpck_require__(74043);

class NodeBase {
    constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
    }
    /** Create a copy of this node.  */
    clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** A plain JavaScript representation of this node. */
    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
            throw new TypeError('A document argument is required');
        const ctx = {
            anchors: new Map(),
            doc,
            keep: true,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
}

exports.NodeBase = NodeBase;


/***/ }),

/***/ 57165:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(42404);
var stringifyPair = __nccwpck_require__(59748);
var addPairToJSMap = __nccwpck_require__(97104);
var identity = __nccwpck_require__(41127);

function createPair(key, value, ctx) {
    const k = createNode.createNode(key, undefined, ctx);
    const v = createNode.createNode(value, undefined, ctx);
    return new Pair(k, v);
}
class Pair {
    constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
    }
    clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
            key = key.clone(schema);
        if (identity.isNode(value))
            value = value.clone(schema);
        return new Pair(key, value);
    }
    toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
    }
    toString(ctx, onComment, onChompKeep) {
        return ctx?.doc
            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
            : JSON.stringify(this);
    }
}

exports.Pair = Pair;
exports.createPair = createPair;


/***/ }),

/***/ 63301:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var Node = __nccwpck_require__(66673);
var toJS = __nccwpck_require__(74043);

const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
class Scalar extends Node.NodeBase {
    constructor(value) {
        super(identity.SCALAR);
        this.value = value;
    }
    toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
    }
    toString() {
        return String(this.value);
    }
}
Scalar.BLOCK_FOLDED = 'BLOCK_FOLDED';
Scalar.BLOCK_LITERAL = 'BLOCK_LITERAL';
Scalar.PLAIN = 'PLAIN';
Scalar.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
Scalar.QUOTE_SINGLE = 'QUOTE_SINGLE';

exports.Scalar = Scalar;
exports.isScalarValue = isScalarValue;


/***/ }),

/***/ 84454:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyCollection = __nccwpck_require__(61212);
var addPairToJSMap = __nccwpck_require__(97104);
var Collection = __nccwpck_require__(40101);
var identity = __nccwpck_require__(41127);
var Pair = __nccwpck_require__(57165);
var Scalar = __nccwpck_require__(63301);

function findPair(items, key) {
    const k = identity.isScalar(key) ? key.value : key;
    for (const it of items) {
        if (identity.isPair(it)) {
            if (it.key === key || it.key === k)
                return it;
            if (identity.isScalar(it.key) && it.key.value === k)
                return it;
        }
    }
    return undefined;
}
class YAMLMap extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:map';
    }
    constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
    }
    /**
     * A generic collection parsing method that can be extended
     * to other node classes that inherit from YAMLMap
     */
    static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
            if (typeof replacer === 'function')
                value = replacer.call(obj, key, value);
            else if (Array.isArray(replacer) && !replacer.includes(key))
                return;
            if (value !== undefined || keepUndefined)
                map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
            for (const [key, value] of obj)
                add(key, value);
        }
        else if (obj && typeof obj === 'object') {
            for (const key of Object.keys(obj))
                add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === 'function') {
            map.items.sort(schema.sortMapEntries);
        }
        return map;
    }
    /**
     * Adds a value to the collection.
     *
     * @param overwrite - If not set `true`, using a key that is already in the
     *   collection will throw. Otherwise, overwrites the previous value.
     */
    add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
            _pair = pair;
        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
            // In TypeScript, this never happens.
            _pair = new Pair.Pair(pair, pair?.value);
        }
        else
            _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
            if (!overwrite)
                throw new Error(`Key ${_pair.key} already set`);
            // For scalars, keep the old node & its comments and anchors
            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
                prev.value.value = _pair.value;
            else
                prev.value = _pair.value;
        }
        else if (sortEntries) {
            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
            if (i === -1)
                this.items.push(_pair);
            else
                this.items.splice(i, 0, _pair);
        }
        else {
            this.items.push(_pair);
        }
    }
    delete(key) {
        const it = findPair(this.items, key);
        if (!it)
            return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
    }
    has(key) {
        return !!findPair(this.items, key);
    }
    set(key, value) {
        this.add(new Pair.Pair(key, value), true);
    }
    /**
     * @param ctx - Conversion context, originally set in Document#toJS()
     * @param {Class} Type - If set, forces the returned collection type
     * @returns Instance of Type, Map, or Object
     */
    toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const item of this.items)
            addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        for (const item of this.items) {
            if (!identity.isPair(item))
                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
            ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '',
            flowChars: { start: '{', end: '}' },
            itemIndent: ctx.indent || '',
            onChompKeep,
            onComment
        });
    }
}

exports.YAMLMap = YAMLMap;
exports.findPair = findPair;


/***/ }),

/***/ 92223:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(42404);
var stringifyCollection = __nccwpck_require__(61212);
var Collection = __nccwpck_require__(40101);
var identity = __nccwpck_require__(41127);
var Scalar = __nccwpck_require__(63301);
var toJS = __nccwpck_require__(74043);

class YAMLSeq extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:seq';
    }
    constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
    }
    add(value) {
        this.items.push(value);
    }
    /**
     * Removes a value from the collection.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     *
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return undefined;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     */
    has(key) {
        const idx = asItemIndex(key);
        return typeof idx === 'number' && idx < this.items.length;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     *
     * If `key` does not contain a representation of an integer, this will throw.
     * It may be wrapped in a `Scalar`.
     */
    set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
            prev.value = value;
        else
            this.items[idx] = value;
    }
    toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
            ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
            seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '- ',
            flowChars: { start: '[', end: ']' },
            itemIndent: (ctx.indent || '') + '  ',
            onChompKeep,
            onComment
        });
    }
    static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
            let i = 0;
            for (let it of obj) {
                if (typeof replacer === 'function') {
                    const key = obj instanceof Set ? it : String(i++);
                    it = replacer.call(obj, key, it);
                }
                seq.items.push(createNode.createNode(it, undefined, ctx));
            }
        }
        return seq;
    }
}
function asItemIndex(key) {
    let idx = identity.isScalar(key) ? key.value : key;
    if (idx && typeof idx === 'string')
        idx = Number(idx);
    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
        ? idx
        : null;
}

exports.YAMLSeq = YAMLSeq;


/***/ }),

/***/ 97104:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var log = __nccwpck_require__(57249);
var merge = __nccwpck_require__(90452);
var stringify = __nccwpck_require__(2148);
var identity = __nccwpck_require__(41127);
var toJS = __nccwpck_require__(74043);

function addPairToJSMap(ctx, map, { key, value }) {
    if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
    // TODO: Should drop this special case for bare << handling
    else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
    else {
        const jsKey = toJS.toJS(key, '', ctx);
        if (map instanceof Map) {
            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        }
        else if (map instanceof Set) {
            map.add(jsKey);
        }
        else {
            const stringKey = stringifyKey(key, jsKey, ctx);
            const jsValue = toJS.toJS(value, stringKey, ctx);
            if (stringKey in map)
                Object.defineProperty(map, stringKey, {
                    value: jsValue,
                    writable: true,
                    enumerable: true,
                    configurable: true
                });
            else
                map[stringKey] = jsValue;
        }
    }
    return map;
}
function stringifyKey(key, jsKey, ctx) {
    if (jsKey === null)
        return '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (typeof jsKey !== 'object')
        return String(jsKey);
    if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = new Set();
        for (const node of ctx.anchors.keys())
            strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
            let jsonStr = JSON.stringify(strKey);
            if (jsonStr.length > 40)
                jsonStr = jsonStr.substring(0, 36) + '..."';
            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
            ctx.mapKeyWarned = true;
        }
        return strKey;
    }
    return JSON.stringify(jsKey);
}

exports.addPairToJSMap = addPairToJSMap;


/***/ }),

/***/ 41127:
/***/ ((__unused_webpack_module, exports) => {



const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const NODE_TYPE = Symbol.for('yaml.node.type');
const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
function isCollection(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case MAP:
            case SEQ:
                return true;
        }
    return false;
}
function isNode(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case ALIAS:
            case MAP:
            case SCALAR:
            case SEQ:
                return true;
        }
    return false;
}
const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

exports.ALIAS = ALIAS;
exports.DOC = DOC;
exports.MAP = MAP;
exports.NODE_TYPE = NODE_TYPE;
exports.PAIR = PAIR;
exports.SCALAR = SCALAR;
exports.SEQ = SEQ;
exports.hasAnchor = hasAnchor;
exports.isAlias = isAlias;
exports.isCollection = isCollection;
exports.isDocument = isDocument;
exports.isMap = isMap;
exports.isNode = isNode;
exports.isPair = isPair;
exports.isScalar = isScalar;
exports.isSeq = isSeq;


/***/ }),

/***/ 74043:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);

/**
 * Recursively convert any node or its contents to native JavaScript
 *
 * @param value - The input value
 * @param arg - If `value` defines a `toJSON()` method, use this
 *   as its first argument
 * @param ctx - Conversion context, originally set in Document#toJS(). If
 *   `{ keep: true }` is not set, output should be suitable for JSON
 *   stringification.
 */
function toJS(value, arg, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
    if (value && typeof value.toJSON === 'function') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
        if (!ctx || !identity.hasAnchor(value))
            return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: undefined };
        ctx.anchors.set(value, data);
        ctx.onCreate = res => {
            data.res = res;
            delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
            ctx.onCreate(res);
        return res;
    }
    if (typeof value === 'bigint' && !ctx?.keep)
        return Number(value);
    return value;
}

exports.toJS = toJS;


/***/ }),

/***/ 60110:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var resolveBlockScalar = __nccwpck_require__(48913);
var resolveFlowScalar = __nccwpck_require__(76842);
var errors = __nccwpck_require__(91464);
var stringifyString = __nccwpck_require__(83069);

function resolveAsScalar(token, strict = true, onError) {
    if (token) {
        const _onError = (pos, code, message) => {
            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
            if (onError)
                onError(offset, code, message);
            else
                throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
            case 'block-scalar':
                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
    }
    return null;
}
/**
 * Create a new scalar token with `value`
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.indent The indent level of the token.
 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
 * @param context.offset The offset position of the token.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function createScalarToken(value, context) {
    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    const end = context.end ?? [
        { type: 'newline', offset: -1, indent, source: '\n' }
    ];
    switch (source[0]) {
        case '|':
        case '>': {
            const he = source.indexOf('\n');
            const head = source.substring(0, he);
            const body = source.substring(he + 1) + '\n';
            const props = [
                { type: 'block-scalar-header', offset, indent, source: head }
            ];
            if (!addEndtoBlockProps(props, end))
                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
            return { type: 'block-scalar', offset, indent, props, source: body };
        }
        case '"':
            return { type: 'double-quoted-scalar', offset, indent, source, end };
        case "'":
            return { type: 'single-quoted-scalar', offset, indent, source, end };
        default:
            return { type: 'scalar', offset, indent, source, end };
    }
}
/**
 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
 *
 * Best efforts are made to retain any comments previously associated with the `token`,
 * though all contents within a collection's `items` will be overwritten.
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function setScalarValue(token, value, context = {}) {
    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
    let indent = 'indent' in token ? token.indent : null;
    if (afterKey && typeof indent === 'number')
        indent += 2;
    if (!type)
        switch (token.type) {
            case 'single-quoted-scalar':
                type = 'QUOTE_SINGLE';
                break;
            case 'double-quoted-scalar':
                type = 'QUOTE_DOUBLE';
                break;
            case 'block-scalar': {
                const header = token.props[0];
                if (header.type !== 'block-scalar-header')
                    throw new Error('Invalid block scalar header');
                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
                break;
            }
            default:
                type = 'PLAIN';
        }
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    switch (source[0]) {
        case '|':
        case '>':
            setBlockScalarValue(token, source);
            break;
        case '"':
            setFlowScalarValue(token, source, 'double-quoted-scalar');
            break;
        case "'":
            setFlowScalarValue(token, source, 'single-quoted-scalar');
            break;
        default:
            setFlowScalarValue(token, source, 'scalar');
    }
}
function setBlockScalarValue(token, source) {
    const he = source.indexOf('\n');
    const head = source.substring(0, he);
    const body = source.substring(he + 1) + '\n';
    if (token.type === 'block-scalar') {
        const header = token.props[0];
        if (header.type !== 'block-scalar-header')
            throw new Error('Invalid block scalar header');
        header.source = head;
        token.source = body;
    }
    else {
        const { offset } = token;
        const indent = 'indent' in token ? token.indent : -1;
        const props = [
            { type: 'block-scalar-header', offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
        for (const key of Object.keys(token))
            if (key !== 'type' && key !== 'offset')
                delete token[key];
        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
    }
}
/** @returns `true` if last token is a newline */
function addEndtoBlockProps(props, end) {
    if (end)
        for (const st of end)
            switch (st.type) {
                case 'space':
                case 'comment':
                    props.push(st);
                    break;
                case 'newline':
                    props.push(st);
                    return true;
            }
    return false;
}
function setFlowScalarValue(token, source, type) {
    switch (token.type) {
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            token.type = type;
            token.source = source;
            break;
        case 'block-scalar': {
            const end = token.props.slice(1);
            let oa = source.length;
            if (token.props[0].type === 'block-scalar-header')
                oa -= token.props[0].source.length;
            for (const tok of end)
                tok.offset += oa;
            delete token.props;
            Object.assign(token, { type, source, end });
            break;
        }
        case 'block-map':
        case 'block-seq': {
            const offset = token.offset + source.length;
            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
            delete token.items;
            Object.assign(token, { type, source, end: [nl] });
            break;
        }
        default: {
            const indent = 'indent' in token ? token.indent : -1;
            const end = 'end' in token && Array.isArray(token.end)
                ? token.end.filter(st => st.type === 'space' ||
                    st.type === 'comment' ||
                    st.type === 'newline')
                : [];
            for (const key of Object.keys(token))
                if (key !== 'type' && key !== 'offset')
                    delete token[key];
            Object.assign(token, { type, indent, source, end });
        }
    }
}

exports.createScalarToken = createScalarToken;
exports.resolveAsScalar = resolveAsScalar;
exports.setScalarValue = setScalarValue;


/***/ }),

/***/ 91733:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringify a CST document, token, or collection item
 *
 * Fair warning: This applies no validation whatsoever, and
 * simply concatenates the sources in their logical order.
 */
const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
function stringifyToken(token) {
    switch (token.type) {
        case 'block-scalar': {
            let res = '';
            for (const tok of token.props)
                res += stringifyToken(tok);
            return res + token.source;
        }
        case 'block-map':
        case 'block-seq': {
            let res = '';
            for (const item of token.items)
                res += stringifyItem(item);
            return res;
        }
        case 'flow-collection': {
            let res = token.start.source;
            for (const item of token.items)
                res += stringifyItem(item);
            for (const st of token.end)
                res += st.source;
            return res;
        }
        case 'document': {
            let res = stringifyItem(token);
            if (token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
        default: {
            let res = token.source;
            if ('end' in token && token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
    }
}
function stringifyItem({ start, key, sep, value }) {
    let res = '';
    for (const st of start)
        res += st.source;
    if (key)
        res += stringifyToken(key);
    if (sep)
        for (const st of sep)
            res += st.source;
    if (value)
        res += stringifyToken(value);
    return res;
}

exports.stringify = stringify;


/***/ }),

/***/ 97715:
/***/ ((__unused_webpack_module, exports) => {



const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove item');
/**
 * Apply a visitor to a CST document or item.
 *
 * Walks through the tree (depth-first) starting from the root, calling a
 * `visitor` function with two arguments when entering each item:
 *   - `item`: The current item, which included the following members:
 *     - `start: SourceToken[]` – Source tokens before the key or value,
 *       possibly including its anchor or tag.
 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
 *       the key before the `:` separator is empty.
 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
 *       which should include the `:` map value indicator if `value` is set.
 *     - `value?: Token` – The value of a sequence item, or of a map pair.
 *   - `path`: The steps from the root to the current node, as an array of
 *     `['key' | 'value', number]` tuples.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this token, continue with
 *      next sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
 *   - `number`: Set the index of the next step. This is useful especially if
 *     the index of the current token has changed.
 *   - `function`: Define the next visitor for this item. After the original
 *     visitor is called on item entry, next visitors are called after handling
 *     a non-empty `key` and when exiting the item.
 */
function visit(cst, visitor) {
    if ('type' in cst && cst.type === 'document')
        cst = { start: cst.start, value: cst.value };
    _visit(Object.freeze([]), cst, visitor);
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current item */
visit.SKIP = SKIP;
/** Remove the current item */
visit.REMOVE = REMOVE;
/** Find the item at `path` from `cst` as the root */
visit.itemAtPath = (cst, path) => {
    let item = cst;
    for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && 'items' in tok) {
            item = tok.items[index];
        }
        else
            return undefined;
    }
    return item;
};
/**
 * Get the immediate parent collection of the item at `path` from `cst` as the root.
 *
 * Throws an error if the collection is not found, which should never happen if the item itself exists.
 */
visit.parentCollection = (cst, path) => {
    const parent = visit.itemAtPath(cst, path.slice(0, -1));
    const field = path[path.length - 1][0];
    const coll = parent?.[field];
    if (coll && 'items' in coll)
        return coll;
    throw new Error('Parent collection not found');
};
function _visit(path, item, visitor) {
    let ctrl = visitor(item, path);
    if (typeof ctrl === 'symbol')
        return ctrl;
    for (const field of ['key', 'value']) {
        const token = item[field];
        if (token && 'items' in token) {
            for (let i = 0; i < token.items.length; ++i) {
                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    token.items.splice(i, 1);
                    i -= 1;
                }
            }
            if (typeof ctrl === 'function' && field === 'key')
                ctrl = ctrl(item, path);
        }
    }
    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
}

exports.visit = visit;


/***/ }),

/***/ 3461:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cstScalar = __nccwpck_require__(60110);
var cstStringify = __nccwpck_require__(91733);
var cstVisit = __nccwpck_require__(97715);

/** The byte order mark */
const BOM = '\u{FEFF}';
/** Start of doc-mode */
const DOCUMENT = '\x02'; // C0: Start of Text
/** Unexpected end of flow-mode */
const FLOW_END = '\x18'; // C0: Cancel
/** Next token is a scalar value */
const SCALAR = '\x1f'; // C0: Unit Separator
/** @returns `true` if `token` is a flow or block collection */
const isCollection = (token) => !!token && 'items' in token;
/** @returns `true` if `token` is a flow or block scalar; not an alias */
const isScalar = (token) => !!token &&
    (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar');
/* istanbul ignore next */
/** Get a printable representation of a lexer token */
function prettyToken(token) {
    switch (token) {
        case BOM:
            return '<BOM>';
        case DOCUMENT:
            return '<DOC>';
        case FLOW_END:
            return '<FLOW_END>';
        case SCALAR:
            return '<SCALAR>';
        default:
            return JSON.stringify(token);
    }
}
/** Identify the type of a lexer token. May return `null` for unknown tokens. */
function tokenType(source) {
    switch (source) {
        case BOM:
            return 'byte-order-mark';
        case DOCUMENT:
            return 'doc-mode';
        case FLOW_END:
            return 'flow-error-end';
        case SCALAR:
            return 'scalar';
        case '---':
            return 'doc-start';
        case '...':
            return 'doc-end';
        case '':
        case '\n':
        case '\r\n':
            return 'newline';
        case '-':
            return 'seq-item-ind';
        case '?':
            return 'explicit-key-ind';
        case ':':
            return 'map-value-ind';
        case '{':
            return 'flow-map-start';
        case '}':
            return 'flow-map-end';
        case '[':
            return 'flow-seq-start';
        case ']':
            return 'flow-seq-end';
        case ',':
            return 'comma';
    }
    switch (source[0]) {
        case ' ':
        case '\t':
            return 'space';
        case '#':
            return 'comment';
        case '%':
            return 'directive-line';
        case '*':
            return 'alias';
        case '&':
            return 'anchor';
        case '!':
            return 'tag';
        case "'":
            return 'single-quoted-scalar';
        case '"':
            return 'double-quoted-scalar';
        case '|':
        case '>':
            return 'block-scalar-header';
    }
    return null;
}

exports.createScalarToken = cstScalar.createScalarToken;
exports.resolveAsScalar = cstScalar.resolveAsScalar;
exports.setScalarValue = cstScalar.setScalarValue;
exports.stringify = cstStringify.stringify;
exports.visit = cstVisit.visit;
exports.BOM = BOM;
exports.DOCUMENT = DOCUMENT;
exports.FLOW_END = FLOW_END;
exports.SCALAR = SCALAR;
exports.isCollection = isCollection;
exports.isScalar = isScalar;
exports.prettyToken = prettyToken;
exports.tokenType = tokenType;


/***/ }),

/***/ 40361:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cst = __nccwpck_require__(3461);

/*
START -> stream

stream
  directive -> line-end -> stream
  indent + line-end -> stream
  [else] -> line-start

line-end
  comment -> line-end
  newline -> .
  input-end -> END

line-start
  doc-start -> doc
  doc-end -> stream
  [else] -> indent -> block-start

block-start
  seq-item-start -> block-start
  explicit-key-start -> block-start
  map-value-start -> block-start
  [else] -> doc

doc
  line-end -> line-start
  spaces -> doc
  anchor -> doc
  tag -> doc
  flow-start -> flow -> doc
  flow-end -> error -> doc
  seq-item-start -> error -> doc
  explicit-key-start -> error -> doc
  map-value-start -> doc
  alias -> doc
  quote-start -> quoted-scalar -> doc
  block-scalar-header -> line-end -> block-scalar(min) -> line-start
  [else] -> plain-scalar(false, min) -> doc

flow
  line-end -> flow
  spaces -> flow
  anchor -> flow
  tag -> flow
  flow-start -> flow -> flow
  flow-end -> .
  seq-item-start -> error -> flow
  explicit-key-start -> flow
  map-value-start -> flow
  alias -> flow
  quote-start -> quoted-scalar -> flow
  comma -> flow
  [else] -> plain-scalar(true, 0) -> flow

quoted-scalar
  quote-end -> .
  [else] -> quoted-scalar

block-scalar(min)
  newline + peek(indent < min) -> .
  [else] -> block-scalar(min)

plain-scalar(is-flow, min)
  scalar-end(is-flow) -> .
  peek(newline + (indent < min)) -> .
  [else] -> plain-scalar(min)
*/
function isEmpty(ch) {
    switch (ch) {
        case undefined:
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            return true;
        default:
            return false;
    }
}
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
/**
 * Splits an input string into lexical tokens, i.e. smaller strings that are
 * easily identifiable by `tokens.tokenType()`.
 *
 * Lexing starts always in a "stream" context. Incomplete input may be buffered
 * until a complete token can be emitted.
 *
 * In addition to slices of the original input, the following control characters
 * may also be emitted:
 *
 * - `\x02` (Start of Text): A document starts with the next token
 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
 * - `\x1f` (Unit Separator): Next token is a scalar value
 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
 */
class Lexer {
    constructor() {
        /**
         * Flag indicating whether the end of the current buffer marks the end of
         * all input
         */
        this.atEnd = false;
        /**
         * Explicit indent set in block scalar header, as an offset from the current
         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
         * explicitly set.
         */
        this.blockScalarIndent = -1;
        /**
         * Block scalars that include a + (keep) chomping indicator in their header
         * include trailing empty lines, which are otherwise excluded from the
         * scalar's contents.
         */
        this.blockScalarKeep = false;
        /** Current input */
        this.buffer = '';
        /**
         * Flag noting whether the map value indicator : can immediately follow this
         * node within a flow context.
         */
        this.flowKey = false;
        /** Count of surrounding flow collection levels. */
        this.flowLevel = 0;
        /**
         * Minimum level of indentation required for next lines to be parsed as a
         * part of the current scalar value.
         */
        this.indentNext = 0;
        /** Indentation level of the current line. */
        this.indentValue = 0;
        /** Position of the next \n character. */
        this.lineEndPos = null;
        /** Stores the state of the lexer if reaching the end of incpomplete input */
        this.next = null;
        /** A pointer to `buffer`; the current position of the lexer. */
        this.pos = 0;
    }
    /**
     * Generate YAML tokens from the `source` string. If `incomplete`,
     * a part of the last line may be left as a buffer for the next call.
     *
     * @returns A generator of lexical tokens
     */
    *lex(source, incomplete = false) {
        if (source) {
            if (typeof source !== 'string')
                throw TypeError('source is not a string');
            this.buffer = this.buffer ? this.buffer + source : source;
            this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? 'stream';
        while (next && (incomplete || this.hasChars(1)))
            next = yield* this.parseNext(next);
    }
    atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === ' ' || ch === '\t')
            ch = this.buffer[++i];
        if (!ch || ch === '#' || ch === '\n')
            return true;
        if (ch === '\r')
            return this.buffer[i + 1] === '\n';
        return false;
    }
    charAt(n) {
        return this.buffer[this.pos + n];
    }
    continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
            let indent = 0;
            while (ch === ' ')
                ch = this.buffer[++indent + offset];
            if (ch === '\r') {
                const next = this.buffer[indent + offset + 1];
                if (next === '\n' || (!next && !this.atEnd))
                    return offset + indent + 1;
            }
            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
                ? offset + indent
                : -1;
        }
        if (ch === '-' || ch === '.') {
            const dt = this.buffer.substr(offset, 3);
            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
                return -1;
        }
        return offset;
    }
    getLine() {
        let end = this.lineEndPos;
        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
            end = this.buffer.indexOf('\n', this.pos);
            this.lineEndPos = end;
        }
        if (end === -1)
            return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === '\r')
            end -= 1;
        return this.buffer.substring(this.pos, end);
    }
    hasChars(n) {
        return this.pos + n <= this.buffer.length;
    }
    setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
    }
    peek(n) {
        return this.buffer.substr(this.pos, n);
    }
    *parseNext(next) {
        switch (next) {
            case 'stream':
                return yield* this.parseStream();
            case 'line-start':
                return yield* this.parseLineStart();
            case 'block-start':
                return yield* this.parseBlockStart();
            case 'doc':
                return yield* this.parseDocument();
            case 'flow':
                return yield* this.parseFlowCollection();
            case 'quoted-scalar':
                return yield* this.parseQuotedScalar();
            case 'block-scalar':
                return yield* this.parseBlockScalar();
            case 'plain-scalar':
                return yield* this.parsePlainScalar();
        }
    }
    *parseStream() {
        let line = this.getLine();
        if (line === null)
            return this.setNext('stream');
        if (line[0] === cst.BOM) {
            yield* this.pushCount(1);
            line = line.substring(1);
        }
        if (line[0] === '%') {
            let dirEnd = line.length;
            let cs = line.indexOf('#');
            while (cs !== -1) {
                const ch = line[cs - 1];
                if (ch === ' ' || ch === '\t') {
                    dirEnd = cs - 1;
                    break;
                }
                else {
                    cs = line.indexOf('#', cs + 1);
                }
            }
            while (true) {
                const ch = line[dirEnd - 1];
                if (ch === ' ' || ch === '\t')
                    dirEnd -= 1;
                else
                    break;
            }
            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
            yield* this.pushCount(line.length - n); // possible comment
            this.pushNewline();
            return 'stream';
        }
        if (this.atLineEnd()) {
            const sp = yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - sp);
            yield* this.pushNewline();
            return 'stream';
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
    }
    *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
            return this.setNext('line-start');
        if (ch === '-' || ch === '.') {
            if (!this.atEnd && !this.hasChars(4))
                return this.setNext('line-start');
            const s = this.peek(3);
            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
                yield* this.pushCount(3);
                this.indentValue = 0;
                this.indentNext = 0;
                return s === '---' ? 'doc' : 'stream';
            }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
            this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
    }
    *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
            return this.setNext('block-start');
        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
            this.indentNext = this.indentValue + 1;
            this.indentValue += n;
            return 'block-start';
        }
        return 'doc';
    }
    *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
            return this.setNext('doc');
        let n = yield* this.pushIndicators();
        switch (line[n]) {
            case '#':
                yield* this.pushCount(line.length - n);
            // fallthrough
            case undefined:
                yield* this.pushNewline();
                return yield* this.parseLineStart();
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel = 1;
                return 'flow';
            case '}':
            case ']':
                // this is an error
                yield* this.pushCount(1);
                return 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'doc';
            case '"':
            case "'":
                return yield* this.parseQuotedScalar();
            case '|':
            case '>':
                n += yield* this.parseBlockScalarHeader();
                n += yield* this.pushSpaces(true);
                yield* this.pushCount(line.length - n);
                yield* this.pushNewline();
                return yield* this.parseBlockScalar();
            default:
                return yield* this.parsePlainScalar();
        }
    }
    *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
            nl = yield* this.pushNewline();
            if (nl > 0) {
                sp = yield* this.pushSpaces(false);
                this.indentValue = indent = sp;
            }
            else {
                sp = 0;
            }
            sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
            return this.setNext('flow');
        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
            (indent === 0 &&
                (line.startsWith('---') || line.startsWith('...')) &&
                isEmpty(line[3]))) {
            // Allowing for the terminal ] or } at the same (rather than greater)
            // indent level as the initial [ or { is technically invalid, but
            // failing here would be surprising to users.
            const atFlowEndMarker = indent === this.indentNext - 1 &&
                this.flowLevel === 1 &&
                (line[0] === ']' || line[0] === '}');
            if (!atFlowEndMarker) {
                // this is an error
                this.flowLevel = 0;
                yield cst.FLOW_END;
                return yield* this.parseLineStart();
            }
        }
        let n = 0;
        while (line[n] === ',') {
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
            case undefined:
                return 'flow';
            case '#':
                yield* this.pushCount(line.length - n);
                return 'flow';
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel += 1;
                return 'flow';
            case '}':
            case ']':
                yield* this.pushCount(1);
                this.flowKey = true;
                this.flowLevel -= 1;
                return this.flowLevel ? 'flow' : 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'flow';
            case '"':
            case "'":
                this.flowKey = true;
                return yield* this.parseQuotedScalar();
            case ':': {
                const next = this.charAt(1);
                if (this.flowKey || isEmpty(next) || next === ',') {
                    this.flowKey = false;
                    yield* this.pushCount(1);
                    yield* this.pushSpaces(true);
                    return 'flow';
                }
            }
            // fallthrough
            default:
                this.flowKey = false;
                return yield* this.parsePlainScalar();
        }
    }
    *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
            while (end !== -1 && this.buffer[end + 1] === "'")
                end = this.buffer.indexOf("'", end + 2);
        }
        else {
            // double-quote
            while (end !== -1) {
                let n = 0;
                while (this.buffer[end - 1 - n] === '\\')
                    n += 1;
                if (n % 2 === 0)
                    break;
                end = this.buffer.indexOf('"', end + 1);
            }
        }
        // Only looking for newlines within the quotes
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf('\n', this.pos);
        if (nl !== -1) {
            while (nl !== -1) {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = qb.indexOf('\n', cs);
            }
            if (nl !== -1) {
                // this is an error caused by an unexpected unindent
                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
            }
        }
        if (end === -1) {
            if (!this.atEnd)
                return this.setNext('quoted-scalar');
            end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? 'flow' : 'doc';
    }
    *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
            const ch = this.buffer[++i];
            if (ch === '+')
                this.blockScalarKeep = true;
            else if (ch > '0' && ch <= '9')
                this.blockScalarIndent = Number(ch) - 1;
            else if (ch !== '-')
                break;
        }
        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
    }
    *parseBlockScalar() {
        let nl = this.pos - 1; // may be -1 if this.pos === 0
        let indent = 0;
        let ch;
        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
            switch (ch) {
                case ' ':
                    indent += 1;
                    break;
                case '\n':
                    nl = i;
                    indent = 0;
                    break;
                case '\r': {
                    const next = this.buffer[i + 1];
                    if (!next && !this.atEnd)
                        return this.setNext('block-scalar');
                    if (next === '\n')
                        break;
                } // fallthrough
                default:
                    break loop;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('block-scalar');
        if (indent >= this.indentNext) {
            if (this.blockScalarIndent === -1)
                this.indentNext = indent;
            else {
                this.indentNext =
                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
            }
            do {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = this.buffer.indexOf('\n', cs);
            } while (nl !== -1);
            if (nl === -1) {
                if (!this.atEnd)
                    return this.setNext('block-scalar');
                nl = this.buffer.length;
            }
        }
        // Trailing insufficiently indented tabs are invalid.
        // To catch that during parsing, we include them in the block scalar value.
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === ' ')
            ch = this.buffer[++i];
        if (ch === '\t') {
            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
                ch = this.buffer[++i];
            nl = i - 1;
        }
        else if (!this.blockScalarKeep) {
            do {
                let i = nl - 1;
                let ch = this.buffer[i];
                if (ch === '\r')
                    ch = this.buffer[--i];
                const lastChar = i; // Drop the line if last char not more indented
                while (ch === ' ')
                    ch = this.buffer[--i];
                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
                    nl = i;
                else
                    break;
            } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
    }
    *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while ((ch = this.buffer[++i])) {
            if (ch === ':') {
                const next = this.buffer[i + 1];
                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
                    break;
                end = i;
            }
            else if (isEmpty(ch)) {
                let next = this.buffer[i + 1];
                if (ch === '\r') {
                    if (next === '\n') {
                        i += 1;
                        ch = '\n';
                        next = this.buffer[i + 1];
                    }
                    else
                        end = i;
                }
                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
                    break;
                if (ch === '\n') {
                    const cs = this.continueScalar(i + 1);
                    if (cs === -1)
                        break;
                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
                }
            }
            else {
                if (inFlow && flowIndicatorChars.has(ch))
                    break;
                end = i;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('plain-scalar');
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? 'flow' : 'doc';
    }
    *pushCount(n) {
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos += n;
            return n;
        }
        return 0;
    }
    *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
            yield s;
            this.pos += s.length;
            return s.length;
        }
        else if (allowEmpty)
            yield '';
        return 0;
    }
    *pushIndicators() {
        let n = 0;
        loop: while (true) {
            switch (this.charAt(0)) {
                case '!':
                    n += yield* this.pushTag();
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '&':
                    n += yield* this.pushUntil(isNotAnchorChar);
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '-': // this is an error
                case '?': // this is an error outside flow collections
                case ':': {
                    const inFlow = this.flowLevel > 0;
                    const ch1 = this.charAt(1);
                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
                        if (!inFlow)
                            this.indentNext = this.indentValue + 1;
                        else if (this.flowKey)
                            this.flowKey = false;
                        n += yield* this.pushCount(1);
                        n += yield* this.pushSpaces(true);
                        continue loop;
                    }
                }
            }
            break loop;
        }
        return n;
    }
    *pushTag() {
        if (this.charAt(1) === '<') {
            let i = this.pos + 2;
            let ch = this.buffer[i];
            while (!isEmpty(ch) && ch !== '>')
                ch = this.buffer[++i];
            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
        }
        else {
            let i = this.pos + 1;
            let ch = this.buffer[i];
            while (ch) {
                if (tagChars.has(ch))
                    ch = this.buffer[++i];
                else if (ch === '%' &&
                    hexDigits.has(this.buffer[i + 1]) &&
                    hexDigits.has(this.buffer[i + 2])) {
                    ch = this.buffer[(i += 3)];
                }
                else
                    break;
            }
            return yield* this.pushToIndex(i, false);
        }
    }
    *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === '\n')
            return yield* this.pushCount(1);
        else if (ch === '\r' && this.charAt(1) === '\n')
            return yield* this.pushCount(2);
        else
            return 0;
    }
    *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
            ch = this.buffer[++i];
        } while (ch === ' ' || (allowTabs && ch === '\t'));
        const n = i - this.pos;
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos = i;
        }
        return n;
    }
    *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
            ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
    }
}

exports.Lexer = Lexer;


/***/ }),

/***/ 66628:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Tracks newlines during parsing in order to provide an efficient API for
 * determining the one-indexed `{ line, col }` position for any offset
 * within the input.
 */
class LineCounter {
    constructor() {
        this.lineStarts = [];
        /**
         * Should be called in ascending order. Otherwise, call
         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
         */
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        /**
         * Performs a binary search and returns the 1-indexed { line, col }
         * position of `offset`. If `line === 0`, `addNewLine` has never been
         * called or `offset` is before the first known newline.
         */
        this.linePos = (offset) => {
            let low = 0;
            let high = this.lineStarts.length;
            while (low < high) {
                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
                if (this.lineStarts[mid] < offset)
                    low = mid + 1;
                else
                    high = mid;
            }
            if (this.lineStarts[low] === offset)
                return { line: low + 1, col: 1 };
            if (low === 0)
                return { line: 0, col: offset };
            const start = this.lineStarts[low - 1];
            return { line: low, col: offset - start + 1 };
        };
    }
}

exports.LineCounter = LineCounter;


/***/ }),

/***/ 3456:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(40361);

function includesToken(list, type) {
    for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
            return true;
    return false;
}
function findNonEmptyIndex(list) {
    for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
            case 'space':
            case 'comment':
            case 'newline':
                break;
            default:
                return i;
        }
    }
    return -1;
}
function isFlowToken(token) {
    switch (token?.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'flow-collection':
            return true;
        default:
            return false;
    }
}
function getPrevProps(parent) {
    switch (parent.type) {
        case 'document':
            return parent.start;
        case 'block-map': {
            const it = parent.items[parent.items.length - 1];
            return it.sep ?? it.start;
        }
        case 'block-seq':
            return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
            return [];
    }
}
/** Note: May modify input array */
function getFirstKeyStartProps(prev) {
    if (prev.length === 0)
        return [];
    let i = prev.length;
    loop: while (--i >= 0) {
        switch (prev[i].type) {
            case 'doc-start':
            case 'explicit-key-ind':
            case 'map-value-ind':
            case 'seq-item-ind':
            case 'newline':
                break loop;
        }
    }
    while (prev[++i]?.type === 'space') {
        /* loop */
    }
    return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
    // May exhaust call stack with large `source` array
    if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
    else
        for (let i = 0; i < source.length; ++i)
            target.push(source[i]);
}
function fixFlowSeqItems(fc) {
    if (fc.start.type === 'flow-seq-start') {
        for (const it of fc.items) {
            if (it.sep &&
                !it.value &&
                !includesToken(it.start, 'explicit-key-ind') &&
                !includesToken(it.sep, 'map-value-ind')) {
                if (it.key)
                    it.value = it.key;
                delete it.key;
                if (isFlowToken(it.value)) {
                    if (it.value.end)
                        arrayPushArray(it.value.end, it.sep);
                    else
                        it.value.end = it.sep;
                }
                else
                    arrayPushArray(it.start, it.sep);
                delete it.sep;
            }
        }
    }
}
/**
 * A YAML concrete syntax tree (CST) parser
 *
 * ```ts
 * const src: string = ...
 * for (const token of new Parser().parse(src)) {
 *   // token: Token
 * }
 * ```
 *
 * To use the parser with a user-provided lexer:
 *
 * ```ts
 * function* parse(source: string, lexer: Lexer) {
 *   const parser = new Parser()
 *   for (const lexeme of lexer.lex(source))
 *     yield* parser.next(lexeme)
 *   yield* parser.end()
 * }
 *
 * const src: string = ...
 * const lexer = new Lexer()
 * for (const token of parse(src, lexer)) {
 *   // token: Token
 * }
 * ```
 */
class Parser {
    /**
     * @param onNewLine - If defined, called separately with the start position of
     *   each new line (in `parse()`, including the start of input).
     */
    constructor(onNewLine) {
        /** If true, space and sequence indicators count as indentation */
        this.atNewLine = true;
        /** If true, next token is a scalar value */
        this.atScalar = false;
        /** Current indentation level */
        this.indent = 0;
        /** Current offset since the start of parsing */
        this.offset = 0;
        /** On the same line with a block map key */
        this.onKeyLine = false;
        /** Top indicates the node that's currently being built */
        this.stack = [];
        /** The source of the current token, set in parse() */
        this.source = '';
        /** The type of the current token, set in parse() */
        this.type = '';
        // Must be defined after `next()`
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
    }
    /**
     * Parse `source` as a YAML stream.
     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
     *
     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
     *
     * @returns A generator of tokens representing each directive, document, and other structure.
     */
    *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
            this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
            yield* this.next(lexeme);
        if (!incomplete)
            yield* this.end();
    }
    /**
     * Advance the parser by the `source` of one lexical token.
     */
    *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
            console.log('|', cst.prettyToken(source));
        if (this.atScalar) {
            this.atScalar = false;
            yield* this.step();
            this.offset += source.length;
            return;
        }
        const type = cst.tokenType(source);
        if (!type) {
            const message = `Not a YAML token: ${source}`;
            yield* this.pop({ type: 'error', offset: this.offset, message, source });
            this.offset += source.length;
        }
        else if (type === 'scalar') {
            this.atNewLine = false;
            this.atScalar = true;
            this.type = 'scalar';
        }
        else {
            this.type = type;
            yield* this.step();
            switch (type) {
                case 'newline':
                    this.atNewLine = true;
                    this.indent = 0;
                    if (this.onNewLine)
                        this.onNewLine(this.offset + source.length);
                    break;
                case 'space':
                    if (this.atNewLine && source[0] === ' ')
                        this.indent += source.length;
                    break;
                case 'explicit-key-ind':
                case 'map-value-ind':
                case 'seq-item-ind':
                    if (this.atNewLine)
                        this.indent += source.length;
                    break;
                case 'doc-mode':
                case 'flow-error-end':
                    return;
                default:
                    this.atNewLine = false;
            }
            this.offset += source.length;
        }
    }
    /** Call at end of input to push out any remaining constructions */
    *end() {
        while (this.stack.length > 0)
            yield* this.pop();
    }
    get sourceToken() {
        const st = {
            type: this.type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
        return st;
    }
    *step() {
        const top = this.peek(1);
        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
            while (this.stack.length > 0)
                yield* this.pop();
            this.stack.push({
                type: 'doc-end',
                offset: this.offset,
                source: this.source
            });
            return;
        }
        if (!top)
            return yield* this.stream();
        switch (top.type) {
            case 'document':
                return yield* this.document(top);
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return yield* this.scalar(top);
            case 'block-scalar':
                return yield* this.blockScalar(top);
            case 'block-map':
                return yield* this.blockMap(top);
            case 'block-seq':
                return yield* this.blockSequence(top);
            case 'flow-collection':
                return yield* this.flowCollection(top);
            case 'doc-end':
                return yield* this.documentEnd(top);
        }
        /* istanbul ignore next should not happen */
        yield* this.pop();
    }
    peek(n) {
        return this.stack[this.stack.length - n];
    }
    *pop(error) {
        const token = error ?? this.stack.pop();
        /* istanbul ignore if should not happen */
        if (!token) {
            const message = 'Tried to pop an empty stack';
            yield { type: 'error', offset: this.offset, source: '', message };
        }
        else if (this.stack.length === 0) {
            yield token;
        }
        else {
            const top = this.peek(1);
            if (token.type === 'block-scalar') {
                // Block scalars use their parent rather than header indent
                token.indent = 'indent' in top ? top.indent : 0;
            }
            else if (token.type === 'flow-collection' && top.type === 'document') {
                // Ignore all indent for top-level flow collections
                token.indent = 0;
            }
            if (token.type === 'flow-collection')
                fixFlowSeqItems(token);
            switch (top.type) {
                case 'document':
                    top.value = token;
                    break;
                case 'block-scalar':
                    top.props.push(token); // error
                    break;
                case 'block-map': {
                    const it = top.items[top.items.length - 1];
                    if (it.value) {
                        top.items.push({ start: [], key: token, sep: [] });
                        this.onKeyLine = true;
                        return;
                    }
                    else if (it.sep) {
                        it.value = token;
                    }
                    else {
                        Object.assign(it, { key: token, sep: [] });
                        this.onKeyLine = !it.explicitKey;
                        return;
                    }
                    break;
                }
                case 'block-seq': {
                    const it = top.items[top.items.length - 1];
                    if (it.value)
                        top.items.push({ start: [], value: token });
                    else
                        it.value = token;
                    break;
                }
                case 'flow-collection': {
                    const it = top.items[top.items.length - 1];
                    if (!it || it.value)
                        top.items.push({ start: [], key: token, sep: [] });
                    else if (it.sep)
                        it.value = token;
                    else
                        Object.assign(it, { key: token, sep: [] });
                    return;
                }
                /* istanbul ignore next should not happen */
                default:
                    yield* this.pop();
                    yield* this.pop(token);
            }
            if ((top.type === 'document' ||
                top.type === 'block-map' ||
                top.type === 'block-seq') &&
                (token.type === 'block-map' || token.type === 'block-seq')) {
                const last = token.items[token.items.length - 1];
                if (last &&
                    !last.sep &&
                    !last.value &&
                    last.start.length > 0 &&
                    findNonEmptyIndex(last.start) === -1 &&
                    (token.indent === 0 ||
                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
                    if (top.type === 'document')
                        top.end = last.start;
                    else
                        top.items.push({ start: last.start });
                    token.items.splice(-1, 1);
                }
            }
        }
    }
    *stream() {
        switch (this.type) {
            case 'directive-line':
                yield { type: 'directive', offset: this.offset, source: this.source };
                return;
            case 'byte-order-mark':
            case 'space':
            case 'comment':
            case 'newline':
                yield this.sourceToken;
                return;
            case 'doc-mode':
            case 'doc-start': {
                const doc = {
                    type: 'document',
                    offset: this.offset,
                    start: []
                };
                if (this.type === 'doc-start')
                    doc.start.push(this.sourceToken);
                this.stack.push(doc);
                return;
            }
        }
        yield {
            type: 'error',
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML stream`,
            source: this.source
        };
    }
    *document(doc) {
        if (doc.value)
            return yield* this.lineEnd(doc);
        switch (this.type) {
            case 'doc-start': {
                if (findNonEmptyIndex(doc.start) !== -1) {
                    yield* this.pop();
                    yield* this.step();
                }
                else
                    doc.start.push(this.sourceToken);
                return;
            }
            case 'anchor':
            case 'tag':
            case 'space':
            case 'comment':
            case 'newline':
                doc.start.push(this.sourceToken);
                return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
            this.stack.push(bv);
        else {
            yield {
                type: 'error',
                offset: this.offset,
                message: `Unexpected ${this.type} token in YAML document`,
                source: this.source
            };
        }
    }
    *scalar(scalar) {
        if (this.type === 'map-value-ind') {
            const prev = getPrevProps(this.peek(2));
            const start = getFirstKeyStartProps(prev);
            let sep;
            if (scalar.end) {
                sep = scalar.end;
                sep.push(this.sourceToken);
                delete scalar.end;
            }
            else
                sep = [this.sourceToken];
            const map = {
                type: 'block-map',
                offset: scalar.offset,
                indent: scalar.indent,
                items: [{ start, key: scalar, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
        }
        else
            yield* this.lineEnd(scalar);
    }
    *blockScalar(scalar) {
        switch (this.type) {
            case 'space':
            case 'comment':
            case 'newline':
                scalar.props.push(this.sourceToken);
                return;
            case 'scalar':
                scalar.source = this.source;
                // block-scalar source includes trailing newline
                this.atNewLine = true;
                this.indent = 0;
                if (this.onNewLine) {
                    let nl = this.source.indexOf('\n') + 1;
                    while (nl !== 0) {
                        this.onNewLine(this.offset + nl);
                        nl = this.source.indexOf('\n', nl) + 1;
                    }
                }
                yield* this.pop();
                break;
            /* istanbul ignore next should not happen */
            default:
                yield* this.pop();
                yield* this.step();
        }
    }
    *blockMap(map) {
        const it = map.items[map.items.length - 1];
        // it.sep is true-ish if pair already has key or : separator
        switch (this.type) {
            case 'newline':
                this.onKeyLine = false;
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    it.start.push(this.sourceToken);
                }
                return;
            case 'space':
            case 'comment':
                if (it.value) {
                    map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    if (this.atIndentedComment(it.start, map.indent)) {
                        const prev = map.items[map.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            map.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
        }
        if (this.indent >= map.indent) {
            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
            const atNextItem = atMapIndent &&
                (it.sep || it.explicitKey) &&
                this.type !== 'seq-item-ind';
            // For empty nodes, assign newline-separated not indented empty tokens to following node
            let start = [];
            if (atNextItem && it.sep && !it.value) {
                const nl = [];
                for (let i = 0; i < it.sep.length; ++i) {
                    const st = it.sep[i];
                    switch (st.type) {
                        case 'newline':
                            nl.push(i);
                            break;
                        case 'space':
                            break;
                        case 'comment':
                            if (st.indent > map.indent)
                                nl.length = 0;
                            break;
                        default:
                            nl.length = 0;
                    }
                }
                if (nl.length >= 2)
                    start = it.sep.splice(nl[1]);
            }
            switch (this.type) {
                case 'anchor':
                case 'tag':
                    if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        it.sep.push(this.sourceToken);
                    }
                    else {
                        it.start.push(this.sourceToken);
                    }
                    return;
                case 'explicit-key-ind':
                    if (!it.sep && !it.explicitKey) {
                        it.start.push(this.sourceToken);
                        it.explicitKey = true;
                    }
                    else if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start, explicitKey: true });
                    }
                    else {
                        this.stack.push({
                            type: 'block-map',
                            offset: this.offset,
                            indent: this.indent,
                            items: [{ start: [this.sourceToken], explicitKey: true }]
                        });
                    }
                    this.onKeyLine = true;
                    return;
                case 'map-value-ind':
                    if (it.explicitKey) {
                        if (!it.sep) {
                            if (includesToken(it.start, 'newline')) {
                                Object.assign(it, { key: null, sep: [this.sourceToken] });
                            }
                            else {
                                const start = getFirstKeyStartProps(it.start);
                                this.stack.push({
                                    type: 'block-map',
                                    offset: this.offset,
                                    indent: this.indent,
                                    items: [{ start, key: null, sep: [this.sourceToken] }]
                                });
                            }
                        }
                        else if (it.value) {
                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else if (isFlowToken(it.key) &&
                            !includesToken(it.sep, 'newline')) {
                            const start = getFirstKeyStartProps(it.start);
                            const key = it.key;
                            const sep = it.sep;
                            sep.push(this.sourceToken);
                            // @ts-expect-error type guard is wrong here
                            delete it.key;
                            // @ts-expect-error type guard is wrong here
                            delete it.sep;
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key, sep }]
                            });
                        }
                        else if (start.length > 0) {
                            // Not actually at next item
                            it.sep = it.sep.concat(start, this.sourceToken);
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    else {
                        if (!it.sep) {
                            Object.assign(it, { key: null, sep: [this.sourceToken] });
                        }
                        else if (it.value || atNextItem) {
                            map.items.push({ start, key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    this.onKeyLine = true;
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (atNextItem || it.value) {
                        map.items.push({ start, key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        this.stack.push(fs);
                    }
                    else {
                        Object.assign(it, { key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    return;
                }
                default: {
                    const bv = this.startBlockValue(map);
                    if (bv) {
                        if (bv.type === 'block-seq') {
                            if (!it.explicitKey &&
                                it.sep &&
                                !includesToken(it.sep, 'newline')) {
                                yield* this.pop({
                                    type: 'error',
                                    offset: this.offset,
                                    message: 'Unexpected block-seq-ind on same line with key',
                                    source: this.source
                                });
                                return;
                            }
                        }
                        else if (atMapIndent) {
                            map.items.push({ start });
                        }
                        this.stack.push(bv);
                        return;
                    }
                }
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
            case 'newline':
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        seq.items.push({ start: [this.sourceToken] });
                }
                else
                    it.start.push(this.sourceToken);
                return;
            case 'space':
            case 'comment':
                if (it.value)
                    seq.items.push({ start: [this.sourceToken] });
                else {
                    if (this.atIndentedComment(it.start, seq.indent)) {
                        const prev = seq.items[seq.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            seq.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
            case 'anchor':
            case 'tag':
                if (it.value || this.indent <= seq.indent)
                    break;
                it.start.push(this.sourceToken);
                return;
            case 'seq-item-ind':
                if (this.indent !== seq.indent)
                    break;
                if (it.value || includesToken(it.start, 'seq-item-ind'))
                    seq.items.push({ start: [this.sourceToken] });
                else
                    it.start.push(this.sourceToken);
                return;
        }
        if (this.indent > seq.indent) {
            const bv = this.startBlockValue(seq);
            if (bv) {
                this.stack.push(bv);
                return;
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === 'flow-error-end') {
            let top;
            do {
                yield* this.pop();
                top = this.peek(1);
            } while (top?.type === 'flow-collection');
        }
        else if (fc.end.length === 0) {
            switch (this.type) {
                case 'comma':
                case 'explicit-key-ind':
                    if (!it || it.sep)
                        fc.items.push({ start: [this.sourceToken] });
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'map-value-ind':
                    if (!it || it.value)
                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        Object.assign(it, { key: null, sep: [this.sourceToken] });
                    return;
                case 'space':
                case 'comment':
                case 'newline':
                case 'anchor':
                case 'tag':
                    if (!it || it.value)
                        fc.items.push({ start: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (!it || it.value)
                        fc.items.push({ start: [], key: fs, sep: [] });
                    else if (it.sep)
                        this.stack.push(fs);
                    else
                        Object.assign(it, { key: fs, sep: [] });
                    return;
                }
                case 'flow-map-end':
                case 'flow-seq-end':
                    fc.end.push(this.sourceToken);
                    return;
            }
            const bv = this.startBlockValue(fc);
            /* istanbul ignore else should not happen */
            if (bv)
                this.stack.push(bv);
            else {
                yield* this.pop();
                yield* this.step();
            }
        }
        else {
            const parent = this.peek(2);
            if (parent.type === 'block-map' &&
                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
                    (this.type === 'newline' &&
                        !parent.items[parent.items.length - 1].sep))) {
                yield* this.pop();
                yield* this.step();
            }
            else if (this.type === 'map-value-ind' &&
                parent.type !== 'flow-collection') {
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                fixFlowSeqItems(fc);
                const sep = fc.end.splice(1, fc.end.length);
                sep.push(this.sourceToken);
                const map = {
                    type: 'block-map',
                    offset: fc.offset,
                    indent: fc.indent,
                    items: [{ start, key: fc, sep }]
                };
                this.onKeyLine = true;
                this.stack[this.stack.length - 1] = map;
            }
            else {
                yield* this.lineEnd(fc);
            }
        }
    }
    flowScalar(type) {
        if (this.onNewLine) {
            let nl = this.source.indexOf('\n') + 1;
            while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf('\n', nl) + 1;
            }
        }
        return {
            type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
    }
    startBlockValue(parent) {
        switch (this.type) {
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return this.flowScalar(this.type);
            case 'block-scalar-header':
                return {
                    type: 'block-scalar',
                    offset: this.offset,
                    indent: this.indent,
                    props: [this.sourceToken],
                    source: ''
                };
            case 'flow-map-start':
            case 'flow-seq-start':
                return {
                    type: 'flow-collection',
                    offset: this.offset,
                    indent: this.indent,
                    start: this.sourceToken,
                    items: [],
                    end: []
                };
            case 'seq-item-ind':
                return {
                    type: 'block-seq',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [this.sourceToken] }]
                };
            case 'explicit-key-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                start.push(this.sourceToken);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, explicitKey: true }]
                };
            }
            case 'map-value-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                };
            }
        }
        return null;
    }
    atIndentedComment(start, indent) {
        if (this.type !== 'comment')
            return false;
        if (this.indent <= indent)
            return false;
        return start.every(st => st.type === 'newline' || st.type === 'space');
    }
    *documentEnd(docEnd) {
        if (this.type !== 'doc-mode') {
            if (docEnd.end)
                docEnd.end.push(this.sourceToken);
            else
                docEnd.end = [this.sourceToken];
            if (this.type === 'newline')
                yield* this.pop();
        }
    }
    *lineEnd(token) {
        switch (this.type) {
            case 'comma':
            case 'doc-start':
            case 'doc-end':
            case 'flow-seq-end':
            case 'flow-map-end':
            case 'map-value-ind':
                yield* this.pop();
                yield* this.step();
                break;
            case 'newline':
                this.onKeyLine = false;
            // fallthrough
            case 'space':
            case 'comment':
            default:
                // all other values are errors
                if (token.end)
                    token.end.push(this.sourceToken);
                else
                    token.end = [this.sourceToken];
                if (this.type === 'newline')
                    yield* this.pop();
        }
    }
}

exports.Parser = Parser;


/***/ }),

/***/ 84047:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var composer = __nccwpck_require__(89984);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(91464);
var log = __nccwpck_require__(57249);
var identity = __nccwpck_require__(41127);
var lineCounter = __nccwpck_require__(66628);
var parser = __nccwpck_require__(3456);

function parseOptions(options) {
    const prettyErrors = options.prettyErrors !== false;
    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
    return { lineCounter: lineCounter$1, prettyErrors };
}
/**
 * Parse the input as a stream of YAML documents.
 *
 * Documents should be separated from each other by `...` or `---` marker lines.
 *
 * @returns If an empty `docs` array is returned, it will be of type
 *   EmptyStream and contain additional stream information. In
 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
 */
function parseAllDocuments(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
    if (prettyErrors && lineCounter)
        for (const doc of docs) {
            doc.errors.forEach(errors.prettifyError(source, lineCounter));
            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
        }
    if (docs.length > 0)
        return docs;
    return Object.assign([], { empty: true }, composer$1.streamInfo());
}
/** Parse an input string into a single YAML.Document */
function parseDocument(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    // `doc` is always set by compose.end(true) at the very latest
    let doc = null;
    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
            doc = _doc;
        else if (doc.options.logLevel !== 'silent') {
            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
            break;
        }
    }
    if (prettyErrors && lineCounter) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
    }
    return doc;
}
function parse(src, reviver, options) {
    let _reviver = undefined;
    if (typeof reviver === 'function') {
        _reviver = reviver;
    }
    else if (options === undefined && reviver && typeof reviver === 'object') {
        options = reviver;
    }
    const doc = parseDocument(src, options);
    if (!doc)
        return null;
    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
    if (doc.errors.length > 0) {
        if (doc.options.logLevel !== 'silent')
            throw doc.errors[0];
        else
            doc.errors = [];
    }
    return doc.toJS(Object.assign({ reviver: _reviver }, options));
}
function stringify(value, replacer, options) {
    let _replacer = null;
    if (typeof replacer === 'function' || Array.isArray(replacer)) {
        _replacer = replacer;
    }
    else if (options === undefined && replacer) {
        options = replacer;
    }
    if (typeof options === 'string')
        options = options.length;
    if (typeof options === 'number') {
        const indent = Math.round(options);
        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
    }
    if (value === undefined) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
            return undefined;
    }
    if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
    return new Document.Document(value, _replacer, options).toString(options);
}

exports.parse = parse;
exports.parseAllDocuments = parseAllDocuments;
exports.parseDocument = parseDocument;
exports.stringify = stringify;


/***/ }),

/***/ 45840:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var map = __nccwpck_require__(47451);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(66464);
var tags = __nccwpck_require__(90018);

const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
class Schema {
    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat)
            ? tags.getTags(compat, 'compat')
            : compat
                ? tags.getTags(null, compat)
                : null;
        this.name = (typeof schema === 'string' && schema) || 'core';
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        // Used by createMap()
        this.sortMapEntries =
            typeof sortMapEntries === 'function'
                ? sortMapEntries
                : sortMapEntries === true
                    ? sortMapEntriesByKey
                    : null;
    }
    clone() {
        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
    }
}

exports.Schema = Schema;


/***/ }),

/***/ 47451:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var YAMLMap = __nccwpck_require__(84454);

const map = {
    collection: 'map',
    default: true,
    nodeClass: YAMLMap.YAMLMap,
    tag: 'tag:yaml.org,2002:map',
    resolve(map, onError) {
        if (!identity.isMap(map))
            onError('Expected a mapping for this tag');
        return map;
    },
    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
};

exports.map = map;


/***/ }),

/***/ 73632:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(63301);

const nullTag = {
    identify: value => value == null,
    createNode: () => new Scalar.Scalar(null),
    default: true,
    tag: 'tag:yaml.org,2002:null',
    test: /^(?:~|[Nn]ull|NULL)?$/,
    resolve: () => new Scalar.Scalar(null),
    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
        ? source
        : ctx.options.nullStr
};

exports.nullTag = nullTag;


/***/ }),

/***/ 1706:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var YAMLSeq = __nccwpck_require__(92223);

const seq = {
    collection: 'seq',
    default: true,
    nodeClass: YAMLSeq.YAMLSeq,
    tag: 'tag:yaml.org,2002:seq',
    resolve(seq, onError) {
        if (!identity.isSeq(seq))
            onError('Expected a sequence for this tag');
        return seq;
    },
    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
};

exports.seq = seq;


/***/ }),

/***/ 66464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyString = __nccwpck_require__(83069);

const string = {
    identify: value => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: str => str,
    stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
    }
};

exports.string = string;


/***/ }),

/***/ 73959:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(63301);

const boolTag = {
    identify: value => typeof value === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
    stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
            const sv = source[0] === 't' || source[0] === 'T';
            if (value === sv)
                return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
};

exports.boolTag = boolTag;


/***/ }),

/***/ 38405:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(63301);
var stringifyNumber = __nccwpck_require__(28689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: str => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: str => parseFloat(str),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf('.');
        if (dot !== -1 && str[str.length - 1] === '0')
            node.minFractionDigits = str.length - dot - 1;
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 59874:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(28689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
    return stringifyNumber.stringifyNumber(node);
}
const intOct = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^0o[0-7]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
    stringify: node => intStringify(node, 8, '0o')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^0x[0-9a-fA-F]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 70896:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(47451);
var _null = __nccwpck_require__(73632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(66464);
var bool = __nccwpck_require__(73959);
var float = __nccwpck_require__(38405);
var int = __nccwpck_require__(59874);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.boolTag,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float
];

exports.schema = schema;


/***/ }),

/***/ 33559:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(63301);
var map = __nccwpck_require__(47451);
var seq = __nccwpck_require__(1706);

function intIdentify(value) {
    return typeof value === 'bigint' || Number.isInteger(value);
}
const stringifyJSON = ({ value }) => JSON.stringify(value);
const jsonScalars = [
    {
        identify: value => typeof value === 'string',
        default: true,
        tag: 'tag:yaml.org,2002:str',
        resolve: str => str,
        stringify: stringifyJSON
    },
    {
        identify: value => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: 'tag:yaml.org,2002:null',
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
    },
    {
        identify: value => typeof value === 'boolean',
        default: true,
        tag: 'tag:yaml.org,2002:bool',
        test: /^true$|^false$/,
        resolve: str => str === 'true',
        stringify: stringifyJSON
    },
    {
        identify: intIdentify,
        default: true,
        tag: 'tag:yaml.org,2002:int',
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
    },
    {
        identify: value => typeof value === 'number',
        default: true,
        tag: 'tag:yaml.org,2002:float',
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: str => parseFloat(str),
        stringify: stringifyJSON
    }
];
const jsonError = {
    default: true,
    tag: '',
    test: /^/,
    resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
    }
};
const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

exports.schema = schema;


/***/ }),

/***/ 90018:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(47451);
var _null = __nccwpck_require__(73632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(66464);
var bool = __nccwpck_require__(73959);
var float = __nccwpck_require__(38405);
var int = __nccwpck_require__(59874);
var schema = __nccwpck_require__(70896);
var schema$1 = __nccwpck_require__(33559);
var binary = __nccwpck_require__(56083);
var merge = __nccwpck_require__(90452);
var omap = __nccwpck_require__(50303);
var pairs = __nccwpck_require__(18385);
var schema$2 = __nccwpck_require__(35913);
var set = __nccwpck_require__(81528);
var timestamp = __nccwpck_require__(46752);

const schemas = new Map([
    ['core', schema.schema],
    ['failsafe', [map.map, seq.seq, string.string]],
    ['json', schema$1.schema],
    ['yaml11', schema$2.schema],
    ['yaml-1.1', schema$2.schema]
]);
const tagsByName = {
    binary: binary.binary,
    bool: bool.boolTag,
    float: float.float,
    floatExp: float.floatExp,
    floatNaN: float.floatNaN,
    floatTime: timestamp.floatTime,
    int: int.int,
    intHex: int.intHex,
    intOct: int.intOct,
    intTime: timestamp.intTime,
    map: map.map,
    merge: merge.merge,
    null: _null.nullTag,
    omap: omap.omap,
    pairs: pairs.pairs,
    seq: seq.seq,
    set: set.set,
    timestamp: timestamp.timestamp
};
const coreKnownTags = {
    'tag:yaml.org,2002:binary': binary.binary,
    'tag:yaml.org,2002:merge': merge.merge,
    'tag:yaml.org,2002:omap': omap.omap,
    'tag:yaml.org,2002:pairs': pairs.pairs,
    'tag:yaml.org,2002:set': set.set,
    'tag:yaml.org,2002:timestamp': timestamp.timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
    const schemaTags = schemas.get(schemaName);
    if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge)
            ? schemaTags.concat(merge.merge)
            : schemaTags.slice();
    }
    let tags = schemaTags;
    if (!tags) {
        if (Array.isArray(customTags))
            tags = [];
        else {
            const keys = Array.from(schemas.keys())
                .filter(key => key !== 'yaml11')
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
    }
    if (Array.isArray(customTags)) {
        for (const tag of customTags)
            tags = tags.concat(tag);
    }
    else if (typeof customTags === 'function') {
        tags = customTags(tags.slice());
    }
    if (addMergeTag)
        tags = tags.concat(merge.merge);
    return tags.reduce((tags, tag) => {
        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
        if (!tagObj) {
            const tagName = JSON.stringify(tag);
            const keys = Object.keys(tagsByName)
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags.includes(tagObj))
            tags.push(tagObj);
        return tags;
    }, []);
}

exports.coreKnownTags = coreKnownTags;
exports.getTags = getTags;


/***/ }),

/***/ 56083:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_buffer = __nccwpck_require__(20181);
var Scalar = __nccwpck_require__(63301);
var stringifyString = __nccwpck_require__(83069);

const binary = {
    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
    default: false,
    tag: 'tag:yaml.org,2002:binary',
    /**
     * Returns a Buffer in node and an Uint8Array in browsers
     *
     * To use the resulting buffer as an image, you'll want to do something like:
     *
     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
     */
    resolve(src, onError) {
        if (typeof node_buffer.Buffer === 'function') {
            return node_buffer.Buffer.from(src, 'base64');
        }
        else if (typeof atob === 'function') {
            // On IE 11, atob() can't handle newlines
            const str = atob(src.replace(/[\n\r]/g, ''));
            const buffer = new Uint8Array(str.length);
            for (let i = 0; i < str.length; ++i)
                buffer[i] = str.charCodeAt(i);
            return buffer;
        }
        else {
            onError('This environment does not support reading binary tags; either Buffer or atob is required');
            return src;
        }
    },
    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
            return '';
        const buf = value; // checked earlier by binary.identify()
        let str;
        if (typeof node_buffer.Buffer === 'function') {
            str =
                buf instanceof node_buffer.Buffer
                    ? buf.toString('base64')
                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
        }
        else if (typeof btoa === 'function') {
            let s = '';
            for (let i = 0; i < buf.length; ++i)
                s += String.fromCharCode(buf[i]);
            str = btoa(s);
        }
        else {
            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
            const n = Math.ceil(str.length / lineWidth);
            const lines = new Array(n);
            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
                lines[i] = str.substr(o, lineWidth);
            }
            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
    }
};

exports.binary = binary;


/***/ }),

/***/ 88398:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(63301);

function boolStringify({ value, source }, ctx) {
    const boolObj = value ? trueTag : falseTag;
    if (source && boolObj.test.test(source))
        return source;
    return value ? ctx.options.trueStr : ctx.options.falseStr;
}
const trueTag = {
    identify: value => value === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar.Scalar(true),
    stringify: boolStringify
};
const falseTag = {
    identify: value => value === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar.Scalar(false),
    stringify: boolStringify
};

exports.falseTag = falseTag;
exports.trueTag = trueTag;


/***/ }),

/***/ 35782:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(63301);
var stringifyNumber = __nccwpck_require__(28689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    resolve: (str) => parseFloat(str.replace(/_/g, '')),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
        const dot = str.indexOf('.');
        if (dot !== -1) {
            const f = str.substring(dot + 1).replace(/_/g, '');
            if (f[f.length - 1] === '0')
                node.minFractionDigits = f.length;
        }
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 10873:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(28689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
function intResolve(str, offset, radix, { intAsBigInt }) {
    const sign = str[0];
    if (sign === '-' || sign === '+')
        offset += 1;
    str = str.substring(offset).replace(/_/g, '');
    if (intAsBigInt) {
        switch (radix) {
            case 2:
                str = `0b${str}`;
                break;
            case 8:
                str = `0o${str}`;
                break;
            case 16:
                str = `0x${str}`;
                break;
        }
        const n = BigInt(str);
        return sign === '-' ? BigInt(-1) * n : n;
    }
    const n = parseInt(str, radix);
    return sign === '-' ? -1 * n : n;
}
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
    }
    return stringifyNumber.stringifyNumber(node);
}
const intBin = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'BIN',
    test: /^[-+]?0b[0-1_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
    stringify: node => intStringify(node, 2, '0b')
};
const intOct = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^[-+]?0[0-7_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
    stringify: node => intStringify(node, 8, '0')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9][0-9_]*$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^[-+]?0x[0-9a-fA-F_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intBin = intBin;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 90452:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var Scalar = __nccwpck_require__(63301);

// If the value associated with a merge key is a single mapping node, each of
// its key/value pairs is inserted into the current mapping, unless the key
// already exists in it. If the value associated with the merge key is a
// sequence, then this sequence is expected to contain mapping nodes and each
// of these nodes is merged in turn according to its order in the sequence.
// Keys in mapping nodes earlier in the sequence override keys specified in
// later mapping nodes. -- http://yaml.org/type/merge.html
const MERGE_KEY = '<<';
const merge = {
    identify: value => value === MERGE_KEY ||
        (typeof value === 'symbol' && value.description === MERGE_KEY),
    default: 'key',
    tag: 'tag:yaml.org,2002:merge',
    test: /^<<$/,
    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
    }),
    stringify: () => MERGE_KEY
};
const isMergeKey = (ctx, key) => (merge.identify(key) ||
    (identity.isScalar(key) &&
        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
        merge.identify(key.value))) &&
    ctx?.doc.schema.tags.some(tag => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (identity.isSeq(source))
        for (const it of source.items)
            mergeValue(ctx, map, it);
    else if (Array.isArray(source))
        for (const it of source)
            mergeValue(ctx, map, it);
    else
        mergeValue(ctx, map, source);
}
function mergeValue(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (!identity.isMap(source))
        throw new Error('Merge sources must be maps or map aliases');
    const srcMap = source.toJSON(null, ctx, Map);
    for (const [key, value] of srcMap) {
        if (map instanceof Map) {
            if (!map.has(key))
                map.set(key, value);
        }
        else if (map instanceof Set) {
            map.add(key);
        }
        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
            Object.defineProperty(map, key, {
                value,
                writable: true,
                enumerable: true,
                configurable: true
            });
        }
    }
    return map;
}
function resolveAliasValue(ctx, value) {
    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

exports.addMergeToJSMap = addMergeToJSMap;
exports.isMergeKey = isMergeKey;
exports.merge = merge;


/***/ }),

/***/ 50303:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var toJS = __nccwpck_require__(74043);
var YAMLMap = __nccwpck_require__(84454);
var YAMLSeq = __nccwpck_require__(92223);
var pairs = __nccwpck_require__(18385);

class YAMLOMap extends YAMLSeq.YAMLSeq {
    constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = YAMLOMap.tag;
    }
    /**
     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
     * but TypeScript won't allow widening the signature of a child method.
     */
    toJSON(_, ctx) {
        if (!ctx)
            return super.toJSON(_);
        const map = new Map();
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const pair of this.items) {
            let key, value;
            if (identity.isPair(pair)) {
                key = toJS.toJS(pair.key, '', ctx);
                value = toJS.toJS(pair.value, key, ctx);
            }
            else {
                key = toJS.toJS(pair, '', ctx);
            }
            if (map.has(key))
                throw new Error('Ordered maps must not include duplicate keys');
            map.set(key, value);
        }
        return map;
    }
    static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap = new this();
        omap.items = pairs$1.items;
        return omap;
    }
}
YAMLOMap.tag = 'tag:yaml.org,2002:omap';
const omap = {
    collection: 'seq',
    identify: value => value instanceof Map,
    nodeClass: YAMLOMap,
    default: false,
    tag: 'tag:yaml.org,2002:omap',
    resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
            if (identity.isScalar(key)) {
                if (seenKeys.includes(key.value)) {
                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
                }
                else {
                    seenKeys.push(key.value);
                }
            }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
    },
    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
};

exports.YAMLOMap = YAMLOMap;
exports.omap = omap;


/***/ }),

/***/ 18385:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var Pair = __nccwpck_require__(57165);
var Scalar = __nccwpck_require__(63301);
var YAMLSeq = __nccwpck_require__(92223);

function resolvePairs(seq, onError) {
    if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
            let item = seq.items[i];
            if (identity.isPair(item))
                continue;
            else if (identity.isMap(item)) {
                if (item.items.length > 1)
                    onError('Each pair must have its own sequence indicator');
                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
                if (item.commentBefore)
                    pair.key.commentBefore = pair.key.commentBefore
                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
                        : item.commentBefore;
                if (item.comment) {
                    const cn = pair.value ?? pair.key;
                    cn.comment = cn.comment
                        ? `${item.comment}\n${cn.comment}`
                        : item.comment;
                }
                item = pair;
            }
            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
    }
    else
        onError('Expected a sequence for this tag');
    return seq;
}
function createPairs(schema, iterable, ctx) {
    const { replacer } = ctx;
    const pairs = new YAMLSeq.YAMLSeq(schema);
    pairs.tag = 'tag:yaml.org,2002:pairs';
    let i = 0;
    if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
            if (typeof replacer === 'function')
                it = replacer.call(iterable, String(i++), it);
            let key, value;
            if (Array.isArray(it)) {
                if (it.length === 2) {
                    key = it[0];
                    value = it[1];
                }
                else
                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
            }
            else if (it && it instanceof Object) {
                const keys = Object.keys(it);
                if (keys.length === 1) {
                    key = keys[0];
                    value = it[key];
                }
                else {
                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
                }
            }
            else {
                key = it;
            }
            pairs.items.push(Pair.createPair(key, value, ctx));
        }
    return pairs;
}
const pairs = {
    collection: 'seq',
    default: false,
    tag: 'tag:yaml.org,2002:pairs',
    resolve: resolvePairs,
    createNode: createPairs
};

exports.createPairs = createPairs;
exports.pairs = pairs;
exports.resolvePairs = resolvePairs;


/***/ }),

/***/ 35913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(47451);
var _null = __nccwpck_require__(73632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(66464);
var binary = __nccwpck_require__(56083);
var bool = __nccwpck_require__(88398);
var float = __nccwpck_require__(35782);
var int = __nccwpck_require__(10873);
var merge = __nccwpck_require__(90452);
var omap = __nccwpck_require__(50303);
var pairs = __nccwpck_require__(18385);
var set = __nccwpck_require__(81528);
var timestamp = __nccwpck_require__(46752);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.trueTag,
    bool.falseTag,
    int.intBin,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float,
    binary.binary,
    merge.merge,
    omap.omap,
    pairs.pairs,
    set.set,
    timestamp.intTime,
    timestamp.floatTime,
    timestamp.timestamp
];

exports.schema = schema;


/***/ }),

/***/ 81528:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var Pair = __nccwpck_require__(57165);
var YAMLMap = __nccwpck_require__(84454);

class YAMLSet extends YAMLMap.YAMLMap {
    constructor(schema) {
        super(schema);
        this.tag = YAMLSet.tag;
    }
    add(key) {
        let pair;
        if (identity.isPair(key))
            pair = key;
        else if (key &&
            typeof key === 'object' &&
            'key' in key &&
            'value' in key &&
            key.value === null)
            pair = new Pair.Pair(key.key, null);
        else
            pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
            this.items.push(pair);
    }
    /**
     * If `keepPair` is `true`, returns the Pair matching `key`.
     * Otherwise, returns the value of that Pair's key.
     */
    get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair)
            ? identity.isScalar(pair.key)
                ? pair.key.value
                : pair.key
            : pair;
    }
    set(key, value) {
        if (typeof value !== 'boolean')
            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
            this.items.splice(this.items.indexOf(prev), 1);
        }
        else if (!prev && value) {
            this.items.push(new Pair.Pair(key));
        }
    }
    toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        if (this.hasAllNullValues(true))
            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
            throw new Error('Set items must all have null values');
    }
    static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
            for (let value of iterable) {
                if (typeof replacer === 'function')
                    value = replacer.call(iterable, value, value);
                set.items.push(Pair.createPair(value, null, ctx));
            }
        return set;
    }
}
YAMLSet.tag = 'tag:yaml.org,2002:set';
const set = {
    collection: 'map',
    identify: value => value instanceof Set,
    nodeClass: YAMLSet,
    default: false,
    tag: 'tag:yaml.org,2002:set',
    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
    resolve(map, onError) {
        if (identity.isMap(map)) {
            if (map.hasAllNullValues(true))
                return Object.assign(new YAMLSet(), map);
            else
                onError('Set items must all have null values');
        }
        else
            onError('Expected a mapping for this tag');
        return map;
    }
};

exports.YAMLSet = YAMLSet;
exports.set = set;


/***/ }),

/***/ 46752:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(28689);

/** Internal types handle bigint as number, because TS can't figure it out. */
function parseSexagesimal(str, asBigInt) {
    const sign = str[0];
    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
    const num = (n) => asBigInt ? BigInt(n) : Number(n);
    const res = parts
        .replace(/_/g, '')
        .split(':')
        .reduce((res, p) => res * num(60) + num(p), num(0));
    return (sign === '-' ? num(-1) * res : res);
}
/**
 * hhhh:mm:ss.sss
 *
 * Internal types handle bigint as number, because TS can't figure it out.
 */
function stringifySexagesimal(node) {
    let { value } = node;
    let num = (n) => n;
    if (typeof value === 'bigint')
        num = n => BigInt(n);
    else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
    let sign = '';
    if (value < 0) {
        sign = '-';
        value *= num(-1);
    }
    const _60 = num(60);
    const parts = [value % _60]; // seconds, including ms
    if (value < 60) {
        parts.unshift(0); // at least one : is required
    }
    else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60); // minutes
        if (value >= 60) {
            value = (value - parts[0]) / _60;
            parts.unshift(value); // hours
        }
    }
    return (sign +
        parts
            .map(n => String(n).padStart(2, '0'))
            .join(':')
            .replace(/000000\d*$/, '') // % 60 may introduce error
    );
}
const intTime = {
    identify: value => typeof value === 'bigint' || Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
    stringify: stringifySexagesimal
};
const floatTime = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    resolve: str => parseSexagesimal(str, false),
    stringify: stringifySexagesimal
};
const timestamp = {
    identify: value => value instanceof Date,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
    // may be omitted altogether, resulting in a date format. In such a case, the time part is
    // assumed to be 00:00:00Z (start of day, UTC).
    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
        '(?:' + // time is optional
        '(?:t|T|[ \\t]+)' + // t | T | whitespace
        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
        ')?$'),
    resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== 'Z') {
            let d = parseSexagesimal(tz, false);
            if (Math.abs(d) < 30)
                d *= 60;
            date -= 60000 * d;
        }
        return new Date(date);
    },
    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
};

exports.floatTime = floatTime;
exports.intTime = intTime;
exports.timestamp = timestamp;


/***/ }),

/***/ 34475:
/***/ ((__unused_webpack_module, exports) => {



const FOLD_FLOW = 'flow';
const FOLD_BLOCK = 'block';
const FOLD_QUOTED = 'quoted';
/**
 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
 * terminated with `\n` and started with `indent`.
 */
function foldFlowLines(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
    if (!lineWidth || lineWidth < 0)
        return text;
    if (lineWidth < minContentWidth)
        minContentWidth = 0;
    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
    if (text.length <= endStep)
        return text;
    const folds = [];
    const escapedFolds = {};
    let end = lineWidth - indent.length;
    if (typeof indentAtStart === 'number') {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
            folds.push(0);
        else
            end = lineWidth - indentAtStart;
    }
    let split = undefined;
    let prev = undefined;
    let overflow = false;
    let i = -1;
    let escStart = -1;
    let escEnd = -1;
    if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
            end = i + endStep;
    }
    for (let ch; (ch = text[(i += 1)]);) {
        if (mode === FOLD_QUOTED && ch === '\\') {
            escStart = i;
            switch (text[i + 1]) {
                case 'x':
                    i += 3;
                    break;
                case 'u':
                    i += 5;
                    break;
                case 'U':
                    i += 9;
                    break;
                default:
                    i += 1;
            }
            escEnd = i;
        }
        if (ch === '\n') {
            if (mode === FOLD_BLOCK)
                i = consumeMoreIndentedLines(text, i, indent.length);
            end = i + indent.length + endStep;
            split = undefined;
        }
        else {
            if (ch === ' ' &&
                prev &&
                prev !== ' ' &&
                prev !== '\n' &&
                prev !== '\t') {
                // space surrounded by non-space can be replaced with newline + indent
                const next = text[i + 1];
                if (next && next !== ' ' && next !== '\n' && next !== '\t')
                    split = i;
            }
            if (i >= end) {
                if (split) {
                    folds.push(split);
                    end = split + endStep;
                    split = undefined;
                }
                else if (mode === FOLD_QUOTED) {
                    // white-space collected at end may stretch past lineWidth
                    while (prev === ' ' || prev === '\t') {
                        prev = ch;
                        ch = text[(i += 1)];
                        overflow = true;
                    }
                    // Account for newline escape, but don't break preceding escape
                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
                    if (escapedFolds[j])
                        return text;
                    folds.push(j);
                    escapedFolds[j] = true;
                    end = j + endStep;
                    split = undefined;
                }
                else {
                    overflow = true;
                }
            }
        }
        prev = ch;
    }
    if (overflow && onOverflow)
        onOverflow();
    if (folds.length === 0)
        return text;
    if (onFold)
        onFold();
    let res = text.slice(0, folds[0]);
    for (let i = 0; i < folds.length; ++i) {
        const fold = folds[i];
        const end = folds[i + 1] || text.length;
        if (fold === 0)
            res = `\n${indent}${text.slice(0, end)}`;
        else {
            if (mode === FOLD_QUOTED && escapedFolds[fold])
                res += `${text[fold]}\\`;
            res += `\n${indent}${text.slice(fold + 1, end)}`;
        }
    }
    return res;
}
/**
 * Presumes `i + 1` is at the start of a line
 * @returns index of last newline in more-indented block
 */
function consumeMoreIndentedLines(text, i, indent) {
    let end = i;
    let start = i + 1;
    let ch = text[start];
    while (ch === ' ' || ch === '\t') {
        if (i < start + indent) {
            ch = text[++i];
        }
        else {
            do {
                ch = text[++i];
            } while (ch && ch !== '\n');
            end = i;
            start = i + 1;
            ch = text[start];
        }
    }
    return end;
}

exports.FOLD_BLOCK = FOLD_BLOCK;
exports.FOLD_FLOW = FOLD_FLOW;
exports.FOLD_QUOTED = FOLD_QUOTED;
exports.foldFlowLines = foldFlowLines;


/***/ }),

/***/ 2148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(71596);
var identity = __nccwpck_require__(41127);
var stringifyComment = __nccwpck_require__(59799);
var stringifyString = __nccwpck_require__(83069);

function createStringifyContext(doc, options) {
    const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: 'PLAIN',
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: 'false',
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: 'null',
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: 'true',
        verifyAliasOrder: true
    }, doc.schema.toStringOptions, options);
    let inFlow;
    switch (opt.collectionStyle) {
        case 'block':
            inFlow = false;
            break;
        case 'flow':
            inFlow = true;
            break;
        default:
            inFlow = null;
    }
    return {
        anchors: new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
        indent: '',
        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
        inFlow,
        options: opt
    };
}
function getTagObject(tags, item) {
    if (item.tag) {
        const match = tags.filter(t => t.tag === item.tag);
        if (match.length > 0)
            return match.find(t => t.format === item.format) ?? match[0];
    }
    let tagObj = undefined;
    let obj;
    if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter(t => t.identify?.(obj));
        if (match.length > 1) {
            const testMatch = match.filter(t => t.test);
            if (testMatch.length > 0)
                match = testMatch;
        }
        tagObj =
            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
    }
    else {
        obj = item;
        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
    }
    if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
    }
    return tagObj;
}
// needs to be called before value stringifier to allow for circular anchor refs
function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
    if (!doc.directives)
        return '';
    const props = [];
    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
    if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
    }
    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
    if (tag)
        props.push(doc.directives.tagString(tag));
    return props.join(' ');
}
function stringify(item, ctx, onComment, onChompKeep) {
    if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
    if (identity.isAlias(item)) {
        if (ctx.doc.directives)
            return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        }
        else {
            if (ctx.resolvedAliases)
                ctx.resolvedAliases.add(item);
            else
                ctx.resolvedAliases = new Set([item]);
            item = item.resolve(ctx.doc);
        }
    }
    let tagObj = undefined;
    const node = identity.isNode(item)
        ? item
        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
    const props = stringifyProps(node, tagObj, ctx);
    if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
    const str = typeof tagObj.stringify === 'function'
        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
        : identity.isScalar(node)
            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
            : node.toString(ctx, onComment, onChompKeep);
    if (!props)
        return str;
    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
        ? `${props} ${str}`
        : `${props}\n${ctx.indent}${str}`;
}

exports.createStringifyContext = createStringifyContext;
exports.stringify = stringify;


/***/ }),

/***/ 61212:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(59799);

function stringifyCollection(collection, ctx, options) {
    const flow = ctx.inFlow ?? collection.flow;
    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
    return stringify(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
    const { indent, options: { commentString } } = ctx;
    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
    let chompKeep = false; // flag for the preceding node's status
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (!chompKeep && item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (!chompKeep && ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
            }
        }
        chompKeep = false;
        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        if (chompKeep && comment)
            chompKeep = false;
        lines.push(blockItemPrefix + str);
    }
    let str;
    if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
    }
    else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
            const line = lines[i];
            str += line ? `\n${indent}${line}` : '\n';
        }
    }
    if (comment) {
        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
            onComment();
    }
    else if (chompKeep && onChompKeep)
        onChompKeep();
    return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
    itemIndent += indentStep;
    const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
    });
    let reqNewline = false;
    let linesAtValue = 0;
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, false);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, false);
                if (ik.comment)
                    reqNewline = true;
            }
            const iv = identity.isNode(item.value) ? item.value : null;
            if (iv) {
                if (iv.comment)
                    comment = iv.comment;
                if (iv.commentBefore)
                    reqNewline = true;
            }
            else if (item.value == null && ik?.comment) {
                comment = ik.comment;
            }
        }
        if (comment)
            reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => (comment = null));
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
        if (i < items.length - 1) {
            str += ',';
        }
        else if (ctx.options.trailingComma) {
            if (ctx.options.lineWidth > 0) {
                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
                    (str.length + 2) >
                    ctx.options.lineWidth);
            }
            if (reqNewline) {
                str += ',';
            }
        }
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
    }
    const { start, end } = flowChars;
    if (lines.length === 0) {
        return start + end;
    }
    else {
        if (!reqNewline) {
            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
            let str = start;
            for (const line of lines)
                str += line ? `\n${indentStep}${indent}${line}` : '\n';
            return `${str}\n${indent}${end}`;
        }
        else {
            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
        }
    }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
    if (comment && chompKeep)
        comment = comment.replace(/^\n+/, '');
    if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart()); // Avoid double indent on first line
    }
}

exports.stringifyCollection = stringifyCollection;


/***/ }),

/***/ 59799:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringifies a comment.
 *
 * Empty comment lines are left empty,
 * lines consisting of a single space are replaced by `#`,
 * and all other lines are prefixed with a `#`.
 */
const stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
function indentComment(comment, indent) {
    if (/^\n+$/.test(comment))
        return comment.substring(1);
    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
const lineComment = (str, indent, comment) => str.endsWith('\n')
    ? indentComment(comment, indent)
    : comment.includes('\n')
        ? '\n' + indentComment(comment, indent)
        : (str.endsWith(' ') ? '' : ' ') + comment;

exports.indentComment = indentComment;
exports.lineComment = lineComment;
exports.stringifyComment = stringifyComment;


/***/ }),

/***/ 6829:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(59799);

function stringifyDocument(doc, options) {
    const lines = [];
    let hasDirectives = options.directives === true;
    if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
            lines.push(dir);
            hasDirectives = true;
        }
        else if (doc.directives.docStart)
            hasDirectives = true;
    }
    if (hasDirectives)
        lines.push('---');
    const ctx = stringify.createStringifyContext(doc, options);
    const { commentString } = ctx.options;
    if (doc.commentBefore) {
        if (lines.length !== 1)
            lines.unshift('');
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ''));
    }
    let chompKeep = false;
    let contentComment = null;
    if (doc.contents) {
        if (identity.isNode(doc.contents)) {
            if (doc.contents.spaceBefore && hasDirectives)
                lines.push('');
            if (doc.contents.commentBefore) {
                const cs = commentString(doc.contents.commentBefore);
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            // top-level block scalars need to be indented if followed by a comment
            ctx.forceBlockIndent = !!doc.comment;
            contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
        if (contentComment)
            body += stringifyComment.lineComment(body, '', commentString(contentComment));
        if ((body[0] === '|' || body[0] === '>') &&
            lines[lines.length - 1] === '---') {
            // Top-level block scalars with a preceding doc marker ought to use the
            // same line for their header.
            lines[lines.length - 1] = `--- ${body}`;
        }
        else
            lines.push(body);
    }
    else {
        lines.push(stringify.stringify(doc.contents, ctx));
    }
    if (doc.directives?.docEnd) {
        if (doc.comment) {
            const cs = commentString(doc.comment);
            if (cs.includes('\n')) {
                lines.push('...');
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            else {
                lines.push(`... ${cs}`);
            }
        }
        else {
            lines.push('...');
        }
    }
    else {
        let dc = doc.comment;
        if (dc && chompKeep)
            dc = dc.replace(/^\n+/, '');
        if (dc) {
            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
                lines.push('');
            lines.push(stringifyComment.indentComment(commentString(dc), ''));
        }
    }
    return lines.join('\n') + '\n';
}

exports.stringifyDocument = stringifyDocument;


/***/ }),

/***/ 28689:
/***/ ((__unused_webpack_module, exports) => {



function stringifyNumber({ format, minFractionDigits, tag, value }) {
    if (typeof value === 'bigint')
        return String(value);
    const num = typeof value === 'number' ? value : Number(value);
    if (!isFinite(num))
        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
    if (!format &&
        minFractionDigits &&
        (!tag || tag === 'tag:yaml.org,2002:float') &&
        /^-?\d/.test(n) &&
        !n.includes('e')) {
        let i = n.indexOf('.');
        if (i < 0) {
            i = n.length;
            n += '.';
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
            n += '0';
    }
    return n;
}

exports.stringifyNumber = stringifyNumber;


/***/ }),

/***/ 59748:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);
var Scalar = __nccwpck_require__(63301);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(59799);

function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
    let keyComment = (identity.isNode(key) && key.comment) || null;
    if (simpleKeys) {
        if (keyComment) {
            throw new Error('With simple keys, key nodes cannot have comments');
        }
        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
            const msg = 'With simple keys, collection cannot be used as a key value';
            throw new Error(msg);
        }
    }
    let explicitKey = !simpleKeys &&
        (!key ||
            (keyComment && value == null && !ctx.inFlow) ||
            identity.isCollection(key) ||
            (identity.isScalar(key)
                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
                : typeof key === 'object'));
    ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
    });
    let keyCommentDone = false;
    let chompKeep = false;
    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
        explicitKey = true;
    }
    if (ctx.inFlow) {
        if (allNullValues || value == null) {
            if (keyCommentDone && onComment)
                onComment();
            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
        }
    }
    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        }
        else if (chompKeep && onChompKeep)
            onChompKeep();
        return str;
    }
    if (keyCommentDone)
        keyComment = null;
    if (explicitKey) {
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}\n${indent}:`;
    }
    else {
        str = `${str}:`;
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
    }
    let vsb, vcb, valueComment;
    if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
    }
    else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === 'object')
            value = doc.createNode(value);
    }
    ctx.implicitKey = false;
    if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
    chompKeep = false;
    if (!indentSeq &&
        indentStep.length >= 2 &&
        !ctx.inFlow &&
        !explicitKey &&
        identity.isSeq(value) &&
        !value.flow &&
        !value.tag &&
        !value.anchor) {
        // If indentSeq === false, consider '- ' as part of indentation where possible
        ctx.indent = ctx.indent.substring(2);
    }
    let valueCommentDone = false;
    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
    let ws = ' ';
    if (keyComment || vsb || vcb) {
        ws = vsb ? '\n' : '';
        if (vcb) {
            const cs = commentString(vcb);
            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === '' && !ctx.inFlow) {
            if (ws === '\n' && valueComment)
                ws = '\n\n';
        }
        else {
            ws += `\n${ctx.indent}`;
        }
    }
    else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf('\n');
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
            let hasPropsLine = false;
            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
                let sp0 = valueStr.indexOf(' ');
                if (vs0 === '&' &&
                    sp0 !== -1 &&
                    sp0 < nl0 &&
                    valueStr[sp0 + 1] === '!') {
                    sp0 = valueStr.indexOf(' ', sp0 + 1);
                }
                if (sp0 === -1 || nl0 < sp0)
                    hasPropsLine = true;
            }
            if (!hasPropsLine)
                ws = `\n${ctx.indent}`;
        }
    }
    else if (valueStr === '' || valueStr[0] === '\n') {
        ws = '';
    }
    str += ws + valueStr;
    if (ctx.inFlow) {
        if (valueCommentDone && onComment)
            onComment();
    }
    else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
    }
    else if (chompKeep && onChompKeep) {
        onChompKeep();
    }
    return str;
}

exports.stringifyPair = stringifyPair;


/***/ }),

/***/ 83069:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(63301);
var foldFlowLines = __nccwpck_require__(34475);

const getFoldOptions = (ctx, isBlock) => ({
    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
    lineWidth: ctx.options.lineWidth,
    minContentWidth: ctx.options.minContentWidth
});
// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
// presume that's starting a new document.
const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
    if (!lineWidth || lineWidth < 0)
        return false;
    const limit = lineWidth - indentLength;
    const strLen = str.length;
    if (strLen <= limit)
        return false;
    for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === '\n') {
            if (i - start > limit)
                return true;
            start = i + 1;
            if (strLen - start <= limit)
                return false;
        }
    }
    return true;
}
function doubleQuotedString(value, ctx) {
    const json = JSON.stringify(value);
    if (ctx.options.doubleQuotedAsJSON)
        return json;
    const { implicitKey } = ctx;
    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    let str = '';
    let start = 0;
    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
            // space before newline needs to be escaped to not be folded
            str += json.slice(start, i) + '\\ ';
            i += 1;
            start = i;
            ch = '\\';
        }
        if (ch === '\\')
            switch (json[i + 1]) {
                case 'u':
                    {
                        str += json.slice(start, i);
                        const code = json.substr(i + 2, 4);
                        switch (code) {
                            case '0000':
                                str += '\\0';
                                break;
                            case '0007':
                                str += '\\a';
                                break;
                            case '000b':
                                str += '\\v';
                                break;
                            case '001b':
                                str += '\\e';
                                break;
                            case '0085':
                                str += '\\N';
                                break;
                            case '00a0':
                                str += '\\_';
                                break;
                            case '2028':
                                str += '\\L';
                                break;
                            case '2029':
                                str += '\\P';
                                break;
                            default:
                                if (code.substr(0, 2) === '00')
                                    str += '\\x' + code.substr(2);
                                else
                                    str += json.substr(i, 6);
                        }
                        i += 5;
                        start = i + 1;
                    }
                    break;
                case 'n':
                    if (implicitKey ||
                        json[i + 2] === '"' ||
                        json.length < minMultiLineLength) {
                        i += 1;
                    }
                    else {
                        // folding will eat first newline
                        str += json.slice(start, i) + '\n\n';
                        while (json[i + 2] === '\\' &&
                            json[i + 3] === 'n' &&
                            json[i + 4] !== '"') {
                            str += '\n';
                            i += 2;
                        }
                        str += indent;
                        // space after newline needs to be escaped to not be folded
                        if (json[i + 2] === ' ')
                            str += '\\';
                        i += 1;
                        start = i + 1;
                    }
                    break;
                default:
                    i += 1;
            }
    }
    str = start ? str + json.slice(start) : json;
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
    if (ctx.options.singleQuote === false ||
        (ctx.implicitKey && value.includes('\n')) ||
        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
    )
        return doubleQuotedString(value, ctx);
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
    return ctx.implicitKey
        ? res
        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
    const { singleQuote } = ctx.options;
    let qs;
    if (singleQuote === false)
        qs = doubleQuotedString;
    else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
            qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
            qs = doubleQuotedString;
        else
            qs = singleQuote ? singleQuotedString : doubleQuotedString;
    }
    return qs(value, ctx);
}
// The negative lookbehind avoids a polynomial search,
// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
let blockEndNewlines;
try {
    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
}
catch {
    blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
    const { blockQuote, commentString, lineWidth } = ctx.options;
    // 1. Block can't end in whitespace unless the last line is non-empty.
    // 2. Strings consisting of only whitespace are best rendered explicitly.
    if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
    }
    const indent = ctx.indent ||
        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
    const literal = blockQuote === 'literal'
        ? true
        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
            ? false
            : type === Scalar.Scalar.BLOCK_LITERAL
                ? true
                : !lineLengthOverLimit(value, lineWidth, indent.length);
    if (!value)
        return literal ? '|\n' : '>\n';
    // determine chomping from whitespace at value end
    let chomp;
    let endStart;
    for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
            break;
    }
    let end = value.substring(endStart);
    const endNlPos = end.indexOf('\n');
    if (endNlPos === -1) {
        chomp = '-'; // strip
    }
    else if (value === end || endNlPos !== end.length - 1) {
        chomp = '+'; // keep
        if (onChompKeep)
            onChompKeep();
    }
    else {
        chomp = ''; // clip
    }
    if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === '\n')
            end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
    }
    // determine indent indicator from whitespace at value start
    let startWithSpace = false;
    let startEnd;
    let startNlPos = -1;
    for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === ' ')
            startWithSpace = true;
        else if (ch === '\n')
            startNlPos = startEnd;
        else
            break;
    }
    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
    if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
    }
    const indentSize = indent ? '2' : '1'; // root is at -1
    // Leading | or > is added later
    let header = (startWithSpace ? indentSize : '') + chomp;
    if (comment) {
        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
        if (onComment)
            onComment();
    }
    if (!literal) {
        const foldedValue = value
            .replace(/\n+/g, '\n$&')
            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
            .replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
            foldOptions.onOverflow = () => {
                literalFallback = true;
            };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
            return `>${header}\n${indent}${body}`;
    }
    value = value.replace(/\n+/g, `$&${indent}`);
    return `|${header}\n${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
    const { type, value } = item;
    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
    if ((implicitKey && value.includes('\n')) ||
        (inFlow && /[[\]{},]/.test(value))) {
        return quotedString(value, ctx);
    }
    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        // not allowed:
        // - '-' or '?'
        // - start with an indicator character (except [?:-]) or /[?-] /
        // - '\n ', ': ' or ' \n' anywhere
        // - '#' not preceded by a non-space char
        // - end with ' ' or ':'
        return implicitKey || inFlow || !value.includes('\n')
            ? quotedString(value, ctx)
            : blockString(item, ctx, onComment, onChompKeep);
    }
    if (!implicitKey &&
        !inFlow &&
        type !== Scalar.Scalar.PLAIN &&
        value.includes('\n')) {
        // Where allowed & type not set explicitly, prefer block style for multiline strings
        return blockString(item, ctx, onComment, onChompKeep);
    }
    if (containsDocumentMarker(value)) {
        if (indent === '') {
            ctx.forceBlockIndent = true;
            return blockString(item, ctx, onComment, onChompKeep);
        }
        else if (implicitKey && indent === indentStep) {
            return quotedString(value, ctx);
        }
    }
    const str = value.replace(/\n+/g, `$&\n${indent}`);
    // Verify that output will be parsed as a string, as e.g. plain numbers and
    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
    // and others in v1.1.
    if (actualString) {
        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
            return quotedString(value, ctx);
    }
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
    const { implicitKey, inFlow } = ctx;
    const ss = typeof item.value === 'string'
        ? item
        : Object.assign({}, item, { value: String(item.value) });
    let { type } = item;
    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        // force double quotes on control characters & unpaired surrogates
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
            type = Scalar.Scalar.QUOTE_DOUBLE;
    }
    const _stringify = (_type) => {
        switch (_type) {
            case Scalar.Scalar.BLOCK_FOLDED:
            case Scalar.Scalar.BLOCK_LITERAL:
                return implicitKey || inFlow
                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
                    : blockString(ss, ctx, onComment, onChompKeep);
            case Scalar.Scalar.QUOTE_DOUBLE:
                return doubleQuotedString(ss.value, ctx);
            case Scalar.Scalar.QUOTE_SINGLE:
                return singleQuotedString(ss.value, ctx);
            case Scalar.Scalar.PLAIN:
                return plainString(ss, ctx, onComment, onChompKeep);
            default:
                return null;
        }
    };
    let res = _stringify(type);
    if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = (implicitKey && defaultKeyType) || defaultStringType;
        res = _stringify(t);
        if (res === null)
            throw new Error(`Unsupported default string type ${t}`);
    }
    return res;
}

exports.stringifyString = stringifyString;


/***/ }),

/***/ 10204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(41127);

const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove node');
/**
 * Apply a visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
function visit(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        visit_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current node */
visit.SKIP = SKIP;
/** Remove the current node */
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
    const ctrl = callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = visit_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = visit_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = visit_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
/**
 * Apply an async visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `Promise`: Must resolve to one of the following values
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
async function visitAsync(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visitAsync.BREAK = BREAK;
/** Do not visit the children of the current node */
visitAsync.SKIP = SKIP;
/** Remove the current node */
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
    const ctrl = await callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = await visitAsync_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = await visitAsync_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = await visitAsync_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
function initVisitor(visitor) {
    if (typeof visitor === 'object' &&
        (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
            Alias: visitor.Node,
            Map: visitor.Node,
            Scalar: visitor.Node,
            Seq: visitor.Node
        }, visitor.Value && {
            Map: visitor.Value,
            Scalar: visitor.Value,
            Seq: visitor.Value
        }, visitor.Collection && {
            Map: visitor.Collection,
            Seq: visitor.Collection
        }, visitor);
    }
    return visitor;
}
function callVisitor(key, node, visitor, path) {
    if (typeof visitor === 'function')
        return visitor(key, node, path);
    if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
    if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
    if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
    if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
    if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
    return undefined;
}
function replaceNode(key, path, node) {
    const parent = path[path.length - 1];
    if (identity.isCollection(parent)) {
        parent.items[key] = node;
    }
    else if (identity.isPair(parent)) {
        if (key === 'key')
            parent.key = node;
        else
            parent.value = node;
    }
    else if (identity.isDocument(parent)) {
        parent.contents = node;
    }
    else {
        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
        throw new Error(`Cannot replace node with ${pt} parent`);
    }
}

exports.visit = visit;
exports.visitAsync = visitAsync;


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(95581);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 

/******/ (() => { // webpackBootstrap
/******/ 	"use strict";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: ./src/commands/post.ts
/**
 * Cleans up after a cancelled or failed run from the state main saved. Running it twice is harmless:
 * it only acts on what the state lists. This version's deploy stage creates nothing, so there is
 * nothing to remove yet; it says what it found.
 */
async function runPost(saved, log) {
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
    const todo = [...state.created.map((o) => `delete ${o} in namespace ${state.namespace ?? '?'}`)];
    if (state.lockHeld)
        todo.push(`release the lock Lease model-canary-${state.model ?? '?'}`);
    if (todo.length === 0) {
        log.info(`model-canary post: ${state.command} of ${state.model ?? 'the model'} left nothing to clean.`);
    }
    else {
        for (const item of todo)
            log.info(`model-canary post: would ${item}`);
    }
    return todo;
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = require("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = require("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = require("node:os");
;// CONCATENATED MODULE: ./src/log/workflow-commands.ts
/**
 * GitHub Actions' runner protocol, as documented for workflow commands (`::name key=value::message` on
 * stdout) and environment files (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), for the handful of
 * calls model-canary makes.
 *
 * Why not @actions/core: its one entry point loads its OIDC client, and with it @actions/http-client and
 * undici, at import; ncc cannot drop them, so every run paid about 1 MB of bundle and ~45 ms of start for
 * a token model-canary never asks for. test/unit/workflow-commands.test.ts runs these and @actions/core
 * side by side and requires the runner to receive exactly the same bytes.
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
    process.stdout.write(`${head}::${encode(message, false)}${external_node_os_namespaceObject.EOL}`);
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
function getInput(name, options = {}) {
    const raw = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
    if (options.required && raw === '')
        throw new Error(`Input required and not supplied: ${name}`);
    return options.trimWhitespace === false ? raw : raw.trim();
}
function getMultilineInput(name, options = {}) {
    const lines = getInput(name, options).split('\n').filter((l) => l !== '');
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
function info(message) {
    process.stdout.write(`${message}${external_node_os_namespaceObject.EOL}`);
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

;// CONCATENATED MODULE: ./src/post.ts


// The action's post step: runs after main, also when the job was cancelled or main failed.
// No top-level await: scripts/build.mjs bundles this entry as CommonJS, which starts faster.
void runPost(getState('cleanup'), {
    info: (m) => info(m),
    warn: (m) => warning(m),
});

module.exports = __webpack_exports__;
/******/ })()
;
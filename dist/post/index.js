import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 862:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ runPost)
/* harmony export */ });
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


/***/ }),

/***/ 217:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Gu: () => (/* binding */ getState),
  pq: () => (/* binding */ info),
  $e: () => (/* binding */ warning)
});

// UNUSED EXPORTS: appendSummary, debug, endGroup, error, getInput, getMultilineInput, group, isDebug, issueCommand, saveState, setOutput, setSecret, startGroup, toCommandValue

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/log/workflow-commands.ts
/**
 * The few GitHub Actions workflow commands model-canary uses, written the way @actions/core 3.0.1 writes
 * them (same formats, same escaping, same file-command framing, same error messages).
 *
 * Why not @actions/core itself: its only entry point (package exports allow nothing but ".") imports
 * its OIDC client at load time, which imports @actions/http-client and undici; ncc cannot drop them (the
 * package declares no sideEffects), so importing core put about 1 MB of bundle and ~45 ms on the start of
 * every run, for a token model-canary never asks for. test/unit/workflow-commands.test.ts runs these
 * functions and @actions/core's side by side against temp files and asserts identical output, so a
 * change of format in a new @actions/core fails there.
 */




/** Strings pass through; null and undefined become ''; anything else is JSON. (core's toCommandValue) */
function toCommandValue(input) {
    if (input === null || input === undefined)
        return '';
    if (typeof input === 'string' || input instanceof String)
        return String(input);
    return JSON.stringify(input);
}
function escapeData(s) {
    return toCommandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
/** `::command key=value,key=value::message`; properties with a falsy value are left out, as core does. */
function formatCommand(command, properties, message) {
    let text = `::${command || 'missing.command'}`;
    const keys = Object.keys(properties);
    if (keys.length > 0) {
        text += ' ';
        let first = true;
        for (const key of keys) {
            const value = properties[key];
            if (!value)
                continue;
            if (!first)
                text += ',';
            first = false;
            text += `${key}=${escapeProperty(value)}`;
        }
    }
    return `${text}::${escapeData(message)}`;
}
function issueCommand(command, properties, message) {
    process.stdout.write(formatCommand(command, properties, message) + external_node_os_namespaceObject.EOL);
}
function toCommandProperties(props) {
    if (!Object.keys(props).length)
        return {};
    return {
        title: props.title,
        file: props.file,
        line: props.startLine,
        endLine: props.endLine,
        col: props.startColumn,
        endColumn: props.endColumn,
    };
}
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath)
        throw new Error(`Unable to find environment variable for file command ${command}`);
    if (!existsSync(filePath))
        throw new Error(`Missing file at path: ${filePath}`);
    appendFileSync(filePath, `${toCommandValue(message)}${EOL}`, { encoding: 'utf8' });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    const converted = toCommandValue(value);
    if (key.includes(delimiter))
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    if (converted.includes(delimiter))
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    return `${key}<<${delimiter}${EOL}${converted}${EOL}${delimiter}`;
}
// ---- inputs and state -----------------------------------------------------------------------------
function getInput(name, options) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options?.required && !value)
        throw new Error(`Input required and not supplied: ${name}`);
    if (options?.trimWhitespace === false)
        return value;
    return value.trim();
}
function getMultilineInput(name, options) {
    const lines = getInput(name, options)
        .split('\n')
        .filter((line) => line !== '');
    if (options?.trimWhitespace === false)
        return lines;
    return lines.map((line) => line.trim());
}
function setOutput(name, value) {
    if (process.env['GITHUB_OUTPUT'] || '')
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    process.stdout.write(EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
function saveState(name, value) {
    if (process.env['GITHUB_STATE'] || '')
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    issueCommand('save-state', { name }, toCommandValue(value));
}
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
// ---- logging ----------------------------------------------------------------------------------------
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
function debug(message) {
    issueCommand('debug', {}, message);
}
function info(message) {
    process.stdout.write(message + external_node_os_namespaceObject.EOL);
}
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function startGroup(name) {
    issueCommand('group', {}, name);
}
function endGroup() {
    issueCommand('endgroup', {}, '');
}
async function group(name, fn) {
    startGroup(name);
    try {
        return await fn();
    }
    finally {
        endGroup();
    }
}
// ---- job summary --------------------------------------------------------------------------------------
/** Appends text and a newline to the job summary: what core.summary.addRaw(text, true).write() does. */
async function appendSummary(text) {
    const filePath = process.env['GITHUB_STEP_SUMMARY'];
    if (!filePath) {
        throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
    }
    try {
        await access(filePath, constants.R_OK | constants.W_OK);
    }
    catch {
        throw new Error(`Unable to access summary file: '${filePath}'. Check if the file has correct read/write permissions.`);
    }
    await appendFile(filePath, text + EOL, { encoding: 'utf8' });
}


/***/ }),

/***/ 661:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _commands_post_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(862);
/* harmony import */ var _log_workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(217);


// The action's post step: runs after main, also when the job was cancelled or main failed.
await (0,_commands_post_js__WEBPACK_IMPORTED_MODULE_1__/* .runPost */ .a)(_log_workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu('cleanup'), {
    info: (m) => _log_workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(m),
    warn: (m) => _log_workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(m),
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

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
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(661);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 

/******/ (() => { // webpackBootstrap
/******/ 	"use strict";
/******/ 	var __webpack_modules__ = ({

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Md: () => (/* binding */ ModelCanaryError)
/* harmony export */ });
/* unused harmony exports ConfigError, userError, notAvailable, asModelCanaryError */
class ModelCanaryError extends Error {
    kind;
    /** What the user should do about it; printed after the message. */
    hint;
    constructor(kind, message, hint, options) {
        super(message, options);
        this.name = 'ModelCanaryError';
        this.kind = kind;
        this.hint = hint;
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

/***/ 2613:
/***/ ((module) => {

module.exports = require("assert");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = require("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = require("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = require("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = require("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = require("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = require("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = require("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = require("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = require("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = require("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = require("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = require("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = require("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = require("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = require("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = require("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = require("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = require("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = require("node:http2");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = require("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = require("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = require("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = require("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = require("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = require("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = require("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = require("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = require("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = require("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = require("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = require("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = require("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = require("path");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = require("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = require("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = require("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = require("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = require("util");

/***/ })

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	var __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __nccwpck_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		var cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = __webpack_module_cache__[moduleId] = {
/******/ 			// no module.id needed
/******/ 			// no module.loaded needed
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		var threw = true;
/******/ 		try {
/******/ 			__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 			threw = false;
/******/ 		} finally {
/******/ 			if(threw) delete __webpack_module_cache__[moduleId];
/******/ 		}
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/******/ 	// expose the modules object (__webpack_modules__)
/******/ 	__nccwpck_require__.m = __webpack_modules__;
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/asset-relocator-loader */
/******/ 	if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = __dirname + "/";
/******/ 	
/******/ 	/* webpack/runtime/compat get default export */
/******/ 	(() => {
/******/ 		// getDefaultExport function for compatibility with non-harmony modules
/******/ 		__nccwpck_require__.n = (module) => {
/******/ 			var getter = module && module.__esModule ?
/******/ 				() => (module['default']) :
/******/ 				() => (module);
/******/ 			__nccwpck_require__.d(getter, { a: getter });
/******/ 			return getter;
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/create fake namespace object */
/******/ 	(() => {
/******/ 		var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 		var leafPrototypes;
/******/ 		// create a fake namespace object
/******/ 		// mode & 1: value is a module id, require it
/******/ 		// mode & 2: merge all properties of value into the ns
/******/ 		// mode & 4: return value when already ns object
/******/ 		// mode & 16: return value when it's Promise-like
/******/ 		// mode & 8|1: behave like require
/******/ 		__nccwpck_require__.t = function(value, mode) {
/******/ 			if(mode & 1) value = this(value);
/******/ 			if(mode & 8) return value;
/******/ 			if(typeof value === 'object' && value) {
/******/ 				if((mode & 4) && value.__esModule) return value;
/******/ 				if((mode & 16) && typeof value.then === 'function') return value;
/******/ 			}
/******/ 			var ns = Object.create(null);
/******/ 			__nccwpck_require__.r(ns);
/******/ 			var def = {};
/******/ 			leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 			for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 				Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 			}
/******/ 			def['default'] = () => (value);
/******/ 			__nccwpck_require__.d(ns, def);
/******/ 			return ns;
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/define property getters */
/******/ 	(() => {
/******/ 		// define getter functions for harmony exports
/******/ 		__nccwpck_require__.d = (exports, definition) => {
/******/ 			for(var key in definition) {
/******/ 				if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 					Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 				}
/******/ 			}
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/ensure chunk */
/******/ 	(() => {
/******/ 		__nccwpck_require__.f = {};
/******/ 		// This file contains only the entry chunk.
/******/ 		// The chunk loading function for additional chunks
/******/ 		__nccwpck_require__.e = (chunkId) => {
/******/ 			return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 				__nccwpck_require__.f[key](chunkId, promises);
/******/ 				return promises;
/******/ 			}, []));
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/get javascript chunk filename */
/******/ 	(() => {
/******/ 		// This function allow to reference async chunks
/******/ 		__nccwpck_require__.u = (chunkId) => {
/******/ 			// return url for filenames based on template
/******/ 			return "" + chunkId + ".index.js";
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/hasOwnProperty shorthand */
/******/ 	(() => {
/******/ 		__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/make namespace object */
/******/ 	(() => {
/******/ 		// define __esModule on exports
/******/ 		__nccwpck_require__.r = (exports) => {
/******/ 			if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 				Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 			}
/******/ 			Object.defineProperty(exports, '__esModule', { value: true });
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/require chunk loading */
/******/ 	(() => {
/******/ 		// no baseURI
/******/ 		
/******/ 		// object to store loaded chunks
/******/ 		// "1" means "loaded", otherwise not loaded yet
/******/ 		var installedChunks = {
/******/ 			792: 1
/******/ 		};
/******/ 		
/******/ 		// no on chunks loaded
/******/ 		
/******/ 		var installChunk = (chunk) => {
/******/ 			var moreModules = chunk.modules, chunkIds = chunk.ids, runtime = chunk.runtime;
/******/ 			for(var moduleId in moreModules) {
/******/ 				if(__nccwpck_require__.o(moreModules, moduleId)) {
/******/ 					__nccwpck_require__.m[moduleId] = moreModules[moduleId];
/******/ 				}
/******/ 			}
/******/ 			if(runtime) runtime(__nccwpck_require__);
/******/ 			for(var i = 0; i < chunkIds.length; i++)
/******/ 				installedChunks[chunkIds[i]] = 1;
/******/ 		
/******/ 		};
/******/ 		
/******/ 		// require() chunk loading for javascript
/******/ 		__nccwpck_require__.f.require = (chunkId, promises) => {
/******/ 			// "1" is the signal for "already loaded"
/******/ 			if(!installedChunks[chunkId]) {
/******/ 				if(true) { // all chunks have JS
/******/ 					installChunk(require("./" + __nccwpck_require__.u(chunkId)));
/******/ 				} else installedChunks[chunkId] = 1;
/******/ 			}
/******/ 		};
/******/ 		
/******/ 		// no external install chunk
/******/ 		
/******/ 		// no HMR
/******/ 		
/******/ 		// no HMR manifest
/******/ 	})();
/******/ 	
/************************************************************************/
var __webpack_exports__ = {};

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
var external_node_os_default = /*#__PURE__*/__nccwpck_require__.n(external_node_os_);
;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = require("node:child_process");
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(3916);
;// CONCATENATED MODULE: ./src/exec/command-error.ts

/** An external command that failed: names the command (secrets redacted), its exit and its stderr. */
class CommandError extends errors/* ModelCanaryError */.Md {
    command;
    exitCode;
    signal;
    stderrTail;
    timedOut;
    constructor(init) {
        const how = init.timedOut
            ? `timed out after ${Math.round((init.timeoutMs ?? 0) / 1000)}s and was killed`
            : init.signal
                ? `was killed by ${init.signal}`
                : `exited with code ${init.exitCode}`;
        const tail = init.stderrTail ? `\nLast lines of its stderr:\n${indent(init.stderrTail)}` : '\nIt wrote nothing to stderr.';
        super('command', `\`${init.command}\` ${how}.${tail}`, init.hint);
        this.name = 'CommandError';
        this.command = init.command;
        this.exitCode = init.exitCode;
        this.signal = init.signal;
        this.stderrTail = init.stderrTail;
        this.timedOut = init.timedOut;
    }
}
function indent(text) {
    return text
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n');
}

;// CONCATENATED MODULE: ./src/exec/redact.ts
/** Replaces every registered secret in text with ***; longest first so overlapping secrets vanish whole. */
function redact(text, secrets) {
    let out = text;
    const ordered = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
    for (const secret of ordered)
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

;// CONCATENATED MODULE: ./src/exec/children.ts
/** Process groups model-canary started and that still run; killed on SIGINT/SIGTERM. */
const live = new Set();
function trackChild(pid) {
    live.add(pid);
}
function untrackChild(pid) {
    live.delete(pid);
}
/** Kills every live process group this process started; returns how many were signalled. */
function killLiveChildren(signal = 'SIGTERM') {
    let killed = 0;
    for (const pid of live) {
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
    const shown = redact(formatCommand(command, args), secrets);
    if (options.echo)
        logger.info(`$ ${shown}`);
    else
        logger.debug(`$ ${shown}`);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = Date.now();
    counter.add(command);
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_namespaceObject.spawn)(command, [...args], {
            cwd: options.cwd,
            env: mergeEnv(options.env),
            stdio: ['pipe', 'pipe', 'pipe'],
            // Own process group, so a timeout kills the command and everything it started.
            detached: true,
        });
        const stdout = new Capture(options.onStdoutLine);
        const stderr = new Capture(options.onStderrLine);
        let timedOut = false;
        let killTimer;
        if (child.pid !== undefined)
            trackChild(child.pid);
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
                untrackChild(child.pid);
            if (err.code === 'ENOENT' && options.cwd !== undefined && !(0,external_node_fs_.existsSync)(options.cwd)) {
                // spawn says ENOENT for a missing working directory too; do not blame the command.
                reject(new errors/* ModelCanaryError */.Md('command', `Could not start \`${shown}\`: its working directory ${options.cwd} does not exist.`, options.failureHint));
            }
            else if (err.code === 'ENOENT') {
                reject(new errors/* ModelCanaryError */.Md('tool', `\`${command}\` was not found${options.cwd ? ` (working directory ${options.cwd})` : ''}.`, `Install ${command} or put it on PATH, then run again.`));
            }
            else {
                reject(new errors/* ModelCanaryError */.Md('command', `Could not start \`${shown}\`: ${err.message}`, options.failureHint));
            }
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            if (killTimer)
                clearTimeout(killTimer);
            if (child.pid !== undefined)
                untrackChild(child.pid);
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
                stderrTail: redact(lastLines(result.stderr, 20), secrets),
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
function mergeEnv(overrides) {
    const env = { ...process.env };
    if (!overrides)
        return env;
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined)
            delete env[key];
        else
            env[key] = value;
    }
    return env;
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
    const { installTool } = await __nccwpck_require__.e(/* import() */ 884).then(__nccwpck_require__.bind(__nccwpck_require__, 4884));
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

;// CONCATENATED MODULE: ./src/kube/resources.ts
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

;// CONCATENATED MODULE: ./src/kube/client.ts


const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
/**
 * The one client to the cluster: HTTP to the run's `kubectl proxy`. Transient failures (connection
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
        const path = resourcePath(info, object.metadata.namespace, object.metadata.name);
        const query = `?fieldManager=${encodeURIComponent(fieldManager)}&force=false`;
        const { status, body } = await this.request('PATCH', `${path}${query}`, JSON.stringify(object), 'application/apply-patch+yaml');
        if (status === 409) {
            const s = body;
            const causes = (s.details?.causes ?? []).map((c) => `${c.field ?? '?'} (${c.message ?? c.type ?? 'conflict'})`);
            throw new errors/* ModelCanaryError */.Md('cluster', `Applying ${object.kind}/${object.metadata.name} conflicts with another field manager: ${causes.join('; ') || s.message}`, `Another tool manages these fields. Stop changing them with that tool (for example kubectl apply or an HPA on replicas), or hand them over with 'kubectl apply --server-side --force-conflicts --field-manager=${fieldManager}'.`);
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
        const { status, body } = await this.request('POST', resourcePath(info, object.metadata.namespace), JSON.stringify(object), 'application/json');
        if (status === 201 || status === 200)
            return { created: true, object: body };
        return { created: false, status, body };
    }
    /** PUT with the object's resourceVersion: an optimistic update that fails (409) if someone changed it. */
    async replace(object) {
        const info = await this.resourceFor(object.apiVersion, object.kind);
        const path = resourcePath(info, object.metadata.namespace, object.metadata.name);
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
            response = await fetch(`${this.baseUrl}${path}?${query}`, { signal });
        }
        catch (err) {
            if (signal.aborted)
                return lastVersion;
            throw err;
        }
        if (!response.ok || !response.body)
            throw new errors/* ModelCanaryError */.Md('cluster', `Watching ${path} failed with HTTP ${response.status}.`);
        const decoder = new TextDecoder();
        let buffer = '';
        try {
            for await (const chunk of response.body) {
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
        const known = knownResource(apiVersion, kind) ?? this.discovered.get(`${apiVersion}/${kind}`);
        if (known)
            return known;
        const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        const list = await this.get(path);
        const found = list?.resources.find((r) => r.kind === kind && !r.name.includes('/'));
        if (!found) {
            throw new errors/* ModelCanaryError */.Md('cluster', `The cluster does not serve ${kind} in ${apiVersion}.`, 'Install the CRD that defines it (for example KServe or the Gateway API), or choose a mode that does not need it.');
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
        const hint = status === 401 || status === 403
            ? 'The kubeconfig in use lacks this permission; see the README for the Role model-canary needs.'
            : undefined;
        throw new errors/* ModelCanaryError */.Md('cluster', `${method} ${path} failed with HTTP ${status}: ${message}`, hint);
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
                const init = { method, headers, signal: AbortSignal.timeout(this.requestTimeoutMs) };
                if (body !== undefined)
                    init.body = body;
                const response = await fetch(`${this.baseUrl}${path}`, init);
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
                why = err instanceof Error ? `${err.name}: ${err.cause?.message ?? err.message}` : String(err);
            }
            if (Date.now() + delay > deadline) {
                throw new errors/* ModelCanaryError */.Md('cluster', `${method} ${path} kept failing (${why}) for ${Math.round(this.retryBudgetMs / 1000)}s over ${attempt} attempts.`, 'The API server is unreachable or overloaded; check the cluster and the kubeconfig, then run again.');
            }
            this.logger.info(`API ${method} ${path}: ${why}; retrying in ${delay} ms (attempt ${attempt})`);
            await new Promise((r) => setTimeout(r, delay));
            delay = Math.min(delay * 2, 4000);
        }
    }
}

;// CONCATENATED MODULE: ./src/exec/background.ts




/**
 * Starts a long-running command through the same rules as the exec wrapper: argv array, environment
 * merged, output captured, counted, killed with everything it started.
 */
function startBackground(logger, counter, command, args, options = {}) {
    const shown = formatCommand(command, args);
    logger.debug(`$ ${shown} &`);
    counter.add(command);
    const env = { ...process.env };
    for (const [k, v] of Object.entries(options.env ?? {})) {
        if (v === undefined)
            delete env[k];
        else
            env[k] = v;
    }
    const child = (0,external_node_child_process_namespaceObject.spawn)(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid === undefined)
        throw new errors/* ModelCanaryError */.Md('tool', `Could not start \`${shown}\`.`);
    const pid = child.pid;
    trackChild(pid);
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
        untrackChild(pid);
        for (const w of exitWaiters.splice(0))
            w();
    });
    child.on('error', () => {
        exited = true;
        untrackChild(pid);
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
                const fail = (why) => reject(new errors/* ModelCanaryError */.Md('command', `\`${shown}\` ${why}.\nLast lines of its stderr:\n${lastLines(stderrText, 10) || '(none)'}`));
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

;// CONCATENATED MODULE: ./src/kube/proxy.ts

/**
 * One `kubectl proxy` for the whole run: every API call after it is plain HTTP on loopback, so a release
 * starts one kubectl instead of one per call, and the kubeconfig's auth (exec plugins included) is
 * kubectl's business. It listens on a free port on 127.0.0.1 only.
 */
async function startKubeProxy(logger, counter, kubectl, options = {}) {
    const args = ['proxy', '--address=127.0.0.1', '--port=0', '--keepalive=30s'];
    if (options.context)
        args.push('--context', options.context);
    const proc = startBackground(logger, counter, kubectl, args);
    const line = await proc.waitForLine(/Starting to serve on/, 30_000);
    const match = /Starting to serve on ([\d.]+):(\d+)/.exec(line);
    if (!match) {
        await proc.stop();
        throw new Error(`internal: unexpected kubectl proxy output: ${line}`);
    }
    return { url: `http://${match[1]}:${match[2]}`, process: proc };
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
    /** The kubectl binary the session uses (for the few things only kubectl does, like port-forward). */
    async kubectl() {
        return (await resolveTool('kubectl', this.tools)).path;
    }
    async close() {
        if (!this.opened)
            return;
        const pending = this.opened;
        this.opened = undefined;
        try {
            await (await pending).proxy.process.stop();
        }
        catch {
            // it never started; nothing to stop
        }
    }
    async open() {
        const kubectl = await this.kubectl();
        const proxy = await startKubeProxy(this.logger, this.counter, kubectl, this.context ? { context: this.context } : {});
        this.logger.debug(`kubectl proxy serving on ${proxy.url}`);
        return { proxy, client: new KubeClient(proxy.url, this.logger) };
    }
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
                    throw new ModelCanaryError('cluster', `Creating the lock Lease ${leaseName(model)} failed with HTTP ${created.status}: ${JSON.stringify(created.body)}`, 'Check that the Role allows create on leases (docs/rbac.md).');
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
                throw new ModelCanaryError('cluster', `Another release of ${model} in namespace ${namespace} holds the lock ${leaseName(model)}: ${holder} (since ${lease.spec?.acquireTime ?? '?'}, renewed ${lease.spec?.renewTime ?? '?'}). Waited ${Math.round(waited / 1000)}s (canary.lockTimeout).`, `Wait for that run to finish, or raise canary.lockTimeout. A run that was killed releases the lock when its lease expires (${LEASE_SECONDS}s without renewal).`);
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

;// CONCATENATED MODULE: ./src/commands/post.ts



/** Where the kinds a run creates live in the API (the post step has only kind/name). */
const API_VERSION = {
    Deployment: 'apps/v1',
    ConfigMap: 'v1',
    Secret: 'v1',
    Service: 'v1',
    ServiceAccount: 'v1',
    HorizontalPodAutoscaler: 'autoscaling/v2',
    PodDisruptionBudget: 'policy/v1',
    NetworkPolicy: 'networking.k8s.io/v1',
};
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
    if (state.created.length === 0 && !state.lockHeld) {
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
        for (const key of [...state.created].reverse()) {
            const [kind = '', ...rest] = key.split('/');
            const name = rest.join('/');
            const apiVersion = API_VERSION[kind];
            if (!apiVersion || !name) {
                log.warn(`model-canary post: cannot delete ${key} (unknown kind); delete it by hand.`);
                continue;
            }
            try {
                const info = await client.resourceFor(apiVersion, kind);
                const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
                const deleted = await client.delete(`${base}/namespaces/${encodeURIComponent(namespace)}/${info.plural}/${encodeURIComponent(name)}`);
                done.push(`${deleted ? 'deleted' : 'already gone:'} ${key}`);
            }
            catch (err) {
                log.warn(`model-canary post: could not delete ${key} in ${namespace}: ${err instanceof Error ? err.message : String(err)}`);
            }
        }
        if (state.lockHeld && state.model && state.runId) {
            try {
                const released = await releaseLease(client, namespace, state.model, state.runId);
                done.push(released ? `released the lock ${leaseName(state.model)}` : `the lock ${leaseName(state.model)} is not held by this run; left alone`);
            }
            catch (err) {
                log.warn(`model-canary post: could not release the lock ${leaseName(state.model)}: ${err instanceof Error ? err.message : String(err)}; it expires by itself.`);
            }
        }
    }
    catch (err) {
        const left = [...state.created.map((o) => `${o} in namespace ${namespace}`), ...(state.lockHeld ? [`the lock Lease ${leaseName(state.model ?? '?')} (it expires by itself)`] : [])];
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
    const counter = new ProcessCounter();
    const exec = createExec(logger, counter);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
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
    process.stdout.write(`${head}::${encode(message, false)}${external_node_os_.EOL}`);
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
    process.stdout.write(`${message}${external_node_os_.EOL}`);
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




// The action's post step: runs after main, also when the job was cancelled or main failed. It is its own
// process, so it opens its own kubectl proxy (kubectl from PATH or the tool cache, KUBECONFIG from the env).
// No top-level await: scripts/build.mjs bundles this entry as CommonJS, which starts faster.
void runPost(getState('cleanup'), {
    info: (m) => info(m),
    warn: (m) => warning(m),
}, {
    searchPath: process.env['PATH'] ?? '',
    cacheDir: external_node_path_default().join(process.env['RUNNER_TOOL_CACHE'] || external_node_path_default().join(external_node_os_default().homedir(), '.cache'), 'model-canary'),
});

module.exports = __webpack_exports__;
/******/ })()
;
"use strict";
exports.id = 884;
exports.ids = [884];
exports.modules = {

/***/ 54884:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   installTool: () => (/* binding */ installTool)
/* harmony export */ });
/* unused harmony export sha256Of */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(83916);





function sha256Of(bytes) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(bytes).digest('hex');
}
/**
 * Installs one tool release into the runner's tool cache and returns the binary's path. The download's
 * SHA-256 must equal the one in the source; on a mismatch nothing is cached and the error says so.
 * A release already in the tool cache is used as it is.
 *
 * The download lands in a folder of this call's own (mkdtemp, 0700) and is read once: the bytes hashed are
 * the bytes extracted (through tar's stdin) or written as the binary, never the file read again by path.
 */
async function installTool(name, version, source, deps) {
    // Loaded here, not at start: only runs that install a tool pay for the HTTP client.
    const tc = await __webpack_require__.e(/* import() */ 991).then(__webpack_require__.bind(__webpack_require__, 95991));
    const cachedDir = tc.find(name, version);
    if (cachedDir)
        return node_path__WEBPACK_IMPORTED_MODULE_3___default().join(cachedDir, name);
    deps.logger.info(`Installing ${name} ${version} from ${source.url}`);
    const scratch = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdtemp)(node_path__WEBPACK_IMPORTED_MODULE_3___default().join(node_os__WEBPACK_IMPORTED_MODULE_2___default().tmpdir(), `model-canary-${name}-`));
    try {
        let bytes;
        try {
            bytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(await tc.downloadTool(source.url, node_path__WEBPACK_IMPORTED_MODULE_3___default().join(scratch, 'download')));
        }
        catch (err) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ModelCanaryError */ .Md('tool', `Could not download ${name} ${version} from ${source.url}: ${err instanceof Error ? err.message : String(err)}`, `Check the runner's network, or install ${name} on the runner so it is found on PATH.`);
        }
        const actual = sha256Of(bytes);
        if (actual !== source.sha256.toLowerCase()) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ModelCanaryError */ .Md('tool', `Checksum mismatch for ${name} ${version} downloaded from ${source.url}: expected sha256 ${source.sha256}, got ${actual}. Nothing was installed.`, 'The download was altered or is not the release model-canary pins. Do not use it; install the tool yourself from a source you trust.');
        }
        const out = node_path__WEBPACK_IMPORTED_MODULE_3___default().join(scratch, 'verified');
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(out, { mode: 0o700 });
        let binary;
        if (source.archive === 'tar.gz') {
            const inner = source.binaryPath ?? name;
            await deps.exec('tar', ['-xzf', '-', '-C', out, inner], { timeoutMs: 120_000, stdin: bytes });
            binary = node_path__WEBPACK_IMPORTED_MODULE_3___default().join(out, inner);
        }
        else {
            binary = node_path__WEBPACK_IMPORTED_MODULE_3___default().join(out, name);
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(binary, bytes, { flag: 'wx', mode: 0o700 });
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.chmod)(binary, 0o755);
        const dir = await tc.cacheFile(binary, name, name, version);
        return node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dir, name);
    }
    finally {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(scratch, { recursive: true, force: true });
    }
}


/***/ })

};
;
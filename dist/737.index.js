"use strict";
exports.id = 737;
exports.ids = [737];
exports.modules = {

/***/ 90737:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  scanImage: () => (/* binding */ scanImage)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/tools/resolve.ts + 3 modules
var resolve = __webpack_require__(85291);
;// CONCATENATED MODULE: ./src/scan/gate.ts
const ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
/** Decides the scan verdict from Trivy's JSON report (Trivy has already applied .trivyignore). */
function applyGate(report, policy) {
    const counts = Object.fromEntries(ORDER.map((s) => [s, 0]));
    const blocking = [];
    const secrets = [];
    const seen = new Set();
    for (const result of report.Results ?? []) {
        for (const v of result.Vulnerabilities ?? []) {
            const key = `${v.VulnerabilityID}|${v.PkgName}|${v.InstalledVersion}|${result.Target}`;
            if (seen.has(key))
                continue;
            seen.add(key);
            const severity = ORDER.includes(v.Severity) ? v.Severity : 'UNKNOWN';
            counts[severity] = (counts[severity] ?? 0) + 1;
            const fixed = v.FixedVersion ?? '';
            if (!policy.failOn.includes(severity))
                continue;
            if (policy.ignoreUnfixed && fixed === '')
                continue;
            blocking.push({ id: v.VulnerabilityID, pkg: v.PkgName, installed: v.InstalledVersion, fixed, severity, title: v.Title ?? '', target: result.Target });
        }
        // Trivy names a finding of --image-config-scanners after the image; its line is one of Trivy's own
        // rendering of the config, which means nothing to the user.
        const inConfig = result.Target === report.ArtifactName;
        for (const s of result.Secrets ?? []) {
            const finding = {
                rule: s.RuleID,
                title: s.Title ?? s.RuleID,
                target: inConfig ? 'the image config (ENV, LABEL or build history)' : result.Target,
            };
            if (s.StartLine !== undefined && !inConfig)
                finding.line = s.StartLine;
            secrets.push(finding);
        }
    }
    blocking.sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity) || a.id.localeCompare(b.id));
    const secretsBlock = policy.secrets === 'error' && secrets.length > 0;
    return { passed: blocking.length === 0 && !secretsBlock, blocking, counts, secrets, secretsBlock };
}
/** One line per blocking finding: package, installed and fixed version, ID. */
function describeBlocking(result) {
    const lines = result.blocking.map((f) => `${f.severity} ${f.id} in ${f.pkg} ${f.installed} (${f.fixed ? `fixed in ${f.fixed}` : 'no fix yet'})${f.title ? `: ${f.title}` : ''}`);
    if (result.secretsBlock)
        lines.push(...result.secrets.map((s) => `SECRET ${s.rule} in ${s.target}${s.line ? `:${s.line}` : ''}: ${s.title}`));
    return lines;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./src/scan/report.ts
/** Reads Trivy's JSON output, failing clearly on anything that is not a Trivy report. */
function parseTrivyReport(text) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new Error('Trivy did not write a JSON report');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('Trivy report is not a JSON object');
    return parsed;
}

;// CONCATENATED MODULE: ./src/scan/sarif-input.ts
/*
 * Trivy v0.74's SARIF writer crashes (nil pointer in url.String) on a result whose Target is not a URL
 * Go can parse, which is what an image-config secret finding's Target is when the image reference has a
 * registry port (127.0.0.1:5000/team/iris:tag). Those results are renamed before `trivy convert`; the
 * report the gate reads is left as Trivy wrote it.
 */
/** Where SARIF places a secret Trivy found in the image config rather than in a file. */
const IMAGE_CONFIG_LOCATION = 'image-config';
/** A copy of the report that `trivy convert --format sarif` can write. */
function sarifInput(report) {
    return {
        ...report,
        Results: (report.Results ?? []).map((r) => (r.Class === 'secret' && r.Target === report.ArtifactName ? { ...r, Target: IMAGE_CONFIG_LOCATION } : r)),
    };
}

;// CONCATENATED MODULE: ./src/scan/trivy.ts




/**
 * One Trivy scan of the image (vulnerabilities, and unless off secrets in its files and its config) with
 * every severity in the JSON report; the SARIF is converted from that same report, so code scanning sees
 * everything while the gate decides on its own policy. Trivy's database and cache follow its own TRIVY_* environment variables.
 */
async function runTrivy(exec, trivy, run) {
    (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(run.jsonPath), { recursive: true });
    (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(run.sarifPath), { recursive: true });
    const args = ['image', '--quiet', '--format', 'json', '--output', run.jsonPath];
    args.push('--scanners', run.secrets ? 'vuln,secret' : 'vuln', '--image-src', 'docker,remote', '--timeout', '30m');
    // The secret scanner reads layer files only; ENV, LABEL and the history's ARG values need this too.
    if (run.secrets)
        args.push('--image-config-scanners', 'secret');
    if ((0,external_node_fs_.existsSync)(run.ignoreFile))
        args.push('--ignorefile', run.ignoreFile);
    args.push(run.image);
    await exec(trivy, args, {
        echo: true,
        timeoutMs: 35 * 60_000,
        failureHint: 'Trivy could not scan the image; its error is above. A first run downloads its vulnerability database, which needs network access.',
    });
    const report = parseTrivyReport((0,external_node_fs_.readFileSync)(run.jsonPath, 'utf8'));
    const convertible = external_node_path_default().join(external_node_path_default().dirname(run.jsonPath), 'trivy-for-sarif.json');
    (0,external_node_fs_.writeFileSync)(convertible, JSON.stringify(sarifInput(report)));
    await exec(trivy, ['convert', '--quiet', '--format', 'sarif', '--output', run.sarifPath, convertible], { timeoutMs: 5 * 60_000 });
    return report;
}

;// CONCATENATED MODULE: ./src/scan/index.ts






/** Scans the built image with Trivy, writes the full SARIF, and applies the severity gate. */
async function scanImage(config, image, ctx) {
    const { logger } = ctx.host;
    const trivy = (await (0,resolve/* resolveTool */.H)('trivy', ctx.tools)).path;
    // The report the gate decides on lives in a folder only this user can enter (mkdtemp makes it 0700),
    // so no other local user can plant or swap it between Trivy writing it and the gate reading it.
    const reportDir = await (0,promises_.mkdtemp)(external_node_path_default().join(config.run.tempDir, `model-canary-scan-${config.model.name}-`));
    const reportPath = external_node_path_default().join(reportDir, 'trivy.json');
    const report = await runTrivy(ctx.exec, trivy, {
        image: image.reference,
        jsonPath: reportPath,
        sarifPath: config.scan.sarif,
        ignoreFile: config.scan.ignoreFile,
        secrets: config.scan.secrets !== 'off',
    });
    const gate = applyGate(report, { failOn: config.scan.failOn, ignoreUnfixed: config.scan.ignoreUnfixed, secrets: config.scan.secrets });
    const counts = Object.entries(gate.counts)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ');
    logger.info(`Vulnerabilities: ${counts}; secrets: ${gate.secrets.length}. Full SARIF: ${config.scan.sarif}`);
    if (config.scan.secrets === 'warn')
        for (const s of gate.secrets)
            logger.warn(`secret ${s.rule} in ${s.target}: ${s.title}`);
    const verdict = { passed: gate.passed, sarifPath: config.scan.sarif, reportPath, gate };
    if (!gate.passed) {
        const lines = describeBlocking(gate);
        for (const line of lines)
            logger.error(line);
        throw new errors/* ModelCanaryError */.Md('model', `The scan gate failed on ${lines.length} finding(s) (failing on ${config.scan.failOn.join(', ')}${config.scan.ignoreUnfixed ? ', fixed only' : ''}):\n${lines.map((l) => `  - ${l}`).join('\n')}`, 'Update the packages (rebuild on a newer base image), or accept a finding by adding its ID to .trivyignore with a comment saying why.');
    }
    return verdict;
}


/***/ })

};
;
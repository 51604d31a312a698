"use strict";
exports.id = 778;
exports.ids = [778];
exports.modules = {

/***/ 63778:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  promote: () => (/* binding */ decide_promote),
  rollback: () => (/* binding */ rollback),
  status: () => (/* binding */ decide_status)
});

// EXTERNAL MODULE: ./src/deploy/canary-plan.ts
var canary_plan = __webpack_require__(30991);
// EXTERNAL MODULE: ./src/deploy/gate-report.ts
var gate_report = __webpack_require__(70683);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/deploy/kserve/index.ts + 3 modules
var kserve = __webpack_require__(88270);
// EXTERNAL MODULE: ./src/decide/history.ts
var decide_history = __webpack_require__(33892);
// EXTERNAL MODULE: ./src/decide/locked.ts
var locked = __webpack_require__(86148);
// EXTERNAL MODULE: ./src/decide/record.ts
var decide_record = __webpack_require__(21659);
;// CONCATENATED MODULE: ./src/decide/kserve.ts





/** command promote for strategy kserve: the held canary gets all traffic. */
async function promoteKServe(config, ctx) {
    return (0,locked/* withReleaseLock */.D)(config, ctx, async (client) => {
        const promoted = await (0,kserve/* promoteInferenceService */.Bi)(client, config, config.model.name, ctx.host.logger);
        return (0,decide_record/* finishRelease */.pp)(client, config, ctx, {
            verdict: 'promoted',
            image: promoted.image,
            note: 'promoted by command promote',
            rows: [
                ['Image', promoted.image],
                ['Promotion', `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`],
            ],
        });
    });
}
/**
 * command rollback for strategy kserve: the canary's traffic back to stable, its spec restored. In
 * Standard mode with no canary in place, or with a revision number: the recorded revision's predictor
 * restored (as a canary, then promoted).
 */
async function rollbackKServe(config, ctx) {
    const wanted = config.run.revision || 'previous';
    const client = await ctx.kube.client();
    const live = await client.get((0,kserve/* isvcPath */.$N)(config.cluster.namespace, config.model.name));
    if (live && (0,kserve/* standardMode */.xh)(live) && (wanted !== 'previous' || !(0,kserve/* ourCanaryEntry */.rS)(live)))
        return restoreKServe(config, ctx, wanted, live);
    if (wanted !== 'previous') {
        throw new errors/* ModelCanaryError */.Md('user', `Rolling back an InferenceService to revision ${wanted} is not supported; model-canary rolls back the canary in place.`, 'Use revision previous (the default), or re-run the release of the wanted version.');
    }
    return (0,locked/* withReleaseLock */.D)(config, ctx, async (client) => {
        const r = await (0,kserve/* rollbackInferenceService */.p1)(client, config, config.model.name, ctx.host.logger);
        return (0,decide_record/* finishRelease */.pp)(client, config, ctx, {
            verdict: 'rolled-back',
            image: r.removed,
            note: 'canary removed by command rollback',
            rows: [
                ['Removed canary', r.removed],
                ['Stable', r.image],
            ],
        });
    });
}
/** Standard mode: a recorded revision's predictor back as stable, through a canary (stable serves throughout). */
async function restoreKServe(config, ctx, wanted, live) {
    return (0,locked/* withReleaseLock */.D)(config, ctx, async (client) => {
        const history = await (0,decide_history/* readHistory */.Lu)(client, config.cluster.namespace, config.model.name);
        const record = (0,decide_history/* revisionToRestore */.lg)(history, wanted, (0,kserve/* predictorImage */.QV)(live.spec.predictor));
        if (!record.predictor) {
            throw new errors/* ModelCanaryError */.Md('user', `Revision ${record.revision} was recorded without its InferenceService predictor (an older model-canary, or Serverless mode): it cannot be restored.`, 'Release that version again (command release) instead.');
        }
        ctx.host.logger.info(`Restoring revision ${record.revision} (${record.image}, version ${record.version}, released ${record.time}) to InferenceService ${config.model.name}.`);
        const r = await (0,kserve/* restoreStandardPredictor */.eo)(config, ctx, record.predictor);
        return (0,decide_record/* finishRelease */.pp)(client, config, ctx, {
            verdict: 'rolled-back',
            recorded: 'restored',
            image: r.image,
            version: record.version,
            restoredFrom: record.revision,
            note: `revision ${record.revision} restored by command rollback`,
            rows: [
                ['Restored', `revision ${record.revision}: ${r.image} (version ${record.version})`],
                ['Replaced', r.removed],
                ['Restore', `as a canary, then promoted, in ${(r.elapsedMs / 1000).toFixed(1)}s`],
            ],
        });
    });
}

// EXTERNAL MODULE: ./src/decide/promote.ts
var promote = __webpack_require__(81736);
// EXTERNAL MODULE: ./src/decide/stable-rollout.ts
var stable_rollout = __webpack_require__(51385);
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
    const name = (0,canary_plan/* canaryName */.mh)(config.model.name);
    const wanted = [expect.digest, expect.revision !== undefined ? `revision ${expect.revision}` : undefined].filter(Boolean).join(', ');
    const canary = await client.get((0,stable_rollout/* deploymentPath */.nR)(namespace, name));
    if (!canary) {
        throw new errors/* ModelCanaryError */.Md('user', `There is no canary ${name} in namespace ${namespace} to promote; expected the held one (${wanted}): it was promoted or rolled back since.`, REFUSED);
    }
    const image = (0,promote/* modelImage */.D)(canary.spec.template, config.image.repository);
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

// EXTERNAL MODULE: ./src/decide/snapshot.ts
var decide_snapshot = __webpack_require__(35914);
;// CONCATENATED MODULE: ./src/decide/rollback.ts






/**
 * Restores a recorded revision's image to stable (apply + the same gate), from any run: the history in
 * the cluster says which digest; nothing of the run that released it is needed. A canary left in place
 * (held) is removed first.
 */
async function restoreRevision(client, config, stable, wanted, deps) {
    const namespace = config.cluster.namespace;
    const before = await (0,stable_rollout/* liveStable */.Qn)(client, namespace, stable);
    const current = (0,promote/* modelImage */.D)(before.spec.template, config.image.repository);
    const record = (0,decide_history/* revisionToRestore */.lg)(await (0,decide_history/* readHistory */.Lu)(client, namespace, config.model.name), wanted, current);
    await (0,stable_rollout/* removeCanary */.rd)(client, config, stable, deps.cleanup, deps.logger);
    deps.logger.info(`Restoring revision ${record.revision} (${record.image}, version ${record.version}, released ${record.time}) to ${stable}; it runs ${current} now.`);
    const hpa = await (0,stable_rollout/* hpaManaged */.F)(client, namespace, stable);
    const snapshot = record.snapshot;
    if (!snapshot) {
        deps.logger.warn(`Revision ${record.revision} was recorded without its pod template and ConfigMaps (an older model-canary, or too large to keep): only its image and version are restored; the configuration stays as it is now.`);
        const gate = await (0,stable_rollout/* rolloutStable */.dc)(client, config, (0,canary_plan/* stableWithImage */.$O)(before, record.image, record.version, hpa), before, deps.logger);
        return { record, gate, from: current };
    }
    // Its ConfigMaps first, so the pods the rollout starts read them; put back as they were if it fails.
    const names = snapshot.configMaps.map((c) => c.name);
    const now = await (0,decide_snapshot/* currentConfigMaps */.$s)(client, namespace, names);
    if (names.length > 0)
        deps.logger.info(`Restoring revision ${record.revision}'s pod template and ConfigMap(s) ${names.join(', ')} as well.`);
    await (0,decide_snapshot/* applyConfigMaps */.qz)(client, namespace, snapshot.configMaps, config.cluster.fieldManager);
    try {
        const gate = await (0,stable_rollout/* rolloutStable */.dc)(client, config, (0,decide_snapshot/* stableWithTemplate */.as)(before, snapshot.template, hpa), before, deps.logger);
        return { record, gate, from: current };
    }
    catch (err) {
        await (0,decide_snapshot/* applyConfigMaps */.qz)(client, namespace, now, config.cluster.fieldManager);
        if (names.length > 0)
            deps.logger.info(`ConfigMap(s) ${names.join(', ')} are back as they were.`);
        throw err;
    }
}

// EXTERNAL MODULE: ./src/deploy/lock.ts
var lock = __webpack_require__(24332);
// EXTERNAL MODULE: ./src/log/markdown.ts
var markdown = __webpack_require__(20157);
;// CONCATENATED MODULE: ./src/decide/status.ts






/** What runs now (stable, canary, who holds the lock) and the recorded releases, newest first. */
async function readStatus(client, config, stable) {
    const namespace = config.cluster.namespace;
    const view = (d) => d ? { image: (0,promote/* modelImage */.D)(d.spec.template, config.image.repository), ready: d.status?.readyReplicas ?? 0, replicas: d.spec.replicas ?? 0 } : undefined;
    const [s, c, lease, history] = await Promise.all([
        client.get((0,stable_rollout/* deploymentPath */.nR)(namespace, stable)),
        client.get((0,stable_rollout/* deploymentPath */.nR)(namespace, (0,canary_plan/* canaryName */.mh)(stable))),
        client.get((0,lock/* leasePath */.U8)(namespace, config.model.name)),
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
    const cell = (t) => (0,markdown/* cell */.Hn)(t ?? '');
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

;// CONCATENATED MODULE: ./src/decide/index.ts










/**
 * The commands that act on what is in the cluster, from any run: promote a held canary, roll back (remove
 * a canary, or restore a recorded revision to stable), list the releases. The stable Deployment is named
 * after the model (as the builtin chart names it).
 */
async function decide_promote(config, ctx) {
    if (config.canary.strategy === 'kserve')
        return promoteKServe(config, ctx);
    return (0,locked/* withReleaseLock */.D)(config, ctx, async (client) => {
        await checkPromoteExpectations(client, config);
        let promotion;
        try {
            promotion = await (0,promote/* promoteCanary */.z)(client, config, config.model.name, { cleanup: ctx.cleanup, logger: ctx.host.logger });
        }
        catch (err) {
            if (!(err instanceof gate_report/* GateFailure */.I))
                throw err;
            const canary = await client.get((0,stable_rollout/* deploymentPath */.nR)(config.cluster.namespace, (0,canary_plan/* canaryName */.mh)(config.model.name)));
            const image = canary ? (0,promote/* modelImage */.D)(canary.spec.template, config.image.repository) : '';
            return (0,decide_record/* finishRelease */.pp)(client, config, ctx, {
                verdict: 'failed',
                image,
                note: `stable rollout failed: ${err.signal.reason}`,
                rows: [
                    ['Image', image],
                    ['Stable rollout', `failed (${err.signal.reason}); stable reverted, the canary is still held`],
                ],
                error: err,
            });
        }
        return (0,decide_record/* finishRelease */.pp)(client, config, ctx, {
            verdict: 'promoted',
            image: promotion.image,
            version: promotion.version,
            note: 'promoted by command promote',
            rows: [
                ['Image', promotion.image],
                ['Stable rollout', `${promotion.gate.readyPods.length} pod(s) Ready in ${(promotion.gate.elapsedMs / 1000).toFixed(1)}s`],
            ],
        });
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
    return (0,locked/* withReleaseLock */.D)(config, ctx, async (client) => {
        const canary = await client.get((0,stable_rollout/* deploymentPath */.nR)(config.cluster.namespace, (0,canary_plan/* canaryName */.mh)(stable)));
        if (canary && wanted === 'previous') {
            await (0,stable_rollout/* removeCanary */.rd)(client, config, stable, ctx.cleanup, logger);
            const image = (0,promote/* modelImage */.D)(canary.spec.template, config.image.repository);
            return (0,decide_record/* finishRelease */.pp)(client, config, ctx, {
                verdict: 'rolled-back',
                image,
                version: canary.metadata.labels?.['app.kubernetes.io/version'],
                note: 'canary removed by command rollback',
                rows: [
                    ['Removed canary', image],
                    ['Stable', 'untouched'],
                ],
            });
        }
        const restored = await restoreRevision(client, config, stable, wanted, { cleanup: ctx.cleanup, logger });
        return (0,decide_record/* finishRelease */.pp)(client, config, ctx, {
            verdict: 'rolled-back',
            recorded: 'restored',
            image: restored.record.image,
            version: restored.record.version,
            note: `restored revision ${restored.record.revision}`,
            restoredFrom: restored.record.revision,
            rows: [
                ['Restored', `revision ${restored.record.revision}: ${restored.record.image}`],
                ['Replaced', restored.from],
                ['Stable rollout', `${restored.gate.readyPods.length} pod(s) Ready in ${(restored.gate.elapsedMs / 1000).toFixed(1)}s`],
            ],
        });
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
;
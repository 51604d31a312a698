"use strict";
exports.id = 809;
exports.ids = [809];
exports.modules = {

/***/ 1809:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deliverRelease: () => (/* binding */ deliverRelease)
});

// EXTERNAL MODULE: ./src/decide/locked.ts
var locked = __webpack_require__(86148);
// EXTERNAL MODULE: ./src/decide/record.ts
var record = __webpack_require__(21659);
// EXTERNAL MODULE: ./src/deploy/apply.ts
var apply = __webpack_require__(42427);
// EXTERNAL MODULE: ./src/deploy/canary-plan.ts + 1 modules
var canary_plan = __webpack_require__(23595);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/deploy/gate.ts
var deploy_gate = __webpack_require__(97772);
// EXTERNAL MODULE: ./src/deploy/traffic/index.ts + 1 modules
var deploy_traffic = __webpack_require__(25166);
// EXTERNAL MODULE: ./src/deploy/gate-report.ts
var gate_report = __webpack_require__(70683);
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
    const model = (0,canary_plan/* modelDeployment */.JG)(objects, image);
    const stable = model.metadata.name;
    const stableLive = await client.get(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(stable)}`);
    const plan = (0,canary_plan/* planDeploy */.bJ)({ objects, image, namespace, canaryReplicas: config.canary.replicas, stableExists: stableLive !== undefined });
    const traffic = config.canary.strategy === 'traffic' ? (0,deploy_traffic/* planTraffic */.H6)({ objects, stable: model, namespace }) : undefined;
    await announce(client, plan, stableLive, config, logger);
    if (traffic && plan.mode === 'canary') {
        // The stable track's Service is shared by every release: applied, never counted as this run's.
        await client.apply(traffic.stableService, fieldManager);
        logger.info(`applied Service/${traffic.stableService.metadata.name}`);
    }
    const extra = traffic ? [plan.mode === 'first' ? traffic.stableService : traffic.canaryService] : [];
    const created = await (0,apply/* applyObjects */.r3)(client, [...extra, ...plan.apply], fieldManager, ctx.cleanup, logger);
    try {
        const gate = await (0,deploy_gate/* gateDeployment */.T)(client, {
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
            await (0,apply/* removeObjects */.$M)(client, created, ctx.cleanup, logger);
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
    const route = (0,deploy_traffic/* httpRoute */.id)({
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
    const existed = (await client.get((0,deploy_traffic/* routePath */.dA)(namespace, route.metadata.name))) !== undefined;
    // Listed before the apply: a run cancelled while it applies still has it removed (a first release) or
    // its weights sent back to stable (a canary; the route then stays, as stable's way in).
    if (mode === 'first' && !existed) {
        cleanup.created((0,apply/* objectKey */.T5)(route));
        created.push(route);
    }
    if (mode === 'canary')
        cleanup.route(route.metadata.name, config.cluster.fieldManager);
    await (0,deploy_traffic/* applyRoute */.QT)(client, route, gateway.namespace ? gateway : { ...gateway, namespace }, config.cluster.fieldManager, logger);
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
        logger.warn(`Replacing the canary ${plan.gated} left in place (held, or by a run that died), which ran ${(0,canary_plan/* templateImages */.TD)(left.spec.template).join(', ')}.`);
    logger.info(`Stable ${plan.stable} runs ${(0,canary_plan/* templateImages */.TD)(stableLive.spec.template).join(', ')}; deploying ${plan.gated} (${config.canary.replicas} pod(s)) beside it.`);
}

// EXTERNAL MODULE: ./src/decide/promote.ts
var promote = __webpack_require__(81736);
// EXTERNAL MODULE: ./src/decide/stable-rollout.ts
var stable_rollout = __webpack_require__(51385);
;// CONCATENATED MODULE: ./src/decide/strategies/deployments.ts





/**
 * Strategies replicas and traffic: the canary is a Deployment `<model>-canary` beside stable (with
 * traffic, reached through its own Service and a weighted HTTPRoute); promotion gives stable the
 * canary's pod template.
 */
function deploymentStrategy(config, ctx, client) {
    const { logger } = ctx.host;
    const forget = (created) => {
        for (const o of created)
            ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
    };
    return {
        name: config.canary.strategy,
        async deploy(objects, image) {
            const r = await deployCanary(config, objects, ctx, image);
            const detail = `${r.mode === 'first' ? 'first release as stable' : r.deployment}: revision ${r.revision}, ${r.readyPods.length} Ready pod(s) in ${(r.gateMs / 1000).toFixed(1)}s`;
            return { ...r, detail, gate: `${r.readyPods.length} pod(s) Ready in ${(r.gateMs / 1000).toFixed(1)}s`, pods: r };
        },
        async afterFailedDeploy(err, objects, image) {
            const stable = (0,canary_plan/* modelDeployment */.JG)(objects, image).metadata.name;
            const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
            let verdict;
            if (config.decide.onFailure === 'hold' && (await (0,stable_rollout/* keepCanary */.Gq)(client, config, stable, ctx.cleanup))) {
                logger.info(`Holding the failed canary ${stable}${canary_plan/* CANARY_SUFFIX */.RF} for inspection (decide.onFailure is hold); run command rollback to remove it.`);
                verdict = 'held';
            }
            else {
                const removed = await (0,stable_rollout/* removeCanary */.rd)(client, config, stable, ctx.cleanup, logger);
                verdict = removed && err instanceof gate_report/* GateFailure */.I ? 'rolled-back' : 'failed';
            }
            const rows = [['Reason', reason]];
            if (err instanceof gate_report/* GateFailure */.I) {
                const seconds = ((Date.now() - err.detectedAt) / 1000).toFixed(1);
                rows.push(['Gate', `${err.signal.reason} on ${err.signal.object} after ${((err.detectedAt - err.startedAt) / 1000).toFixed(1)}s; ${verdict} ${seconds}s after the signal was seen`]);
                logger.info(`Verdict ${verdict} ${seconds}s after the gate saw ${err.signal.reason}.`);
            }
            return { verdict, image, rows, note: 'not run: the gate failed' };
        },
        async keepFirst(d) {
            forget(d.created);
        },
        async removeFirst(d) {
            logger.info(`The first release of ${d.stable} failed; removing what it created.`);
            await (0,apply/* removeObjects */.$M)(client, d.created, ctx.cleanup, logger);
        },
        async promote(d) {
            const promotion = await (0,promote/* promoteCanary */.z)(client, config, d.stable, { cleanup: ctx.cleanup, logger }, d.shared);
            return [['Stable rollout', `${promotion.gate.readyPods.length} pod(s) Ready in ${(promotion.gate.elapsedMs / 1000).toFixed(1)}s`]];
        },
        async rollback(d) {
            await (0,stable_rollout/* removeCanary */.rd)(client, config, d.stable, ctx.cleanup, logger);
        },
        async hold(d) {
            forget(d.created);
            if (config.canary.strategy === 'traffic')
                ctx.cleanup.route(d.stable, undefined);
        },
    };
}

// EXTERNAL MODULE: ./src/deploy/kserve/index.ts + 2 modules
var kserve = __webpack_require__(71972);
;// CONCATENATED MODULE: ./src/decide/strategies/kserve.ts


/**
 * Strategy kserve: KServe runs the canary (canaryTrafficPercent) and its conditions are the gate. It gives
 * no pods of its own to send to (KServe names its pods after revisions), so smoke and analysis do not run;
 * the README says so.
 */
function kserveStrategy(config, ctx, client) {
    const { logger } = ctx.host;
    return {
        name: 'kserve',
        async deploy(objects) {
            const r = await (0,kserve/* deployInferenceService */.u0)(config, objects, ctx);
            const detail = `${r.mode === 'first' ? 'first release' : `canary at ${config.canary.weight}%`}: InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s`;
            return { ...r, detail, gate: `InferenceService ${r.name} rolled out in ${(r.elapsedMs / 1000).toFixed(1)}s` };
        },
        async afterFailedDeploy(err, objects) {
            if (!(err instanceof kserve/* InferenceServiceFailure */.Jx))
                throw err;
            const name = (0,kserve/* renderedInferenceService */.kK)(objects).metadata.name;
            const live = await client.get((0,kserve/* isvcPath */.$N)(config.cluster.namespace, name));
            const image = live ? (0,kserve/* predictorImage */.QV)(live.spec.predictor) : '';
            let verdict = 'failed';
            if (live?.spec.predictor.canaryTrafficPercent !== undefined && config.decide.onFailure === 'rollback') {
                const r = await (0,kserve/* rollbackInferenceService */.p1)(client, config, name, logger);
                logger.info(`All traffic back on ${r.image}.`);
                verdict = 'rolled-back';
            }
            else if (live?.spec.predictor.canaryTrafficPercent !== undefined) {
                logger.info(`Holding the failed canary of InferenceService ${name} (decide.onFailure is hold); run command rollback to remove it.`);
                verdict = 'held';
            }
            return { verdict, image, rows: [['Reason', err.reason]], note: `not run: ${err.reason}` };
        },
        async keepFirst(d) {
            for (const o of d.created)
                ctx.cleanup.removed(`${o.kind}/${o.metadata.name}`);
        },
        async removeFirst(d) {
            await (0,apply/* removeObjects */.$M)(client, d.created, ctx.cleanup, logger);
        },
        async promote(d) {
            const promoted = await (0,kserve/* promoteInferenceService */.Bi)(client, config, d.name, logger, d.shared);
            return [['Promotion', `all traffic to the latest revision in ${(promoted.elapsedMs / 1000).toFixed(1)}s`]];
        },
        async rollback(d) {
            await (0,kserve/* rollbackInferenceService */.p1)(client, config, d.name, logger);
        },
        async hold(d) {
            logger.info(`Holding the canary of InferenceService ${d.name} at ${config.canary.weight}%: run command promote or rollback to finish.`);
        },
    };
}

;// CONCATENATED MODULE: ./src/decide/strategies/index.ts


/** The one place a strategy name picks code: everything after it goes through ReleaseStrategy. */
function strategyFor(config, ctx, client) {
    return config.canary.strategy === 'kserve' ? kserveStrategy(config, ctx, client) : deploymentStrategy(config, ctx, client);
}

;// CONCATENATED MODULE: ./src/decide/verdict.ts
/**
 * The decision rule, in one place and pure: from the evidence and the decide settings to what happens.
 * An inconclusive canary is never promoted: it is held for a person (or failed, per onInconclusive).
 */
function judgeRelease(input) {
    const evidence = input.evidence === 'inconclusive' && input.onInconclusive === 'fail' ? 'fail' : input.evidence;
    if (input.mode === 'first') {
        // Nothing to compare with, nothing to roll back to: a first release stays unless it failed.
        return evidence === 'fail'
            ? { ending: 'remove-first', verdict: 'failed', fails: true, why: 'the first release failed its checks' }
            : { ending: 'keep-first', verdict: 'promoted', fails: false, why: 'first release: it is stable now' };
    }
    if (evidence === 'fail') {
        return input.onFailure === 'rollback'
            ? { ending: 'rollback', verdict: 'rolled-back', fails: true, why: 'the canary failed its checks' }
            : { ending: 'hold', verdict: 'held', fails: true, why: 'the canary failed its checks; decide.onFailure is hold' };
    }
    if (evidence === 'inconclusive')
        return { ending: 'hold', verdict: 'held', fails: false, why: 'the analysis could not tell; held for a person (analysis.onInconclusive is hold)' };
    if (input.decideMode === 'manual')
        return { ending: 'hold', verdict: 'held', fails: false, why: 'decide.mode is manual' };
    return { ending: 'promote', verdict: 'promoted', fails: false, why: 'the canary passed its checks' };
}

// EXTERNAL MODULE: ./src/log/stage.ts
var stage = __webpack_require__(43828);
;// CONCATENATED MODULE: ./src/pipeline/evidence.ts

const defaultSmoke = async (...a) => (await __webpack_require__.e(/* import() */ 12).then(__webpack_require__.bind(__webpack_require__, 1012))).smokeCanary(...a);
/** The smoke stage on the delivery's pods; skipped (and passing) when smoke is off or the strategy has no pods. */
async function smokeEvidence(config, delivery, ctx, smoke) {
    if (!delivery.pods) {
        ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: 0, detail: `strategy ${config.canary.strategy}: its own conditions gate the canary` });
        return { outcome: 'pass', rows: [], note: `${config.canary.strategy} conditions` };
    }
    if (!config.smoke.enabled) {
        ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: 0, detail: 'smoke.enabled is false: the gate decides' });
        return { outcome: 'pass', rows: [['Smoke', 'smoke disabled']], note: 'smoke disabled' };
    }
    const pods = delivery.pods;
    return ctx.host.logger.group('smoke', async () => {
        const started = Date.now();
        const done = (outcome, summary, error) => ({ outcome, rows: [['Smoke', summary]], note: summary, ...(error ? { error } : {}) });
        try {
            const report = await smoke(config, pods, ctx);
            const summary = `${report.verdict}: error rate ${(report.errorRate * 100).toFixed(1)}%, p95 ${Math.round(report.p95Ms)} ms`;
            const { smokeOutputs, SmokeFailed } = await __webpack_require__.e(/* import() */ 12).then(__webpack_require__.bind(__webpack_require__, 1012));
            // The smoke figures; the verdict output is the decision's, set by decide.
            Object.assign(ctx.report.outputs, { ...smokeOutputs(report), verdict: ctx.report.outputs.verdict });
            ctx.report.stages.push({ name: 'smoke', status: report.verdict === 'pass' ? 'ok' : 'failed', durationMs: Date.now() - started, detail: summary });
            return report.verdict === 'pass' ? done('pass', summary) : done('fail', summary, new SmokeFailed(report));
        }
        catch (err) {
            if (err instanceof errors/* ModelCanaryError */.Md && err.kind === 'unavailable') {
                ctx.host.logger.warn('The smoke stage is not available in this version: smoke is skipped and the readiness gate decides.');
                ctx.report.stages.push({ name: 'smoke', status: 'skipped', durationMs: Date.now() - started, detail: 'not available: the gate decides' });
                return done('pass', 'skipped (not available)');
            }
            const message = err instanceof Error ? err.message : String(err);
            const line = message.split('\n')[0] ?? message;
            ctx.report.stages.push({ name: 'smoke', status: 'failed', durationMs: Date.now() - started, detail: line });
            return done('fail', `error: ${line}`, err);
        }
    });
}
/** The error a release whose evidence failed ends with. */
function evidenceError(evidence) {
    return evidence.error ?? new errors/* ModelCanaryError */.Md('model', `The canary failed its checks (${evidence.note}).`, 'See the smoke and analysis sections of the summary for the failing measurements.');
}
/**
 * The analysis window after a passing smoke stage, for a canary beside a stable one. Off (with a warning)
 * when analysis.duration is 0s; not run for a first release (nothing to compare with) or a strategy
 * without pods of its own.
 */
async function analysisEvidence(config, delivery, smoked, ctx) {
    const skip = (detail) => {
        ctx.report.stages.push({ name: 'analysis', status: 'skipped', durationMs: 0, detail });
        return smoked;
    };
    if (smoked.outcome !== 'pass')
        return skip('smoke did not pass');
    if (!delivery.pods)
        return skip(`strategy ${config.canary.strategy}: no canary pods of its own to compare`);
    if (delivery.mode === 'first')
        return skip('first release: no stable to compare with');
    if (config.analysis.durationMs === 0) {
        ctx.host.logger.warn('analysis.duration is 0s: no bake window; the canary is judged on the readiness gate and smoke alone, and nothing watches it under load before it is promoted.');
        return skip('analysis.duration is 0s');
    }
    const pods = delivery.pods;
    const { analyseCanary } = await Promise.all(/* import() */[__webpack_require__.e(103), __webpack_require__.e(12), __webpack_require__.e(295)]).then(__webpack_require__.bind(__webpack_require__, 66295));
    const started = Date.now();
    return ctx.host.logger.group('analysis', async () => {
        const a = await analyseCanary(config, { canary: pods.deployment, stable: pods.stable }, ctx);
        const status = a.outcome === 'fail' ? 'failed' : 'ok';
        ctx.report.stages.push({ name: 'analysis', status, durationMs: Date.now() - started, detail: a.note });
        return { outcome: a.outcome, rows: [...smoked.rows, ...a.rows], note: `${smoked.note}; ${a.note}`, ...(a.error ? { error: a.error } : {}) };
    });
}

;// CONCATENATED MODULE: ./src/pipeline/deliver.ts








/**
 * deploy → smoke → analysis → decide, holding the release lock: the part of a release after render. The strategy
 * (src/decide/strategies) deploys and carries out the ending that judgeRelease picks from the evidence;
 * every ending is recorded in the history and the summary by finishRelease. A failure still throws, so
 * the step fails with the reason.
 */
async function deliverRelease(config, objects, image, ctx, deps = {}) {
    return (0,locked/* withReleaseLock */.D)(config, ctx, async (client) => {
        const strategy = strategyFor(config, ctx, client);
        const delivery = await deployStage(client, config, strategy, objects, image, ctx);
        let evidence;
        try {
            const smoked = await smokeEvidence(config, delivery, ctx, deps.smoke ?? defaultSmoke);
            evidence = await analysisEvidence(config, delivery, smoked, ctx);
        }
        catch (err) {
            if (!(err instanceof errors/* ModelCanaryError */.Md && err.kind === 'cancelled'))
                throw err;
            // Cancelled (SIGINT, SIGTERM): nothing is promoted, and the canary does not outlive the run.
            ctx.host.logger.warn('Cancelled: removing the canary; stable untouched.');
            await (delivery.mode === 'first' ? strategy.removeFirst(delivery) : strategy.rollback(delivery));
            ctx.report.outputs.verdict = 'rolled-back';
            throw err;
        }
        return (0,stage/* runStage */.S)(ctx.host.logger, ctx.report, 'decide', async () => {
            const verdict = await decide(client, config, strategy, delivery, evidence, ctx);
            return { value: verdict, detail: verdict };
        });
    });
}
async function deployStage(client, config, strategy, objects, image, ctx) {
    try {
        return await (0,stage/* runStage */.S)(ctx.host.logger, ctx.report, 'deploy', async () => {
            const d = await strategy.deploy(objects, image);
            return { value: d, detail: d.detail };
        });
    }
    catch (err) {
        // Nothing was applied for a config the deployer refuses; anything else may have left a canary.
        if (err instanceof errors/* ModelCanaryError */.Md && (err.kind === 'unavailable' || err.kind === 'user'))
            throw err;
        const started = Date.now();
        try {
            const failed = await strategy.afterFailedDeploy(err, objects, image);
            ctx.report.stages.push({ name: failed.verdict === 'held' ? 'hold' : 'rollback', status: 'ok', durationMs: Date.now() - started, detail: failed.verdict === 'rolled-back' ? 'canary removed; stable untouched' : failed.verdict });
            await (0,record/* finishRelease */.pp)(client, config, ctx, { verdict: failed.verdict, image: failed.image, note: failed.note, rows: [['Image', failed.image], ...failed.rows] });
        }
        catch (cleanupErr) {
            if (cleanupErr !== err)
                ctx.host.logger.warn(`Rolling back after the failed deploy failed too: ${cleanupErr instanceof Error ? cleanupErr.message : String(cleanupErr)}; the post step removes what this run created.`);
        }
        throw err;
    }
}
async function decide(client, config, strategy, delivery, evidence, ctx) {
    const judged = judgeRelease({ mode: delivery.mode, evidence: evidence.outcome, decideMode: config.decide.mode, onFailure: config.decide.onFailure, onInconclusive: config.analysis.onInconclusive });
    ctx.host.logger.info(`Decision: ${judged.ending} (${judged.why}).`);
    const rows = [['Image', delivery.image], ['Gate', delivery.gate], ...evidence.rows];
    const finish = (verdict, error) => (0,record/* finishRelease */.pp)(client, config, ctx, { verdict, image: delivery.image, note: evidence.note, rows, ...(error ? { error } : {}) });
    const failure = judged.fails ? evidenceError(evidence) : undefined;
    switch (judged.ending) {
        case 'keep-first':
            await strategy.keepFirst(delivery);
            break;
        case 'remove-first':
            await strategy.removeFirst(delivery);
            break;
        case 'rollback':
            await strategy.rollback(delivery);
            break;
        case 'hold':
            await strategy.hold(delivery);
            ctx.host.logger.info(`Holding the canary (${judged.why}): run command promote or rollback to finish.`);
            break;
        case 'promote':
            try {
                rows.push(...(await strategy.promote(delivery)));
            }
            catch (err) {
                if (!(err instanceof gate_report/* GateFailure */.I))
                    throw err;
                await strategy.rollback(delivery);
                rows.push(['Stable rollout', `failed (${err.signal.reason}); stable reverted, canary removed`]);
                return finish('failed', err);
            }
            break;
    }
    return finish(judged.verdict, failure);
}


/***/ })

};
;
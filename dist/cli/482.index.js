export const id = 482;
export const ids = [482];
export const modules = {

/***/ 33892:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lu: () => (/* binding */ readHistory),
/* harmony export */   lg: () => (/* binding */ revisionToRestore),
/* harmony export */   ol: () => (/* binding */ digestOf),
/* harmony export */   ty: () => (/* binding */ recordRelease)
/* harmony export */ });
/* unused harmony exports historyName, historyPath, parseHistory, appendRecord */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83916);
/* harmony import */ var _kube_resources_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(26804);


const historyName = (model) => `model-canary-${model}-history`;
const KEY = 'releases.json';
function historyPath(namespace, model) {
    return (0,_kube_resources_js__WEBPACK_IMPORTED_MODULE_1__/* .apiPath */ .So)('ConfigMap', namespace, historyName(model));
}
async function readHistory(client, namespace, model) {
    const cm = await client.get(historyPath(namespace, model));
    return parseHistory(cm?.data?.[KEY]);
}
function parseHistory(text) {
    if (!text)
        return [];
    try {
        const list = JSON.parse(text);
        return Array.isArray(list) ? list.filter((r) => typeof r.revision === 'number') : [];
    }
    catch {
        return [];
    }
}
/** The history with one more record (numbered after the last), keeping the newest `limit`. */
function appendRecord(history, record, limit) {
    const revision = history.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
    const added = { ...record, revision };
    return { history: [...history, added].slice(-Math.max(1, limit)), added };
}
/** Adds a record and writes the ConfigMap with server-side apply. Call it holding the release lock. */
async function recordRelease(client, target, record) {
    const { history, added } = appendRecord(await readHistory(client, target.namespace, target.model), record, target.limit);
    await client.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
            name: historyName(target.model),
            namespace: target.namespace,
            labels: { 'app.kubernetes.io/managed-by': 'model-canary', 'app.kubernetes.io/name': target.model },
        },
        data: { [KEY]: JSON.stringify(history, null, 1) },
    }, target.fieldManager);
    return added;
}
/** The record `rollback` restores: `previous` (the last good release before what stable runs) or a number. */
function revisionToRestore(history, wanted, currentImage) {
    const good = history.filter((r) => r.verdict === 'promoted' || r.verdict === 'restored');
    if (wanted === 'previous' || wanted === '') {
        const candidates = good.filter((r) => r.image !== currentImage);
        const found = candidates[candidates.length - 1];
        if (!found) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `There is no earlier good release to roll back to (${good.length} promoted release(s) recorded, all running ${currentImage ?? 'the current image'}).`, 'Run `command: status` to see the recorded revisions.');
        }
        return found;
    }
    const number = Number(wanted.replace(/^#/, ''));
    const found = history.find((r) => r.revision === number);
    if (!Number.isInteger(number) || !found) {
        const known = history.map((r) => r.revision).join(', ') || 'none';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `Revision ${wanted} is not in the history (recorded: ${known}).`, 'Set revision to `previous` or a revision `command: status` lists.');
    }
    if (found.verdict !== 'promoted' && found.verdict !== 'restored') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ModelCanaryError */ .Md('user', `Revision ${found.revision} was ${found.verdict}, never promoted; model-canary restores only releases that ran as stable.`, 'Pick a promoted revision from `command: status`.');
    }
    return found;
}
/** The digest part of repository@sha256:... */
function digestOf(image) {
    const at = image.indexOf('@');
    return at >= 0 ? image.slice(at + 1) : '';
}


/***/ }),

/***/ 49482:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubApi: () => (/* reexport */ api_GitHubApi),
  GitHubApiError: () => (/* reexport */ GitHubApiError),
  gitHubReporter: () => (/* reexport */ gitHubReporter),
  rateLimitWait: () => (/* reexport */ rateLimitWait)
});

// EXTERNAL MODULE: ./src/decide/history.ts
var decide_history = __webpack_require__(33892);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
;// CONCATENATED MODULE: ./src/github/api.ts

class GitHubApiError extends errors/* ModelCanaryError */.Md {
    endpoint;
    status;
    constructor(endpoint, status, message, hint) {
        super('command', message, hint);
        this.endpoint = endpoint;
        this.status = status;
        this.name = 'GitHubApiError';
    }
}
const DEFAULT_HINTS = {
    401: 'The github-token was refused (expired, revoked or not a token); pass ${{ github.token }} or a token of this repository.',
    403: 'The token may not do this: give the job `permissions: deployments: write` (and `pull-requests: write` for the pull-request comment).',
    404: 'The repository is not there for this token: check GITHUB_REPOSITORY, and that the token belongs to this repository (a fine-grained token needs Deployments read and write).',
    409: 'GitHub reports a conflict; wait for the conflicting operation to finish and run again.',
    422: 'GitHub refused the request as invalid; fix what its message names and run again.',
};
class api_GitHubApi {
    options;
    budgetMs;
    maxAttempts;
    backoffMs;
    timeoutMs;
    sleep;
    now;
    /** Time spent waiting so far (backoff and rate limits), against the budget. */
    waitedMs = 0;
    constructor(options) {
        this.options = options;
        this.budgetMs = options.budgetMs ?? 90_000;
        this.maxAttempts = options.maxAttempts ?? 5;
        this.backoffMs = options.backoffMs ?? [1000, 2000, 4000, 8000];
        this.timeoutMs = options.timeoutMs ?? 30_000;
        this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
        this.now = options.now ?? Date.now;
    }
    /**
     * Calls `METHOD /path` (query included). hints add to the default advice by status. Throws a
     * GitHubApiError naming the endpoint, the status and the API's message.
     */
    async request(method, path, body, hints = {}) {
        return this.send(method, `${this.options.baseUrl}${path}`, `${method} ${path}`, body, hints);
    }
    /**
     * Runs a GraphQL query; returns its data. GraphQL reports its errors in a 200 answer, so those are
     * thrown here as a GitHubApiError like any refused REST call.
     */
    async graphql(query, hints = {}) {
        const endpoint = 'POST /graphql';
        const answer = await this.send('POST', graphqlUrl(this.options.baseUrl), endpoint, { query }, hints);
        const errors = answer.data?.errors ?? [];
        if (errors.length > 0 || answer.data?.data === undefined) {
            const message = errors
                .map((e) => (typeof e.message === 'string' ? e.message : ''))
                .filter(Boolean)
                .join('; ') || 'no data in the answer';
            throw new GitHubApiError(endpoint, answer.status, `GitHub refused ${endpoint}: ${message}`, hints[answer.status] ?? 'Fix what the message says and run again.');
        }
        return answer.data.data;
    }
    async send(method, url, endpoint, body, hints) {
        const { logger } = this.options;
        for (let attempt = 1;; attempt++) {
            let response;
            try {
                response = await fetch(url, {
                    method,
                    headers: {
                        accept: 'application/vnd.github+json',
                        authorization: `Bearer ${this.options.token}`,
                        'x-github-api-version': '2022-11-28',
                        'user-agent': 'model-canary',
                        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
                    },
                    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
                    signal: AbortSignal.timeout(this.timeoutMs),
                });
            }
            catch (err) {
                const why = networkReason(err);
                await this.retryOrThrow(endpoint, attempt, undefined, `could not reach ${this.options.baseUrl} (${why})`);
                continue;
            }
            const text = await response.text().catch(() => '');
            if (response.ok) {
                logger.debug(`GitHub ${endpoint}: ${response.status}`);
                return { status: response.status, data: (text ? safeJson(text) : undefined), headers: response.headers };
            }
            const apiMessage = describeBody(text);
            const wait = rateLimitWait(response, this.now());
            if (wait !== undefined) {
                const left = this.budgetMs - this.waitedMs;
                const resetAt = new Date(this.now() + wait).toISOString();
                if (wait > left) {
                    throw new GitHubApiError(endpoint, response.status, `GitHub's rate limit stopped ${endpoint} (${response.status}: ${apiMessage}); it resets at ${resetAt}, in ${Math.ceil(wait / 1000)} s, more than the ${Math.max(0, Math.round(left / 1000))} s this step waits.`, 'Run again after the reset, or use a token with its own limit (the job token has one per repository); rate limits shared with many jobs can be spread with concurrency groups.');
                }
                logger.info(`GitHub rate limit on ${endpoint} (${response.status}); waiting ${Math.ceil(wait / 1000)} s, until ${resetAt}.`);
                this.waitedMs += wait;
                await this.sleep(wait);
                continue;
            }
            if (response.status >= 500) {
                await this.retryOrThrow(endpoint, attempt, response.status, `${response.status} ${apiMessage}`);
                continue;
            }
            const hint = hints[response.status] ?? DEFAULT_HINTS[response.status] ?? 'Fix what the message says and run again.';
            throw new GitHubApiError(endpoint, response.status, `GitHub refused ${endpoint} with ${response.status}: ${apiMessage}`, hint);
        }
    }
    /** Waits before the next try of a transient failure, or throws when the tries or the budget are spent. */
    async retryOrThrow(endpoint, attempt, status, why) {
        const delay = this.backoffMs[Math.min(attempt - 1, this.backoffMs.length - 1)] ?? 1000;
        if (attempt >= this.maxAttempts || this.waitedMs + delay > this.budgetMs) {
            throw new GitHubApiError(endpoint, status, `GitHub did not answer ${endpoint} after ${attempt} tries: ${why}.`, 'GitHub (GITHUB_API_URL) or the network to it is failing; run the job again once it answers.');
        }
        this.options.logger.info(`GitHub ${endpoint} failed (${why}); trying again in ${(delay / 1000).toFixed(1)} s (try ${attempt + 1} of ${this.maxAttempts}).`);
        this.waitedMs += delay;
        await this.sleep(delay);
    }
}
/**
 * The GraphQL endpoint next to a REST base URL, as GitHub serves them: https://api.github.com/graphql,
 * and https://HOST/api/graphql for GitHub Enterprise Server's https://HOST/api/v3.
 */
function graphqlUrl(baseUrl) {
    return /\/api\/v3$/.test(baseUrl) ? baseUrl.replace(/\/api\/v3$/, '/api/graphql') : `${baseUrl}/graphql`;
}
/**
 * How long a rate-limited answer asks to wait, or undefined when it is not a rate limit: 429, or 403 with
 * x-ratelimit-remaining 0 or a retry-after (secondary limits). retry-after wins, then x-ratelimit-reset;
 * a secondary limit that gives neither asks for a minute.
 */
function rateLimitWait(response, now) {
    const { status, headers } = response;
    const retryAfter = headers.get('retry-after');
    const remaining = headers.get('x-ratelimit-remaining');
    const limited = status === 429 || (status === 403 && (remaining === '0' || retryAfter !== null));
    if (!limited)
        return undefined;
    if (retryAfter !== null && /^\d+$/.test(retryAfter.trim()))
        return Number(retryAfter) * 1000;
    const reset = headers.get('x-ratelimit-reset');
    if (remaining === '0' && reset !== null && /^\d+$/.test(reset.trim()))
        return Math.max(0, Number(reset) * 1000 - now) + 1000;
    return 60_000;
}
/** The API's message and its field errors, in one line. */
function describeBody(text) {
    const body = safeJson(text);
    if (typeof body !== 'object' || body === null)
        return text.trim().slice(0, 300) || '(no message)';
    const b = body;
    const parts = [typeof b.message === 'string' ? b.message : ''];
    if (Array.isArray(b.errors)) {
        for (const e of b.errors) {
            if (typeof e === 'string')
                parts.push(e);
            else if (typeof e === 'object' && e !== null) {
                const x = e;
                parts.push([x['resource'], x['field'], x['code'], x['message']].filter((v) => typeof v === 'string' && v !== '').join(' '));
            }
        }
    }
    return parts.filter(Boolean).join('; ') || '(no message)';
}
function safeJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
function networkReason(err) {
    if (!(err instanceof Error))
        return String(err);
    if (err.name === 'TimeoutError')
        return 'timed out';
    const cause = err.cause;
    if (cause && typeof cause.code === 'string')
        return cause.code;
    if (cause && typeof cause.message === 'string')
        return cause.message;
    return err.message;
}

;// CONCATENATED MODULE: ./src/github/deployments.ts
/** GitHub limits a deployment's and a status's description to 140 characters. */
function clip(text, max = 140) {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}
const CREATE_HINTS = {
    409: 'GitHub wanted to merge the default branch into the ref or to wait for status checks; model-canary asks for neither (auto_merge false, required_contexts []), so a conflict here is a merge conflict or a branch rule on the ref: check the commit and run again.',
    422: 'Check that the ref (GITHUB_SHA) is a commit of this repository and that the environment name (input environment, else the namespace) is one GitHub accepts; environments with deployment protection rules may also refuse refs they do not allow.',
};
async function createDeployment(api, d) {
    const created = await api.request('POST', `/repos/${d.repository}/deployments`, {
        ref: d.ref,
        task: 'deploy',
        environment: d.environment,
        description: clip(d.description),
        auto_merge: false,
        required_contexts: [],
        payload: d.payload,
        transient_environment: false,
    }, CREATE_HINTS);
    // 202 means GitHub merged nothing and created nothing (an auto-merge answer); with auto_merge false it should not happen.
    if (typeof created.data?.id !== 'number') {
        throw new Error(`GitHub created no deployment (${created.status}: ${created.data?.message ?? 'no id in the answer'})`);
    }
    return created.data.id;
}
async function deployments_setDeploymentStatus(api, repository, id, update) {
    await api.request('POST', `/repos/${repository}/deployments/${id}/statuses`, {
        state: update.state,
        description: clip(update.description),
        ...(update.logUrl ? { log_url: update.logUrl } : {}),
        ...(update.environmentUrl ? { environment_url: update.environmentUrl } : {}),
        // The superseded ones are marked below, explicitly, for every kind of environment.
        auto_inactive: false,
    }, { 422: `The state ${update.state} or a URL was refused; log_url and environment_url must be full http(s) URLs.` });
}
/**
 * Marks inactive the environment's other deployments whose latest status is success (or queued: a held
 * canary this one replaced). Returns the ids it marked.
 */
async function markSupersededInactive(api, repository, environment, current) {
    const marked = [];
    const listed = await api.request('GET', `/repos/${repository}/deployments?environment=${encodeURIComponent(environment)}&per_page=100`);
    for (const other of listed.data ?? []) {
        if (other.id === current)
            continue;
        const statuses = await api.request('GET', `/repos/${repository}/deployments/${other.id}/statuses?per_page=1`);
        const latest = statuses.data?.[0]?.state;
        if (latest !== 'success' && latest !== 'queued')
            continue;
        await api.request('POST', `/repos/${repository}/deployments/${other.id}/statuses`, {
            state: 'inactive',
            description: clip(`superseded by deployment ${current}`),
            auto_inactive: false,
        });
        marked.push(other.id);
    }
    return marked;
}

;// CONCATENATED MODULE: ./src/github/open-deployment.ts


/*
 * A deployment main created and did not finish (the job was cancelled, or the runner stopped main): the
 * post step sets it to error, so GitHub does not show it in progress for ever.
 */
/** The state key main saves the open deployment under ('' once its final status is set). */
const OPEN_DEPLOYMENT_STATE = 'github-deployment';
/** Sets the open deployment of the saved state to error. Never throws; says what it did. */
async function closeOpenDeployment(saved, token, log, api) {
    if (!saved)
        return 'none';
    let open;
    try {
        open = JSON.parse(saved);
    }
    catch {
        return 'none';
    }
    if (typeof open.id !== 'number' || !open.repository || !open.apiUrl)
        return 'none';
    if (!token) {
        log.warn(`model-canary post: GitHub deployment ${open.id} was left in progress, and there is no github-token to close it.`);
        return 'failed';
    }
    const logger = {
        debugEnabled: false,
        debug: () => undefined,
        info: (m) => log.info(m),
        warn: (m) => log.warn(m),
        error: (m) => log.warn(m),
        group: (_t, fn) => fn(),
        setSecret: () => undefined,
    };
    const client = api ?? new GitHubApi({ baseUrl: open.apiUrl, token, logger, budgetMs: 10_000, maxAttempts: 3 });
    try {
        await setDeploymentStatus(client, open.repository, open.id, {
            state: 'error',
            description: 'the run stopped before it finished (cancelled?); the post step cleaned up the cluster',
            ...(open.runUrl ? { logUrl: open.runUrl } : {}),
        });
        log.info(`model-canary post: set GitHub deployment ${open.id}, left in progress by main, to error.`);
        return 'closed';
    }
    catch (err) {
        log.warn(`model-canary post: could not close GitHub deployment ${open.id}: ${err instanceof Error ? err.message : String(err)}`);
        return 'failed';
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./src/github/identity.ts
async function tokenIdentity(api) {
    const data = await api.graphql('query { viewer { login databaseId } }');
    const { login, databaseId } = data.viewer ?? {};
    if (typeof login !== 'string' || typeof databaseId !== 'number' || !Number.isInteger(databaseId)) {
        throw new Error('GitHub did not say which account the token belongs to (no viewer login and id in the answer)');
    }
    return { login, id: databaseId };
}
/** True when the comment (as REST lists it) was written by this identity. */
function writtenBy(comment, identity) {
    return comment.user?.id === identity.id;
}

// EXTERNAL MODULE: ./src/log/markdown.ts
var markdown = __webpack_require__(20157);
;// CONCATENATED MODULE: ./src/github/pr-comment.ts



/** The pull request of a pull_request or pull_request_target run, from the event payload the runner wrote. */
function pullRequestNumber(eventName, eventPath) {
    if (!eventName?.startsWith('pull_request') || !eventPath)
        return undefined;
    try {
        const event = JSON.parse((0,external_node_fs_.readFileSync)(eventPath, 'utf8'));
        const n = event.pull_request?.number ?? event.number;
        return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
    }
    catch {
        return undefined;
    }
}
/** The hidden first line that names the comment's model and environment. */
function commentMarker(model, environment) {
    return `<!-- model-canary:verdict model=${encodeURIComponent(model)} environment=${encodeURIComponent(environment)} -->`;
}
const ICON = { promoted: '✅', 'rolled-back': '↩️', held: '⏸️', failed: '❌' };
function commentBody(row) {
    const cell = (t) => (t === '' ? '—' : (0,markdown/* cell */.Hn)(t));
    const lines = [
        commentMarker(row.model, row.environment),
        `### model-canary: ${row.model} → ${row.environment}: ${ICON[row.verdict] ?? '•'} ${row.verdict || 'failed'}`,
        '',
        '| Model | Environment | Verdict | Digest | Revision | Gate | Smoke |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        `| ${cell(`${row.model} ${row.version}`)} | ${cell(row.environment)} | ${cell(row.verdict || 'failed')} | ${row.digest ? `\`${row.digest}\`` : '—'} | ${cell(row.revision)} | ${cell(row.gate)} | ${cell(row.smoke)} |`,
        '',
        [
            `command \`${row.command}\``,
            `commit ${row.sha.slice(0, 12)}`,
            ...(row.deploymentId !== undefined ? [`deployment ${row.deploymentId}`] : []),
            ...(row.runUrl ? [`[workflow run](${row.runUrl})`] : []),
            `updated ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
        ].join(' · '),
    ];
    return lines.join('\n');
}
/**
 * Writes the verdict comment: edits the one carrying the marker that this token's account wrote (PATCH),
 * or adds it (POST). A marker in anyone else's comment is ignored, so quoting it or planting it cannot get
 * a comment edited. When the token's account cannot be learned nothing is edited: a new comment is added
 * and `warning` says why.
 */
async function upsertVerdictComment(api, repository, pr, row) {
    const marker = commentMarker(row.model, row.environment);
    const body = commentBody(row);
    const hints = {
        403: 'The token may not comment: give the job `permissions: pull-requests: write` (a pull request from a fork gets a read-only token; comment from a pull_request_target or workflow_run job instead).',
    };
    let identity;
    let warning;
    try {
        identity = await tokenIdentity(api);
    }
    catch (err) {
        const hint = err.hint;
        warning = `could not learn which account the github-token belongs to (${err instanceof Error ? err.message : String(err)}${typeof hint === 'string' ? ` ${hint}` : ''}), so no earlier verdict comment was edited and a new one was added.`;
    }
    const existing = identity ? await findOwnComment(api, repository, pr, marker, identity) : undefined;
    if (existing !== undefined) {
        const updated = await api.request('PATCH', `/repos/${repository}/issues/comments/${existing}`, { body }, hints);
        return { url: updated.data?.html_url ?? '', updated: true, id: existing };
    }
    const created = await api.request('POST', `/repos/${repository}/issues/${pr}/comments`, { body }, hints);
    return { url: created.data?.html_url ?? '', updated: false, id: created.data?.id ?? 0, ...(warning ? { warning } : {}) };
}
/** The id of our comment whose body starts with the marker, looking through up to 10 pages of 100. */
async function findOwnComment(api, repository, pr, marker, identity) {
    for (let page = 1; page <= 10; page++) {
        const listed = await api.request('GET', `/repos/${repository}/issues/${pr}/comments?per_page=100&page=${page}`);
        const comments = listed.data ?? [];
        const found = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(marker) && writtenBy(c, identity));
        if (found)
            return found.id;
        if (comments.length < 100)
            return undefined;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/github/reporter.ts





function gitHubReporter(config, ctx, api) {
    return new Reporter(config, ctx, api);
}
class Reporter {
    config;
    ctx;
    settings;
    client;
    lines = [];
    warnings = [];
    deploymentId;
    started = {};
    constructor(config, ctx, api) {
        this.config = config;
        this.ctx = ctx;
        this.settings = config.run.github;
        this.client = api ?? new api_GitHubApi({ baseUrl: this.settings.apiUrl, token: this.settings.token, logger: ctx.host.logger });
    }
    /** fn's result, or undefined with a warning: reporting never fails the release. */
    async attempt(what, fn) {
        try {
            return await fn();
        }
        catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            const hint = err.hint;
            const text = `GitHub reporting: could not ${what}: ${message}${typeof hint === 'string' ? ` ${hint}` : ''}`;
            this.warnings.push(text);
            this.ctx.host.logger.warn(`${text} The release itself is not affected.`);
            return undefined;
        }
    }
    async start(details = {}) {
        if (this.deploymentId !== undefined)
            return;
        const { config, settings } = this;
        const command = config.run.command;
        this.started = details;
        const digest = details.digest || config.run.expect?.digest || config.run.prebuiltImage?.digest || '';
        const revision = command === 'rollback' ? config.run.revision : config.run.expect?.revision;
        const id = await this.attempt(`create a deployment for environment ${settings.environment}`, () => createDeployment(this.client, {
            repository: settings.repository,
            ref: settings.sha,
            environment: settings.environment,
            description: startDescription(config, digest),
            payload: {
                model: config.model.name,
                version: config.model.version,
                namespace: config.cluster.namespace,
                command,
                ...(details.image ? { image: details.image } : {}),
                ...(digest ? { digest } : {}),
                ...(revision !== undefined ? { revision: String(revision) } : {}),
                ...(settings.runUrl ? { run_url: settings.runUrl } : {}),
            },
        }));
        if (id === undefined)
            return;
        this.deploymentId = id;
        this.ctx.report.outputs['deployment-id'] = String(id);
        // If the run is cancelled before finish, the post step sets this deployment to error.
        const open = { id, repository: settings.repository, apiUrl: settings.apiUrl, ...(settings.runUrl ? { runUrl: settings.runUrl } : {}) };
        this.ctx.host.saveState(OPEN_DEPLOYMENT_STATE, JSON.stringify(open));
        this.ctx.host.logger.info(`Recorded GitHub deployment ${id} for environment ${settings.environment}.`);
        await this.attempt(`set deployment ${id} in_progress`, () => deployments_setDeploymentStatus(this.client, settings.repository, id, {
            state: 'in_progress',
            description: `${command} of ${config.model.name} running`,
            ...logUrl(settings),
        }));
    }
    async finish(error) {
        const outputs = this.ctx.report.outputs;
        const verdict = outputs.verdict || (error ? 'failed' : '');
        const record = await recordOf(this.config, this.ctx, outputs.revision);
        const digest = outputs.digest || record?.digest || this.started.digest || this.config.run.expect?.digest || '';
        await this.finishDeployment(finalState(this.config.run.command, verdict, error), finalDescription(this.config, verdict, outputs.revision, digest, record, error));
        await this.commentOnPullRequest(verdict, digest);
        this.summarise();
    }
    /** The deployment's final status; on success, the ones it supersedes inactive. */
    async finishDeployment(state, description) {
        if (this.deploymentId === undefined)
            return;
        const id = this.deploymentId;
        const { settings } = this;
        const set = await this.attempt(`set deployment ${id} to ${state}`, async () => {
            await deployments_setDeploymentStatus(this.client, settings.repository, id, { state, description, ...logUrl(settings) });
            return true;
        });
        this.ctx.host.saveState(OPEN_DEPLOYMENT_STATE, '');
        if (set)
            this.lines.push(`- Deployment ${id} to \`${settings.environment}\`: **${state}** (${description})`);
        if (set && state === 'success') {
            const marked = await this.attempt(`mark the deployments ${id} supersedes inactive`, () => markSupersededInactive(this.client, settings.repository, settings.environment, id));
            if (marked && marked.length > 0)
                this.lines.push(`- Marked inactive: ${marked.map((m) => `deployment ${m}`).join(', ')}`);
        }
    }
    /** On a pull request, the verdict comment (added, or updated in place). */
    async commentOnPullRequest(verdict, digest) {
        const { config, ctx, settings } = this;
        const command = config.run.command;
        const pr = pullRequestNumber(settings.eventName, settings.eventPath);
        if (pr === undefined)
            return;
        const comment = await this.attempt(`write the verdict comment on pull request #${pr}`, () => upsertVerdictComment(this.client, settings.repository, pr, {
            model: config.model.name,
            version: config.model.version,
            environment: settings.environment,
            command,
            verdict,
            digest,
            revision: ctx.report.outputs.revision,
            gate: stageDetail(ctx, command === 'release' ? 'deploy' : command),
            smoke: smokeFigures(ctx),
            sha: settings.sha,
            ...(settings.runUrl ? { runUrl: settings.runUrl } : {}),
            ...(this.deploymentId !== undefined ? { deploymentId: this.deploymentId } : {}),
        }));
        if (comment?.warning) {
            this.warnings.push(`GitHub reporting: ${comment.warning}`);
            ctx.host.logger.warn(`GitHub reporting: ${comment.warning}`);
        }
        if (comment)
            this.lines.push(`- Pull request #${pr}: verdict comment ${comment.updated ? 'updated' : 'added'}${comment.url ? ` (${comment.url})` : ''}`);
    }
    /** The summary's GitHub section, with the problems reporting met. */
    summarise() {
        if (this.lines.length === 0 && this.warnings.length === 0)
            return;
        this.ctx.report.sections.push([
            '### GitHub',
            '',
            ...this.lines,
            ...(this.warnings.length > 0
                ? ['', '**Reporting problems** (the release is not affected):', '', ...this.warnings.map((w) => `- ${w.replace(/\r?\n/g, ' ')}`)]
                : []),
        ].join('\n'));
    }
}
function logUrl(settings) {
    return settings.runUrl ? { logUrl: settings.runUrl } : {};
}
function reporter_short(digest) {
    return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest;
}
function startDescription(config, digest) {
    const model = `${config.model.name} ${config.model.version}`;
    switch (config.run.command) {
        case 'rollback':
            return `rollback of ${config.model.name} to ${config.run.revision === 'previous' || !config.run.revision ? 'the previous revision' : `revision ${config.run.revision}`}`;
        case 'promote':
            return `promote the held canary of ${model}${digest ? ` (${reporter_short(digest)})` : ''}`;
        default:
            return `release ${model}${digest ? ` (${reporter_short(digest)})` : ''}`;
    }
}
/** success when the command did what it was asked; queued for a canary held for a manual promote. */
function finalState(command, verdict, error) {
    if (error)
        return 'failure';
    if (verdict === 'promoted')
        return 'success';
    if (verdict === 'rolled-back')
        return command === 'rollback' ? 'success' : 'failure';
    if (verdict === 'held')
        return 'queued';
    return verdict === 'failed' ? 'failure' : 'success';
}
function finalDescription(config, verdict, revision, digest, record, error) {
    const rev = revision ? ` as revision ${revision}` : '';
    if (error) {
        const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
        return clip(`${verdict || 'failed'}${rev}: ${message}`);
    }
    if (config.run.command === 'rollback') {
        if (record?.restoredFrom !== undefined)
            return clip(`rollback to revision ${record.restoredFrom} (${reporter_short(record.digest)}), recorded${rev}`);
        return clip(`rollback: canary removed, stable untouched, recorded${rev}`);
    }
    if (verdict === 'held')
        return clip(`canary held after smoke${rev} (${reporter_short(digest)}); promote or roll back by dispatch`);
    return clip(`${verdict}${rev} (${reporter_short(digest)})`);
}
/** The history record of the revision this run wrote, for its digest and what a rollback restored. */
async function recordOf(config, ctx, revision) {
    if (!revision || config.run.command === 'release')
        return undefined;
    try {
        const history = await (0,decide_history/* readHistory */.Lu)(await ctx.kube.client(), config.cluster.namespace, config.model.name);
        return history.find((r) => String(r.revision) === revision);
    }
    catch {
        return undefined;
    }
}
function stageDetail(ctx, name) {
    return ctx.report.stages.find((s) => s.name === name)?.detail ?? '';
}
function smokeFigures(ctx) {
    const { outputs } = ctx.report;
    if (outputs['error-rate'] === '' && outputs['p95-ms'] === '')
        return stageDetail(ctx, 'smoke');
    return `error rate ${outputs['error-rate'] || '—'}, p95 ${outputs['p95-ms'] || '—'} ms`;
}

;// CONCATENATED MODULE: ./src/github/index.ts
// Loaded only when github-token is given and the command records a deployment (see src/commands/run.ts).




/***/ })

};

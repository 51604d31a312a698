"use strict";
exports.id = 152;
exports.ids = [152];
exports.modules = {

/***/ 3152:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  closeOpenDeployment: () => (/* binding */ closeOpenDeployment)
});

// UNUSED EXPORTS: OPEN_DEPLOYMENT_STATE

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
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
class GitHubApi {
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
async function setDeploymentStatus(api, repository, id, update) {
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


/***/ })

};
;
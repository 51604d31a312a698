import { ModelCanaryError } from '../errors.js';
import type { Logger } from '../log/logger.js';

/*
 * The few REST calls model-canary makes to GitHub, on node's fetch: a transient failure (5xx, network,
 * timeout) is retried with backoff, a rate limit is waited out when its reset is within the budget, and
 * anything else fails at once with the endpoint, the API's message and what to do.
 */

export interface GitHubApiOptions {
  /** The REST API's base URL (GITHUB_API_URL), without a trailing slash. */
  baseUrl: string;
  token: string;
  logger: Logger;
  /** Most this client waits in total across retries and rate limits (default 90 s). */
  budgetMs?: number;
  /** Tries per request, the first included (default 5). */
  maxAttempts?: number;
  /** Waits before the 2nd, 3rd, ... try of a transient failure (default 1, 2, 4, 8 s). */
  backoffMs?: readonly number[];
  /** Time allowed for one request (default 30 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

/** What to tell the user for an answer with this status, beyond the API's own message. */
export type Hints = Partial<Record<number, string>>;

export class GitHubApiError extends ModelCanaryError {
  constructor(
    readonly endpoint: string,
    readonly status: number | undefined,
    message: string,
    hint: string,
  ) {
    super('command', message, hint);
    this.name = 'GitHubApiError';
  }
}

const DEFAULT_HINTS: Hints = {
  401: 'The github-token was refused (expired, revoked or not a token); pass ${{ github.token }} or a token of this repository.',
  403: 'The token may not do this: give the job `permissions: deployments: write` (and `pull-requests: write` for the pull-request comment).',
  404: 'The repository is not there for this token: check GITHUB_REPOSITORY, and that the token belongs to this repository (a fine-grained token needs Deployments read and write).',
  409: 'GitHub reports a conflict; wait for the conflicting operation to finish and run again.',
  422: 'GitHub refused the request as invalid; fix what its message names and run again.',
};

export class GitHubApi {
  private readonly budgetMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  /** Time spent waiting so far (backoff and rate limits), against the budget. */
  waitedMs = 0;

  constructor(private readonly options: GitHubApiOptions) {
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
  async request<T>(method: string, path: string, body?: unknown, hints: Hints = {}): Promise<ApiResponse<T>> {
    return this.send<T>(method, `${this.options.baseUrl}${path}`, `${method} ${path}`, body, hints);
  }

  /**
   * Runs a GraphQL query; returns its data. GraphQL reports its errors in a 200 answer, so those are
   * thrown here as a GitHubApiError like any refused REST call.
   */
  async graphql<T>(query: string, hints: Hints = {}): Promise<T> {
    const endpoint = 'POST /graphql';
    const answer = await this.send<{ data?: T; errors?: { message?: unknown }[] }>('POST', graphqlUrl(this.options.baseUrl), endpoint, { query }, hints);
    const errors = answer.data?.errors ?? [];
    if (errors.length > 0 || answer.data?.data === undefined) {
      const message =
        errors
          .map((e) => (typeof e.message === 'string' ? e.message : ''))
          .filter(Boolean)
          .join('; ') || 'no data in the answer';
      throw new GitHubApiError(
        endpoint,
        answer.status,
        `GitHub refused ${endpoint}: ${message}`,
        hints[answer.status] ?? 'Fix what the message says and run again.',
      );
    }
    return answer.data.data;
  }

  private async send<T>(method: string, url: string, endpoint: string, body: unknown, hints: Hints): Promise<ApiResponse<T>> {
    const { logger } = this.options;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
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
      } catch (err) {
        const why = networkReason(err);
        await this.retryOrThrow(endpoint, attempt, undefined, `could not reach ${this.options.baseUrl} (${why})`);
        continue;
      }
      const text = await response.text().catch(() => '');
      if (response.ok) {
        logger.debug(`GitHub ${endpoint}: ${response.status}`);
        return { status: response.status, data: (text ? safeJson(text) : undefined) as T, headers: response.headers };
      }
      const apiMessage = describeBody(text);
      const wait = rateLimitWait(response, this.now());
      if (wait !== undefined) {
        const left = this.budgetMs - this.waitedMs;
        const resetAt = new Date(this.now() + wait).toISOString();
        if (wait > left) {
          throw new GitHubApiError(
            endpoint,
            response.status,
            `GitHub's rate limit stopped ${endpoint} (${response.status}: ${apiMessage}); it resets at ${resetAt}, in ${Math.ceil(wait / 1000)} s, more than the ${Math.max(0, Math.round(left / 1000))} s this step waits.`,
            'Run again after the reset, or use a token with its own limit (the job token has one per repository); rate limits shared with many jobs can be spread with concurrency groups.',
          );
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
  private async retryOrThrow(endpoint: string, attempt: number, status: number | undefined, why: string): Promise<void> {
    const delay = this.backoffMs[Math.min(attempt - 1, this.backoffMs.length - 1)] ?? 1000;
    if (attempt >= this.maxAttempts || this.waitedMs + delay > this.budgetMs) {
      throw new GitHubApiError(
        endpoint,
        status,
        `GitHub did not answer ${endpoint} after ${attempt} tries: ${why}.`,
        'GitHub (GITHUB_API_URL) or the network to it is failing; run the job again once it answers.',
      );
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
export function graphqlUrl(baseUrl: string): string {
  return /\/api\/v3$/.test(baseUrl) ? baseUrl.replace(/\/api\/v3$/, '/api/graphql') : `${baseUrl}/graphql`;
}

/**
 * How long a rate-limited answer asks to wait, or undefined when it is not a rate limit: 429, or 403 with
 * x-ratelimit-remaining 0 or a retry-after (secondary limits). retry-after wins, then x-ratelimit-reset;
 * a secondary limit that gives neither asks for a minute.
 */
export function rateLimitWait(response: { status: number; headers: Headers }, now: number): number | undefined {
  const { status, headers } = response;
  const retryAfter = headers.get('retry-after');
  const remaining = headers.get('x-ratelimit-remaining');
  const limited = status === 429 || (status === 403 && (remaining === '0' || retryAfter !== null));
  if (!limited) return undefined;
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
  const reset = headers.get('x-ratelimit-reset');
  if (remaining === '0' && reset !== null && /^\d+$/.test(reset.trim())) return Math.max(0, Number(reset) * 1000 - now) + 1000;
  return 60_000;
}

/** The API's message and its field errors, in one line. */
function describeBody(text: string): string {
  const body = safeJson(text);
  if (typeof body !== 'object' || body === null) return text.trim().slice(0, 300) || '(no message)';
  const b = body as { message?: unknown; errors?: unknown };
  const parts = [typeof b.message === 'string' ? b.message : ''];
  if (Array.isArray(b.errors)) {
    for (const e of b.errors) {
      if (typeof e === 'string') parts.push(e);
      else if (typeof e === 'object' && e !== null) {
        const x = e as Record<string, unknown>;
        parts.push([x['resource'], x['field'], x['code'], x['message']].filter((v) => typeof v === 'string' && v !== '').join(' '));
      }
    }
  }
  return parts.filter(Boolean).join('; ') || '(no message)';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return 'timed out';
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err.message;
}

import type { Protocol } from './protocols/index.js';
import { brief, isRecord } from './protocols/protocol.js';
import { checkExpectation } from './compare.js';
import { NoAnswer, type Channel } from './transport/channel.js';
import type { AsyncJob, CaseResult, ModelResponse, SmokeCase } from './types.js';

const DONE = ['done', 'succeeded', 'success', 'completed', 'complete', 'finished'];
const FAILED = ['failed', 'error', 'errored', 'cancelled', 'canceled'];

/** Sends one case to one pod and judges the answer against the case's own expectations. */
export async function runCase(
  channel: Channel,
  protocol: Protocol,
  c: SmokeCase,
  pod: string,
  track: CaseResult['track'],
  timeoutMs: number,
): Promise<CaseResult> {
  let response: ModelResponse;
  let answerBody: unknown;
  let jobTimes: CaseResult['job'];
  try {
    if (c.async) {
      const job = await runJob(channel, protocol, c, c.async, track, timeoutMs);
      if ('failed' in job) return { case: c.name, pod, track, status: job.status, latencyMs: job.latencyMs, verdict: 'fail', why: [job.failed] };
      response = job;
      answerBody = job.body;
      jobTimes = job.times;
    } else {
      response = await channel.send(protocol.encode(c), timeoutMs);
      answerBody = response.body;
    }
  } catch (err) {
    if (!(err instanceof NoAnswer)) throw err;
    return { case: c.name, pod, track, status: 0, latencyMs: 0, verdict: 'fail', why: [`no answer: ${err.message}`], error: err.message };
  }
  const result: CaseResult = {
    case: c.name,
    pod,
    track,
    status: response.status,
    latencyMs: Math.round(response.latencyMs * 100) / 100,
    verdict: 'pass',
    why: [],
  };
  if (jobTimes) result.job = jobTimes;
  if (c.async?.trackField !== undefined && jobTimes?.ranOn !== undefined && jobTimes.ranOn !== track) {
    result.why.push(`the job submitted for the ${track} ran on the ${jobTimes.ranOn} workers: no ${track} worker took it`);
  }
  let outputs: unknown[] | undefined;
  const outputsField = c.async?.outputsField;
  if (response.status >= 200 && response.status < 300 && outputsField !== undefined) {
    const field = isRecord(answerBody) ? answerBody[outputsField] : undefined;
    if (Array.isArray(field)) outputs = field;
    else result.why.push(`the job's result has no list "${outputsField}": ${brief(answerBody, 120)}`);
  } else if (response.status >= 200 && response.status < 300) {
    const decoded = protocol.decode(c, answerBody);
    if ('error' in decoded) result.why.push(decoded.error);
    else outputs = decoded.outputs;
  } else {
    result.answer = brief(answerBody, 200);
  }
  if (outputs) result.outputs = outputs;
  result.why.push(...checkExpectation(c.expect, response.status, outputs, response.latencyMs));
  if (result.why.length > 0) result.verdict = 'fail';
  return result;
}

/**
 * An asynchronous batch case: POST the inputs (to async.submitPath, else the protocol's predict path),
 * expect 202 (or 200/201) with the job id, then GET async.resultPath with {id} replaced until the job's
 * status field says done (or the poll answers 200 with no status field), failed, or the budget runs out.
 * The result's latency is from submitting to the done answer; its outputs are read from the done answer.
 */
async function runJob(
  channel: Channel,
  protocol: Protocol,
  c: SmokeCase,
  job: AsyncJob,
  track: CaseResult['track'],
  timeoutMs: number,
): Promise<(ModelResponse & { times?: CaseResult['job'] }) | { failed: string; status: number; latencyMs: number }> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const request = protocol.encode(c);
  const inputs = job.inputsField !== undefined ? { [job.inputsField]: c.inputs } : request.body;
  const body = job.trackField !== undefined && isRecord(inputs) ? { ...inputs, [job.trackField]: track } : inputs;
  const submit = await channel.send({ method: 'POST', path: job.submitPath ?? request.path, body }, timeoutMs);
  if (![200, 201, 202].includes(submit.status))
    return { failed: `job submit answered ${submit.status} ${brief(submit.body, 80)}, expected 202`, status: submit.status, latencyMs: elapsed() };
  const idField = job.idField ?? 'id';
  const id = isRecord(submit.body) ? submit.body[idField] : undefined;
  if (typeof id !== 'string' && typeof id !== 'number')
    return { failed: `job submit answer has no "${idField}": ${brief(submit.body, 80)}`, status: submit.status, latencyMs: elapsed() };
  const statusField = job.statusField ?? 'status';
  const done = (job.doneValues ?? DONE).map((v) => v.toLowerCase());
  const failed = (job.failedValues ?? FAILED).map((v) => v.toLowerCase());
  const budget = job.budgetMs ?? 60_000;
  const interval = job.pollIntervalMs ?? 250;
  const path = job.resultPath.replaceAll('{id}', encodeURIComponent(String(id)));
  for (;;) {
    const poll = await channel.send({ method: 'GET', path }, timeoutMs);
    const state = isRecord(poll.body) ? poll.body[statusField] : undefined;
    const stateText = typeof state === 'string' ? state.toLowerCase() : undefined;
    if (stateText !== undefined && failed.includes(stateText))
      return { failed: `job ${id} ${stateText}: ${brief(poll.body, 80)}`, status: poll.status, latencyMs: elapsed() };
    const isDone = poll.status === 200 && (stateText === undefined ? true : done.includes(stateText));
    if (isDone) {
      const result = isRecord(poll.body) && poll.body['result'] !== undefined ? poll.body['result'] : poll.body;
      const times = jobTimes(poll.body);
      return { status: poll.status, body: result, latencyMs: elapsed(), ...(times ? { times } : {}) };
    }
    if (poll.status !== 200 && poll.status !== 202 && poll.status !== 404)
      return { failed: `job ${id} poll answered ${poll.status} ${brief(poll.body, 80)}`, status: poll.status, latencyMs: elapsed() };
    if (elapsed() + interval > budget)
      return { failed: `job ${id} not done within ${budget} ms (last: ${poll.status} ${brief(poll.body, 60)})`, status: poll.status, latencyMs: elapsed() };
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * What a job's done answer says of its run (model-canary's job API: queue_wait_ms, service_ms and the worker's
 * track), when it says it.
 */
function jobTimes(body: unknown): CaseResult['job'] | undefined {
  if (!isRecord(body)) return undefined;
  const times: NonNullable<CaseResult['job']> = {};
  if (typeof body['queue_wait_ms'] === 'number') times.queueWaitMs = body['queue_wait_ms'];
  if (typeof body['service_ms'] === 'number') times.serviceMs = body['service_ms'];
  const worker = body['worker'];
  if (isRecord(worker) && typeof worker['track'] === 'string') times.ranOn = worker['track'];
  return Object.keys(times).length > 0 ? times : undefined;
}

/**
 * Runs tasks with at most `concurrency` at a time, starting none after `deadline` (epoch ms); a task
 * not started is reported through `skipped`.
 */
export async function runBounded<T, R>(
  tasks: readonly T[],
  concurrency: number,
  deadline: number,
  run: (t: T) => Promise<R>,
  skipped: (t: T) => R,
): Promise<R[]> {
  const results: R[] = new Array<R>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= tasks.length) return;
      const task = tasks[i] as T;
      results[i] = Date.now() >= deadline ? skipped(task) : await run(task);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
  return results;
}

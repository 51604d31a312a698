#!/usr/bin/env node
import os from 'node:os';
import path from 'node:path';
import { privateTempDir, readRunnerEnvironment } from './config/action-inputs.js';
import { CLI_USAGE, parseCliArgs } from './config/cli-args.js';
import { runEntry } from './commands/entry.js';
import { asModelCanaryError } from './errors.js';
import { createCliHost, outputsJson } from './log/cli-host.js';
import { createExec } from './exec/exec.js';
import { neutralise } from './log/neutralise.js';

// The CLI twin of the action: same inputs, same code path; progress on stderr, outputs as JSON on stdout.
async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`${neutralise(`error: ${asModelCanaryError(err).userMessage}`)}\n`);
    return 1;
  }
  if (args.help) {
    process.stdout.write(`${CLI_USAGE}\n`);
    return 0;
  }
  if (args.inputs.command === '') {
    // Never a default command: a bare `model-canary` must not release to the kubeconfig's cluster.
    process.stderr.write(`${CLI_USAGE}\n\nerror: no command given; name one (model-canary plan checks the config and changes nothing).\n`);
    return 2;
  }
  const debug = args.debug || process.env['RUNNER_DEBUG'] === '1';
  const host = createCliHost(debug);
  // tool-cache needs these outside Actions; the tools under the user's cache folder, and the run's scratch
  // (the kubeconfig, values, reports) in a folder of its own (0700), not a name others can make first.
  const cache = path.join(os.homedir(), '.cache', 'model-canary');
  process.env['RUNNER_TOOL_CACHE'] ??= path.join(cache, 'tools');
  process.env['RUNNER_TEMP'] ??= privateTempDir();
  const env = readRunnerEnvironment({ ...process.env, GITHUB_WORKSPACE: args.workspace ?? process.env['GITHUB_WORKSPACE'] ?? process.cwd() });
  env.workspace = path.resolve(env.workspace);
  if (!env.commitSha) {
    const sha = await gitHead(host, env.workspace);
    if (sha) env.commitSha = sha;
  }
  const code = await runEntry(host, args.inputs, env);
  process.stdout.write(`${outputsJson(host.outputs)}\n`);
  return code;
}

async function gitHead(host: ReturnType<typeof createCliHost>, cwd: string): Promise<string | undefined> {
  try {
    const result = await createExec(host.logger)('git', ['rev-parse', 'HEAD'], { cwd, allowFailure: true, timeoutMs: 10_000 });
    const sha = result.stdout.trim();
    return result.exitCode === 0 && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

process.exitCode = await main(process.argv.slice(2));

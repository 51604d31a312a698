import { readActionInputs, readRunnerEnvironment } from './config/action-inputs.js';
import { runEntry } from './commands/entry.js';
import { createActionsHost } from './log/actions-host.js';

// The action's main step: read inputs once, run, exit 1 on failure (the error was already printed).
// No top-level await: scripts/build.mjs bundles this entry as CommonJS, which starts faster.
void runEntry(createActionsHost(), readActionInputs(), readRunnerEnvironment()).then((code) => {
  process.exitCode = code;
});

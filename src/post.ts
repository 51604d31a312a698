import path from 'node:path';
import os from 'node:os';
import { runPost } from './commands/post.js';
import * as core from './log/workflow-commands.js';

// The action's post step: runs after main, also when the job was cancelled or main failed. It is its own
// process, so it opens its own kubectl proxy (kubectl from PATH or the tool cache, KUBECONFIG from the env).
// No top-level await: scripts/build.mjs bundles this entry as CommonJS, which starts faster.
void runPost(
  core.getState('cleanup'),
  {
    info: (m) => core.info(m),
    warn: (m) => core.warning(m),
  },
  {
    searchPath: process.env['PATH'] ?? '',
    cacheDir: path.join(process.env['RUNNER_TOOL_CACHE'] || path.join(os.homedir(), '.cache'), 'model-canary'),
  },
);

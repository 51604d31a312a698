import path from 'node:path';
import os from 'node:os';
import { runPost } from './commands/post.js';
import { readActionInputs } from './config/action-inputs.js';
import { withSavedKubeconfig } from './credentials/run.js';
import * as core from './log/workflow-commands.js';

// The action's post step: runs after main, also when the job was cancelled or main failed. It is its own
// process, so it opens its own kubectl proxy (kubectl from PATH or the tool cache, KUBECONFIG from the env,
// or the file main wrote from input kubeconfig, which it removes when done). A GitHub deployment main left
// in progress (a cancelled run) is then set to error.
// No top-level await: scripts/build.mjs bundles this entry as CommonJS, which starts faster.
const saved = core.getState('cleanup');
const log = {
  info: (m: string) => core.info(m),
  warn: (m: string) => core.warning(m),
};
void withSavedKubeconfig(saved, log, () =>
  runPost(saved, log, {
    searchPath: process.env['PATH'] ?? '',
    cacheDir: path.join(process.env['RUNNER_TOOL_CACHE'] || path.join(os.homedir(), '.cache'), 'model-canary'),
  }),
)
  .catch((err: unknown) => log.warn(`model-canary post: ${err instanceof Error ? err.message : String(err)}`))
  .then(async () => {
    const open = core.getState('github-deployment');
    if (!open) return;
    const token = readActionInputs().githubToken ?? '';
    if (token) core.setSecret(token);
    const { closeOpenDeployment } = await import('./github/open-deployment.js');
    await closeOpenDeployment(open, token, log);
  });

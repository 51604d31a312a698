import { runPost } from './commands/post.js';
import * as core from './log/workflow-commands.js';

// The action's post step: runs after main, also when the job was cancelled or main failed.
// No top-level await: scripts/build.mjs bundles this entry as CommonJS, which starts faster.
void runPost(core.getState('cleanup'), {
  info: (m) => core.info(m),
  warn: (m) => core.warning(m),
});

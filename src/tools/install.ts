import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ModelCanaryError } from '../errors.js';
import type { Exec } from '../exec/exec.js';
import type { Logger } from '../log/logger.js';
import type { ToolSource } from './specs.js';

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Installs one tool release into the runner's tool cache and returns the binary's path. The download's
 * SHA-256 must equal the one in the source; on a mismatch nothing is cached and the error says so.
 * A release already in the tool cache is used as it is.
 *
 * The download lands in a folder of this call's own (mkdtemp, 0700) and is read once: the bytes hashed are
 * the bytes extracted (through tar's stdin) or written as the binary, never the file read again by path.
 */
export async function installTool(name: string, version: string, source: ToolSource, deps: { exec: Exec; logger: Logger }): Promise<string> {
  // Loaded here, not at start: only runs that install a tool pay for the HTTP client.
  const tc = await import('@actions/tool-cache');
  const cachedDir = tc.find(name, version);
  if (cachedDir) return path.join(cachedDir, name);

  deps.logger.info(`Installing ${name} ${version} from ${source.url}`);
  const scratch = await mkdtemp(path.join(os.tmpdir(), `model-canary-${name}-`));
  try {
    let bytes: Buffer;
    try {
      bytes = await readFile(await tc.downloadTool(source.url, path.join(scratch, 'download')));
    } catch (err) {
      throw new ModelCanaryError(
        'tool',
        `Could not download ${name} ${version} from ${source.url}: ${err instanceof Error ? err.message : String(err)}`,
        `Check the runner's network, or install ${name} on the runner so it is found on PATH.`,
      );
    }
    const actual = sha256Of(bytes);
    if (actual !== source.sha256.toLowerCase()) {
      throw new ModelCanaryError(
        'tool',
        `Checksum mismatch for ${name} ${version} downloaded from ${source.url}: expected sha256 ${source.sha256}, got ${actual}. Nothing was installed.`,
        'The download was altered or is not the release model-canary pins. Do not use it; install the tool yourself from a source you trust.',
      );
    }
    const out = path.join(scratch, 'verified');
    await mkdir(out, { mode: 0o700 });
    let binary: string;
    if (source.archive === 'tar.gz') {
      const inner = source.binaryPath ?? name;
      await deps.exec('tar', ['-xzf', '-', '-C', out, inner], { timeoutMs: 120_000, stdin: bytes });
      binary = path.join(out, inner);
    } else {
      binary = path.join(out, name);
      await writeFile(binary, bytes, { flag: 'wx', mode: 0o700 });
    }
    await chmod(binary, 0o755);
    const dir = await tc.cacheFile(binary, name, name, version);
    return path.join(dir, name);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

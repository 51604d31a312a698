import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { ModelCanaryError, userError } from '../errors.js';

export const MiB = 1024 * 1024;

/** Aliases a user's YAML file may expand to; far above any real model or cases file, far below a bomb. */
export const YAML_MAX_ALIAS_COUNT = 1000;

export interface UserFileOptions {
  /** What the file is, for messages: "Model file model-canary.yaml". */
  label: string;
  maxBytes: number;
  /** What to do when it cannot be read. */
  hint: string;
}

/**
 * Reads a file the user names (the model file, the cases file) as UTF-8. It must be a regular file, checked
 * before it is opened: opening a FIFO blocks until something writes to it, so a run would hang. Its size
 * is checked before and while reading, so a file that grows (or lies in stat) cannot exhaust memory.
 */
export function readUserFile(file: string, options: UserFileOptions): string {
  const { label, maxBytes, hint } = options;
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw userError(`${label} is not a regular file (it is ${kindOf(stat)}).`, hint);
    size = stat.size;
  } catch (err) {
    if (err instanceof ModelCanaryError) throw err;
    throw userError(`${label} could not be read: ${(err as Error).message}`, hint);
  }
  if (size > maxBytes) throw tooLarge(label, maxBytes);
  let fd: number;
  try {
    // Non-blocking, so a FIFO swapped in after the stat is refused below instead of waited on.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw userError(`${label} could not be read: ${(err as Error).message}`, hint);
  }
  try {
    if (!fstatSync(fd).isFile()) throw userError(`${label} is not a regular file.`, hint);
    // Sized by the stat (the limit is a ceiling, not an allocation); a file that grew is read on in chunks.
    const chunks: Buffer[] = [];
    let length = 0;
    let chunk = Buffer.alloc(Math.min(size, maxBytes) + 1);
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) throw tooLarge(label, maxBytes);
      // A fresh buffer after every read: the chunk kept above must not be overwritten.
      chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes - length + 1));
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** True for the error `yaml` throws when aliases expand past maxAliasCount. */
export function isAliasBomb(err: unknown): boolean {
  return err instanceof ReferenceError && /excessive alias count/i.test(err.message);
}

/** The user error for a YAML file whose aliases expand past YAML_MAX_ALIAS_COUNT. */
export function aliasBombError(label: string): ModelCanaryError {
  return userError(
    `${label} has YAML aliases (*name) that expand past the limit of ${YAML_MAX_ALIAS_COUNT} (aliases of aliases multiply, as in a "billion laughs" file); it was not read.`,
    'Write the repeated values out, or use fewer aliases of aliases.',
  );
}

function tooLarge(label: string, maxBytes: number): ModelCanaryError {
  return userError(
    `${label} is larger than the ${formatSize(maxBytes)} limit; it was not read.`,
    'Make the file smaller: split it, or keep large data out of it.',
  );
}

function formatSize(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}

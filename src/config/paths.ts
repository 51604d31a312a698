import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isInside } from './contained.js';

export type PathKind = 'file' | 'directory' | 'any';

/**
 * Resolves a config path against the workspace and checks it stays inside: no `..` escape, no absolute
 * path elsewhere, no symlink that leads out. Returns the absolute path or a problem sentence.
 */
export function resolveInWorkspace(workspace: string, value: string, options: { mustExist: boolean; kind: PathKind }): { path: string } | { problem: string } {
  if (value.includes('\0')) return { problem: 'contains a NUL character' };
  const root = safeRealpath(workspace) ?? path.resolve(workspace);
  const absolute = path.resolve(workspace, value);
  if (!isInside(path.resolve(workspace), absolute)) {
    return { problem: `"${value}" is outside the workspace (${workspace}); use a path inside the repository` };
  }
  if (!existsSync(absolute)) {
    if (options.mustExist) return { problem: `"${value}" does not exist in the workspace (${workspace})` };
    // Not there yet (an output file): the nearest existing parent must still be inside.
    const parent = nearestExisting(absolute);
    const realParent = parent ? safeRealpath(parent) : undefined;
    if (realParent && !isInside(root, realParent)) {
      return { problem: `"${value}" is under a symlink that leads outside the workspace; use a real folder` };
    }
    return { path: absolute };
  }
  const real = safeRealpath(absolute);
  if (real === undefined || !isInside(root, real)) {
    return { problem: `"${value}" is a symlink that leads outside the workspace (to ${real}); copy the file into the repository` };
  }
  if (options.kind !== 'any') {
    const isDir = statSync(real).isDirectory();
    if (options.kind === 'file' && isDir) return { problem: `"${value}" is a directory; give a file` };
    if (options.kind === 'directory' && !isDir) return { problem: `"${value}" is a file; give a directory` };
  }
  return { path: absolute };
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function nearestExisting(p: string): string | undefined {
  let current = path.dirname(p);
  for (;;) {
    if (existsSync(current)) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, renameSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { userError } from '../errors.js';

/*
 * Containment of what the run reads for the user. The config loader checks a path itself; these check it
 * again where it is read, with every symlink followed, and look inside folders too: a symlink inside a
 * chart that points at RUNNER_TEMP would otherwise let helm read the run's kubeconfig into an object.
 */

const FIX = 'Replace the symlink with the file itself, or keep what it points to inside the repository.';

/** True when candidate is root or under it (both absolute, already resolved). */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The real path of `file`, a file or folder the run reads for the user (`what` names it: "smoke.cases").
 * Refuses, as a user error, one whose real path (every symlink followed) is outside the workspace.
 */
export function containedFile(workspace: string, file: string, what: string): string {
  const root = workspaceRoot(workspace);
  const absolute = path.resolve(workspace, file);
  const real = realTarget(absolute);
  if (isInside(root, real)) return real;
  if (!isInside(path.resolve(workspace), absolute) && !isInside(root, absolute)) {
    throw userError(`${what}: ${absolute} is outside the workspace (${workspace}).`, 'Keep what it names inside the repository.');
  }
  throw userError(`${what}: ${shown(workspace, absolute)} leads outside the workspace (${workspace}): ${pointsTo(absolute, real)}.`, FIX);
}

export interface TreeOptions {
  /** Paths (relative to the folder, with /) left out of the walk, as .dockerignore leaves them out of a build. */
  skip?: (relative: string, isDirectory: boolean) => boolean;
  /** What to do instead of the usual fix (the Docker context can also leave a path out with .dockerignore). */
  fix?: string;
}

/**
 * Checks the folder `dir` and everything inside it (`what` names it: "render.chart"): the folder's own real
 * path, and every symlink inside, found with lstat, must lead into the workspace. A symlinked folder that
 * stays inside is walked too, since the tools reading the folder follow it.
 */
export function assertTreeContained(workspace: string, dir: string, what: string, options: TreeOptions = {}): void {
  const top = path.resolve(workspace, dir);
  const realTop = containedFile(workspace, top, what);
  const root = workspaceRoot(workspace);
  const walked = new Set<string>();
  const walk = (real: string, shownDir: string, rel: string): void => {
    if (walked.has(real)) return;
    walked.add(real);
    for (const entry of readdirSync(real, { withFileTypes: true })) {
      const entryRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const entryShown = path.join(shownDir, entry.name);
      const entryReal = path.join(real, entry.name);
      if (entry.isSymbolicLink()) {
        const target = realTarget(entryReal);
        const targetIsDir = isDirectory(target);
        if (options.skip?.(entryRel, targetIsDir)) continue;
        if (!isInside(root, target)) {
          throw userError(
            `${what} (${shown(workspace, top)}) holds ${shown(workspace, entryShown)}, a symlink that leads outside the workspace (${workspace}): ${pointsTo(entryReal, target)}.`,
            options.fix ?? FIX,
          );
        }
        if (targetIsDir) walk(target, entryShown, entryRel);
      } else if (entry.isDirectory()) {
        if (options.skip?.(entryRel, true)) continue;
        walk(entryReal, entryShown, entryRel);
      }
    }
  };
  if (isDirectory(realTop)) walk(realTop, top, '');
}

/**
 * Writes `name` into the workspace's .model-canary/ folder and returns its path. A .model-canary that is
 * a symlink (a repository can hold one) is refused rather than followed out of the workspace, and the file
 * is written beside its name and renamed over it, which replaces a symlink there instead of writing through.
 */
export function writeWorkspaceReport(workspace: string, name: string, content: string): string {
  const dir = path.join(path.resolve(workspace), '.model-canary');
  let stat: Stats | undefined;
  try {
    stat = lstatSync(dir);
  } catch {
    stat = undefined;
  }
  if (stat === undefined) mkdirSync(dir, { mode: 0o755 });
  else if (stat.isSymbolicLink()) {
    throw userError(
      `.model-canary in the workspace (${workspace}) is a symlink (${pointsTo(dir, realTarget(dir))}); model-canary writes its reports there and does not follow a symlink.`,
      'Remove the symlink (and keep .model-canary out of the repository): model-canary makes the folder itself.',
    );
  } else if (!stat.isDirectory()) {
    throw userError(
      `.model-canary in the workspace (${workspace}) is not a folder; model-canary writes its reports there.`,
      'Remove the file: model-canary makes the folder itself.',
    );
  }
  const file = path.join(dir, name);
  const scratch = path.join(dir, `.${name}.${randomBytes(6).toString('hex')}`);
  writeFileSync(scratch, content, { flag: 'wx', mode: 0o644 });
  renameSync(scratch, file);
  return file;
}

function workspaceRoot(workspace: string): string {
  const absolute = path.resolve(workspace);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

/**
 * Where `absolute` really is. A dangling symlink has no real path, yet it may be made to resolve later:
 * its target is then taken as written, resolved from the link's folder.
 */
function realTarget(absolute: string): string {
  try {
    return realpathSync(absolute);
  } catch {
    let current = absolute;
    for (let hops = 0; hops < 40; hops++) {
      let stat: Stats;
      try {
        stat = lstatSync(current);
      } catch {
        return current;
      }
      if (!stat.isSymbolicLink()) return current;
      current = path.resolve(path.dirname(current), readlinkSync(current));
    }
    return current;
  }
}

function pointsTo(link: string, real: string): string {
  let written: string | undefined;
  try {
    if (lstatSync(link).isSymbolicLink()) written = readlinkSync(link);
  } catch {
    written = undefined;
  }
  return written !== undefined && written !== real ? `it points to ${written}, which is ${real}` : `it points to ${real}`;
}

function isDirectory(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

function shown(workspace: string, absolute: string): string {
  const rel = path.relative(path.resolve(workspace), absolute);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? absolute : rel;
}

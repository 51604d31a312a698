import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { assertTreeContained, containedFile } from '../config/contained.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const REFERENCE_KEYS = ['resources', 'bases', 'components'];

/**
 * Checks every folder `kubectl kustomize dir` reads: the folder itself and each local folder or file its
 * kustomization names under resources, bases or components (an overlay's ../base), and theirs in turn.
 * A reference that is not on disk is remote (a URL, a git repository) or missing: kustomize's to fetch or
 * to report, not a file of the runner.
 */
export function assertKustomizeContained(workspace: string, dir: string): void {
  const seen = new Set<string>();
  const visit = (folder: string): void => {
    const real = containedFile(workspace, folder, 'render.kustomize');
    if (seen.has(real)) return;
    seen.add(real);
    assertTreeContained(workspace, folder, 'render.kustomize');
    for (const reference of localReferences(folder)) {
      const target = path.resolve(folder, reference);
      const kind = kindOf(target);
      if (kind === 'directory') visit(target);
      else if (kind === 'file') containedFile(workspace, target, 'render.kustomize');
    }
  };
  visit(path.resolve(workspace, dir));
}

function localReferences(folder: string): string[] {
  for (const name of KUSTOMIZATION_FILES) {
    let text: string;
    try {
      text = readFileSync(path.join(folder, name), 'utf8');
    } catch {
      continue;
    }
    let doc: unknown;
    try {
      doc = parse(text, { maxAliasCount: 100 });
    } catch {
      return [];
    }
    if (typeof doc !== 'object' || doc === null) return [];
    return REFERENCE_KEYS.flatMap((key) => {
      const list = (doc as Record<string, unknown>)[key];
      return Array.isArray(list) ? list.filter((r): r is string => typeof r === 'string' && r !== '') : [];
    });
  }
  return [];
}

function kindOf(p: string): 'directory' | 'file' | undefined {
  try {
    const stat = statSync(p);
    return stat.isDirectory() ? 'directory' : 'file';
  } catch {
    return undefined;
  }
}

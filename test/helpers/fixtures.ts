import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, writeFiles } from './temp.js';

/** Repository root and the committed fixtures. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
/** Fake docker, kubectl, helm and trivy that print a version and nothing else. */
export const FAKE_BIN = path.join(FIXTURES, 'bin');
/** The valid model file of test/fixtures/workspace, as text. */
export const BASE_CONFIG = readFileSync(path.join(FIXTURES, 'workspace', 'model-canary.yaml'), 'utf8');

/**
 * A temp copy of test/fixtures/workspace (a valid model-canary.yaml, its Dockerfile and cases file),
 * with files added or replaced.
 */
export function fixtureWorkspace(files: Record<string, string> = {}): string {
  const dir = tempDir('model-canary-ws-');
  cpSync(path.join(FIXTURES, 'workspace'), dir, { recursive: true });
  writeFiles(dir, files);
  return dir;
}

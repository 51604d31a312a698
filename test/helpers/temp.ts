import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** A new empty folder under the OS temp folder, removed by removeTempDirs(). */
export function tempDir(prefix = 'model-canary-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Writes files (relative path -> content) under dir, creating folders as needed. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** A temp workspace holding the given files. */
export function makeWorkspace(files: Record<string, string> = {}): string {
  const dir = tempDir('model-canary-ws-');
  writeFiles(dir, files);
  return dir;
}

/** Removes every folder tempDir() made in this test file; call from afterAll. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Exec } from '../exec/exec.js';
import type { ImageConfigFacts } from './config-guard.js';
import type { ImageFacts } from './guards.js';

/** The content guards' facts, and the image config the credentials guard reads. */
export interface InspectedImage extends ImageFacts {
  config: ImageConfigFacts;
}

/**
 * Reads the guards' facts from the built image itself: config (Env and Labels included), layer history
 * and the file listing. The listing (an export of the whole filesystem, the slow part) is remembered per
 * layer chain in cacheDir, so a rebuild that changed only labels or nothing at all does not export the
 * image again.
 */
export async function readImageFacts(exec: Exec, docker: string, image: string, tempDir: string, cacheDir?: string): Promise<InspectedImage> {
  const inspect = await exec(docker, ['image', 'inspect', '--format', '{{json .}}', image]);
  const info = JSON.parse(inspect.stdout) as {
    Size?: number;
    Config?: { User?: string; Env?: string[] | null; Labels?: Record<string, string> | null };
    RootFS?: { Layers?: string[] };
  };
  const history = await exec(docker, ['history', '--no-trunc', '--human=false', '--format', '{{json .}}', image]);
  const layers = history.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { CreatedBy?: string; Size?: string | number })
    .map((h) => ({ createdBy: h.CreatedBy ?? '', sizeBytes: Number(h.Size ?? 0) || 0 }));
  const files = await cachedListing(info.RootFS?.Layers, cacheDir, () => listFiles(exec, docker, image, tempDir));
  const config: ImageConfigFacts = {
    env: info.Config?.Env ?? [],
    labels: info.Config?.Labels ?? {},
    // docker history lists the newest step first
    history: layers.map((l) => l.createdBy).reverse(),
  };
  return { user: info.Config?.User ?? '', sizeBytes: info.Size ?? 0, layers, files, config };
}

async function cachedListing(
  layers: string[] | undefined,
  cacheDir: string | undefined,
  list: () => Promise<ImageFacts['files']>,
): Promise<ImageFacts['files']> {
  if (!cacheDir || !layers || layers.length === 0) return list();
  const key = createHash('sha256').update(layers.join('\n')).digest('hex');
  const file = path.join(cacheDir, 'image-files', `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ImageFacts['files'];
  } catch {
    const files = await list();
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(files));
    } catch {
      // a cache that cannot be written only costs time
    }
    return files;
  }
}

async function listFiles(exec: Exec, docker: string, image: string, tempDir: string): Promise<ImageFacts['files']> {
  const dir = await mkdtemp(path.join(tempDir, 'model-canary-export-'));
  const tar = path.join(dir, 'rootfs.tar');
  const created = await exec(docker, ['create', image, 'model-canary-inspect']);
  const id = created.stdout.trim();
  try {
    await exec(docker, ['export', '--output', tar, id], { timeoutMs: 600_000 });
    const listing = await exec('tar', ['--list', '--verbose', '--numeric-owner', '--file', tar], { timeoutMs: 300_000 });
    return parseTarListing(listing.stdout);
  } finally {
    await exec(docker, ['rm', '--force', id], { allowFailure: true });
    await rm(dir, { recursive: true, force: true });
  }
}

/** Parses GNU `tar -tv` lines: `-rw-r--r-- 0/0  1234 2024-01-01 00:00 app/serve.py`. */
export function parseTarListing(text: string): ImageFacts['files'] {
  const files: ImageFacts['files'] = [];
  for (const line of text.split('\n')) {
    const match = /^([-dlhcbp])\S*\s+\S+\s+(\d+)\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s(.+)$/.exec(line);
    if (!match) continue;
    const [, kind, size, rawName] = match as unknown as [string, string, string, string];
    let name = kind === 'l' || kind === 'h' ? rawName.replace(/ (->|link to) .*$/, '') : rawName;
    name = `/${name.replace(/^\.?\//, '').replace(/\/$/, '')}`;
    files.push({ path: name, sizeBytes: Number(size), type: kind === 'd' ? 'dir' : kind === 'l' || kind === 'h' ? 'link' : 'file' });
  }
  return files;
}

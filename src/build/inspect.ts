import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Exec } from '../exec/exec.js';
import type { ImageFacts } from './guards.js';

/** Reads the guards' facts from the built image itself: config, layer history and the file listing. */
export async function readImageFacts(exec: Exec, docker: string, image: string, tempDir: string): Promise<ImageFacts> {
  const inspect = await exec(docker, ['image', 'inspect', '--format', '{{json .}}', image]);
  const info = JSON.parse(inspect.stdout) as { Size?: number; Config?: { User?: string } };
  const history = await exec(docker, ['history', '--no-trunc', '--human=false', '--format', '{{json .}}', image]);
  const layers = history.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { CreatedBy?: string; Size?: string | number })
    .map((h) => ({ createdBy: h.CreatedBy ?? '', sizeBytes: Number(h.Size ?? 0) || 0 }));
  return { user: info.Config?.User ?? '', sizeBytes: info.Size ?? 0, layers, files: await listFiles(exec, docker, image, tempDir) };
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

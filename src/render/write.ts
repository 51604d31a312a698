import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringifyObjects, type KubeObject } from './objects.js';

/**
 * Writes the rendered objects to file as YAML, through the serializer: the file holds exactly the data
 * the later stages use. A comment at the top says where the objects came from. The file is replaced whole,
 * so a reader never sees half of it.
 */
export function writeRendered(file: string, objects: readonly KubeObject[], about: readonly string[]): void {
  const header = about.map((line) => `# ${line.replace(/[\r\n]+/g, ' ')}\n`).join('');
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, header + stringifyObjects(objects));
  renameSync(partial, file);
}

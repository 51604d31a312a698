import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringifyObjects, type KubeObject } from './objects.js';

/**
 * Writes the rendered objects to file as YAML, through the serializer: the file holds exactly the data
 * the later stages use. Comment lines at the top say where the objects came from.
 */
export function writeRendered(file: string, objects: readonly KubeObject[], about: readonly string[]): void {
  const header = about.map((line) => `# ${line.replace(/[\r\n]+/g, ' ')}\n`).join('');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, header + stringifyObjects(objects));
}

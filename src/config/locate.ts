import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * The 1-based line of the deepest node of path that exists in the YAML document: the key itself for an
 * unknown key, the nearest parent for a missing one. Undefined when not even the path's first key is in
 * the file (a whole section left out): line 1 would point at something unrelated.
 */
export function lineOf(doc: Document, counter: LineCounter, path: readonly (string | number)[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = isScalar(pair.key) ? pair.key.range?.[0] : offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

/** The value and source text (as written, e.g. `1.0` for the number 1) of the scalar at path, if there is one. */
export function scalarSourceAt(doc: Document, path: readonly (string | number)[]): { value: unknown; source: string } | undefined {
  const node = doc.getIn(path, true);
  if (!isScalar(node) || typeof node.source !== 'string') return undefined;
  return { value: node.value, source: node.source };
}

import { isRecord, objectId, type KubeObject } from './objects.js';
import type { Finding } from './policy.js';
import { cell, codeCell } from '../log/markdown.js';

/** One line per object: Kind/name and what matters about it (replicas, scaling range, ports). */
export function objectLines(objects: readonly KubeObject[]): string[] {
  return objects.map((o) => {
    const detail = describe(o);
    return detail ? `${objectId(o)} (${detail})` : objectId(o);
  });
}

function describe(o: KubeObject): string {
  const spec = isRecord(o['spec']) ? o['spec'] : {};
  const parts: string[] = [];
  if (o.metadata.labels?.['track']) parts.push(`track ${o.metadata.labels['track']}`);
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
      parts.push(spec['replicas'] === undefined ? 'replicas from its autoscaler' : `${String(spec['replicas'])} replica(s)`);
      break;
    case 'HorizontalPodAutoscaler':
      parts.push(`${String(spec['minReplicas'] ?? 1)}-${String(spec['maxReplicas'])} replicas`);
      break;
    case 'Service':
      if (Array.isArray(spec['ports']))
        parts.push(
          `port ${spec['ports']
            .filter(isRecord)
            .map((p) => String(p['port']))
            .join(', ')}`,
        );
      break;
  }
  return parts.join(', ');
}

/** The job summary section of the render stage, written from the same result the log is. */
export function renderMarkdown(
  result: { objects: readonly KubeObject[]; findings: readonly Finding[]; output: string; source: string; image: string },
  outputShown: string,
): string {
  const lines = [
    '### Rendered objects',
    '',
    `${result.objects.length} objects from ${result.source}, written to \`${outputShown}\`. Image: \`${result.image}\``,
    '',
    '| Kind | Name | Detail |',
    '| --- | --- | --- |',
    ...result.objects.map((o) => `| ${o.kind} | ${cell(o.metadata.name)} | ${cell(describe(o))} |`),
  ];
  if (result.findings.length > 0) {
    lines.push('', '**Policy findings**', '', '| Level | Rule | Object | Field | What to do |', '| --- | --- | --- | --- | --- |');
    for (const f of result.findings) lines.push(`| ${f.level} | ${f.rule} | ${cell(f.object)} | ${codeCell(f.field)} | ${cell(f.message)} |`);
  }
  return lines.join('\n');
}

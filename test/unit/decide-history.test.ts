import { describe, expect, it } from 'vitest';
import { appendRecord, digestOf, parseHistory, revisionToRestore, type ReleaseRecord } from '../../src/decide/history.js';
import { statusLines, statusMarkdown } from '../../src/decide/status.js';

const img = (n: number): string => `127.0.0.1:5000/models/iris@sha256:${String(n).repeat(64).slice(0, 64)}`;
const rec = (revision: number, verdict: ReleaseRecord['verdict'], image = img(revision)): ReleaseRecord => ({
  revision,
  digest: digestOf(image),
  image,
  version: `${revision}.0.0`,
  time: `2026-11-25T17:0${revision}:00.000Z`,
  verdict,
  runId: `run-${revision}`,
});

describe('release history', () => {
  it('numbers records after the last one and keeps the newest decide.historyLimit', () => {
    let history: ReleaseRecord[] = [];
    for (let i = 0; i < 5; i++) history = appendRecord(history, { ...rec(0, 'promoted') }, 3).history;
    expect(history.map((r) => r.revision)).toEqual([3, 4, 5]);
    expect(appendRecord(history, rec(0, 'held'), 3).added.revision).toBe(6);
  });

  it('reads what it wrote and survives a damaged ConfigMap', () => {
    expect(parseHistory(JSON.stringify([rec(1, 'promoted')]))[0]?.revision).toBe(1);
    expect(parseHistory('not json')).toEqual([]);
    expect(parseHistory(undefined)).toEqual([]);
  });

  it('picks `previous` as the last good release not running now, and checks named revisions', () => {
    const history = [rec(1, 'promoted'), rec(2, 'rolled-back'), rec(3, 'promoted'), rec(4, 'held')];
    expect(revisionToRestore(history, 'previous', img(3)).revision).toBe(1);
    expect(revisionToRestore(history, '3', img(1)).revision).toBe(3);
    expect(() => revisionToRestore(history, '2', img(3))).toThrow(/was rolled-back, never promoted/);
    expect(() => revisionToRestore(history, '9', img(3))).toThrow(/not in the history \(recorded: 1, 2, 3, 4\)/);
    expect(() => revisionToRestore([rec(1, 'promoted')], 'previous', img(1))).toThrow(/no earlier good release/);
  });

  it('shows the releases newest first in the log and the job summary', () => {
    const status = {
      namespace: 'models',
      stable: { image: img(3), ready: 2, replicas: 2 },
      history: [rec(3, 'promoted'), { ...rec(2, 'restored'), restoredFrom: 1 }],
    };
    const lines = statusLines('iris', status);
    expect(lines[1]).toContain(`stable: ${img(3)} (2/2 Ready)`);
    expect(lines[2]).toBe('  canary: none');
    expect(lines[5]).toMatch(/^ {2}#3 2026-11-25T17:03:00.000Z promoted 3.0.0 sha256:3333333333/);
    const md = statusMarkdown('iris', status);
    expect(md).toContain('| Revision | Time | Verdict |');
    expect(md).toContain('| 2 | 2026-11-25T17:02:00.000Z | restored (from #1) |');
  });
});

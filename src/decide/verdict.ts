import type { Evidence, Verdict } from '../core/verdict.js';

/** What the pipeline does with a deployed canary once the evidence is in. */
export type Ending = 'keep-first' | 'remove-first' | 'promote' | 'rollback' | 'hold';

export interface VerdictInput {
  mode: 'first' | 'canary';
  evidence: Evidence;
  decideMode: 'auto' | 'manual';
  onFailure: 'rollback' | 'hold';
  /** What an inconclusive analysis does (analysis.onInconclusive; extend has already run by now). */
  onInconclusive: 'hold' | 'fail' | 'extend';
}

export interface Judgement {
  ending: Ending;
  /** The verdict recorded if the ending succeeds. */
  verdict: Verdict;
  /** Whether the step fails (the release did not ship what was asked). */
  fails: boolean;
  why: string;
}

/**
 * The decision rule, in one place and pure: from the evidence and the decide settings to what happens.
 * An inconclusive canary is never promoted: it is held for a person (or failed, per onInconclusive).
 */
export function judgeRelease(input: VerdictInput): Judgement {
  const evidence = input.evidence === 'inconclusive' && input.onInconclusive === 'fail' ? 'fail' : input.evidence;
  if (input.mode === 'first') {
    // Nothing to compare with, nothing to roll back to: a first release stays unless it failed.
    return evidence === 'fail'
      ? { ending: 'remove-first', verdict: 'failed', fails: true, why: 'the first release failed its checks' }
      : { ending: 'keep-first', verdict: 'promoted', fails: false, why: 'first release: it is stable now' };
  }
  if (evidence === 'fail') {
    return input.onFailure === 'rollback'
      ? { ending: 'rollback', verdict: 'rolled-back', fails: true, why: 'the canary failed its checks' }
      : { ending: 'hold', verdict: 'held', fails: true, why: 'the canary failed its checks; decide.onFailure is hold' };
  }
  if (evidence === 'inconclusive')
    return { ending: 'hold', verdict: 'held', fails: false, why: 'the analysis could not tell; held for a person (analysis.onInconclusive is hold)' };
  if (input.decideMode === 'manual') return { ending: 'hold', verdict: 'held', fails: false, why: 'decide.mode is manual' };
  return { ending: 'promote', verdict: 'promoted', fails: false, why: 'the canary passed its checks' };
}

/** How a release (or promote, rollback) ended, as the verdict output and the history say it. */
export type Verdict = 'promoted' | 'rolled-back' | 'held' | 'failed';

/** What the evidence about a canary (smoke, analysis) says, before anything acts on it. */
export type Evidence = 'pass' | 'fail' | 'inconclusive';

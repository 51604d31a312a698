import type { Outputs } from '../log/host.js';
import type { AnalysisVerdict } from './types.js';

type AnalysisOutputs = Pick<Outputs, 'analysis' | 'analysis-pairs' | 'latency-ratio' | 'error-rate-bound' | 'agreement'>;

/** The verdict's headline figures as action outputs; a figure the window could not measure stays empty. */
export function analysisOutputs(v: AnalysisVerdict): AnalysisOutputs {
  return {
    analysis: v.outcome,
    'analysis-pairs': String(v.counted),
    'latency-ratio': v.latency ? v.latency.ratio.toFixed(3) : '',
    'error-rate-bound': v.errors.n > 0 ? v.errors.upper.toFixed(4) : '',
    agreement: v.agreement && v.agreement.compared > 0 ? v.agreement.rate.toFixed(4) : '',
  };
}

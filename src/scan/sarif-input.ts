import type { TrivyReport } from './report.js';

/*
 * Trivy v0.74's SARIF writer crashes (nil pointer in url.String) on a result whose Target is not a URL
 * Go can parse, which is what an image-config secret finding's Target is when the image reference has a
 * registry port (127.0.0.1:5000/team/iris:tag). Those results are renamed before `trivy convert`; the
 * report the gate reads is left as Trivy wrote it.
 */

/** Where SARIF places a secret Trivy found in the image config rather than in a file. */
export const IMAGE_CONFIG_LOCATION = 'image-config';

/** A copy of the report that `trivy convert --format sarif` can write. */
export function sarifInput(report: TrivyReport): TrivyReport {
  return {
    ...report,
    Results: (report.Results ?? []).map((r) => (r.Class === 'secret' && r.Target === report.ArtifactName ? { ...r, Target: IMAGE_CONFIG_LOCATION } : r)),
  };
}

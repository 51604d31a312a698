import type { Config } from '../config/types.js';
import type { StageContext } from '../core/context.js';
import type { GitHubReport } from '../github/index.js';
import type { Verdict } from '../core/verdict.js';
import { prebuiltImage, runBuildStage, runRenderStage, runScan } from './stages.js';

const deliverRelease: typeof import('./deliver.js').deliverRelease = async (...a) => (await import('./deliver.js')).deliverRelease(...a);

/**
 * A release, in order: image (built here, or input image built and scanned by an earlier job) → scan →
 * render → [holding the lock] deploy → smoke → decide (src/pipeline/deliver.ts).
 */
export async function runRelease(config: Config, ctx: StageContext, github?: GitHubReport): Promise<Verdict> {
  const prebuilt = prebuiltImage(config, ctx, true);
  const image = prebuilt ?? (await runBuildStage(config, ctx));
  if (!prebuilt) await runScan(config, image, ctx);
  const rendered = await runRenderStage(config, ctx, image);
  await github?.start({ image: rendered.image, digest: image.digest });
  return deliverRelease(config, rendered.objects, rendered.image, ctx);
}

/** command deploy: render, apply the canary and gate it, then hold it for `promote` or `rollback`. */
export async function runDeployOnly(config: Config, ctx: StageContext): Promise<Verdict> {
  const rendered = await runRenderStage(config, ctx, prebuiltImage(config, ctx, false));
  const held = { ...config, smoke: { ...config.smoke, enabled: false }, decide: { ...config.decide, mode: 'manual' as const } };
  return deliverRelease(held, rendered.objects, rendered.image, ctx);
}

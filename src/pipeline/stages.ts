import type { BuiltImage } from '../image/index.js';
import type { Config } from '../config/types.js';
import type { StageContext } from '../core/context.js';
import { runStage } from '../log/stage.js';

// The stages are imported when a command needs them (ncc puts each in a chunk beside the bundle), so
// plan and the other short commands do not load and compile the code of the build, scan, deploy and
// smoke stages, nor what those import (node:crypto, node:http), at every start.
const buildImage: typeof import('../image/index.js').buildImage = async (...a) => (await import('../image/index.js')).buildImage(...a);
const scanImage: typeof import('../scan/index.js').scanImage = async (...a) => (await import('../scan/index.js')).scanImage(...a);

/**
 * The render stage: with the image a release just built, or on its own with the digest the registry gives
 * image.repository:tag. Writes render.output, adds the summary section, fails on policy errors.
 */
export async function runRenderStage(config: Config, ctx: StageContext, built?: BuiltImage) {
  return runStage(ctx.host.logger, ctx.report, 'render', async () => {
    const { imageForRender, render, renderSection, policyFailure } = await import('../render/index.js');
    const image = built ?? (await imageForRender(config, ctx.host.logger));
    const result = await render(config, image, ctx);
    ctx.report.outputs.report = result.output;
    if (!built) Object.assign(ctx.report.outputs, { image: result.image, digest: image.digest });
    ctx.report.sections.push(renderSection(result, config));
    const failed = policyFailure(result, config);
    if (failed) throw failed;
    return { value: result, detail: `${result.objects.length} objects, ${result.findings.length} policy finding(s)` };
  });
}

/**
 * The image of input image (built and scanned by an earlier job), set as the image and digest outputs;
 * for a release, build and scan are recorded as skipped. Undefined when the input is not given.
 */
export function prebuiltImage(config: Config, ctx: StageContext, release: boolean): BuiltImage | undefined {
  const given = config.run.prebuiltImage;
  if (!given) return undefined;
  Object.assign(ctx.report.outputs, { image: given.reference, digest: given.digest });
  ctx.host.logger.info(`Using ${given.reference} from input image: built and scanned by an earlier job${release ? '; no build, no scan here' : ''}.`);
  if (release) {
    for (const name of ['build', 'scan']) {
      ctx.report.stages.push({ name, status: 'skipped', durationMs: 0, detail: `input image ${given.digest.slice(0, 19)}: done by the job that built it` });
    }
  }
  return { reference: given.reference, digest: given.digest };
}

export async function runBuildStage(config: Config, ctx: StageContext): Promise<BuiltImage> {
  const built = await runStage(ctx.host.logger, ctx.report, 'build', async () => {
    const image = await buildImage(config, ctx);
    const size = image.sizeBytes !== undefined ? `, ${(image.sizeBytes / 1024 / 1024).toFixed(0)} MiB` : '';
    return { value: image, detail: `${image.reference} (${image.builder ?? 'docker'}${size})` };
  });
  Object.assign(ctx.report.outputs, { image: built.reference, digest: built.digest });
  const warnings = (built.findings ?? []).filter((f) => f.level === 'warn');
  ctx.report.sections.push(
    [
      '### Image',
      '',
      `- Reference: \`${built.reference}\``,
      `- Tags: ${(built.tags ?? []).map((t) => `\`${t}\``).join(', ')}`,
      `- Built with ${built.builder === 'buildx' ? 'docker buildx' : 'the legacy docker builder'}${built.sizeBytes !== undefined ? `, ${(built.sizeBytes / 1024 / 1024).toFixed(1)} MiB` : ''}`,
      ...(warnings.length > 0 ? ['', '**Guard warnings**', '', ...warnings.map((w) => `- ${w.guard}: ${w.message}`)] : []),
    ].join('\n'),
  );
  return built;
}

export async function runScan(config: Config, image: BuiltImage, ctx: StageContext): Promise<void> {
  if (!config.scan.enabled) {
    ctx.report.stages.push({ name: 'scan', status: 'skipped', durationMs: 0, detail: 'scan.enabled is false' });
    return;
  }
  const verdict = await runStage(ctx.host.logger, ctx.report, 'scan', async () => {
    const result = await scanImage(config, image, ctx);
    const counts = Object.entries(result.gate.counts)
      .filter(([, n]) => n > 0)
      .map(([sev, n]) => `${n} ${sev}`);
    return { value: result, detail: `passed (${counts.join(', ') || 'no vulnerabilities'})` };
  });
  ctx.report.outputs.report = verdict.reportPath;
  ctx.report.sections.push(
    [
      '### Scan',
      '',
      '| Severity | Found |',
      '| --- | --- |',
      ...Object.entries(verdict.gate.counts).map(([sev, n]) => `| ${sev} | ${n} |`),
      '',
      `Secrets found: ${verdict.gate.secrets.length}. Full SARIF (all severities): \`${verdict.sarifPath}\``,
    ].join('\n'),
  );
}

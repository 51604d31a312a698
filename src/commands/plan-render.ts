import path from 'node:path';
import type { Config } from '../config/types.js';
import type { StageContext } from '../core/context.js';
import type { Host } from '../log/host.js';
import type { Logger } from '../log/logger.js';
import type { ToolStatus } from '../tools/resolve.js';

/** What plan found rendering the objects as a release would. */
export interface RenderCheck {
  /** False when the tool render needs is not on PATH here (a release installs it), so nothing was rendered. */
  checked: boolean;
  detail: string;
}

/** Stands for the digest the build pushes: a release deploys by digest, so the policy sees one. */
const PLANNED_DIGEST = `sha256:${'0'.repeat(64)}`;

/**
 * Renders the objects exactly as the render stage will (the same chart, values files, values, image
 * injection and policy; the objects written to render.output), and throws the error render would: a plan
 * that passes is not refused at render for its config. helm checks the values against the chart's
 * values.schema.json as it renders, so that check is helm's own, as at release time.
 */
export async function checkRender(config: Config, ctx: StageContext, tools: readonly ToolStatus[]): Promise<RenderCheck> {
  const tool = config.render.mode === 'manifests' ? undefined : config.render.mode === 'kustomize' ? 'kubectl' : 'helm';
  const status = tool === undefined ? undefined : tools.find((t) => (t.state === 'found' ? t.tool.name : t.name) === tool);
  if (tool !== undefined && status?.state !== 'found') {
    return {
      checked: false,
      detail: `not checked: ${tool} is not on PATH here (a release installs it); run plan with ${tool} on PATH to check the objects before a release`,
    };
  }
  const { render, policyFailure } = await import('../render/index.js');
  const built = config.image.push
    ? { reference: `${config.image.repository}@${PLANNED_DIGEST}`, digest: PLANNED_DIGEST }
    : { reference: config.image.tag ? `${config.image.repository}:${config.image.tag}` : config.image.repository, digest: '' };
  const image = config.run.prebuiltImage ?? built;
  const result = await render(config, image, { ...ctx, host: quietHost(ctx.host) });
  const failed = policyFailure(result, config);
  if (failed) throw failed;
  const warnings = result.findings.length;
  return {
    checked: true,
    detail: `${result.objects.length} object(s) from ${result.source}; policy passed${warnings ? ` with ${warnings} warning(s)` : ''}; written to ${path.relative(config.run.workspace, result.output)}`,
  };
}

/** The run's host with a logger that keeps render's warnings and drops its object listing. */
function quietHost(host: Host): Host {
  const logger: Logger = {
    debugEnabled: host.logger.debugEnabled,
    debug: (m) => host.logger.debug(m),
    info: () => undefined,
    warn: (m, where) => host.logger.warn(m, where),
    // A policy error is thrown with every finding in it; logging each too would say it twice.
    error: () => undefined,
    group: (_title, fn) => fn(),
    setSecret: (v) => host.logger.setSecret(v),
  };
  return {
    logger,
    setOutputs: (o) => host.setOutputs(o),
    writeSummary: (m) => host.writeSummary(m),
    saveState: (n, v) => host.saveState(n, v),
  };
}

import type { Config } from '../config/types.js';

/** Tags pushed for a build: the chosen tag, the commit SHA (when known) and the extra tags, once each. */
export function imageTags(config: Pick<Config, 'image' | 'run'>): string[] {
  const tags = [config.image.tag];
  if (config.run.commitSha) tags.push(config.run.commitSha);
  tags.push(...config.image.extraTags);
  return [...new Set(tags.filter((t) => t !== ''))];
}

/** OCI annotations and model-canary's own labels, read later from the image itself. */
export function imageLabels(config: Pick<Config, 'model' | 'run'>, created: Date): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.created': created.toISOString(),
    'org.opencontainers.image.title': config.model.name,
    'org.opencontainers.image.version': config.model.version,
    'dev.model-canary.model.name': config.model.name,
    'dev.model-canary.model.version': config.model.version,
    'dev.model-canary.model.framework': config.model.framework,
  };
  if (config.run.commitSha) labels['org.opencontainers.image.revision'] = config.run.commitSha;
  if (config.run.repository && config.run.serverUrl) {
    labels['org.opencontainers.image.source'] = `${config.run.serverUrl}/${config.run.repository}`;
  }
  return labels;
}

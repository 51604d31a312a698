/** Everything a build needs, decided before any process starts. */
export interface BuildPlan {
  builder: 'buildx' | 'legacy';
  dockerfile: string;
  context: string;
  /** Full references, repository:tag. */
  tags: string[];
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  /** buildx only: a registry reference to import layer cache from (the previous build's tag). */
  cacheFrom?: string;
}

/** The docker argv for a build, as an array (never a shell string). */
export function buildArgv(plan: BuildPlan): string[] {
  const args = plan.builder === 'buildx' ? ['buildx', 'build'] : ['build'];
  args.push('--file', plan.dockerfile);
  for (const tag of plan.tags) args.push('--tag', tag);
  for (const [key, value] of Object.entries(plan.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(plan.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  if (plan.builder === 'buildx') {
    // Loaded into the engine so the guards read the image before anything is pushed. The docker driver
    // keeps layer cache inside the image (inline); the next build imports it from the pushed tag.
    args.push('--load', '--provenance=false', '--cache-to', 'type=inline');
    if (plan.cacheFrom) args.push('--cache-from', `type=registry,ref=${plan.cacheFrom}`);
  }
  args.push(plan.context);
  return args;
}

/*
 * The environment every command model-canary starts gets (docker, helm, kubectl, trivy, git, and through
 * kubectl the exec plugins of the kubeconfig): the parent's, less what is model-canary's own.
 *
 * Dropped, because no child needs them and any child (or a chart's plugin, or a kubeconfig exec plugin
 * from a secret) could read them:
 * - INPUT_*: the action's inputs, kubeconfig and github-token among them; model-canary read them once.
 * - STATE_*: what main handed to post.
 * - MODEL_CANARY_REGISTRY_PASSWORD: reaches `docker login` on stdin only.
 * - ACTIONS_RUNTIME_TOKEN and the runtime, results and cache URLs it is used with (artifacts, cache).
 * - GITHUB_TOKEN, GH_TOKEN: model-canary talks to GitHub itself; none of its children does.
 *
 * Kept: everything else, because tools and exec plugins legitimately read a wide, open-ended set (PATH,
 * HOME, KUBECONFIG, DOCKER_CONFIG, proxies and CA bundles, AWS_*, AZURE_*, GOOGLE_* and CLOUDSDK_*,
 * ACTIONS_ID_TOKEN_REQUEST_* for OIDC exec plugins, TRIVY_*, HELM_*...). A denylist keeps them working;
 * the secrets model-canary itself holds are all on it.
 */

const DROPPED_PREFIXES = ['INPUT_', 'STATE_'];
const DROPPED_NAMES = new Set([
  'MODEL_CANARY_REGISTRY_PASSWORD',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'GITHUB_TOKEN',
  'GH_TOKEN',
]);

/** True for a variable of the parent's environment that no child gets. */
export function isWithheld(name: string): boolean {
  const upper = name.toUpperCase();
  return DROPPED_NAMES.has(upper) || DROPPED_PREFIXES.some((p) => upper.startsWith(p));
}

/**
 * The environment for a child: the parent's without the withheld variables, then the call's own
 * overrides (a value of undefined removes the variable). An override may set a withheld name on purpose.
 */
export function childEnv(overrides: Record<string, string | undefined> = {}, parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value !== undefined && !isWithheld(key)) env[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

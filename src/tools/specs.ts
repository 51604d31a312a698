/** How a tool is found, checked and, when missing, installed. */
export interface ToolSpec {
  name: ToolName;
  /** Oldest version model-canary works with when the tool is found on PATH. */
  minVersion: string;
  /** Arguments that print the version. */
  versionArgs: string[];
  /** Version installed with tool-cache when the tool is not on PATH; undefined when it cannot be installed. */
  pinned?: string;
  /** What a user should do when it is missing and cannot be installed. */
  installHint: string;
}

export type ToolName = 'docker' | 'kubectl' | 'helm' | 'trivy';

/** A downloadable release of a tool, with the SHA-256 its publisher gives for it. */
export interface ToolSource {
  url: string;
  sha256: string;
  /** raw: the download is the binary; tar.gz: the binary is at `binaryPath` inside it. */
  archive: 'raw' | 'tar.gz';
  binaryPath?: string;
}

export const TOOL_SPECS: Record<ToolName, ToolSpec> = {
  docker: {
    name: 'docker',
    minVersion: '20.10.0',
    versionArgs: ['--version'],
    installHint: 'Docker must be installed on the runner (GitHub-hosted Ubuntu runners have it); model-canary does not install it.',
  },
  kubectl: {
    name: 'kubectl',
    minVersion: '1.30.0',
    versionArgs: ['version', '--client', '-o', 'json'],
    pinned: '1.34.4',
    installHint: 'Install kubectl 1.30 or newer, or remove it from PATH so model-canary installs its pinned version.',
  },
  helm: {
    name: 'helm',
    minVersion: '3.14.0',
    versionArgs: ['version', '--template', '{{.Version}}'],
    pinned: '3.22.0',
    installHint: 'Install helm 3.14 or newer, or remove it from PATH so model-canary installs its pinned version.',
  },
  trivy: {
    name: 'trivy',
    minVersion: '0.50.0',
    versionArgs: ['--version'],
    pinned: '0.74.0',
    installHint: 'Install trivy 0.50 or newer, or remove it from PATH so model-canary installs its pinned version.',
  },
};

import type { ToolName, ToolSource } from './specs.js';

/**
 * Pinned releases and the SHA-256 their publishers give for them (kubectl: the .sha256 file beside the
 * binary; helm: the .sha256sum beside the archive, also in its release notes; trivy: its checksums.txt).
 * A tool whose release is not listed for this platform is never downloaded: it must be on PATH.
 */
export type Platform = 'linux-x64' | 'linux-arm64';

const RELEASES: Record<ToolName, Record<string, Partial<Record<Platform, ToolSource>>>> = {
  docker: {},
  kubectl: {
    '1.34.4': {
      'linux-x64': {
        url: 'https://dl.k8s.io/release/v1.34.4/bin/linux/amd64/kubectl',
        sha256: 'd50c359d95e0841eaad08ddc27c7be37cba8fdccfba5c8e2ded65e121ff112db',
        archive: 'raw',
      },
      'linux-arm64': {
        url: 'https://dl.k8s.io/release/v1.34.4/bin/linux/arm64/kubectl',
        sha256: '5b982c0644ab1e27780246b9085a5886651b4a7ed86243acbb2bacc1bea01dda',
        archive: 'raw',
      },
    },
  },
  helm: {
    '3.22.0': {
      'linux-x64': {
        url: 'https://get.helm.sh/helm-v3.22.0-linux-amd64.tar.gz',
        sha256: '1e4ab49e429626cf6c6958d914248b78c9730803c2751b87627e171dc800e7bb',
        archive: 'tar.gz',
        binaryPath: 'linux-amd64/helm',
      },
      'linux-arm64': {
        url: 'https://get.helm.sh/helm-v3.22.0-linux-arm64.tar.gz',
        sha256: 'f14e804dfee240f55525b667488fe9adca349e63e00c9af634c0beb1421ac310',
        archive: 'tar.gz',
        binaryPath: 'linux-arm64/helm',
      },
    },
  },
  trivy: {
    '0.74.0': {
      'linux-x64': {
        url: 'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz',
        sha256: '2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a',
        archive: 'tar.gz',
        binaryPath: 'trivy',
      },
      'linux-arm64': {
        url: 'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-ARM64.tar.gz',
        sha256: 'b94ce1976bbf3c15b514b605ee88be7c6d94a29be2302847ff01cb794d47aad5',
        archive: 'tar.gz',
        binaryPath: 'trivy',
      },
    },
  },
};

export function currentPlatform(): Platform | undefined {
  if (process.platform !== 'linux') return undefined;
  if (process.arch === 'x64') return 'linux-x64';
  if (process.arch === 'arm64') return 'linux-arm64';
  return undefined;
}

export function releaseFor(name: ToolName, version: string, platform = currentPlatform()): ToolSource | undefined {
  if (!platform) return undefined;
  return RELEASES[name][version]?.[platform];
}

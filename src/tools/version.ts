/** A dotted numeric version: 1.34.4 from "v1.34.4", "Version: 0.74.0", "28.2.2, build e6534b4". */
export function extractVersion(text: string): string | undefined {
  const match = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return `${match[1]}.${match[2]}.${match[3] ?? '0'}`;
}

/** -1, 0 or 1 as a is older, equal or newer than b (numeric dotted versions). */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

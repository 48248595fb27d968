import type { ChangeLevel } from "./compatibility.ts";

/** Contract versions: plain MAJOR.MINOR.PATCH (no pre-release or build parts). */
export const SEMVER = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** Versions as stored: bumps made before the limit was kept could pass 9 digits. */
const STORED = /^(\d+)\.(\d+)\.(\d+)$/;

/** Whether a version is one a request may send (each part at most 999999999). */
export function isAcceptedVersion(version: string): boolean {
  return SEMVER.test(version);
}

export function parseSemver(version: string): Semver {
  const m = STORED.exec(version);
  if (!m) throw new Error(`not a MAJOR.MINOR.PATCH version: ${version}`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function compareSemver(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

export function bump(version: string, level: ChangeLevel): string {
  const v = parseSemver(version);
  if (level === "major") return `${v.major + 1}.0.0`;
  if (level === "minor") return `${v.major}.${v.minor + 1}.0`;
  return `${v.major}.${v.minor}.${v.patch + 1}`;
}

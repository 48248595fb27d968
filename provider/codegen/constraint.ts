/** `MAJOR.MINOR` of a version: the bindings fit every patch release of that minor version (`~> MAJOR.MINOR`). */
export function minorConstraintOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

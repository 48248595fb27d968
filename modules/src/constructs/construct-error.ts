/**
 * Errors of the constructs: a ModuleError of the core, its file made relative to the
 * working directory (so `cdktf synth` output links to the real file from the repo
 * root), and the construct that read it named at the end. Still a ModuleError (same
 * fields), so callers can catch one type.
 */
import { posix } from "node:path";
import type { IConstruct } from "constructs";
import { formatModuleError, ModuleError, type ModuleErrorDetails } from "../errors.ts";

export class ConstructError extends ModuleError {
  /** The construct path, e.g. `stack/sales`. */
  readonly constructPath: string;

  constructor(details: ModuleErrorDetails, construct: string, constructPath: string) {
    super(details);
    this.name = "ConstructError";
    this.constructPath = constructPath;
    this.message = `${formatModuleError(details)} [${construct} ${constructPath}]`;
  }
}

/** Runs `read`; a ModuleError becomes a ConstructError whose files are under `root` (files that are not paths, like "SqlDomain props", stay as they are). */
export function asConstructError<T>(scope: IConstruct, construct: string, root: string | undefined, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ModuleError) || error instanceof ConstructError) throw error;
    const under = (file: string) => (root === undefined || file.endsWith(" props") ? file : posix.normalize(posix.join(root.split("\\").join("/"), file)));
    const details: ModuleErrorDetails = {
      file: under(error.file),
      line: error.line,
      column: error.column,
      problem: error.problem,
      received: error.received,
      expected: error.expected,
      related: error.related.map(under),
    };
    throw new ConstructError(details, construct, scope.node.path);
  }
}

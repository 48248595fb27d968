/**
 * Every problem the modules find in a domain repository is a ModuleError: it names the
 * file (relative to the domain root, with `/` separators), the line and column when the
 * file is YAML, JSON or SQL, what was received and what was expected. The constructs
 * let it propagate, so `cdktf synth` stops on the first problem with a message a data
 * engineer can act on without reading our code.
 */
export interface ModuleErrorDetails {
  /** The file at fault, relative to the domain root (`sales/orders/table.yaml`). */
  readonly file: string;
  /** 1-based, when the position is known. */
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  /** What is wrong, in one sentence. */
  readonly problem: string;
  /** The offending value, as written (short). */
  readonly received?: string | undefined;
  /** What would be accepted. */
  readonly expected?: string | undefined;
  /** Other files involved (the other side of a collision, the rest of a cycle). */
  readonly related?: readonly string[] | undefined;
}

export class ModuleError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly problem: string;
  readonly received: string | undefined;
  readonly expected: string | undefined;
  readonly related: readonly string[];

  constructor(details: ModuleErrorDetails) {
    super(formatModuleError(details));
    this.name = "ModuleError";
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.problem = details.problem;
    this.received = details.received;
    this.expected = details.expected;
    this.related = details.related ?? [];
  }
}

/** `file:line:column: problem (received: …; expected: …)`, the shape editors and CI logs link. */
export function formatModuleError(d: ModuleErrorDetails): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column ?? 1}`;
  const extra = [d.received !== undefined ? `received: ${d.received}` : null, d.expected !== undefined ? `expected: ${d.expected}` : null].filter((s) => s !== null);
  return `${where}: ${d.problem}${extra.length > 0 ? ` (${extra.join("; ")})` : ""}`;
}

/** A value as it should appear in `received`: JSON, cut short. */
export function describeValue(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

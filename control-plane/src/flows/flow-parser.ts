import { pointerOf } from "@meshplane/rules";
import jsYaml from "js-yaml";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { inputTextProblems, TEXT_PROBLEM, unstorableIndex } from "../input-text.ts";
import { flowDocumentSchema, type FlowDocument } from "./flow-schema.ts";

/** One finding about a flow source; the same shape in 4xx `errors[]` and in /flows/validate. */
export interface FlowProblem {
  readonly kind: "syntax" | "schema" | "permission" | "reference" | "cycle" | "policy";
  readonly message: string;
  /** JSON pointer (RFC 6901) into the flow document. */
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
  readonly severity: "error" | "warning";
}

export type Path = readonly (string | number)[];

/** Maps a document path back to a line and column of the YAML source. */
export type Locator = (path: Path, at?: "key" | "value") => { line: number; column: number } | undefined;

export type ParsedFlow =
  | { readonly ok: true; readonly document: FlowDocument; readonly locate: Locator }
  | { readonly ok: false; readonly problems: FlowProblem[] };

export function toPointer(path: Path): string {
  return pointerOf("", ...path);
}

/**
 * YAML text → a validated flow document, or every problem found with its JSON pointer
 * and position.
 *
 * Two parsers, one meaning: js-yaml (YAML 1.2 core schema) alone decides what a source
 * *means*; `yaml` is only asked *where* something is (a concrete syntax tree with ranges)
 * and, for a source js-yaml refuses, for its more helpful message. The position tree is
 * built lazily, so an accepted flow never pays for it: on a typical flow js-yaml takes
 * ~17 µs where `yaml`'s parseDocument takes ~200 µs, the largest single cost of a PUT.
 */
export function parseFlowSource(source: string): ParsedFlow {
  // Checked on the raw text too: a comment is stored with the source but not parsed.
  const unstorable = unstorableIndex(source);
  if (unstorable >= 0) {
    const before = source.slice(0, unstorable).split("\n");
    const what = source[unstorable] === "\u0000" ? "a NUL character" : "an unpaired surrogate";
    return {
      ok: false,
      problems: [{ kind: "syntax", severity: "error", message: `the source contains ${what}: ${TEXT_PROBLEM}`, line: before.length, column: before[before.length - 1]!.length + 1 }],
    };
  }
  const tooDeep = flowCollectionTooDeep(source);
  if (tooDeep) return { ok: false, problems: [tooDeep] };
  let value: unknown;
  try {
    value = jsYaml.load(source, { schema: jsYaml.CORE_SCHEMA });
  } catch (error) {
    return { ok: false, problems: syntaxProblems(source, error) };
  }
  let positions: Locator | undefined;
  const locate: Locator = (path, at) => (positions ??= positionsOf(source))(path, at);
  const expansion = aliasExpansionProblem(value);
  if (expansion) return { ok: false, problems: [expansion] };
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) {
    const message = value === null || value === undefined ? "the flow source is empty" : "a flow is a YAML mapping (id, namespace, tasks, …), not a list or a scalar";
    return { ok: false, problems: [{ kind: "schema", severity: "error", message, pointer: "", ...(locate([]) ?? {}) }] };
  }
  // Escapes ("\0", "\ud800") make what the raw text check cannot see; `__proto__` keys
  // would vanish from the document while staying in the stored source.
  const textProblems = inputTextProblems(value);
  if (textProblems.length > 0) {
    return {
      ok: false,
      problems: textProblems.map((p) => ({ kind: "schema", severity: "error", message: p.message, pointer: p.pointer, ...(locate(p.path, p.at) ?? {}) })),
    };
  }
  const parsed = flowDocumentSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.error, locate) };
  return { ok: true, document: parsed.data, locate };
}

/**
 * The problems of a source js-yaml refused: `yaml`'s messages where it agrees that the
 * source is broken (they name the construct), js-yaml's own reason where only it objects.
 */
function syntaxProblems(source: string, error: unknown): FlowProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return {
        kind: "syntax",
        severity: "error",
        // The pretty message adds "at line L, column C:" and a source excerpt; line and column are fields here.
        message: `YAML syntax error: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
      };
    });
  }
  const e = error as { reason?: string; message?: string; mark?: { line: number; column: number } };
  return [
    {
      kind: "syntax",
      severity: "error",
      message: `YAML syntax error: ${e.reason ?? e.message ?? String(error)}`,
      ...(e.mark ? { line: e.mark.line + 1, column: e.mark.column + 1 } : {}),
    },
  ];
}

/** How many values aliases may add to a document (a shared block of task settings adds a few dozen). */
const MAX_ALIAS_EXPANSION = 1_000;

/**
 * js-yaml shares one object between an anchor and its aliases, so "billion laughs" loads
 * instantly but would make every later walk (validation, storage) exponential, and a
 * self-referencing alias makes a cycle. Count the values once as written and once as if
 * every alias were a copy (memoised per shared object), and refuse cycles and documents
 * that aliases grow by more than MAX_ALIAS_EXPANSION values.
 */
function aliasExpansionProblem(value: unknown): FlowProblem | null {
  const expanded = new Map<object, number>();
  const open = new Set<object>();
  let written = 0;
  const size = (v: unknown): number => {
    if (v === null || typeof v !== "object") return 1;
    const known = expanded.get(v);
    if (known !== undefined) return known;
    if (open.has(v)) return Infinity;
    open.add(v);
    const children = Array.isArray(v) ? v : Object.values(v);
    written += 1 + children.filter((c) => c === null || typeof c !== "object").length;
    let total = 1;
    for (const child of children) {
      total += size(child);
      if (total - written > MAX_ALIAS_EXPANSION) break;
    }
    open.delete(v);
    expanded.set(v, total);
    return total;
  };
  const total = size(value);
  if (total === Infinity) return { kind: "syntax", severity: "error", message: "an alias refers to a collection that contains it (a cycle); a flow must be a tree" };
  if (total - Math.max(written, 1) > MAX_ALIAS_EXPANSION) {
    return { kind: "syntax", severity: "error", message: `aliases add more than ${MAX_ALIAS_EXPANSION} values to the document; write the repeated parts out or use fewer aliases` };
  }
  return null;
}

export function schemaProblems(error: z.ZodError, locate: Locator): FlowProblem[] {
  return error.issues.flatMap((issue): FlowProblem[] => {
    const path = issue.path as (string | number)[];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        kind: "schema",
        severity: "error",
        message: `unknown field "${key}"${issue.path.length ? ` in ${toPointer(path)}` : ""}`,
        pointer: toPointer([...path, key]),
        ...(locate([...path, key], "key") ?? {}),
      }));
    }
    return [{ kind: "schema", severity: "error", message: issue.message, pointer: toPointer(path), ...(locate(path) ?? {}) }];
  });
}

const MAX_FLOW_NESTING = 64;

/**
 * `[[[[…` nested a hundred thousand times fits in a request body and costs the YAML
 * parser seconds before it overflows its stack; refuse it in one linear scan first.
 * Brackets inside quoted scalars and comments are skipped (as YAML reads them).
 */
function flowCollectionTooDeep(source: string): FlowProblem | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const prev = i === lineStart ? "\n" : source[i - 1]!;
    if (c === "\n") {
      line++;
      lineStart = i + 1;
    } else if (c === "#" && /\s/.test(prev)) {
      const nl = source.indexOf("\n", i);
      i = (nl < 0 ? source.length : nl) - 1;
    } else if ((c === '"' || c === "'") && /[\s\[{,:]/.test(prev)) {
      const close = c === '"' ? /(?<!\\)"/g : /'/g;
      close.lastIndex = i + 1;
      const m = close.exec(source);
      const end = m ? m.index : source.length;
      for (let j = i + 1; j < end; j++) if (source[j] === "\n") (line++, (lineStart = j + 1));
      i = end;
    } else if (c === "[" || c === "{") {
      if (++depth > MAX_FLOW_NESTING) {
        return { kind: "syntax", severity: "error", message: `collections are nested deeper than ${MAX_FLOW_NESTING} levels`, line, column: i - lineStart + 1 };
      }
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
  return null;
}

/** The position finder of a source, from `yaml`'s syntax tree (built on first use). */
function positionsOf(source: string): Locator {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true });
  return locator(doc, lines);
}

function locator(doc: Document, lines: LineCounter): Locator {
  return (path, at = "value") => {
    let node: unknown = doc.contents;
    let found: { range?: [number, number, number] | null } | null = (node as Node | null) ?? null;
    for (const [i, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(doc);
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
        if (pair && at === "key" && i === path.length - 1) {
          found = pair.key as Node;
          break;
        }
        next = pair?.value;
      } else if (isSeq(node) && typeof segment === "number") {
        next = node.items[segment];
      }
      if (!next || typeof next !== "object" || !("range" in next)) break;
      node = next;
      found = next as Node;
    }
    const offset = found?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

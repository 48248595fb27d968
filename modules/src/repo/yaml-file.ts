/**
 * YAML files of a domain repository (domain.yaml, table.yaml) parsed with positions, and
 * validated by a zod schema whose issues become ModuleErrors at the exact line:column
 * of the offending key or value. The `yaml` package keeps source ranges on every node;
 * a LineCounter turns offsets into lines.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { describeValue, ModuleError } from "../errors.ts";

export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  /** The document as plain data (null for an empty file). */
  readonly value: unknown;
}

export type YamlPath = readonly (string | number)[];

export function parseYamlFile(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new ModuleError({ file, line, column: col, problem: `invalid YAML: ${firstLine(error.message)}`, expected: "a YAML mapping of keys to values" });
  }
  return { file, doc, lines, value: doc.toJS() as unknown };
}

/**
 * Line and column of the value at `path` (or of its key, when `key` is set); when the
 * path does not exist (a missing key), of the deepest node that does.
 */
export function yamlPosition(src: YamlSource, path: YamlPath, key = false): { line: number; column: number } {
  let node: unknown = src.doc.contents;
  let offset = (node as { range?: [number] } | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === String(segment));
      if (!pair) break;
      const target = last && key ? pair.key : (pair.value ?? pair.key);
      offset = (target as { range?: [number] } | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = (node as { range?: [number] }).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  const { line, col } = src.lines.linePos(offset);
  return { line, column: col };
}

/** Validates the document with `schema`; the first problem (in file order) is thrown as a ModuleError. */
export function validateYaml<S extends z.ZodType>(src: YamlSource, schema: S, empty: unknown = {}): z.output<S> {
  const result = schema.safeParse(src.value ?? empty);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => issueToError(src, schema, issue));
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw errors[0]!;
}

export function pathText(path: YamlPath): string {
  return path.length === 0 ? "the document" : path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".").replace(/\.\[/g, "[");
}

function issueToError(src: YamlSource, schema: z.ZodType, issue: z.core.$ZodIssue): ModuleError {
  const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
  const received = valueAt(src.value, path);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const known = knownKeys(schema, path);
    return new ModuleError({
      file: src.file,
      ...yamlPosition(src, [...path, key], true),
      problem: `unknown key "${key}"${path.length > 0 ? ` in ${pathText(path)}` : ""}`,
      received: JSON.stringify(key),
      expected: known.length > 0 ? `one of the keys ${known.join(", ")}` : undefined,
    });
  }
  if (issue.code === "invalid_type" && received === undefined) {
    return new ModuleError({ file: src.file, ...yamlPosition(src, path), problem: `missing ${pathText(path)}`, expected: issue.message });
  }
  if (issue.code === "invalid_key") {
    const key = path[path.length - 1];
    return new ModuleError({ file: src.file, ...yamlPosition(src, path, true), problem: `invalid key ${describeValue(key)}`, received: describeValue(key), expected: issue.issues[0]?.message ?? issue.message });
  }
  const expected = issue.code === "invalid_value" ? `one of ${issue.values.map((v) => String(v)).join(", ")}` : issue.message;
  const problem = issue.code === "invalid_value" ? `unknown ${pathText(path)} ${describeValue(received)}` : `invalid ${pathText(path)}`;
  return new ModuleError({ file: src.file, ...yamlPosition(src, path), problem, received: describeValue(received), expected });
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** The keys an object schema accepts at `path`, looking through optional/array/record wrappers. */
function knownKeys(schema: z.ZodType, path: YamlPath): string[] {
  let s: unknown = schema;
  const unwrap = () => {
    for (;;) {
      const def = (s as { _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown } } })._zod?.def;
      if (def?.type === "optional" || def?.type === "nullable" || def?.type === "default") s = def.innerType;
      else if (def?.type === "pipe") s = def.in;
      else return def;
    }
  };
  for (const segment of path) {
    const def = unwrap() as { type?: string; shape?: Record<string, unknown>; element?: unknown; valueType?: unknown } | undefined;
    if (def?.type === "object" && typeof segment === "string") s = def.shape?.[segment];
    else if (def?.type === "array") s = def.element;
    else if (def?.type === "record") s = def.valueType;
    else return [];
  }
  const def = unwrap() as { type?: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

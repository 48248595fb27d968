/**
 * Table references of a BigQuery statement, with their spans, so they can be replaced by the
 * DuckDB names before transpiling (the transpiler reads `` `a.b.c` `` as one identifier and
 * cannot parse an unquoted `my-project-123.ds.t`). Only names in table position count (after
 * FROM, JOIN, INTO, TABLE, CLONE… and after a comma of a FROM list), and not a path through
 * an alias (`FROM ds.orders o, o.items` reads one table).
 */
import type { TableId } from "../warehouse.ts";
import type { Token } from "./tokens.ts";

export interface TableRef {
  readonly id: TableId;
  /** Token range [from, to) of the name. */
  readonly from: number;
  readonly to: number;
  readonly line: number;
  /** A `*` glued to the name: a wildcard table. */
  readonly wildcard: boolean;
}

const TABLE_AFTER = new Set(["FROM", "JOIN", "USING", "INTO", "UPDATE", "TABLE", "MERGE", "VIEW", "DELETE", "CLONE", "INSERT", "COPY"]);
const FILLER = new Set(["IF", "NOT", "EXISTS", "OR", "REPLACE", "TEMP", "TEMPORARY", "EXTERNAL", "MATERIALIZED", "INTO", "TABLE", "FROM", "ONLY", "SNAPSHOT"]);
/** Functions whose FROM is not a table: EXTRACT(DAY FROM ts). */
const FROM_FUNCTIONS = new Set(["EXTRACT", "TRIM", "SUBSTRING", "POSITION", "OVERLAY"]);
/** Words that end a FROM list at their depth. */
const CLAUSE_WORDS = new Set([
  "WHERE", "GROUP", "ORDER", "HAVING", "QUALIFY", "WINDOW", "LIMIT", "UNION", "INTERSECT", "EXCEPT", "ON", "SET",
  "SELECT", "WHEN", "PIVOT", "UNPIVOT", "VALUES",
]);
const NOT_A_NAME = new Set(["SELECT", "UNNEST", "WITH", "LATERAL"]);
/** Words after a name that are not its alias. */
const NOT_AN_ALIAS = new Set([
  ...CLAUSE_WORDS, "JOIN", "LEFT", "RIGHT", "INNER", "OUTER", "FULL", "CROSS", "USING", "FOR", "TABLESAMPLE", "AS", "CLONE", "COPY",
]);

export function tableReferences(tokens: readonly Token[]): TableRef[] {
  const refs: TableRef[] = [];
  const aliases = new Set<string>();
  const parens: (string | null)[] = [];
  // fromAt[depth]: a FROM list is open at that parenthesis depth (a comma there names a table).
  const fromAt: boolean[] = [];
  let expect = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (expect) {
      if (t.kind === "word" && FILLER.has(t.upper)) continue;
      if (t.text === "(") {
        // FROM (ds.a JOIN ds.b …): the name is inside; FROM (SELECT …): NOT_A_NAME ends it.
        parens.push(null);
        fromAt[parens.length] = true;
        continue;
      }
      expect = false;
      if ((t.kind === "word" && !NOT_A_NAME.has(t.upper)) || t.kind === "quoted") {
        const { parts, end } = dottedName(tokens, i);
        const id = toTableId(parts);
        if (id && !aliases.has(parts[0]!.toLowerCase())) {
          const glued = tokens[end];
          const isWildcard = (glued?.text === "*" && glued.start === tokens[end - 1]!.end) || parts[parts.length - 1]!.endsWith("*");
          refs.push({ id, from: i, to: end, line: t.line, wildcard: isWildcard });
        }
        let a = wildcard(tokens, end) ? end + 1 : end;
        if (tokens[a]?.upper === "AS") a++;
        const alias = tokens[a];
        if (alias && (alias.kind === "quoted" || (alias.kind === "word" && !NOT_AN_ALIAS.has(alias.upper)))) aliases.add(alias.text.toLowerCase());
        i = end - 1;
        continue;
      }
    }
    if (t.kind === "punct") {
      if (t.text === "(") parens.push(tokens[i - 1]?.kind === "word" ? tokens[i - 1]!.upper : null);
      else if (t.text === ")") {
        fromAt[parens.length] = false;
        parens.pop();
      } else if (t.text === ";") {
        fromAt.length = 0;
        aliases.clear();
      } else if (t.text === "," && fromAt[parens.length]) expect = true;
      continue;
    }
    if (t.kind !== "word") continue;
    if (CLAUSE_WORDS.has(t.upper)) fromAt[parens.length] = false;
    if (!TABLE_AFTER.has(t.upper)) continue;
    if (t.upper === "FROM" && FROM_FUNCTIONS.has(parens[parens.length - 1] ?? "")) continue;
    if (t.upper === "FROM" && tokens[i - 1]?.upper === "DISTINCT") continue; // IS DISTINCT FROM x
    if (t.upper === "FROM") fromAt[parens.length] = true;
    expect = true;
  }
  return refs;
}

function wildcard(tokens: readonly Token[], end: number): boolean {
  const glued = tokens[end];
  return glued?.text === "*" && glued.start === tokens[end - 1]?.end;
}

/** `a.b.c`, `` `a.b`.c ``, `my-project-123.ds.t` → parts; stops at anything else. */
function dottedName(tokens: readonly Token[], start: number): { parts: string[]; end: number } {
  const parts: string[] = [];
  let i = start;
  for (;;) {
    const t = tokens[i];
    if (!t || (t.kind !== "word" && t.kind !== "quoted" && t.kind !== "number")) break;
    parts.push(...(t.kind === "quoted" ? t.text.split(".") : [t.text]));
    i++;
    // A project id may hold '-': unquoted, `my-project-123` is words and numbers glued by '-'.
    while (parts.length === 1 && tokens[i]?.text === "-" && tokens[i]!.start === tokens[i - 1]!.end && tokens[i + 1]?.start === tokens[i]!.end) {
      parts[0] += `-${tokens[i + 1]!.text}`;
      i += 2;
    }
    if (tokens[i]?.text !== "." || tokens[i + 1]?.start !== tokens[i]!.end) break;
    i++;
  }
  return { parts, end: i };
}

function toTableId(parts: string[]): TableId | null {
  if (parts.some((p) => p === "" || p.toUpperCase() === "INFORMATION_SCHEMA")) return null;
  if (parts.length === 2) return { dataset: parts[0]!, table: parts[1]! };
  if (parts.length === 3) return { project: parts[0]!, dataset: parts[1]!, table: parts[2]! };
  return null;
}

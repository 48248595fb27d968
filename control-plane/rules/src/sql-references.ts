/**
 * Which tables a BigQuery SQL file reads and writes, for lineage.
 *
 * HOW. The SQL is lexed by sql-tokenizer.ts (comments dropped, string literals opaque),
 * then one pass over the tokens looks for a table path only in *table position*:
 * - reads: after FROM and JOIN, after a comma that continues a FROM list, after USING in
 *   a MERGE, after TABLE as a table-valued-function argument (`APPENDS(TABLE ds.t)`),
 *   after CLONE / COPY; the first item of a parenthesized join `FROM (ds.a JOIN ds.b …)`;
 * - writes: INSERT [INTO], MERGE [INTO], UPDATE, DELETE [FROM], TRUNCATE TABLE,
 *   CREATE [OR REPLACE] [TEMP|MATERIALIZED|EXTERNAL|SNAPSHOT] TABLE|VIEW [IF NOT EXISTS],
 *   DROP / ALTER TABLE|VIEW, LOAD DATA [OVERWRITE|INTO].
 * A path is `a.b` or `a.b.c` made of words or backticked parts, backticks around the
 * whole path, a part or any run of parts; unquoted project ids may contain dashes
 * (`my-project.ds.t`), and a final `*` makes a wildcard table (`ds.events_*`).
 * So `o.order_id` in a SELECT list is never a table: it is not in table position.
 *
 * NOT A TABLE, though in table position:
 * - CTE names and other one-part names (`FROM recent`): reported as `unqualified`
 *   unless they name a CTE of the file, never as tables;
 * - correlated paths (`FROM ds.orders AS o, o.items`, `JOIN o.items`,
 *   `(SELECT … FROM o.items)`): a path whose first part is an explicit alias (AS x or
 *   bare x) given to any from-item of the same statement is an array, not a table;
 * - table-valued functions (`FROM ds.my_tvf(1)`, `ML.PREDICT(…)`), UNNEST(…), subqueries;
 * - `EXTRACT(DAY FROM ts)` and `a IS [NOT] DISTINCT FROM b`;
 * - anything under INFORMATION_SCHEMA (metadata, not data), and paths of 4+ parts.
 *
 * LIMITS (say so, rather than guess): dynamic SQL (`EXECUTE IMMEDIATE "…"`), names
 * built at run time, and what a procedure (`CALL ds.proc()`) or a table function reads
 * inside its own body are invisible — declare those with `depends_on`. An implicit alias
 * (`FROM ds.orders, orders.items` without AS) is not recognised, so `orders.items` is
 * reported as a table; write an explicit alias. An explicit alias equal to a dataset
 * name hides that dataset's tables in the same statement (`FROM a.t AS sales JOIN
 * sales.x`). The LIKE in `CREATE TABLE x LIKE y` is not followed. This is a lexer plus
 * a keyword state machine, not a parser: it does not check the SQL is valid.
 */
import { tokenizeSql, type SqlToken, type TokenizeOptions } from "./sql-tokenizer.ts";

export { SqlSyntaxError } from "./sql-tokenizer.ts";

export interface TableReference {
  readonly project?: string;
  readonly dataset: string;
  /** May end with `*` (a wildcard table). */
  readonly table: string;
  readonly role: "read" | "write";
  /** Where the path starts in the SQL: offset, and 1-based line and column. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** The offset just after the path (its closing backtick or `*` included): sql.slice(offset, end) is the path as written. */
  readonly end: number;
}

export interface UnqualifiedName {
  readonly name: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface SqlTableReferences {
  /** Each (role, path) once, at its first occurrence, in source order. */
  readonly tables: TableReference[];
  /** Every path in table position, repeats included, in source order (the local warehouse rewrites each one). */
  readonly occurrences: TableReference[];
  /** One-part names read in table position that are not CTEs of the file (BigQuery needs a dataset for those unless a default dataset is set). */
  readonly unqualified: UnqualifiedName[];
  /** The CTE names defined in the file. */
  readonly cteNames: string[];
}

/** `dataset.table` or `project.dataset.table`. */
export function referenceName(ref: { project?: string | undefined; dataset: string; table: string }): string {
  return ref.project === undefined ? `${ref.dataset}.${ref.table}` : `${ref.project}.${ref.dataset}.${ref.table}`;
}

/** BigQuery reserved keywords: never an alias, never the first part of a path. */
const RESERVED = new Set(
  ("ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE CROSS CUBE CURRENT " +
    "DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL " +
    "GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN INNER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP " +
    "MERGE NATURAL NEW NO NOT NULL NULLS OF ON OR ORDER OUTER OVER PARTITION PRECEDING PROTO QUALIFY RANGE RECURSIVE " +
    "RESPECT RIGHT ROLLUP ROWS SELECT SET SOME STRUCT TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING WHEN " +
    "WHERE WINDOW WITH WITHIN").split(" "),
);
/** Non-reserved words that may follow a from-item or DML target without being its alias. */
const NOT_AN_ALIAS = new Set(["PIVOT", "UNPIVOT", "MATCH_RECOGNIZE", "VALUES", "ROW", "OPTIONS", "CLUSTER", "COPY", "CLONE", "SYSTEM_TIME"]);
/** Words that end a FROM list at their depth: after them a comma no longer introduces a table. */
const ENDS_FROM_LIST = new Set(["WHERE", "GROUP", "HAVING", "QUALIFY", "WINDOW", "ORDER", "LIMIT", "UNION", "INTERSECT", "EXCEPT", "SELECT", "SET", "WHEN", "VALUES"]);
/** Functions whose parentheses hold a FROM that is not a table: EXTRACT(DAY FROM ts). */
const FROM_INSIDE_FUNCTION = new Set(["EXTRACT", "SUBSTRING", "TRIM", "OVERLAY", "POSITION"]);
const CREATE_MODIFIERS = new Set(["OR", "REPLACE", "TEMP", "TEMPORARY", "MATERIALIZED", "EXTERNAL", "SNAPSHOT"]);

interface Candidate {
  readonly parts: string[];
  readonly role: "read" | "write";
  readonly offset: number;
  readonly end: number;
  readonly statement: number;
  /** A read in a from-item position, where a correlated `alias.array` path is legal. */
  readonly correlatable: boolean;
}

interface Paren {
  /** The word before `(`, upper-cased (EXTRACT, UNNEST, …), if any. */
  readonly fn: string | null;
  /** The parenthesis is a whole from-item (subquery, UNNEST, TVF): an alias may follow its `)`. */
  readonly fromItem: boolean;
}

export function findTableReferences(sql: string, options: TokenizeOptions = {}): SqlTableReferences {
  const tokens = tokenizeSql(sql, options);
  const cteNames = collectCteNames(tokens);
  const cteSet = new Set(cteNames.map((c) => c.toLowerCase()));
  const candidates: Candidate[] = [];
  const aliases: Set<string>[] = [new Set()];
  const parens: Paren[] = [];
  /** fromList[d]: a FROM list is open at paren depth d. */
  const fromList: boolean[] = [false];
  let statement = 0;
  let mergeInStatement = false;
  let nextParenIsFromItem = false;
  /** The next `(` directly follows FROM/JOIN/comma (a subquery or a parenthesized join), not a function name. */
  let nextParenIsBare = false;

  const tok = (k: number): SqlToken | undefined => tokens[k];
  const isWord = (k: number, ...words: string[]): boolean => {
    const t = tokens[k];
    return t !== undefined && t.kind === "word" && (words.length === 0 || words.includes(t.upper)) && !afterDot(k);
  };
  const isPunct = (k: number, p: string): boolean => tokens[k]?.kind === "punct" && tokens[k]!.text === p;
  const afterDot = (k: number): boolean => k > 0 && isPunctRaw(tokens[k - 1], ".");

  /** Reads an optional alias at k; records it; returns the index after it. */
  const readAlias = (k: number): number => {
    let j = k;
    if (isWord(j, "AS")) j++;
    const t = tok(j);
    if (t && ((t.kind === "word" && !RESERVED.has(t.upper) && !NOT_AN_ALIAS.has(t.upper)) || t.kind === "quoted")) {
      aliases[statement]!.add(t.text.toLowerCase());
      return j + 1;
    }
    return k;
  };

  /** A table path (or the start of a non-table from-item) at k; returns the index to continue from. */
  const tableItem = (k: number, role: "read" | "write", correlatable: boolean, withAlias: boolean): number => {
    const t = tok(k);
    if (!t) return k;
    if (t.kind === "punct" && t.text === "(") {
      nextParenIsFromItem = withAlias;
      nextParenIsBare = true;
      return k;
    }
    if (t.kind === "word" && RESERVED.has(t.upper)) {
      if (t.upper === "UNNEST" && withAlias) nextParenIsFromItem = true;
      return k;
    }
    const path = readPath(tokens, k);
    if (!path) return k;
    if (role === "read" && isPunct(path.end, "(")) {
      // A table-valued function: its arguments are scanned like any SQL, an alias may follow.
      nextParenIsFromItem = withAlias;
      return path.end;
    }
    candidates.push({ parts: path.parts, role, offset: t.start, end: tokens[path.end - 1]!.end, statement, correlatable });
    return withAlias ? readAlias(path.end) : path.end;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const depth = parens.length;
    if (t.kind === "punct") {
      if (t.text === "(") {
        const before = tok(i - 1);
        const bare = nextParenIsBare;
        parens.push({ fn: before?.kind === "word" ? before.upper : null, fromItem: nextParenIsFromItem });
        nextParenIsFromItem = false;
        nextParenIsBare = false;
        fromList[parens.length] = false;
        if (isWord(i + 1, "TABLE")) i = tableItem(i + 2, "read", false, false) - 1;
        else if (bare && !isWord(i + 1, "SELECT", "WITH", "VALUES") && !isPunct(i + 1, "(")) {
          // A parenthesized join, `FROM (ds.a JOIN ds.b USING (id))`: its first item is a table too.
          fromList[parens.length] = true;
          i = tableItem(i + 1, "read", true, true) - 1;
        }
      } else if (t.text === ")") {
        const closed = parens.pop();
        fromList[depth] = false;
        if (closed?.fromItem) i = readAlias(i + 1) - 1;
      } else if (t.text === ",") {
        if (fromList[depth]) i = tableItem(i + 1, "read", true, true) - 1;
        else if (isWord(i + 1, "TABLE") && parens.length > 0) i = tableItem(i + 2, "read", false, false) - 1;
      } else if (t.text === ";" && depth === 0) {
        statement++;
        aliases.push(new Set());
        mergeInStatement = false;
        fromList[0] = false;
      }
      continue;
    }
    if (t.kind !== "word" || afterDot(i)) continue;
    const word = t.upper;
    if (fromList[depth] && ENDS_FROM_LIST.has(word)) fromList[depth] = false;

    switch (word) {
      case "FROM": {
        const inFunction = parens.length > 0 && FROM_INSIDE_FUNCTION.has(parens[parens.length - 1]!.fn ?? "");
        const distinctFrom = isWord(i - 1, "DISTINCT") && (isWord(i - 2, "IS") || (isWord(i - 2, "NOT") && isWord(i - 3, "IS")));
        if (inFunction || distinctFrom) break;
        fromList[depth] = true;
        i = tableItem(i + 1, "read", true, true) - 1;
        break;
      }
      case "JOIN":
        i = tableItem(i + 1, "read", true, true) - 1;
        break;
      case "USING":
        if (mergeInStatement && !isPunct(i + 1, "(")) i = tableItem(i + 1, "read", false, true) - 1;
        break;
      case "CLONE":
      case "COPY":
        i = tableItem(i + 1, "read", false, false) - 1;
        break;
      case "INSERT":
        i = tableItem(isWord(i + 1, "INTO") ? i + 2 : i + 1, "write", false, false) - 1;
        break;
      case "MERGE":
        mergeInStatement = true;
        i = tableItem(isWord(i + 1, "INTO") ? i + 2 : i + 1, "write", false, true) - 1;
        break;
      case "UPDATE":
        i = tableItem(i + 1, "write", false, true) - 1;
        break;
      case "DELETE":
        i = tableItem(isWord(i + 1, "FROM") ? i + 2 : i + 1, "write", false, true) - 1;
        break;
      case "TRUNCATE":
        if (isWord(i + 1, "TABLE")) i = tableItem(i + 2, "write", false, false) - 1;
        break;
      case "CREATE":
      case "DROP":
      case "ALTER": {
        let j = i + 1;
        while (isWord(j) && CREATE_MODIFIERS.has(tokens[j]!.upper)) j++;
        if (!isWord(j, "TABLE", "VIEW") || isWord(j + 1, "FUNCTION")) break;
        j++;
        if (isWord(j, "IF") && isWord(j + 1, "NOT") && isWord(j + 2, "EXISTS")) j += 3;
        else if (isWord(j, "IF") && isWord(j + 1, "EXISTS")) j += 2;
        i = tableItem(j, "write", false, false) - 1;
        break;
      }
      case "LOAD":
        if (isWord(i + 1, "DATA")) {
          let j = i + 2;
          while (isWord(j, "OVERWRITE", "INTO", "TEMP", "TEMPORARY", "TABLE")) j++;
          i = tableItem(j, "write", false, false) - 1;
        }
        break;
    }
  }

  return finish(sql, candidates, aliases, cteSet, cteNames);
}

function isPunctRaw(t: SqlToken | undefined, p: string): boolean {
  return t !== undefined && t.kind === "punct" && t.text === p;
}

/**
 * A dotted path at k: words (dash-joined when adjacent: `my-project`) and backticked
 * parts (split on dots), separated by `.`; a `*` right after the last part is kept.
 */
function readPath(tokens: SqlToken[], k: number): { parts: string[]; end: number } | null {
  const parts: string[] = [];
  let j = k;
  for (;;) {
    const t = tokens[j];
    if (!t) break;
    if (t.kind === "quoted") {
      parts.push(...t.text.split("."));
      j++;
    } else if (t.kind === "word" && (parts.length > 0 || (!RESERVED.has(t.upper) && !/^[0-9]/.test(t.text)))) {
      // An unquoted path starts with a letter or `_` (BigQuery's rule); later parts may start with a digit (`raw.2024_orders`).
      let text = t.text;
      let end = t.end;
      j++;
      // my-project-123: a dash glued to words on both sides is part of the name.
      while (isPunctRaw(tokens[j], "-") && tokens[j]!.start === end && tokens[j + 1]?.kind === "word" && tokens[j + 1]!.start === tokens[j]!.end) {
        text += `-${tokens[j + 1]!.text}`;
        end = tokens[j + 1]!.end;
        j += 2;
      }
      if (isPunctRaw(tokens[j], "*") && tokens[j]!.start === end) {
        parts.push(`${text}*`);
        j++;
        break;
      }
      parts.push(text);
    } else {
      break;
    }
    if (isPunctRaw(tokens[j], ".") && (tokens[j + 1]?.kind === "word" || tokens[j + 1]?.kind === "quoted")) j++;
    else break;
  }
  return parts.length === 0 || parts.some((p) => p === "") ? null : { parts, end: j };
}

/** `WITH [RECURSIVE] name AS (…) [, name AS (…)]*`, anywhere (CTEs may open a subquery). */
function collectCteNames(tokens: SqlToken[]): string[] {
  const names: string[] = [];
  const word = (k: number, w: string) => tokens[k]?.kind === "word" && tokens[k]!.upper === w;
  for (let i = 0; i < tokens.length; i++) {
    if (!word(i, "WITH") || isPunctRaw(tokens[i - 1], ".")) continue;
    let j = word(i + 1, "RECURSIVE") ? i + 2 : i + 1;
    for (;;) {
      const name = tokens[j];
      if (!name || !(name.kind === "quoted" || (name.kind === "word" && !RESERVED.has(name.upper)))) break;
      if (!word(j + 1, "AS") || !isPunctRaw(tokens[j + 2], "(")) break;
      names.push(name.text);
      let depth = 0;
      let k = j + 2;
      for (; k < tokens.length; k++) {
        if (isPunctRaw(tokens[k], "(")) depth++;
        else if (isPunctRaw(tokens[k], ")") && --depth === 0) break;
      }
      if (!isPunctRaw(tokens[k + 1], ",")) break;
      j = k + 2;
    }
  }
  return [...new Set(names)];
}

function finish(sql: string, candidates: Candidate[], aliases: Set<string>[], ctes: Set<string>, cteNames: string[]): SqlTableReferences {
  const lines = lineStarts(sql);
  const tables: TableReference[] = [];
  const occurrences: TableReference[] = [];
  const unqualified: UnqualifiedName[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const { line, column } = lineColumn(lines, c.offset);
    const first = c.parts[0]!;
    if (c.parts.length === 1) {
      if (c.role === "read" && !ctes.has(first.toLowerCase()) && !seen.has(`unqualified:${first}`)) {
        seen.add(`unqualified:${first}`);
        unqualified.push({ name: first, offset: c.offset, line, column });
      }
      continue;
    }
    if (c.correlatable && aliases[c.statement]!.has(first.toLowerCase())) continue;
    if (c.parts.length > 3 || c.parts.some((p) => p.toUpperCase() === "INFORMATION_SCHEMA")) continue;
    const ref: TableReference =
      c.parts.length === 3
        ? { project: first, dataset: c.parts[1]!, table: c.parts[2]!, role: c.role, offset: c.offset, line, column, end: c.end }
        : { dataset: first, table: c.parts[1]!, role: c.role, offset: c.offset, line, column, end: c.end };
    occurrences.push(ref);
    const key = `${c.role}:${referenceName(ref)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    tables.push(ref);
  }
  return { tables, occurrences, unqualified, cteNames };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineColumn(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

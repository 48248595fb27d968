/**
 * Which tables a BigQuery SQL script reads and writes, from `dataset.table` and
 * `project.dataset.table` names (backticks or not). A small tokenizer, not a parser:
 * it skips comments and string literals, and only counts names in table position
 * (after FROM, JOIN, INTO, …) so `o.order_id` in a SELECT list is not a table.
 */
export interface TableName {
  readonly project?: string;
  readonly dataset: string;
  readonly table: string;
}

export interface SqlReferences {
  readonly reads: TableName[];
  readonly writes: TableName[];
}

type Token =
  | { kind: "word"; text: string; upper: string }
  | { kind: "quoted"; text: string }
  | { kind: "punct"; text: string };

/** Keywords after which a name is a table being read. */
const READ_AFTER = new Set(["FROM", "JOIN", "USING", "CLONE"]);
/** Keywords after which a name is a table being written. */
const WRITE_AFTER = new Set(["INTO", "UPDATE", "TABLE", "MERGE", "VIEW", "DELETE"]);
/** Words that may sit between such a keyword and the name: CREATE TABLE IF NOT EXISTS t, MERGE INTO t, DELETE FROM t. */
const FILLER = new Set(["IF", "NOT", "EXISTS", "OR", "REPLACE", "TEMP", "TEMPORARY", "EXTERNAL", "MATERIALIZED", "INTO", "TABLE", "FROM", "ONLY"]);
/** Functions whose FROM is not a table: EXTRACT(DAY FROM ts). */
const FROM_FUNCTIONS = new Set(["EXTRACT", "TRIM", "SUBSTRING", "POSITION", "OVERLAY"]);
/** Words that end a FROM list (after them a comma no longer introduces a table). */
const CLAUSE_WORDS = new Set([
  "WHERE", "GROUP", "ORDER", "HAVING", "QUALIFY", "WINDOW", "LIMIT", "UNION", "INTERSECT", "EXCEPT", "ON", "SET",
  "SELECT", "WHEN", "PIVOT", "UNPIVOT", "VALUES",
]);
/** Words that start something other than a table name in table position. */
const NOT_A_NAME = new Set(["SELECT", "UNNEST", "WITH", "LATERAL"]);
/** Words after a table name that are not its alias. */
const NOT_AN_ALIAS = new Set([...CLAUSE_WORDS, "JOIN", "LEFT", "RIGHT", "INNER", "OUTER", "FULL", "CROSS", "USING", "FOR", "AS", "CLONE", "TABLESAMPLE"]);

export function sqlReferences(sql: string): SqlReferences {
  const tokens = tokenize(sql);
  const found = { read: new Map<string, TableName>(), write: new Map<string, TableName>() };
  // The word before each open parenthesis, to ignore EXTRACT(… FROM …).
  const parens: (string | null)[] = [];
  let expect: "read" | "write" | null = null;
  // After `FROM a.t x`, a comma at the same depth introduces another table.
  let fromList: { depth: number } | null = null;
  // Aliases of the statement's tables: `FROM ds.orders o, o.items` reads one table.
  const aliases = new Set<string>();

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (expect) {
      if (t.kind === "word" && FILLER.has(t.upper)) continue;
      if (t.kind === "punct" && t.text === "(" && expect === "read") {
        // FROM (ds.a JOIN ds.b …): the first name is inside; FROM (SELECT …) is not a name.
        parens.push(null);
        continue;
      }
      const { parts, end } = dottedName(tokens, i);
      if (parts.length > 0) {
        const name = aliases.has(parts[0]!.toLowerCase()) ? null : toTableName(parts);
        if (name) found[expect].set(`${name.project ?? ""}:${name.dataset}.${name.table}`, name);
        const a = tokens[end]?.kind === "word" && tokens[end]!.upper === "AS" ? end + 1 : end;
        const alias = tokens[a];
        if (alias && (alias.kind === "quoted" || (alias.kind === "word" && !NOT_AN_ALIAS.has(alias.upper)))) aliases.add(alias.text.toLowerCase());
        fromList = expect === "read" ? { depth: parens.length } : null;
        expect = null;
        i = end - 1;
        continue;
      }
      expect = null; // a subquery, UNNEST(…), …: not a name
    }
    if (t.kind === "punct") {
      if (t.text === "(") {
        const prev = tokens[i - 1];
        parens.push(prev?.kind === "word" ? prev.upper : null);
      } else if (t.text === ")") {
        parens.pop();
        if (fromList && parens.length < fromList.depth) fromList = null;
      } else if (t.text === ";") {
        fromList = null;
        aliases.clear();
      }
      else if (t.text === "," && fromList?.depth === parens.length) expect = "read";
      continue;
    }
    if (t.kind !== "word") continue;
    if (CLAUSE_WORDS.has(t.upper) && fromList?.depth === parens.length) fromList = null;
    if (READ_AFTER.has(t.upper) && !FROM_FUNCTIONS.has(parens[parens.length - 1] ?? "")) expect = "read";
    else if (WRITE_AFTER.has(t.upper)) expect = "write";
  }
  return { reads: [...found.read.values()], writes: [...found.write.values()] };
}

/** `a.b.c`, `` `a.b`.c ``, `` `a`.`b` `` → ["a","b","c"]; stops at anything else. */
function dottedName(tokens: Token[], start: number): { parts: string[]; end: number } {
  const parts: string[] = [];
  let i = start;
  for (;;) {
    const t = tokens[i];
    if (!t || t.kind === "punct") break;
    if (t.kind === "word" && parts.length === 0 && NOT_A_NAME.has(t.upper)) break;
    parts.push(...(t.kind === "quoted" ? t.text.split(".") : [t.text]));
    i++;
    // Project ids may contain '-': `my-project.ds.t` unquoted tokenizes as words joined by '-'.
    // `my-project-123`: as many '-' parts as the id has.
    while (tokens[i]?.text === "-" && tokens[i + 1]?.kind === "word" && parts.length === 1) {
      parts[0] += `-${tokens[i + 1]!.text}`;
      i += 2;
    }
    if (tokens[i]?.text !== ".") break;
    i++;
  }
  return { parts, end: i };
}

function toTableName(parts: string[]): TableName | null {
  if (parts.some((p) => p === "" || p.toUpperCase() === "INFORMATION_SCHEMA")) return null;
  if (parts.length === 2) return { dataset: parts[0]!, table: parts[1]! };
  if (parts.length === 3) return { project: parts[0]!, dataset: parts[1]!, table: parts[2]! };
  return null;
}

/** Words, backquoted names and punctuation; comments and string literals vanish. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === "-" && sql[i + 1] === "-") i = lineEnd(sql, i);
    else if (c === "#") i = lineEnd(sql, i);
    else if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === "'" || c === '"') i = skipString(sql, i);
    else if ((c === "r" || c === "R" || c === "b" || c === "B") && isStringPrefix(sql, i)) {
      const prefixEnd = /^[rRbB]{1,2}/.exec(sql.slice(i, i + 2))![0].length;
      i = skipString(sql, i + prefixEnd);
    } else if (c === "`") {
      const close = sql.indexOf("`", i + 1);
      const end = close < 0 ? n : close;
      tokens.push({ kind: "quoted", text: sql.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z_0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z_0-9*]/.test(sql[j]!)) j++;
      const text = sql.slice(i, j);
      tokens.push({ kind: "word", text, upper: text.toUpperCase() });
      i = j;
    } else if (/\s/.test(c)) i++;
    else {
      tokens.push({ kind: "punct", text: c });
      i++;
    }
  }
  return tokens;
}

function lineEnd(sql: string, i: number): number {
  const nl = sql.indexOf("\n", i);
  return nl < 0 ? sql.length : nl + 1;
}

/** r'…', b"…", rb'''…''' and friends: a 1-2 letter prefix directly before a quote. */
function isStringPrefix(sql: string, i: number): boolean {
  if (i > 0 && /[A-Za-z_0-9]/.test(sql[i - 1]!)) return false;
  const m = /^[rRbB]{1,2}['"]/.exec(sql.slice(i, i + 3));
  return m !== null;
}

/** Skips '…', "…", '''…''' or """…"""; a backslash escapes the next character (raw strings too). Returns the index after it. */
function skipString(sql: string, i: number): number {
  const q = sql[i]!;
  const triple = sql.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  while (j < sql.length) {
    // A backslash protects the next character even in a raw string: r'\'' is the two characters \'.
    if (sql[j] === "\\") {
      j += 2;
      continue;
    }
    if (sql.startsWith(close, j)) return j + close.length;
    if (!triple && sql[j] === "\n") return j; // an unterminated string ends at the line: BigQuery would refuse it anyway
    j++;
  }
  return sql.length;
}

/**
 * A small SQL tokenizer that keeps positions, for rewriting BigQuery SQL before the
 * transpiler sees it and DuckDB SQL after. Comments vanish; string literals are one token
 * (so nothing inside a string or a comment is ever taken for a name or a keyword).
 *
 * Not the tokenizer of @meshplane/rules, on purpose: that one answers "which tables does
 * this BigQuery SQL name" (and this folder uses it for exactly that, tables.ts). This one
 * serves the rewriting around the transpiler: it also lexes the transpiler's DuckDB output
 * ("name", '' doubling, no # comments), keeps numbers apart from words (1.5, 1e3 are
 * rewritten arguments) and counts lines for the refusals — needs the shared rules do not have.
 */
export type TokenKind = "word" | "quoted" | "string" | "number" | "punct";

export interface Token {
  readonly kind: TokenKind;
  /** The source text (with quotes for strings, without them for quoted names). */
  readonly text: string;
  readonly upper: string;
  readonly start: number;
  readonly end: number;
  /** 1-based line of the token's start. */
  readonly line: number;
}

/** BigQuery: `name`, "string", '…', r'…', b'…', '''…''', backslash escapes, # comments.
 *  DuckDB: "name", '…' with '' doubling. */
export type SqlDialect = "bigquery" | "duckdb";

export function tokenize(sql: string, dialect: SqlDialect): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  let line = 1;
  let lineAt = 0; // index up to which `line` is counted
  const lineOf = (pos: number): number => {
    for (; lineAt < pos; lineAt++) if (sql[lineAt] === "\n") line++;
    return line;
  };
  const push = (kind: TokenKind, start: number, end: number, text = sql.slice(start, end)): void => {
    tokens.push({ kind, text, upper: text.toUpperCase(), start, end, line: lineOf(start) });
  };
  while (i < n) {
    const c = sql[i]!;
    if (c === "-" && sql[i + 1] === "-") i = lineEnd(sql, i);
    else if (c === "#" && dialect === "bigquery") i = lineEnd(sql, i);
    else if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close < 0 ? n : close + 2;
    } else if (dialect === "bigquery" && (c === "'" || c === '"')) {
      const end = skipBigQueryString(sql, i);
      push("string", i, end);
      i = end;
    } else if (dialect === "bigquery" && /[rRbB]/.test(c) && isStringPrefix(sql, i)) {
      const prefix = /^[rRbB]{1,2}/.exec(sql.slice(i, i + 2))![0];
      const end = skipBigQueryString(sql, i + prefix.length);
      push("string", i, end);
      i = end;
    } else if (dialect === "duckdb" && c === "'") {
      let j = i + 1;
      while (j < n && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      push("string", i, Math.min(j + 1, n));
      i = j + 1;
    } else if ((dialect === "bigquery" && c === "`") || (dialect === "duckdb" && c === '"')) {
      const close = sql.indexOf(c, i + 1);
      const end = close < 0 ? n : close;
      push("quoted", i, end + 1, sql.slice(i + 1, end));
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(sql[i + 1] ?? "") && !/[A-Za-z_0-9`"]/.test(sql[i - 1] ?? ""))) {
      let j = i + 1;
      while (j < n && /[0-9]/.test(sql[j]!)) j++;
      // A '.' belongs to the number only before a digit: `123.ds` is a name then a dot.
      if (sql[j] === "." && /[0-9]/.test(sql[j + 1] ?? "")) for (j++; j < n && /[0-9]/.test(sql[j]!); ) j++;
      if (/[eE]/.test(sql[j] ?? "") && /[0-9+-]/.test(sql[j + 1] ?? "")) for (j += 2; j < n && /[0-9]/.test(sql[j]!); ) j++;
      // `my-project-123.ds.t`: digits glued to letters are part of a word.
      if (/[A-Za-z_]/.test(sql[j] ?? "")) {
        while (j < n && /[A-Za-z_0-9]/.test(sql[j]!)) j++;
        push("word", i, j);
      } else push("number", i, j);
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z_0-9]/.test(sql[j]!)) j++;
      push("word", i, j);
      i = j;
    } else if (/\s/.test(c)) i++;
    else {
      push("punct", i, i + 1);
      i++;
    }
  }
  return tokens;
}

/** The index of the `)` closing the `(` at tokens[open], or -1. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    if (tokens[i]!.kind !== "punct") continue;
    if (t === "(" || t === "[") depth++;
    else if (t === ")" || t === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Token ranges [from, to) of the top-level arguments between tokens[open] = `(` and its close. */
export function callArguments(tokens: readonly Token[], open: number): { from: number; to: number }[] | null {
  const close = closingParen(tokens, open);
  if (close < 0) return null;
  const args: { from: number; to: number }[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i]!;
    if (t.kind !== "punct") continue;
    if (t.text === "(" || t.text === "[") depth++;
    else if (t.text === ")" || t.text === "]") depth--;
    else if (t.text === "," && depth === 0) {
      args.push({ from, to: i });
      from = i + 1;
    }
  }
  if (from < close) args.push({ from, to: close });
  return args;
}

function lineEnd(sql: string, i: number): number {
  const nl = sql.indexOf("\n", i);
  return nl < 0 ? sql.length : nl + 1;
}

function isStringPrefix(sql: string, i: number): boolean {
  if (i > 0 && /[A-Za-z_0-9]/.test(sql[i - 1]!)) return false;
  return /^[rRbB]{1,2}['"]/.test(sql.slice(i, i + 3));
}

/** '…', "…", '''…''' or """…"""; a backslash escapes the next character, in raw strings too. */
function skipBigQueryString(sql: string, i: number): number {
  const q = sql[i]!;
  const triple = sql.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  while (j < sql.length) {
    // Even raw strings cannot hold their quote right after a backslash: BigQuery reads r'\'' as
    // the two characters \' — the backslash still protects the quote from ending the string.
    if (sql[j] === "\\") {
      j += 2;
      continue;
    }
    if (sql.startsWith(close, j)) return j + close.length;
    if (!triple && sql[j] === "\n") return j;
    j++;
  }
  return sql.length;
}

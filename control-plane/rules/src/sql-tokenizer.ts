/**
 * A lexer for BigQuery Standard SQL (GoogleSQL), just precise enough for lineage: it
 * drops comments and whitespace, keeps string literals as single opaque tokens (so a
 * table name written inside a string can never look like a reference), and keeps
 * backticked identifiers apart from words. Token offsets are kept so that the reader can
 * tell `my-project` (adjacent) from `a - b` (spaced), and report line:column.
 *
 * Lexical rules followed (GoogleSQL "Lexical structure"):
 * - comments: `-- …` and `# …` to the end of the line, `/* … *\/` (not nested);
 * - strings: '…', "…", '''…''', """…""", with an optional r/R (raw) and/or b/B (bytes)
 *   prefix in any order and case. A backslash always pairs with the next character while
 *   finding where a literal ends — raw or not, as in GoogleSQL's own lexer (r'\'' is one
 *   literal). Single-quoted and double-quoted literals cannot span lines;
 * - quoted identifiers: `…` (may hold a whole path `project.dataset.table`);
 * - words: runs of [A-Za-z0-9_]. Numbers lex as words too (`1.5` is `1` `.` `5`): that is
 *   harmless here and lets table names start with a digit (`dataset.2024_sales`).
 * Anything else is a one-character punctuation token.
 *
 * An unterminated string, quoted identifier or block comment is a SqlSyntaxError: the
 * rest of the file would otherwise be silently ignored by lineage (the modules report it
 * with file, line and column). With `{ lenient: true }` (the control plane, which derives
 * references from flows already stored) it ends where BigQuery's error would be reported
 * instead: a '…' or "…" string at its line's end, anything else at the end of the text;
 * nothing before it is lost, and BigQuery refuses to run such a script at all.
 */

export type SqlTokenKind = "word" | "quoted" | "string" | "punct";

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /** word: as written; quoted: the identifier without backticks, escapes resolved; string: the literal as written; punct: the character. */
  readonly text: string;
  /** word: upper-cased (keywords are case-insensitive); otherwise equal to text. */
  readonly upper: string;
  /** Offsets in the source, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export class SqlSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly offset: number,
  ) {
    super(`${problem} at offset ${offset}`);
    this.name = "SqlSyntaxError";
  }
}

const STRING_PREFIXES = new Set(["r", "b", "rb", "br"]);

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

export interface TokenizeOptions {
  /** Unterminated literals, identifiers and comments end the token instead of throwing. */
  readonly lenient?: boolean;
}

export function tokenizeSql(sql: string, options: TokenizeOptions = {}): SqlToken[] {
  const lenient = options.lenient === true;
  const tokens: SqlToken[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i]!;
    const code = sql.charCodeAt(i);
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") {
      i++;
    } else if ((c === "-" && sql[i + 1] === "-") || c === "#") {
      const eol = sql.indexOf("\n", i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      if (close === -1 && !lenient) throw new SqlSyntaxError("unterminated /* comment", i);
      i = close === -1 ? n : close + 2;
    } else if (c === "'" || c === '"') {
      const end = stringEnd(sql, i, i, lenient);
      tokens.push({ kind: "string", text: sql.slice(i, end), upper: sql.slice(i, end), start: i, end });
      i = end;
    } else if (c === "`") {
      let j = i + 1;
      while (j < n && sql[j] !== "`") j += sql[j] === "\\" ? 2 : 1;
      if (j >= n && !lenient) throw new SqlSyntaxError("unterminated `quoted identifier`", i);
      j = Math.min(j, n);
      const text = sql.slice(i + 1, j).replace(/\\(.)/gs, "$1");
      tokens.push({ kind: "quoted", text, upper: text, start: i, end: Math.min(j + 1, n) });
      i = j + 1;
    } else if (isWordChar(code)) {
      let j = i + 1;
      while (j < n && isWordChar(sql.charCodeAt(j))) j++;
      const word = sql.slice(i, j);
      if (STRING_PREFIXES.has(word.toLowerCase()) && (sql[j] === "'" || sql[j] === '"')) {
        const end = stringEnd(sql, j, i, lenient);
        tokens.push({ kind: "string", text: sql.slice(i, end), upper: sql.slice(i, end), start: i, end });
        i = end;
      } else {
        tokens.push({ kind: "word", text: word, upper: word.toUpperCase(), start: i, end: j });
        i = j;
      }
    } else {
      tokens.push({ kind: "punct", text: c, upper: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/** The offset just after the string literal whose opening quote is at `quote` (`start` = prefix start, for errors). */
function stringEnd(sql: string, quote: number, start: number, lenient: boolean): number {
  const q = sql[quote]!;
  const triple = sql[quote + 1] === q && sql[quote + 2] === q;
  if (triple) {
    const closing = q.repeat(3);
    let j = quote + 3;
    while (j < sql.length) {
      if (sql[j] === "\\") j += 2;
      else if (sql.startsWith(closing, j)) return j + 3;
      else j++;
    }
    if (lenient) return sql.length;
    throw new SqlSyntaxError(`unterminated ${closing} string literal`, start);
  }
  let j = quote + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (c === "\\") j += 2;
    else if (c === q) return j + 1;
    else if (c === "\n") break;
    else j++;
  }
  if (lenient) return Math.min(j, sql.length);
  throw new SqlSyntaxError(`unterminated ${q}string${q} literal (a ${q}…${q} string ends on its line; use ${q.repeat(3)} for several lines)`, start);
}

/**
 * Rewrites around the transpiler. Before it (on BigQuery SQL), the constructs it gets wrong
 * are renamed to placeholder calls it passes through untouched; after it (on DuckDB SQL), the
 * placeholders become the right DuckDB expressions. Edits never add or remove a newline, so a
 * line the transpiler reports is a line of the original SQL.
 */
import { callArguments, closingParen, tokenize, type Token } from "./tokens.ts";

export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function applyEdits(sql: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = "";
  let at = 0;
  for (const e of sorted) {
    out += sql.slice(at, e.start) + e.text;
    at = Math.max(at, e.end);
  }
  return out + sql.slice(at);
}

/** Granularities of DATE_TRUNC → a DuckDB time_bucket width and origin (the origin fixes a week's first day). */
const BUCKETS: Record<string, { width: string; origin?: string }> = {
  DAY: { width: "INTERVAL 1 DAY" },
  WEEK: { width: "INTERVAL 7 DAY", origin: "2000-01-02" }, // BigQuery's WEEK starts on Sunday; 2000-01-02 was one
  "WEEK(SUNDAY)": { width: "INTERVAL 7 DAY", origin: "2000-01-02" },
  "WEEK(MONDAY)": { width: "INTERVAL 7 DAY", origin: "2000-01-03" },
  "WEEK(TUESDAY)": { width: "INTERVAL 7 DAY", origin: "2000-01-04" },
  "WEEK(WEDNESDAY)": { width: "INTERVAL 7 DAY", origin: "2000-01-05" },
  "WEEK(THURSDAY)": { width: "INTERVAL 7 DAY", origin: "2000-01-06" },
  "WEEK(FRIDAY)": { width: "INTERVAL 7 DAY", origin: "2000-01-07" },
  "WEEK(SATURDAY)": { width: "INTERVAL 7 DAY", origin: "2000-01-01" },
  ISOWEEK: { width: "INTERVAL 7 DAY", origin: "2000-01-03" },
  MONTH: { width: "INTERVAL 1 MONTH" },
  QUARTER: { width: "INTERVAL 3 MONTH" },
  YEAR: { width: "INTERVAL 1 YEAR" },
};

export class RewriteError extends Error {
  constructor(readonly construct: string, readonly line: number, message: string) {
    super(message);
  }
}

/** Edits on the BigQuery SQL for the functions the transpiler translates wrongly. */
export function preEdits(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "word" || tokens[i + 1]?.text !== "(" || tokens[i - 1]?.text === ".") continue;
    const args = callArguments(tokens, i + 1);
    if (!args) continue;
    if ((t.upper === "DATE" || t.upper === "DATETIME") && args.length === 2) {
      // DATE(ts, 'Europe/Paris') is the calendar day in that zone, not a parse with a format.
      edits.push({ start: t.start, end: t.end, text: `__mp_${t.upper.toLowerCase()}_tz` });
    } else if ((t.upper === "DATE_ADD" || t.upper === "DATE_SUB") && args.length === 2) {
      // DuckDB's DATE + INTERVAL is a TIMESTAMP; BigQuery's DATE_ADD stays a DATE.
      edits.push({ start: t.start, end: t.end, text: `__mp_${t.upper.toLowerCase()}` });
    } else if (t.upper === "REGEXP_CONTAINS" || t.upper === "CONCAT") {
      // REGEXP_CONTAINS is a partial match (the transpiler writes a full one); BigQuery's CONCAT
      // is NULL when an argument is (DuckDB's skips NULLs).
      edits.push({ start: t.start, end: t.end, text: `__mp_${t.upper.toLowerCase()}` });
    } else if (t.upper === "DATE_TRUNC" && args.length === 2) {
      const part = args[1]!;
      const text = tokens.slice(part.from, part.to).map((p) => p.upper).join("");
      if (!(text in BUCKETS))
        throw new RewriteError(`DATE_TRUNC(…, ${text})`, t.line, `DATE_TRUNC granularity ${text} is not translated (use DAY, WEEK, WEEK(<day>), ISOWEEK, MONTH, QUARTER or YEAR)`);
      edits.push({ start: t.start, end: t.end, text: "__mp_date_trunc" });
      edits.push({ start: tokens[part.from]!.start, end: tokens[part.to - 1]!.end, text: `'${text}'` });
    } else if (t.upper === "EXTRACT" && tokens[i + 2]?.upper === "DAYOFWEEK") {
      // BigQuery counts Sunday as 1, DuckDB as 0.
      edits.push({ start: t.start, end: t.start, text: "(" });
      edits.push({ start: tokens[closingParen(tokens, i + 1)]!.end, end: tokens[closingParen(tokens, i + 1)]!.end, text: " + 1)" });
    }
  }
  return edits;
}

/** Replaces the placeholders of the transpiled SQL, innermost first, then gives DECIMAL BigQuery's NUMERIC scale. */
export function postRewrite(sql: string, tables: readonly string[]): string {
  for (;;) {
    const tokens = tokenize(sql, "duckdb");
    let k = -1;
    for (let i = tokens.length - 1; i >= 0; i--)
      if (/^__MP_(DATE|DATETIME)_TZ$|^__MP_DATE_(TRUNC|ADD|SUB)$|^__MP_(REGEXP_CONTAINS|CONCAT)$/.test(tokens[i]!.upper) && tokens[i + 1]?.text === "(") {
        k = i;
        break;
      }
    if (k < 0) return finalPass(sql, tokens, tables);
    const args = callArguments(tokens, k + 1)!;
    const arg = (n: number): string => sql.slice(tokens[args[n]!.from]!.start, tokens[args[n]!.to - 1]!.end);
    const name = tokens[k]!.upper;
    let text: string;
    if (name === "__MP_DATE_TRUNC") {
      const b = BUCKETS[arg(1).slice(1, -1)]!;
      // time_bucket keeps the argument's type (a DATE stays a DATE, unlike date_trunc).
      text = `time_bucket(${b.width}, ${arg(0)}${b.origin ? `, DATE '${b.origin}'` : ""})`;
    } else if (name === "__MP_REGEXP_CONTAINS") {
      text = `regexp_matches(${arg(0)}, ${arg(1)})`;
    } else if (name === "__MP_CONCAT") {
      text = `(${args.map((_, n) => `(${arg(n)})`).join(" || ")})`;
    } else if (name === "__MP_DATE_ADD" || name === "__MP_DATE_SUB") {
      text = `CAST((${arg(0)}) ${name === "__MP_DATE_ADD" ? "+" : "-"} ${arg(1)} AS DATE)`;
    } else {
      const local = `timezone(${arg(1)}, CAST(${arg(0)} AS TIMESTAMPTZ))`;
      text = name === "__MP_DATE_TZ" ? `CAST(${local} AS DATE)` : local;
    }
    sql = sql.slice(0, tokens[k]!.start) + text + sql.slice(tokens[closingParen(tokens, k + 1)]!.end);
  }
}

function finalPass(sql: string, tokens: readonly Token[], tables: readonly string[]): string {
  const edits: Edit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const m = /^__MP_T(\d+)__$/.exec(t.upper);
    if (m && (t.kind === "word" || t.kind === "quoted")) edits.push({ start: t.start, end: t.end, text: tables[Number(m[1])]! });
    // The transpiler writes NUMERIC as DECIMAL, which DuckDB reads as DECIMAL(18,3): BigQuery's is (38,9).
    else if (t.kind === "word" && t.upper === "DECIMAL" && tokens[i + 1]?.text !== "(") edits.push({ start: t.start, end: t.end, text: "DECIMAL(38, 9)" });
  }
  return applyEdits(sql, edits);
}

/**
 * BigQuery constructs that cannot give BigQuery's answer on a local DuckDB, found before
 * anything runs: a clear refusal (construct and line) is better than a different result.
 */
import type { Token } from "./tokens.ts";

export interface Refusal {
  readonly construct: string;
  readonly line: number;
  readonly why: string;
}

/** Function namespaces that only exist in BigQuery (remote models, external connections…). */
const NAMESPACES: Record<string, string> = {
  ML: "BigQuery ML models do not exist locally",
  AI: "BigQuery's AI functions call remote models",
  NET: "NET functions have no DuckDB equivalent",
  KEYS: "keysets and AEAD encryption have no DuckDB equivalent",
  AEAD: "keysets and AEAD encryption have no DuckDB equivalent",
  SAFE: "SAFE.-prefixed calls are not translated; use the plain function or SAFE_CAST",
  HLL_COUNT: "HyperLogLog++ sketches have no DuckDB equivalent",
};
/** Words refused wherever they appear (outside strings and comments). */
const WORDS: Record<string, string> = {
  EXTERNAL_QUERY: "it queries an external connection",
  VECTOR_SEARCH: "vector indexes do not exist locally",
  _TABLE_SUFFIX: "wildcard tables do not exist locally",
  BIGNUMERIC: "DuckDB decimals stop at 38 digits: BIGNUMERIC would be rounded",
  BIGDECIMAL: "DuckDB decimals stop at 38 digits: BIGDECIMAL would be rounded",
  TABLESAMPLE: "sampling picks different rows locally",
  INFORMATION_SCHEMA: "BigQuery's INFORMATION_SCHEMA views do not exist locally",
  ISOYEAR: "ISO years are not translated",
};
/** Scripting statements (first word of a statement). */
const SCRIPT = new Set(["DECLARE", "BEGIN", "LOOP", "WHILE", "REPEAT", "CALL", "EXECUTE", "RAISE", "IF", "FOR", "EXPORT", "LOAD"]);

export function refusals(tokens: readonly Token[]): Refusal[] {
  const found: Refusal[] = [];
  let statementStart = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    if (t.text === ";") {
      statementStart = true;
      continue;
    }
    if (statementStart && t.kind === "word" && SCRIPT.has(t.upper))
      found.push({ construct: `${t.upper} (scripting)`, line: t.line, why: "only single queries and DDL/DML statements are translated" });
    statementStart = false;
    if (t.kind !== "word") continue;
    if (next?.text === "." && after?.kind === "word" && tokens[i + 3]?.text === "(" && t.upper in NAMESPACES && tokens[i - 1]?.text !== ".")
      found.push({ construct: `${t.upper}.${after.upper}`, line: t.line, why: NAMESPACES[t.upper]! });
    else if (t.upper in WORDS) found.push({ construct: t.upper, line: t.line, why: WORDS[t.upper]! });
    else if (t.upper === "FOR" && next?.upper === "SYSTEM_TIME")
      found.push({ construct: "FOR SYSTEM_TIME AS OF", line: t.line, why: "time travel needs BigQuery's table history" });
    else if (t.upper === "WITH" && next?.upper === "OFFSET")
      found.push({
        construct: "UNNEST … WITH OFFSET",
        line: t.line,
        why: "the transpiler drops the offset's name and counts from 1; use GENERATE_ARRAY(0, ARRAY_LENGTH(a) - 1) AS i with a[OFFSET(i)]",
      });
    else if (t.upper === "LANGUAGE" && tokens[i - 1]?.upper !== "AS")
      found.push({ construct: `LANGUAGE ${next?.text ?? ""} function`.trim(), line: t.line, why: "JavaScript and remote UDFs cannot run locally" });
  }
  return found;
}

import { BQ_TYPE_ALIASES, type BqField } from "../../tables/bq-types.ts";
import { WarehouseError, type TableContractView } from "../warehouse.ts";
import type { RestField } from "./rows.ts";

/**
 * The gate before a write: the schema a dry run of the query reports (the columns the
 * job would write, names and types) against the contract's. Every contract column must
 * come out of the query with the contract's type (aliases such as INT64/INTEGER equal),
 * RECORDs field by field, REPEATED where the contract says REPEATED; a column the
 * contract does not know is refused too (BigQuery would add or reject it).
 *
 * A dry run cannot say whether a value will be NULL, so REQUIRED is left to BigQuery
 * itself: the destination table is the contract's (created by applyContract, written with
 * CREATE_NEVER), and a NULL into a REQUIRED column fails the job, which writes nothing.
 */
export function checkAgainstContract(result: readonly RestField[], contract: TableContractView): void {
  const where = `the contract of ${contract.namespace}/${contract.dataset}.${contract.table} v${contract.version}`;
  const problem = compare(result, contract.schema.fields, "");
  if (problem) throw new WarehouseError(`the query does not fit ${where}: ${problem}; nothing was written`);
}

function compare(result: readonly RestField[], expected: readonly BqField[], prefix: string): string | undefined {
  const byName = new Map(result.map((f) => [f.name.toLowerCase(), f]));
  for (const field of expected) {
    const path = `${prefix}${field.name}`;
    const got = byName.get(field.name.toLowerCase());
    if (!got) return `column ${path} (${field.type}) is missing from the query's result — select it (NULL AS ${field.name} if it has no value)`;
    const gotType = canonical(got.type);
    if (gotType !== field.type) return `column ${path} is ${gotType} in the query's result but ${field.type} in the contract — CAST it`;
    if ((field.mode === "REPEATED") !== (got.mode === "REPEATED")) {
      return `column ${path} is ${field.mode === "REPEATED" ? "an array (REPEATED)" : "not an array"} in the contract but ${got.mode === "REPEATED" ? "an array" : "a single value"} in the query's result`;
    }
    if (field.type === "RECORD") {
      const inner = compare(got.fields ?? [], field.fields ?? [], `${path}.`);
      if (inner) return inner;
    }
  }
  const known = new Set(expected.map((f) => f.name.toLowerCase()));
  const extra = result.find((f) => !known.has(f.name.toLowerCase()));
  if (extra) return `column ${prefix}${extra.name} is not in the contract — drop it from the query or add it to the contract`;
  return undefined;
}

function canonical(type: string): string {
  const upper = type.toUpperCase();
  return BQ_TYPE_ALIASES[upper] ?? upper;
}

import { ValidationError, type FieldProblem } from "../errors.ts";
import { parseTableDocument } from "./bq-schema.ts";
import type { BqField } from "./bq-types.ts";
import type { ContractSpec, FeedType } from "./contract-plan.ts";

/** The body of `PUT /tables/{namespace}/{dataset}.{table}` once zod has checked its shape. */
export interface TableContractInput {
  readonly schema: unknown;
  readonly feedType: FeedType;
  readonly keys?: readonly string[] | undefined;
  readonly description?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly version?: string | undefined;
}

/** Types BigQuery cannot compare with `=`, so a MERGE cannot match rows on them. */
const UNMATCHABLE_KEY_TYPES = ["RECORD", "JSON", "GEOGRAPHY"];

/**
 * Body → the contract it asks for: the schema parsed and normalised, keys checked
 * against the columns and spelled as the columns are. Throws a 400 listing every problem
 * with its JSON pointer.
 *
 * Defaults: the description is the body's, else the `bq show` table's own; a MODE_DELTA
 * table without `keys` takes the primary key of `tableConstraints` if the document has one.
 */
export function contractSpecOf(input: TableContractInput): ContractSpec {
  const parsed = parseTableDocument(input.schema, "/schema");
  if (!parsed.ok) throw invalid(parsed.problems);
  const { schema, description, primaryKey } = parsed.value;
  const requestedKeys = input.keys ?? (input.feedType === "MODE_DELTA" ? primaryKey : undefined) ?? [];
  const problems: FieldProblem[] = [];
  if (input.feedType === "MODE_DELTA" && requestedKeys.length === 0) {
    problems.push({
      pointer: "/keys",
      message: "MODE_DELTA merges each load into the table on its keys: give the top-level columns that identify a row, e.g. [\"order_id\"]",
    });
  }
  const columns = new Map<string, BqField>(schema.fields.map((f) => [f.name.toLowerCase(), f]));
  const keys: string[] = [];
  requestedKeys.forEach((key, i) => {
    const pointer = `/keys/${i}`;
    const column = columns.get(key.toLowerCase());
    if (!column) {
      const nested = key.includes(".") ? " (keys are top-level columns, not nested fields)" : "";
      problems.push({ pointer, message: `no top-level column named ${key}${nested}; columns: ${schema.fields.map((f) => f.name).join(", ")}` });
    } else if (column.mode === "REPEATED") {
      problems.push({ pointer, message: `column ${column.name} is REPEATED: a key holds one value per row` });
    } else if (UNMATCHABLE_KEY_TYPES.includes(column.type)) {
      problems.push({ pointer, message: `column ${column.name} is ${column.type}, which BigQuery cannot compare with =: it cannot be a key` });
    } else if (keys.includes(column.name)) {
      problems.push({ pointer, message: `column ${column.name} is listed twice` });
    } else {
      keys.push(column.name);
    }
  });
  if (problems.length > 0) throw invalid(problems);
  return { schema, feedType: input.feedType, keys, description: input.description ?? description ?? "", labels: input.labels ?? {} };
}

function invalid(problems: FieldProblem[]): ValidationError {
  const shown = problems.slice(0, 5).map((p) => `${p.pointer || "body"}: ${p.message}`).join("; ");
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more in errors[])` : "";
  return new ValidationError(`the table contract is invalid: ${shown}${more}`, problems);
}

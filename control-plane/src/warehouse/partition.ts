/**
 * BigQuery partition decorators on a destination table (`dataset.table$20260101`): a write
 * to that one day of a day-partitioned table. WRITE_TRUNCATE replaces only that day's rows,
 * WRITE_APPEND adds to it, and rows whose partition column falls outside the day are
 * refused (as BigQuery refuses them). Only day decorators are supported; a MERGE cannot
 * target a decorator (BigQuery's rule too).
 */
import { WarehouseError, type FeedType, type TableContractView, type TableId } from "./warehouse.ts";

/** What follows `$` in a table name: the decorators BigQuery knows, to name them when refusing. */
const DAY = /^(\d{4})(\d{2})(\d{2})$/;

export interface DayPartition {
  /** The table without its decorator. */
  readonly table: TableId;
  /** The day as `YYYY-MM-DD`. */
  readonly day: string;
  /** The decorator as written, `$YYYYMMDD`. */
  readonly decorator: string;
}

/** Why a decorator cannot be used, or undefined when it is a real day (`$20260101`). */
export function decoratorProblem(decorator: string): string | undefined {
  const m = DAY.exec(decorator);
  const instead = "write to the table itself (WRITE_APPEND, or MODE_DELTA on keys) instead";
  if (!m) {
    return `partition decorator $${decorator} is not supported: only day decorators $YYYYMMDD of a day-partitioned table are (hour, month, year, $__UNPARTITIONED__ and others are not); ${instead}`;
  }
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
    return `partition decorator $${decorator} is not a calendar day: write $YYYYMMDD, e.g. $20260101`;
  }
  return undefined;
}

/** Splits `table$YYYYMMDD` into the table and its day; undefined when the name has no decorator. */
export function dayPartitionOf(id: TableId): DayPartition | undefined {
  const at = id.table.indexOf("$");
  if (at < 0) return undefined;
  const decorator = id.table.slice(at + 1);
  const problem = decoratorProblem(decorator);
  if (problem) throw new WarehouseError(`${id.dataset}.${id.table}: ${problem}`);
  const [, y, m, d] = DAY.exec(decorator)!;
  return { table: { ...id, table: id.table.slice(0, at) }, day: `${y}-${m}-${d}`, decorator: `$${decorator}` };
}

/** The table a name refers to, without its decorator (contracts and ownership are the table's). */
export function withoutDecorator(id: TableId): TableId {
  const at = id.table.indexOf("$");
  return at < 0 ? id : { ...id, table: id.table.slice(0, at) };
}

/** A decorator cannot be merged into: said at validate/PUT (sql-query.ts) and at run time. */
export function mergeIntoDecoratorProblem(label: string, disposition: FeedType): string | undefined {
  return disposition === "MODE_DELTA"
    ? `${label}: MODE_DELTA cannot target a partition decorator (a MERGE works on the whole table, as in BigQuery): name the table without $… and keep the day in the query's filter`
    : undefined;
}

/**
 * The partition column of a day-partitioned contract, and its type, or a refusal saying
 * what the contract lacks (locally the day is found by that column; ingestion-time
 * partitioning has none).
 */
export function partitionColumnOf(label: string, decorator: string, contract: TableContractView | undefined): { name: string; type: "DATE" | "TIMESTAMP" | "DATETIME" } {
  const fix = `register its contract with timePartitioning { type: DAY, field: <a DATE or TIMESTAMP column> }, or write to the table without ${decorator}`;
  if (!contract) throw new WarehouseError(`${label}${decorator}: a partition decorator needs a day-partitioned table, and ${label} has no contract saying how it is partitioned: ${fix}`);
  const partitioning = contract.schema.timePartitioning;
  if (!partitioning || partitioning.type !== "DAY") {
    throw new WarehouseError(`${label}${decorator}: the contract of ${label} is not partitioned by day${partitioning ? ` (it is by ${partitioning.type})` : ""}: ${fix}`);
  }
  if (!partitioning.field) {
    throw new WarehouseError(`${label}${decorator}: ${label} is partitioned by ingestion time, which the local warehouse does not keep: ${fix}`);
  }
  const field = contract.schema.fields.find((f) => f.name.toLowerCase() === partitioning.field!.toLowerCase());
  const type = field?.type === "DATE" || field?.type === "TIMESTAMP" || field?.type === "DATETIME" ? field.type : undefined;
  if (!field || !type) throw new WarehouseError(`${label}${decorator}: the partition column ${partitioning.field} of ${label} is not a DATE, TIMESTAMP or DATETIME column of its contract: ${fix}`);
  return { name: field.name, type };
}

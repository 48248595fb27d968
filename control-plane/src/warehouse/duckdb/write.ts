import type { DuckDBConnection } from "@duckdb/node-api";
import { dayPartitionOf, mergeIntoDecoratorProblem, partitionColumnOf } from "../partition.ts";
import { WarehouseError, type QueryDestination, type QueryResult, type ResultColumn } from "../warehouse.ts";
import { checkAgainstContract, requiredColumns } from "./contract-gate.ts";
import { applyContractOn, ensureSchema, tableExists } from "./ddl.ts";
import { duckDbTableName, quoteIdent, tableLabel } from "./names.ts";
import { resultColumn } from "./types.ts";

/**
 * A write is ONE pass over the query's result, inside one transaction: the result's
 * columns are known from the prepared statement before anything runs (the contract's
 * columns and types are checked then), and the row checks — NULL in a REQUIRED column, a
 * duplicate MERGE key, a row outside a decorator's day — are guards in the statement
 * itself that raise DuckDB's `error()` on the first offending row. Any failure rolls the
 * transaction back, so the table keeps its old rows (WRITE_TRUNCATE is atomic).
 *
 * Why not materialise the result first and check it (as this did before): on 1,000,000
 * rows into 10,000,000 the copy, the separate checks and counting `RETURNING merge_action`
 * rows in JavaScript made a MERGE 2.17× and an append 1.54× the bare statement; guarded
 * in one pass the MERGE is 1.06–1.31× the same MERGE with its checks written by hand (the
 * key check itself is what the bare statement skips) and the append 0.95–1.26× the bare
 * INSERT (ARCHITECTURE.md "Warehouse", `npm run bench -- warehouse`).
 * The price: a guard names the first offending row it meets, not how many there are.
 */
export async function write(connection: DuckDBConnection, sql: string, destination: QueryDestination): Promise<Omit<QueryResult, "durationMs">> {
  // `table$YYYYMMDD` (partition.ts): the write is confined to that day of the table.
  const partition = dayPartitionOf(destination.table);
  const table = partition?.table ?? destination.table;
  const target = duckDbTableName(table);
  const label = tableLabel(table);
  const day = partition && dayFilter(label, partition, destination);
  const source = singleStatement(sql, label);
  const columns = await resultColumns(connection, source);
  const { contract } = destination;
  if (contract) checkAgainstContract(columns, contract);
  const keys = destination.disposition === "MODE_DELTA" ? mergeKeys(columns, destination.keys ?? contract?.keys ?? [], label) : [];
  const guarded = guardedSource(source, columns, { required: contract ? requiredColumns(contract) : [], keys, day, label });
  await connection.run("BEGIN TRANSACTION");
  try {
    if (!(await tableExists(connection, table))) {
      if (contract) await applyContractOn(connection, contract, false);
      else {
        // No contract, no gate: the table takes the result's shape, as BigQuery creates it.
        await ensureSchema(connection, table.dataset);
        await connection.run(`CREATE TABLE ${target} AS SELECT * FROM (${source}\n) LIMIT 0`);
      }
    }
    const counts = { rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0 };
    const names = columns.map((c) => quoteIdent(c.name));
    if (destination.disposition === "MODE_DELTA") {
      // MERGE's count is of the rows it acted on; the table's growth is what it inserted.
      const before = await rowCount(connection, target);
      const acted = await changed(connection, mergeStatement(target, guarded, columns.map((c) => c.name), keys));
      counts.rowsInserted = (await rowCount(connection, target)) - before;
      counts.rowsUpdated = acted - counts.rowsInserted;
    } else {
      // With a decorator, WRITE_TRUNCATE replaces that day's partition only (BigQuery's meaning).
      if (destination.disposition === "WRITE_TRUNCATE") counts.rowsDeleted = await changed(connection, `DELETE FROM ${target}${day ? ` WHERE ${day.predicate}` : ""}`);
      counts.rowsInserted = await changed(connection, `INSERT INTO ${target} (${names.join(", ")}) ${guarded}`);
    }
    await connection.run("COMMIT");
    return counts;
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => undefined);
    throw guardFailure(error) ?? error;
  }
}

/** The result's columns as DuckDB binds the query: nothing runs. */
async function resultColumns(connection: DuckDBConnection, source: string): Promise<ResultColumn[]> {
  const prepared = await connection.prepare(source);
  try {
    return Array.from({ length: prepared.columnCount }, (_, i) => resultColumn(prepared.columnName(i), prepared.columnType(i)));
  } finally {
    prepared.destroySync();
  }
}

interface DayFilter {
  /** True for a row of the day, on the partition column (false or NULL otherwise). */
  readonly predicate: string;
  readonly column: string;
  readonly what: string;
}

/** The day of a decorated destination as a predicate on the contract's partition column (a TIMESTAMP's day is UTC's, as BigQuery's). */
function dayFilter(label: string, partition: { day: string; decorator: string }, destination: QueryDestination): DayFilter {
  const refused = mergeIntoDecoratorProblem(`${label}${partition.decorator}`, destination.disposition);
  if (refused) throw new WarehouseError(refused);
  const column = partitionColumnOf(label, partition.decorator, destination.contract);
  const c = quoteIdent(column.name);
  const start = column.type === "DATE" ? "" : column.type === "TIMESTAMP" ? `TIMESTAMPTZ '${partition.day} 00:00:00+00'` : `TIMESTAMP '${partition.day} 00:00:00'`;
  const predicate = column.type === "DATE" ? `${c} = DATE '${partition.day}'` : `(${c} >= ${start} AND ${c} < ${start} + INTERVAL 1 DAY)`;
  return { predicate, column: column.name, what: `the partition ${partition.decorator} of ${label} (${column.name} on ${partition.day}${column.type === "TIMESTAMP" ? " UTC" : ""})` };
}

function mergeKeys(columns: readonly ResultColumn[], keys: readonly string[], label: string): readonly string[] {
  if (keys.length === 0) throw new WarehouseError(`MODE_DELTA into ${label} needs keys: give the task keys, or the table's contract`);
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c.name]));
  const absent = keys.find((k) => !byName.has(k.toLowerCase()));
  if (absent) throw new WarehouseError(`MODE_DELTA into ${label} merges on ${keys.join(", ")}, but the result has no column ${absent}: select it`);
  return keys.map((k) => byName.get(k.toLowerCase())!);
}

/** Marks our guards' messages among DuckDB's errors (guardFailure takes it off). */
const GUARD = "meshplane-guard: ";
const GROUP_SIZE = quoteIdent("__meshplane_rows_with_key");

/**
 * The query wrapped so that its first bad row fails the statement: each guard is a CASE
 * on the column it checks (DuckDB evaluates only the branch a row takes, so `error()` runs
 * for offending rows alone). Duplicate MERGE keys are counted by a window over the keys:
 * BigQuery's MERGE fails when two source rows match one target row; DuckDB would apply both.
 */
function guardedSource(source: string, columns: readonly ResultColumn[], checks: { required: readonly string[]; keys: readonly string[]; day: DayFilter | undefined; label: string }): string {
  const required = new Set(checks.required.map((c) => c.toLowerCase()));
  const firstKey = checks.keys[0]?.toLowerCase();
  const select = columns.map(({ name }) => {
    const c = quoteIdent(name);
    const lower = name.toLowerCase();
    const guards: string[] = [];
    if (lower === firstKey) {
      const value = checks.keys.map((k) => `'${sqlText(k)} = ' || coalesce(CAST(to_json(${quoteIdent(k)}) AS VARCHAR), 'NULL')`).join(" || ', ' || ");
      const hint = `; keys must be unique in the source (deduplicate it, e.g. QUALIFY ROW_NUMBER() OVER (PARTITION BY ${checks.keys.join(", ")} ORDER BY …) = 1)`;
      guards.push(`WHEN ${GROUP_SIZE} > 1 THEN error(${text(`${GUARD}MODE_DELTA into ${checks.label}: the result has `)} || ${GROUP_SIZE} || ' rows with ' || ${value} || ${text(hint)})`);
    }
    if (required.has(lower)) {
      guards.push(`WHEN ${c} IS NULL THEN error(${text(`${GUARD}column ${name} is REQUIRED in the contract of ${checks.label}, but the result has NULL there: nothing was written`)})`);
    }
    const day = checks.day;
    if (day && lower === day.column.toLowerCase()) {
      const seen = `coalesce(CAST(${c} AS VARCHAR), 'NULL')`;
      guards.push(
        `WHEN NOT coalesce(${day.predicate}, false) THEN error(${text(`${GUARD}a row of the result has ${day.column} = `)} || ${seen} || ${text(`, outside ${day.what}: nothing was written; filter the query on ${day.column}, or write to the table without the decorator`)})`,
      );
    }
    return guards.length === 0 ? c : `CASE ${guards.join(" ")} ELSE ${c} END AS ${c}`;
  });
  const keyed = checks.keys.length > 0 ? `SELECT *, count(*) OVER (PARTITION BY ${checks.keys.map(quoteIdent).join(", ")}) AS ${GROUP_SIZE} FROM (${source}\n)` : source;
  return `SELECT ${select.join(", ")} FROM (${keyed}\n) AS __meshplane_result`;
}

function mergeStatement(target: string, source: string, columns: readonly string[], keys: readonly string[]): string {
  const keySet = new Set(keys.map((key) => key.toLowerCase()));
  const others = columns.filter((c) => !keySet.has(c.toLowerCase())).map(quoteIdent);
  const all = columns.map(quoteIdent);
  return (
    `MERGE INTO ${target} AS t USING (${source}\n) AS s ON ${keys.map(quoteIdent).map((c) => `t.${c} = s.${c}`).join(" AND ")}` +
    (others.length > 0 ? ` WHEN MATCHED THEN UPDATE SET ${others.map((c) => `${c} = s.${c}`).join(", ")}` : "") +
    ` WHEN NOT MATCHED THEN INSERT (${all.join(", ")}) VALUES (${all.map((c) => `s.${c}`).join(", ")})`
  );
}

/** A guard's own message (DuckDB prefixes it with "Invalid Input Error: "), else undefined. */
function guardFailure(error: unknown): WarehouseError | undefined {
  const message = (error as Error)?.message ?? "";
  const at = message.indexOf(GUARD);
  return at < 0 ? undefined : new WarehouseError(message.slice(at + GUARD.length));
}

function text(value: string): string {
  return `'${sqlText(value)}'`;
}
function sqlText(value: string): string {
  return value.replaceAll("'", "''");
}

async function rowCount(connection: DuckDBConnection, target: string): Promise<number> {
  return Number((await connection.runAndReadAll(`SELECT count(*) AS n FROM ${target}`)).getRows()[0]![0]);
}

async function changed(connection: DuckDBConnection, sql: string): Promise<number> {
  const result = await connection.run(sql);
  return Number(result.rowsChanged);
}

/** A write takes one SELECT (as a BigQuery job with a destination table does): a trailing `;` is fine, a script is not. */
function singleStatement(sql: string, label: string): string {
  const trimmed = sql.trim().replace(/;\s*$/, "");
  // Only a cheap guard: DuckDB itself rejects anything that is not a query once it is wrapped as a subquery.
  if (/;\s*\S/.test(trimmed.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, ""))) {
    throw new WarehouseError(`a query writing to ${label} must be one SELECT; it has several statements: move the others to tasks of their own`);
  }
  return trimmed;
}

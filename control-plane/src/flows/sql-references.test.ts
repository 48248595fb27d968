import { describe, expect, it } from "vitest";
import { sqlReferences, type TableName } from "./sql-references.ts";

const names = (ts: TableName[]) => ts.map((t) => (t.project ? `${t.project}.${t.dataset}.${t.table}` : `${t.dataset}.${t.table}`)).sort();
const reads = (sql: string) => names(sqlReferences(sql).reads);
const writes = (sql: string) => names(sqlReferences(sql).writes);

describe("sqlReferences", () => {
  it("finds dataset.table and project.dataset.table, backticked or not", () => {
    expect(reads("SELECT * FROM retail_sales.orders")).toEqual(["retail_sales.orders"]);
    expect(reads("SELECT * FROM `retail_sales.orders`")).toEqual(["retail_sales.orders"]);
    expect(reads("SELECT * FROM `my-project.retail_sales.orders`")).toEqual(["my-project.retail_sales.orders"]);
    expect(reads("SELECT * FROM `my-project`.retail_sales.`orders`")).toEqual(["my-project.retail_sales.orders"]);
    expect(reads("SELECT * FROM my-project.retail_sales.orders")).toEqual(["my-project.retail_sales.orders"]);
  });

  it("ignores names in comments and string literals", () => {
    const sql = `
      -- FROM commented.out
      # FROM hash.comment
      /* JOIN block.comment
         FROM still.comment */
      SELECT 'FROM quoted.single', "FROM quoted.double", '''FROM triple.single''', """FROM
        triple.double""", r'FROM raw.string\\\\', r'\\'FROM raw.quote', b"FROM bytes.string", 'it\\'s FROM escaped.quote'
      FROM real.table`;
    expect(reads(sql)).toEqual(["real.table"]);
  });

  it("does not take column references or aliases for tables", () => {
    const sql = "SELECT o.order_id, c.name, EXTRACT(DAY FROM o.created_at) FROM sales.orders AS o JOIN sales.customers c ON o.customer_id = c.id WHERE c.region.code = 'x'";
    expect(reads(sql)).toEqual(["sales.customers", "sales.orders"]);
  });

  it("follows comma joins, subqueries, CTEs and UNNEST", () => {
    const sql = `
      WITH recent AS (SELECT * FROM sales.orders WHERE day > '2024-01-01')
      SELECT * FROM recent r, sales.returns x, UNNEST(r.items) AS item
      JOIN (SELECT id FROM \`proj-1.stock.levels\`) s USING (id)
      WHERE r.id IN (SELECT id FROM audit.flags)`;
    expect(reads(sql)).toEqual(["audit.flags", "proj-1.stock.levels", "sales.orders", "sales.returns"]);
  });

  it("separates reads from writes (INSERT, MERGE, CREATE, DELETE, UPDATE, TRUNCATE)", () => {
    const sql = `
      INSERT INTO ods.orders (id) SELECT id FROM raw.orders;
      MERGE ods.customers T USING raw.customers S ON T.id = S.id WHEN MATCHED THEN UPDATE SET name = S.name WHEN NOT MATCHED THEN INSERT ROW;
      CREATE OR REPLACE TABLE mart.daily AS SELECT * FROM ods.orders;
      CREATE TABLE IF NOT EXISTS mart.empty (id INT64);
      DELETE FROM ods.stale WHERE true;
      UPDATE ods.flags SET x = 1 FROM raw.flags WHERE true;
      TRUNCATE TABLE tmp.scratch;
      MERGE INTO ods.more M USING (SELECT 1) S ON false WHEN NOT MATCHED THEN INSERT ROW`;
    expect(writes(sql)).toEqual(["mart.daily", "mart.empty", "ods.customers", "ods.flags", "ods.more", "ods.orders", "ods.stale", "tmp.scratch"]);
    expect(reads(sql)).toEqual(["ods.orders", "raw.customers", "raw.flags", "raw.orders"]);
  });

  it("skips single-part names, INFORMATION_SCHEMA and unterminated input without throwing", () => {
    expect(reads("SELECT * FROM orders")).toEqual([]);
    expect(reads("SELECT * FROM `region-us`.INFORMATION_SCHEMA.JOBS")).toEqual([]);
    expect(reads("SELECT * FROM a.b WHERE x = 'unterminated")).toEqual(["a.b"]);
    expect(reads("SELECT * FROM `a.b")).toEqual(["a.b"]);
    expect(reads("/* never closed FROM x.y")).toEqual([]);
    expect(reads("")).toEqual([]);
  });

  it("is case-insensitive on keywords and keeps each table once", () => {
    expect(reads("select * from Sales.Orders join sales.orders on true left join Sales.Orders using(id)")).toEqual(["Sales.Orders", "sales.orders"]);
  });

  it("issue 13's misses: parenthesised joins, alias paths, r'\\'' raw strings, CLONE, unquoted ids with digits", () => {
    expect(reads("SELECT * FROM (ds.a JOIN ds.b USING (k)) WHERE x = 1")).toEqual(["ds.a", "ds.b"]);
    expect(reads("SELECT * FROM ds.orders o, o.items AS i")).toEqual(["ds.orders"]);
    expect(reads("SELECT * FROM ds.orders AS o JOIN o.items")).toEqual(["ds.orders"]);
    // BigQuery reads r'\'' as the two characters \' (a backslash still protects the quote).
    expect(reads("SELECT r'\\'FROM not.read' FROM ds.t")).toEqual(["ds.t"]);
    expect(sqlReferences("CREATE TABLE ds.copy CLONE ds.src")).toEqual({ reads: [{ dataset: "ds", table: "src" }], writes: [{ dataset: "ds", table: "copy" }] });
    expect(reads("SELECT * FROM my-project-123.ds.t")).toEqual(["my-project-123.ds.t"]);
  });
});

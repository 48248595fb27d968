import { describe, expect, it } from "vitest";
import { findTableReferences, referenceName, SqlSyntaxError } from "./sql-references.ts";
import { tokenizeSql } from "./sql-tokenizer.ts";

const reads = (sql: string) => findTableReferences(sql).tables.filter((t) => t.role === "read").map(referenceName);
const writes = (sql: string) => findTableReferences(sql).tables.filter((t) => t.role === "write").map(referenceName);

describe("tokenizeSql", () => {
  it("keeps strings opaque and drops comments", () => {
    const tokens = tokenizeSql("SELECT 'a -- b', \"c # d\" -- e\n# f\n/* g */ FROM x");
    expect(tokens.map((t) => `${t.kind}:${t.text}`)).toEqual(["word:SELECT", "string:'a -- b'", "punct:,", 'string:"c # d"', "word:FROM", "word:x"]);
  });

  it("lexes triple-quoted, raw and bytes strings with any prefix case and order", () => {
    const sql = `'''it's
multi''' R'\\d+' b"\\x00" rB'\\'' Br"""x"""`;
    expect(tokenizeSql(sql).map((t) => t.kind)).toEqual(["string", "string", "string", "string", "string"]);
  });

  it("lets a backslash escape the quote in any string", () => {
    expect(tokenizeSql(String.raw`'a\'b' x`).map((t) => t.text)).toEqual([String.raw`'a\'b'`, "x"]);
    expect(tokenizeSql(String.raw`r'a\'b' x`).map((t) => t.text)).toEqual([String.raw`r'a\'b'`, "x"]);
  });

  it("resolves escapes inside backticks and keeps the dots", () => {
    const [t] = tokenizeSql("`my-project.sales.odd\\`name`");
    expect(t).toMatchObject({ kind: "quoted", text: "my-project.sales.odd`name" });
  });

  it("treats a word that merely looks like a prefix as a word", () => {
    expect(tokenizeSql("SELECT r, b, rb FROM t").filter((t) => t.kind === "word").map((t) => t.text)).toEqual(["SELECT", "r", "b", "rb", "FROM", "t"]);
  });

  it("refuses unterminated strings, identifiers and comments, with the offset where they start", () => {
    expect(() => tokenizeSql("SELECT 'abc\nFROM x")).toThrow(SqlSyntaxError);
    try {
      tokenizeSql("SELECT 1 /* never closed");
    } catch (error) {
      expect(error).toMatchObject({ problem: "unterminated /* comment", offset: 9 });
    }
    expect(() => tokenizeSql("SELECT '''abc")).toThrow(/unterminated ''' string literal/);
    expect(() => tokenizeSql("FROM `ds.t")).toThrow(/unterminated `quoted identifier`/);
  });
});

describe("findTableReferences", () => {
  it("finds dataset.table and project.dataset.table, with or without backticks", () => {
    const sql = `SELECT * FROM sales.orders
JOIN \`sales.customers\` USING (customer_id)
JOIN \`my-project\`.\`supply\`.\`stock\` s ON TRUE
JOIN \`my-project.supply\`.items i ON TRUE
JOIN my-project-2.supply.prices p ON TRUE`;
    expect(reads(sql)).toEqual(["sales.orders", "sales.customers", "my-project.supply.stock", "my-project.supply.items", "my-project-2.supply.prices"]);
  });

  it("reports line and column of each reference", () => {
    const refs = findTableReferences("SELECT 1\nFROM\n    sales.orders").tables;
    expect(refs).toEqual([{ dataset: "sales", table: "orders", role: "read", offset: 18, line: 3, column: 5, end: 30 }]);
  });

  it("ignores names in comments of every kind", () => {
    const sql = `-- FROM sales.a
# FROM sales.b
/* FROM sales.c
   JOIN sales.d */
SELECT 1 FROM sales.real -- JOIN sales.e`;
    expect(reads(sql)).toEqual(["sales.real"]);
  });

  it("ignores names in string literals of every kind", () => {
    const sql = `SELECT 'FROM sales.a', "JOIN sales.b", '''
FROM sales.c''', """FROM sales.d""", r'FROM sales.e', b"FROM sales.f", 'it\\'s FROM sales.g'
FROM sales.real`;
    expect(reads(sql)).toEqual(["sales.real"]);
  });

  it("does not take alias.column or struct paths for tables", () => {
    const sql = "SELECT o.order_id, o.customer.name, sales.orders FROM sales.orders AS o WHERE o.day = CURRENT_DATE() ORDER BY o.order_id";
    expect(reads(sql)).toEqual(["sales.orders"]);
  });

  it("never reports CTE names, and lists one-part names that are not CTEs", () => {
    const sql = `WITH recent AS (SELECT * FROM sales.orders WHERE day > '2024-01-01'),
  \`totals\` AS (SELECT customer_id, SUM(amount) AS amount FROM recent GROUP BY 1),
  ranked AS (SELECT * FROM totals JOIN sales.customers c USING (customer_id))
SELECT * FROM ranked, landing_orders`;
    const found = findTableReferences(sql);
    expect(found.tables.map(referenceName)).toEqual(["sales.orders", "sales.customers"]);
    expect(found.cteNames).toEqual(["recent", "totals", "ranked"]);
    expect(found.unqualified.map((u) => u.name)).toEqual(["landing_orders"]);
  });

  it("handles recursive CTEs and CTEs inside subqueries", () => {
    const sql = `WITH RECURSIVE tree AS (SELECT id FROM org.nodes UNION ALL SELECT n.id FROM org.nodes n JOIN tree t ON n.parent = t.id)
SELECT * FROM (WITH x AS (SELECT 1 FROM org.extra) SELECT * FROM x) JOIN tree USING (id)`;
    expect(reads(sql)).toEqual(["org.nodes", "org.extra"]);
    expect(findTableReferences(sql).unqualified).toEqual([]);
  });

  it("follows comma-separated FROM lists, but not commas of the SELECT list or GROUP BY", () => {
    const sql = "SELECT a.x, b.y FROM sales.a a, sales.b AS b, `sales.c` WHERE a.id = b.id GROUP BY a.x, b.y";
    expect(reads(sql)).toEqual(["sales.a", "sales.b", "sales.c"]);
  });

  it("skips correlated array paths through an explicit alias, even one declared later", () => {
    const sql = `SELECT (SELECT COUNT(*) FROM o.items) AS n
FROM sales.orders AS o, o.lines AS l
LEFT JOIN l.discounts d ON TRUE
CROSS JOIN UNNEST(o.tags) AS tag`;
    expect(reads(sql)).toEqual(["sales.orders"]);
  });

  it("does not take EXTRACT(… FROM …) or IS DISTINCT FROM for a table", () => {
    const sql = "SELECT EXTRACT(DAY FROM o.ts), a.x IS DISTINCT FROM b.y, a.x IS NOT DISTINCT FROM b.z FROM sales.o AS o, sales.a AS a";
    expect(reads(sql)).toEqual(["sales.o", "sales.a"]);
  });

  it("ignores UNNEST, subqueries and table-valued functions, but reads TABLE arguments", () => {
    const sql = `SELECT * FROM UNNEST([1, 2]) AS n
JOIN (SELECT * FROM sales.inner_t) AS sub ON TRUE
JOIN sales.my_tvf(1, 2) AS f ON TRUE
JOIN ML.PREDICT(MODEL sales.model, TABLE sales.features) AS p ON TRUE
JOIN APPENDS(TABLE \`sales.events\`, NULL, NULL) AS ap ON TRUE`;
    expect(reads(sql)).toEqual(["sales.inner_t", "sales.features", "sales.events"]);
  });

  it("keeps table names that start with a digit, and wildcard tables", () => {
    expect(reads("SELECT * FROM raw.2024_orders JOIN raw.`1st` ON TRUE JOIN raw.events_* ON TRUE JOIN `raw.logs_*` ON TRUE")).toEqual([
      "raw.2024_orders",
      "raw.1st",
      "raw.events_*",
      "raw.logs_*",
    ]);
  });

  it("reads no table in a VALUES list, and never a number as a path", () => {
    const sql = "SELECT * FROM (VALUES (1, 1.0, 'a'), (NULL, 2.0, 'b')) AS v(id, amount, name) JOIN sales.t ON TRUE, (SELECT 3.5 AS x) s";
    const refs = findTableReferences(sql);
    expect(refs.tables.map(referenceName)).toEqual(["sales.t"]);
    expect(refs.unqualified).toEqual([]);
  });

  it("ignores INFORMATION_SCHEMA and paths of four parts", () => {
    expect(reads("SELECT * FROM sales.INFORMATION_SCHEMA.TABLES JOIN `region-eu`.INFORMATION_SCHEMA.JOBS ON TRUE JOIN a.b.c.d ON TRUE")).toEqual([]);
  });

  it("tells writes from reads in DML and DDL", () => {
    const sql = `INSERT INTO sales.log (a) SELECT a FROM sales.src;
INSERT sales.log2 SELECT 1;
MERGE sales.target T USING sales.delta S ON T.id = S.id
  WHEN MATCHED THEN UPDATE SET x = S.x
  WHEN NOT MATCHED THEN INSERT ROW;
UPDATE sales.u SET x = 1 FROM sales.v WHERE u.id = v.id;
DELETE FROM sales.d WHERE TRUE;
DELETE sales.d2 WHERE id IN (SELECT id FROM sales.gone);
TRUNCATE TABLE sales.t;
CREATE OR REPLACE TEMP TABLE tmp AS SELECT 1;
CREATE TABLE IF NOT EXISTS sales.c (a INT64);
CREATE OR REPLACE VIEW sales.v2 AS SELECT * FROM sales.base;
CREATE MATERIALIZED VIEW sales.mv AS SELECT 1;
CREATE TABLE sales.copy COPY sales.original;
CREATE TABLE sales.clone CLONE sales.source_t;
DROP TABLE IF EXISTS sales.old;
ALTER TABLE sales.alt ADD COLUMN x INT64;
LOAD DATA OVERWRITE sales.loaded FROM FILES (format = 'CSV', uris = ['gs://b/x.csv']);
CREATE TEMP FUNCTION f(x INT64) AS (x);
CREATE TABLE FUNCTION sales.tvf(x INT64) AS SELECT 1`;
    expect(writes(sql)).toEqual([
      "sales.log",
      "sales.log2",
      "sales.target",
      "sales.u",
      "sales.d",
      "sales.d2",
      "sales.t",
      "sales.c",
      "sales.v2",
      "sales.mv",
      "sales.copy",
      "sales.clone",
      "sales.old",
      "sales.alt",
      "sales.loaded",
    ]);
    expect(reads(sql)).toEqual(["sales.src", "sales.delta", "sales.v", "sales.gone", "sales.base", "sales.original", "sales.source_t"]);
  });

  it("does not take keywords after a dot or JOIN … USING (cols) for tables", () => {
    expect(reads("SELECT t.from, t.select FROM sales.t AS t JOIN sales.u USING (id)")).toEqual(["sales.t", "sales.u"]);
  });

  it("reports each table once per role, at its first occurrence", () => {
    const refs = findTableReferences("SELECT * FROM a.b UNION ALL SELECT * FROM a.b; INSERT a.b SELECT 1").tables;
    expect(refs.map((r) => `${r.role}:${referenceName(r)}@${r.offset}`)).toEqual(["read:a.b@14", "write:a.b@54"]);
  });

  it("keeps aliases per statement of a script", () => {
    const sql = "SELECT * FROM ds.t AS other; SELECT * FROM other.table_x";
    expect(reads(sql)).toEqual(["ds.t", "other.table_x"]);
  });

  it("reads pipe syntax and FOR SYSTEM_TIME AS OF", () => {
    expect(reads("FROM sales.orders |> JOIN sales.c USING (id) |> WHERE TRUE")).toEqual(["sales.orders", "sales.c"]);
    expect(reads("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR) o, sales.b")).toEqual([
      "sales.orders",
      "sales.b",
    ]);
  });

  it("reads the tables of a parenthesized join, and skips correlated paths through UNNEST and subquery aliases", () => {
    expect(reads("SELECT * FROM (sales.a AS a JOIN sales.b AS b USING (id)) LEFT JOIN (sales.c JOIN (sales.d) USING (id)) ON TRUE")).toEqual(["sales.a", "sales.b", "sales.c", "sales.d"]);
    expect(reads("SELECT * FROM sales.t AS t, UNNEST(t.arr) AS x, x.inner_arr, (SELECT * FROM sales.u) AS sub, sub.items")).toEqual(["sales.t", "sales.u"]);
    expect(reads("SELECT * FROM UNNEST(ARRAY<STRUCT<a INT64>>[(1)]) AS s JOIN sales.v USING (a)")).toEqual(["sales.v"]);
  });

  it("reads MERGE … USING (subquery) and correlated EXISTS", () => {
    const sql = "MERGE INTO sales.t T USING (SELECT * FROM sales.s) S ON T.id = S.id WHEN NOT MATCHED THEN INSERT (id) VALUES (S.id)";
    expect([reads(sql), writes(sql)]).toEqual([["sales.s"], ["sales.t"]]);
    expect(reads("SELECT * FROM sales.a AS a WHERE EXISTS (SELECT 1 FROM sales.b AS b WHERE b.x = a.x)")).toEqual(["sales.a", "sales.b"]);
  });

  it("does not mistake template placeholders or set operations for tables", () => {
    expect(reads("SELECT * FROM ${dataset}.t JOIN {{ ref('x') }} ON TRUE")).toEqual([]);
    expect(reads("SELECT * FROM sales.x EXCEPT DISTINCT SELECT * FROM sales.y")).toEqual(["sales.x", "sales.y"]);
  });

  it("keeps backticked names with spaces or keywords", () => {
    expect(reads("SELECT * FROM `sales.my table` JOIN `select`.`from` ON TRUE")).toEqual(["sales.my table", "select.from"]);
  });

  it("sees nothing in dynamic SQL (documented: use depends_on)", () => {
    expect(reads("EXECUTE IMMEDIATE 'SELECT * FROM sales.hidden'")).toEqual([]);
  });

  it("handles `${` and `%{` in SQL like any other characters", () => {
    expect(reads("SELECT '${var}', '%{x}' FROM sales.t WHERE a = '${b}'")).toEqual(["sales.t"]);
  });

  it("survives empty and comment-only SQL", () => {
    expect(findTableReferences("")).toEqual({ tables: [], occurrences: [], unqualified: [], cteNames: [] });
    expect(findTableReferences("-- nothing\n/* here */")).toEqual({ tables: [], occurrences: [], unqualified: [], cteNames: [] });
  });
});

// The shared rules, tested once for the three packages that use them (the control
// plane, the provider, the modules). The SQL reader's finer behaviour is in
// sql-references.test.ts; here are the probe queries on which the readers once disagreed.
import { describe, expect, it } from "vitest";
import { cronProblem, escapePointerToken, FEED_TYPES, findTableReferences, isFeedType, isTimeZone, nameProblem, namespaceProblem, parsePointer, pointerOf, referenceName } from "./index.ts";

const refs = (sql: string) => {
  const { tables } = findTableReferences(sql);
  return { reads: tables.filter((t) => t.role === "read").map(referenceName), writes: tables.filter((t) => t.role === "write").map(referenceName) };
};

describe("the 12 probe queries", () => {
  const probes: [string, string, string[], string[]][] = [
    ["a parenthesised join reads both tables", "SELECT * FROM (ds.a JOIN ds.b USING (k)) WHERE x = 1", ["ds.a", "ds.b"], []],
    ["a path through an alias is an array, not a table", "SELECT * FROM ds.orders o, o.items AS i", ["ds.orders"], []],
    ["r'\\'' is one literal: reading goes on after it", "SELECT r'\\'' AS s, 'FROM no.table' AS t FROM ds.t", ["ds.t"], []],
    ["CLONE reads its source", "CREATE TABLE ds.copy CLONE ds.src", ["ds.src"], ["ds.copy"]],
    ["an unquoted project id with dashes and digits", "SELECT * FROM my-project-123.ds.t", ["my-project-123.ds.t"], []],
    ["comments and strings of every kind hide names", "-- FROM c.a\n# FROM c.b\n/* JOIN c.c */ SELECT 'FROM s.a', \"FROM s.b\", '''FROM s.c''', b'FROM s.d' FROM ds.real", ["ds.real"], []],
    ["backticks around the path, a part or a run of parts", "SELECT * FROM `my-project.ds.t` JOIN `ds`.`u` ON TRUE JOIN `p-1.ds`.v ON TRUE", ["my-project.ds.t", "ds.u", "p-1.ds.v"], []],
    ["a CTE name is not a table", "WITH recent AS (SELECT * FROM ds.orders) SELECT * FROM recent JOIN ds.customers USING (id)", ["ds.orders", "ds.customers"], []],
    ["UNNEST of an alias' array reads nothing", "SELECT item FROM ds.orders AS o, UNNEST(o.items) AS item", ["ds.orders"], []],
    ["MERGE INTO writes its target and reads USING", "MERGE INTO ds.target T USING ds.source S ON T.id = S.id WHEN MATCHED THEN UPDATE SET x = S.x WHEN NOT MATCHED THEN INSERT ROW", ["ds.source"], ["ds.target"]],
    ["INSERT INTO … SELECT and CREATE TABLE … AS", "INSERT INTO ds.out (id) SELECT id FROM ds.in;\nCREATE OR REPLACE TABLE ds.daily AS SELECT * FROM ds.out", ["ds.in", "ds.out"], ["ds.out", "ds.daily"]],
    ["DELETE FROM writes; its subquery reads", "DELETE FROM ds.stale WHERE id IN (SELECT id FROM ds.keep)", ["ds.keep"], ["ds.stale"]],
  ];
  it.each(probes)("%s", (_name, sql, reads, writes) => {
    expect(refs(sql)).toEqual({ reads, writes });
  });

  it("lenient mode (the control plane's stored flows) keeps what comes before an unterminated literal", () => {
    expect(() => findTableReferences("SELECT * FROM ds.a WHERE x = 'open")).toThrow(/unterminated/);
    const lenient = (sql: string) => findTableReferences(sql, { lenient: true }).tables.map(referenceName);
    expect(lenient("SELECT * FROM ds.a WHERE x = 'open\nUNION ALL SELECT * FROM ds.b")).toEqual(["ds.a", "ds.b"]);
    expect(lenient("SELECT * FROM ds.a /* never closed FROM ds.b")).toEqual(["ds.a"]);
    expect(lenient("SELECT * FROM `ds.c")).toEqual(["ds.c"]);
  });
});

describe("feed types", () => {
  it("are the three ways a load writes a table", () => {
    expect(FEED_TYPES).toEqual(["WRITE_APPEND", "WRITE_TRUNCATE", "MODE_DELTA"]);
    expect(isFeedType("MODE_DELTA")).toBe(true);
    expect(isFeedType("mode_delta")).toBe(false);
    expect(isFeedType(undefined)).toBe(false);
  });
});

describe("namespace rules (the control plane's limits and messages)", () => {
  it("accepts dotted [a-z0-9_] segments, up to 10 segments and 200 characters", () => {
    expect(namespaceProblem("retail.sales")).toBeNull();
    expect(namespaceProblem("a.b.c.d.e.f.g.h.i.j")).toBeNull();
    expect(namespaceProblem("n".repeat(200))).toBeNull();
  });
  it("names the first rule broken", () => {
    expect(namespaceProblem("n".repeat(201))).toBe("must be at most 200 characters");
    expect(namespaceProblem("Retail.Sales")).toBe("must be dot-separated segments of [a-z0-9_], such as `retail.sales`");
    expect(namespaceProblem("retail..sales")).toBe("must be dot-separated segments of [a-z0-9_], such as `retail.sales`");
    expect(namespaceProblem("a.b.c.d.e.f.g.h.i.j.k")).toBe("must have at most 10 segments");
  });
  it("checks the other names with their length limits", () => {
    expect(nameProblem("team", "sales")).toBeNull();
    expect(nameProblem("team", "Sales")).toMatch(/^must be 1-63 characters/);
    expect(nameProblem("flowId", "f".repeat(101))).toBe("must be at most 100 characters");
    expect(nameProblem("table", "orders-2024")).toBeNull();
    expect(nameProblem("dataset", "orders-2024")).toBe("must be letters, digits or '_' (a BigQuery dataset id)");
  });
});

describe("cron, in its time zone", () => {
  it("accepts 5 or 6 fields and aliases, in any IANA zone", () => {
    expect(cronProblem("0 3 * * *")).toBeNull();
    expect(cronProblem("30 2 * * *", "Europe/Paris")).toBeNull();
    expect(cronProblem("0 0 3 * * *", "America/New_York")).toBeNull();
    expect(cronProblem("@daily", "Asia/Tokyo")).toBeNull();
  });
  it("refuses an unknown zone, a wrong field count, a bad field and a date that never comes", () => {
    expect(isTimeZone("Europe/Pariss")).toBe(false);
    expect(cronProblem("0 3 * * *", "Europe/Pariss")).toBe('unknown time zone "Europe/Pariss": use an IANA name such as Europe/Paris or UTC');
    expect(cronProblem("0 3 * *")).toMatch(/^invalid cron "0 3 \* \*": expected 5 fields/);
    expect(cronProblem("61 3 * * *", "UTC")).toMatch(/^invalid cron "61 3 \* \* \*": /);
    expect(cronProblem("0 0 30 2 *", "Europe/Paris")).toBe('cron "0 0 30 2 *" never matches a date (such as February 30); fix the day and month fields');
  });
});

describe("JSON pointers (RFC 6901)", () => {
  it("escapes ~ before /, and reads back what it wrote", () => {
    expect(escapePointerToken("a/b~c")).toBe("a~1b~0c");
    expect(pointerOf("", "tasks", 0, "a/b")).toBe("/tasks/0/a~1b");
    expect(pointerOf("/body", "m~n")).toBe("/body/m~0n");
    // "~1" written literally must come back as "~1", not "/": the order of the replacements.
    expect(pointerOf("", "~1")).toBe("/~01");
    expect(parsePointer("/~01/a~1b/0")).toEqual(["~1", "a/b", "0"]);
    expect(parsePointer("")).toEqual([]);
  });
});

describe("occurrences and spans (the local warehouse rewrites every table name in place)", () => {
  it("lists each path in table position, repeats included, with the span of the path as written", () => {
    const sql = "SELECT * FROM `p-1.ds`.t AS a JOIN ds.u ON TRUE JOIN `p-1.ds`.t AS b ON TRUE, ds.events_*";
    const { tables, occurrences } = findTableReferences(sql);
    expect(tables.map(referenceName)).toEqual(["p-1.ds.t", "ds.u", "ds.events_*"]);
    expect(occurrences.map((o) => sql.slice(o.offset, o.end))).toEqual(["`p-1.ds`.t", "ds.u", "`p-1.ds`.t", "ds.events_*"]);
  });
});

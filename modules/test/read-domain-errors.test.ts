import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDomain } from "../src/repo/read-domain.ts";
import { moduleErrorOf } from "./fixtures.ts";

const DOMAIN = 'namespace: acme.d\nteam: d\nproject: acme-d-prod\ndefaults:\n  schedule: "0 5 * * *"\n';
const TABLE = { "ds/t/query.sql": "SELECT id FROM land.x\n", "ds/t/schema.json": '[{"name": "id", "type": "STRING"}, {"name": "tags", "type": "STRING", "mode": "REPEATED"}]' };

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A throw-away domain repository made of `files` (path → content; Buffers for raw bytes), removed after the file's tests. */
function repo(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "meshplane-modules-"));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
const errorOf = (files: Record<string, string | Buffer>) => moduleErrorOf(() => readDomain(repo(files))).message;

describe("readDomain refuses, naming file, line and what is expected", () => {
  it.each<[string, Record<string, string | Buffer>, string]>([
    ["YAML syntax", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "labels: {a: b\n" }, "ds/t/table.yaml:2:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a } (expected: a YAML mapping of keys to values)"],
    ["a duplicate key", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "feed_type: WRITE_APPEND\nfeed_type: MODE_DELTA\n" }, "ds/t/table.yaml:2:1: invalid YAML: Map keys must be unique (expected: a YAML mapping of keys to values)"],
    ["an invalid cron", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "schedule: 0 3 * *\n" }, 'ds/t/table.yaml:1:11: invalid schedule (received: "0 3 * *"; expected: invalid cron "0 3 * *": expected 5 fields (minute hour day-of-month month day-of-week), 6 with seconds, or an alias such as @daily)'],
    ["an out-of-range cron", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": 'schedule: "0 25 * * *"\n' }, "ds/t/table.yaml:1:11: invalid schedule"],
    ["an invalid label key", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "labels:\n  Tier: gold\n" }, `ds/t/table.yaml:2:3: invalid key "Tier" (received: "Tier"; expected: a label key: a lowercase letter, then lowercase letters, digits, '_' or '-' (at most 63))`],
    ["a label value that is not a string", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "labels:\n  pii: false\n" }, "ds/t/table.yaml:2:8: invalid labels.pii (received: false; expected: a label value as a string (quote numbers and booleans))"],
    ["keys naming no column", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "feed_type: MODE_DELTA\nkeys:\n  - id\n  - idd\n" }, 'ds/t/table.yaml:4:5: key "idd" is not a top-level column of ds/t/schema.json (received: idd; expected: one of id, tags)'],
    ["a REPEATED key", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "feed_type: MODE_DELTA\nkeys: [tags]\n" }, 'ds/t/table.yaml:2:8: key "tags" is a REPEATED column: a MERGE cannot match on an array (received: tags; expected: a column that is not REPEATED)'],
    ["keys listed twice", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "keys: [id, id]\n" }, 'ds/t/table.yaml:1:7: invalid keys (received: ["id","id"]; expected: columns listed once each)'],
    ["a depends_on that is not dataset.table", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "depends_on: [orders]\n" }, 'ds/t/table.yaml:1:14: invalid depends_on[0] (received: "orders"; expected: a table as dataset.table or project.dataset.table)'],
    ["MODE_DELTA inherited from the domain, without keys", { "domain.yaml": `${DOMAIN}  feed_type: MODE_DELTA\n`, ...TABLE }, "ds/t/table.yaml: feed type MODE_DELTA (inherited from domain.yaml:6 defaults.feed_type) needs keys: the columns the MERGE matches rows on (received: no keys; expected: keys: [column, …] naming top-level columns of schema.json)"],
    ["a feed type on a view", { "domain.yaml": DOMAIN, "ds/v/view.sql": "SELECT 1", "ds/v/table.yaml": "description: v\nfeed_type: WRITE_APPEND\n" }, 'ds/v/table.yaml:2:1: "feed_type" does not apply to a view (received: feed_type; expected: only description, labels and depends_on next to view.sql)'],
    ["schema.json without SQL", { "domain.yaml": DOMAIN, "ds/t/schema.json": "[]" }, "ds/t/schema.json: schema.json without query.sql or view.sql (expected: query.sql (a table) or view.sql (a view) in the same folder)"],
    ["query.sql and view.sql together", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/view.sql": "SELECT 1" }, "ds/t/view.sql: ds/t has both query.sql and view.sql (expected: query.sql for a table or view.sql for a view, not both)"],
    ["SQL outside a dataset/table folder", { "domain.yaml": DOMAIN, "ds/query.sql": "SELECT 1" }, "ds/query.sql: a SQL file outside a <dataset>/<table>/ folder (expected: <dataset>/<table>/query.sql or <dataset>/<view>/view.sql)"],
    ["a table inside a table folder", { "domain.yaml": DOMAIN, ...TABLE, "ds/t/sub/x/query.sql": "SELECT 1" }, "ds/t/sub/x/query.sql: a table folder inside the table folder ds/t (expected: <dataset>/<table>/query.sql, with table folders side by side)"],
    ["an empty query.sql", { "domain.yaml": DOMAIN, "ds/t/query.sql": " \n", "ds/t/schema.json": "[]" }, "ds/t/query.sql: the SQL file is empty (expected: the SELECT that feeds the table)"],
    ["a table without schema.json", { "domain.yaml": DOMAIN, "ds/t/query.sql": "SELECT 1" }, "ds/t/schema.json: table ds.t has no schema.json (expected: the output of `bq show --format=prettyjson project:dataset.table` (or its fields) next to query.sql)"],
    ["an invalid dataset folder name", { "domain.yaml": DOMAIN, "my-ds/t/query.sql": "SELECT 1" }, `my-ds/t/query.sql: folder "my-ds" is not a valid BigQuery dataset id (received: my-ds; expected: letters, digits and '_')`],
    ["a dataset that cannot start a flow id", { "domain.yaml": DOMAIN, "_hidden/t/query.sql": "SELECT 1" }, '_hidden/t/query.sql: "_hidden.t" cannot be a flow id (received: _hidden.t; expected: an id of at most 100 characters starting with a letter or digit)'],
    ["a missing namespace", { "domain.yaml": "team: d\nproject: acme-d-prod\n", ...TABLE }, "domain.yaml:1:1: missing namespace (expected: namespace in domain.yaml (or the namespace prop of SqlDomain))"],
    ["no domain.yaml", { ...TABLE }, "domain.yaml: no domain.yaml at the root of the domain (expected: namespace in domain.yaml (or the namespace prop of SqlDomain))"],
    ["a bad namespace", { "domain.yaml": "namespace: Acme.D\nteam: d\nproject: acme-d-prod\n" }, 'domain.yaml:1:12: invalid namespace (received: "Acme.D"; expected: a namespace that must be dot-separated segments of [a-z0-9_], such as `retail.sales`)'],
    // The control plane's limits (@meshplane/rules), with its message: what passes here passes there.
    ["a namespace deeper than the control plane allows", { "domain.yaml": "namespace: a.b.c.d.e.f.g.h.i.j.k\nteam: d\nproject: acme-d-prod\n" }, 'domain.yaml:1:12: invalid namespace (received: "a.b.c.d.e.f.g.h.i.j.k"; expected: a namespace that must have at most 10 segments)'],
    ["a namespace longer than the control plane allows", { "domain.yaml": `namespace: ${"n".repeat(201)}\nteam: d\nproject: acme-d-prod\n` }, `domain.yaml:1:12: invalid namespace (received: "${"n".repeat(76)}...; expected: a namespace that must be at most 200 characters)`],
    ["an unknown time zone", { "domain.yaml": `${DOMAIN}  timezone: Europe/Pariss\n` }, 'domain.yaml:6:13: invalid defaults.timezone (received: "Europe/Pariss"; expected: an IANA time zone such as Europe/Paris or UTC)'],
    ["an unknown key under defaults", { "domain.yaml": `${DOMAIN}  feedtype: MODE_DELTA\n` }, 'domain.yaml:6:3: unknown key "feedtype" in defaults (received: "feedtype"; expected: one of the keys schedule, feed_type, location, timezone)'],
    ["an upstream dataset that is one of ours", { "domain.yaml": `${DOMAIN}upstream:\n  ds: acme.other\n`, ...TABLE }, "domain.yaml:7:7: dataset ds is listed under upstream (namespace acme.other) but is also a folder of this domain (acme.d) (received: ds; expected: upstream lists only datasets of other domains)"],
    ["an upstream in our own namespace", { "domain.yaml": `${DOMAIN}upstream:\n  other: acme.d\n` }, "domain.yaml:7:10: upstream dataset other maps to this domain's own namespace acme.d (received: acme.d; expected: the namespace of another domain (tables of this domain need no upstream entry))"],
    ["SQL that is not UTF-8", { "domain.yaml": DOMAIN, "ds/t/query.sql": Buffer.from([0x53, 0xff, 0x0a]), "ds/t/schema.json": "[]" }, "ds/t/query.sql: the file is not valid UTF-8 (expected: a UTF-8 text file)"],
  ])("%s", (_name, files, expected) => {
    const message = errorOf(files);
    if (expected.endsWith(")")) expect(message).toBe(expected);
    else expect(message.startsWith(expected)).toBe(true);
  });
});

describe("readDomain walks only what it should", () => {
  it("skips hidden folders, node_modules and cdktf.out, and folders without SQL", () => {
    const root = repo({
      "domain.yaml": DOMAIN,
      ...TABLE,
      ".git/x/y/query.sql": "SELECT 1",
      "node_modules/x/y/query.sql": "SELECT 1",
      "cdktf.out/x/y/query.sql": "SELECT 1",
      "src/main.ts": "// the CDKTF app",
    });
    expect(readDomain(root).tables.map((t) => t.id)).toEqual(["ds.t"]);
  });

  it("accepts an empty table.yaml and a domain with no tables", () => {
    expect(readDomain(repo({ "domain.yaml": DOMAIN, ...TABLE, "ds/t/table.yaml": "# nothing yet\n" })).tables[0]).toMatchObject({ feedType: "WRITE_TRUNCATE", configFile: "ds/t/table.yaml" });
    expect(readDomain(repo({ "domain.yaml": DOMAIN })).tables).toEqual([]);
  });

  it("removes a UTF-8 byte-order mark and keeps everything else, CRLF included", () => {
    const root = repo({ "domain.yaml": DOMAIN, "ds/t/query.sql": "\ufeffSELECT 1\r\nFROM land.x\r\n", "ds/t/schema.json": TABLE["ds/t/schema.json"] });
    expect(readDomain(root).tables[0]!.sql).toBe("SELECT 1\r\nFROM land.x\r\n");
  });
});

/**
 * Property: whatever flow document arrives — valid, mangled, or not YAML at all — PUT
 * and /flows/validate answer a 2xx or a 4xx problem, never a 5xx.
 *
 * Property: whatever hostile input reaches the governance and table endpoints — strings
 * with NUL or unpaired surrogates in bodies, keys (`__proto__`) and query strings,
 * tampered cursors on every list, access tokens with any key id — the answer is a 2xx
 * or a 4xx problem, never a 5xx; and POST /tables/…/check agrees with the PUT.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { serverJwtSecret, signHs256 } from "./support/tokens.ts";

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
/** Mostly the right thing, sometimes a wrong one: most documents stay valid. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: good }, { weight: 1, arbitrary: bad });
const namespace = mostly(fc.constantFrom("prop", "prop.child", "prop.other"), fc.constantFrom("nowhere", "PROP", "prop..x"));

const sqlTask = fc.record({
  id: ident,
  type: fc.constant("sql.query"),
  sql: mostly(fc.constantFrom("SELECT * FROM `ds.t` -- x", "INSERT INTO ds.u SELECT 1 FROM a.b, c.d"), fc.string()),
  write: mostly<Record<string, unknown>>(
    fc.constantFrom({}, { destinationTable: "ds.t", writeDisposition: "WRITE_APPEND" }, { destinationTable: "proj-123.ds.t", writeDisposition: "MODE_DELTA", keys: ["id"] }),
    fc.constantFrom({ writeDisposition: "MODE_DELTA" }, { destinationTable: "bad" }, { destinationTable: "a.b", writeDisposition: "NOPE" }),
  ),
}).map(({ write, ...t }) => ({ ...t, ...write }));

const task: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ task: Record<string, unknown> }>((tie) => ({
  task: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ id: ident, type: fc.constant("core.log"), message: fc.string() }),
    sqlTask,
    fc.record({ id: ident, type: fc.constant("core.subflow"), namespace, flowId: ident, wait: fc.boolean() }, { requiredKeys: ["id", "type", "namespace", "flowId"] }),
    fc.record({ id: ident, type: fc.constant("core.parallel"), tasks: fc.array(tie("task"), { minLength: 1, maxLength: 3 }), concurrency: mostly(fc.integer({ min: 1, max: 5 }), fc.constant(0)) }, { requiredKeys: ["id", "type", "tasks"] }),
    fc.record({ id: ident, type: fc.constant("core.foreach"), values: fc.array(fc.string(), { minLength: 1, maxLength: 3 }), tasks: fc.array(tie("task"), { minLength: 1, maxLength: 2 }) }),
    fc.record({ id: ident, type: fc.constant("http.request"), uri: fc.webUrl(), method: mostly(fc.constantFrom("GET", "POST"), fc.constant("BREW")) }, { requiredKeys: ["id", "type", "uri"] }),
    fc.record({ id: ident, type: fc.constant("notify.email"), to: fc.array(fc.constantFrom("a@example.com", "b@example.org"), { minLength: 1, maxLength: 2 }), subject: fc.string() }),
  ),
})).task;

const trigger = fc.oneof(
  fc.record({ id: ident, type: fc.constant("schedule"), cron: mostly(fc.constantFrom("0 3 * * *", "*/5 * * * *", "@daily"), fc.constantFrom("61 * * * *", "x")), timezone: mostly(fc.constantFrom("UTC", "Europe/Paris"), fc.constant("Mars/Base")) }, { requiredKeys: ["id", "type", "cron"] }),
  fc.record({ id: ident, type: fc.constant("flow"), upstream: fc.array(fc.record({ namespace, flowId: ident }), { minLength: 1, maxLength: 3 }), states: mostly<string[]>(fc.constant(["SUCCESS"]), fc.constant(["MAYBE"])) }),
);

/** Ids made unique (a flow refuses duplicates), so most generated documents are valid. */
function uniqueIds(tasks: Record<string, unknown>[], counter = { n: 0 }): Record<string, unknown>[] {
  return tasks.map((t) => ({ ...t, id: `t${counter.n++}`, ...(Array.isArray(t["tasks"]) ? { tasks: uniqueIds(t["tasks"] as Record<string, unknown>[], counter) } : {}) }));
}

const flowDoc = fc
  .record(
    {
      id: ident,
      namespace: fc.constant("prop"),
      description: fc.string(),
      labels: fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.string(), { maxKeys: 3 }),
      disabled: fc.boolean(),
      tasks: fc.array(task, { minLength: 1, maxLength: 4 }),
      triggers: fc.uniqueArray(trigger, { maxLength: 3, selector: (t) => t.id }),
    },
    { requiredKeys: ["id", "namespace", "tasks"] },
  )
  .map((d) => ({ ...d, tasks: uniqueIds(d.tasks) }));

/** Valid-ish documents, the same with one thing broken, and raw text. */
const source = fc.oneof(
  { weight: 4, arbitrary: flowDoc.map((d) => stringify(d)) },
  fc.tuple(flowDoc, fc.constantFrom("drop-id", "extra", "tasks-string", "id-number", "null")).map(([d, how]) => {
    const m: Record<string, unknown> = { ...d };
    if (how === "drop-id") delete m["id"];
    if (how === "extra") m["surprise"] = { deep: [1, 2] };
    if (how === "tasks-string") m["tasks"] = "all of them";
    if (how === "id-number") m["id"] = 42;
    if (how === "null") return stringify(null);
    return stringify(m);
  }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("id: [\n", "&a [*a]", "? complex\n: key", "!!binary AAAA", "id: x\nid: y", "---\n---\n", "\u0000\u0001", 'id: n\nnamespace: prop\ndescription: "a\\0b"\ntasks: [{ id: a, type: core.log, message: "\\ud800" }]\n'),
);

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  await admin.post("/teams", { name: "prop" });
  await admin.post("/teams", { name: "other" });
  await admin.post("/namespaces", { name: "prop", ownerTeam: "prop" });
  await admin.post("/namespaces", { name: "prop.other", ownerTeam: "other" });
});
afterAll(async () => {
  await server?.stop();
});

describe("flow documents, generated", () => {

  it("never get a 5xx from PUT or validate", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(source, fc.boolean(), async (yaml, asJson) => {
        const id = /^id: ([a-z][a-z0-9_]*)$/m.exec(yaml)?.[1] ?? "x";
        const body = asJson ? { source: yaml } : yaml;
        const put = await admin.put(`/flows/prop/${id}`, body);
        const check = await admin.post("/flows/validate", body);
        statuses.set(put.status, (statuses.get(put.status) ?? 0) + 1);
        expect(put.status, JSON.stringify(put.body)).toBeLessThan(500);
        expect(check.status, JSON.stringify(check.body)).toBe(200);
        if (put.status >= 400) expect(put.headers.get("content-type")).toContain("application/problem+json");
        // What validate calls valid, PUT accepts (unless the flows raced into a cycle or If-Match).
        if (check.body.valid && put.status >= 400) expect([409, 422]).toContain(put.status);
      }),
      { numRuns: 300 },
    );
    // The generator must reach past the schema: some documents are stored, some refused by the rules.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(20);
    expect(statuses.get(403) ?? 0).toBeGreaterThan(0);
  });
});

/** Characters PostgreSQL or JavaScript objects cannot keep as sent, among ordinary ones. */
const hostileChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d") },
  { weight: 1, arbitrary: fc.constantFrom("\ufffd", "😀", "é", "\\", '"', "~", "/", "%", "'", "\n") },
  { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
);
const hostile = fc.oneof(
  fc.array(hostileChar, { maxLength: 8 }).map((a) => a.join("")),
  fc.constantFrom("__proto__", "constructor", "", "a".repeat(300)),
);
/** Percent-encodes bytes (encodeURIComponent throws on an unpaired surrogate). */
const pct = (text: string) => [...Buffer.from(text, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
/** A JSON object written by hand, so that a `__proto__` key reaches the server. */
const rawObject = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`;

const LISTS = ["/teams", "/namespaces", "/service-accounts", "/role-bindings", "/trigger-grants", "/audit", "/tables/prop", "/flows/prop", "/flows/prop?subtree=true", "/service-accounts/prop-ci/keys"];
const cursor = fc.oneof(
  hostile.map((t) => Buffer.from(t, "utf8").toString("base64url")),
  fc.constantFrom("99999999999999999999999", "9223372036854775808", "-1", "0", "[\"a\",\"b\"]", "prop\u0000x\u0000y").map((t) => Buffer.from(t).toString("base64url")),
  fc.string({ maxLength: 40 }),
);

type Call = { label: string; run: () => Promise<{ status: number; body: any; headers: Headers }[]> };
const json = { "content-type": "application/json" };
const field = fc.record(
  { description: hostile, collation: hostile, policyTags: hostile.map((t) => ({ names: [t] })), dataPolicies: fc.oneof(hostile.map((t) => [{ name: t }]), fc.jsonValue({ maxDepth: 3 }).map((v) => [v])) },
  { requiredKeys: [] },
);

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(hostile, hostile).map(([name, description]) => ({
    label: "POST /teams",
    run: async () => [await admin.post("/teams", { name: name || "t", description })],
  })),
  hostile.map((description) => ({ label: "PATCH /teams/prop", run: async () => [await admin.patch("/teams/prop", { description })] })),
  fc.array(fc.tuple(hostile, hostile), { maxLength: 3 }).map((entries) => ({
    label: "PATCH /namespaces/prop.other labels",
    run: async () => [await admin.call("PATCH", "/namespaces/prop.other", `{"labels":${rawObject(entries)}}`, json)],
  })),
  fc.tuple(hostile, hostile).map(([name, description]) => ({
    label: "POST /service-accounts",
    run: async () => [await admin.post("/service-accounts", { name, team: "prop", description })],
  })),
  fc.tuple(fc.constantFrom("subject", "resourceId", "resourceType", "namespace"), hostile).map(([param, value]) => ({
    label: `GET /audit?${param}`,
    run: async () => [await admin.get(`/audit?${param}=${pct(value)}`)],
  })),
  fc.tuple(fc.constantFrom(...LISTS), cursor).map(([list, c]) => ({
    label: `GET ${list} cursor`,
    run: async () => [await admin.get(`${list}${list.includes("?") ? "&" : "?"}cursor=${pct(c)}`)],
  })),
  fc.tuple(hostile, hostile).map(([kid, sub]) => ({
    label: "signed token",
    run: async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = signHs256({ iss: "meshplane", aud: "meshplane-api", iat: now, exp: now + 60, kid, sub }, serverJwtSecret(server.dataDir));
      return [await admin.as(token).get("/whoami")];
    },
  })),
  fc.tuple(field, fc.option(hostile, { nil: undefined }), fc.boolean()).map(([extra, description, asString]) => ({
    label: "table check + PUT",
    run: async () => {
      const fields = [{ name: "id", type: "STRING", ...extra }];
      const body = { schema: asString ? JSON.stringify(fields) : fields, feedType: "WRITE_APPEND", ...(description === undefined ? {} : { description }) };
      const check = await admin.post("/tables/prop/prop_ds.t/check", body);
      const put = await admin.put("/tables/prop/prop_ds.t", body, json);
      // What check accepts, the PUT stores; what check refuses as invalid, the PUT refuses alike.
      if (check.status === 200 && check.body.accepted) expect([200, 201], JSON.stringify(put.body)).toContain(put.status);
      if (check.status === 400) expect(put.body.errors).toEqual(check.body.errors);
      return [check, put];
    },
  })),
  fc.tuple(hostile, fc.array(fc.tuple(hostile, hostile), { maxLength: 2 })).map(([description, labels]) => ({
    label: "flow YAML with hostile strings",
    run: async () => {
      const yaml = `id: hostile\nnamespace: prop\ndescription: ${JSON.stringify(description)}\nlabels: ${rawObject(labels)}\ntasks:\n  - { id: a, type: core.log, message: hi }\n`;
      return [await admin.put("/flows/prop/hostile", { source: yaml }), await admin.post("/flows/validate", { source: yaml })];
    },
  })),
);

describe("hostile input across endpoints, generated", () => {
  beforeAll(async () => {
    await admin.post("/service-accounts", { name: "prop-ci", team: "prop" });
  });

  it("never gets a 5xx, and check agrees with the PUT", async () => {
    await fc.assert(
      fc.asyncProperty(call, async (c) => {
        for (const answer of await c.run()) {
          expect(answer.status, `${c.label}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
          if (answer.status >= 400) expect(answer.headers.get("content-type")).toContain("application/problem+json");
        }
      }),
      { numRuns: 300 },
    );
    expect(server.stderr()).not.toContain("unhandled error");
  });
});

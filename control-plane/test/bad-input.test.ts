/**
 * Bad input is a 400 naming the field, never a 500 and never a silent change (issue 10,
 * finding 3), over HTTP on one real server (embedded PostgreSQL):
 * - tampered pagination cursors, on every list: a 400 naming /query/cursor;
 * - text PostgreSQL cannot store as sent (NUL, unpaired surrogates), `__proto__` keys,
 *   nesting past 64 levels and numbers past a double, in JSON bodies, query strings and
 *   flow YAML: a 400 with the JSON pointer, nothing written;
 * - a body that is not UTF-8: a 400 naming the byte offset, nothing written;
 * - a correctly signed access token whose key id is not a UUID: a 401;
 * - POST /tables/…/check and the PUT agree on every body (same 400s; accepted → stored),
 *   including a version bump past 999999999.
 * The race of a key creation with its account's deletion is in key-creation-race.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, type Answer } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { serverJwtSecret, signHs256 } from "./support/tokens.ts";

let server: TestServer;
let admin: ApiClient;
let saName: string;

const cursorOf = (decoded: string) => encodeURIComponent(Buffer.from(decoded, "utf8").toString("base64url"));
const NUL = "\u0000";
const LONE_HIGH = "\ud800";
const LONE_LOW = "\udfff";

function expectProblem(r: Answer, status: number, pointer: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.headers.get("content-type")).toContain("application/problem+json");
  expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
}

async function auditCount(): Promise<string> {
  const r = await admin.get("/audit?limit=1");
  expect(r.status).toBe(200);
  return r.body.items[0]?.id ?? "0";
}

/** Sends bytes as they are (fetch would encode a string as UTF-8). */
async function sendBytes(method: string, path: string, bytes: Buffer, contentType: string): Promise<Answer> {
  const res = await fetch(`${server.api}${path}`, { method, headers: { authorization: `Bearer ${server.adminKey}`, "content-type": contentType }, body: new Uint8Array(bytes) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  for (const name of ["bi-a", "bi-b"]) expect((await admin.post("/teams", { name })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: "bi", ownerTeam: "bi-a" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: "bi.two", ownerTeam: "bi-b" })).status).toBe(201);
  saName = "bi-ci";
  expect((await admin.post("/service-accounts", { name: saName, team: "bi-a" })).status).toBe(201);
  for (let i = 0; i < 2; i++) expect((await admin.post(`/service-accounts/${saName}/keys`, {})).status).toBe(201);
  for (const role of ["viewer", "developer"]) expect((await admin.post("/role-bindings", { namespace: "bi", role, serviceAccount: saName })).status).toBe(201);
  for (const [upstream, downstream] of [["bi", "bi.two"], ["bi.two", "bi"]]) {
    expect((await admin.post("/trigger-grants", { upstreamNamespace: upstream, downstreamNamespace: downstream, kinds: ["trigger"] })).status).toBe(201);
  }
  const table = { schema: [{ name: "id", type: "STRING" }], feedType: "WRITE_APPEND" };
  for (const t of ["a", "b"]) expect((await admin.put(`/tables/bi/bi_ds.${t}`, table)).status).toBe(201);
  for (const id of ["f1", "f2"]) {
    expect((await admin.put(`/flows/bi/${id}`, `id: ${id}\nnamespace: bi\ntasks:\n  - { id: a, type: core.log, message: hi }\n`)).status).toBe(201);
  }
  expect((await admin.put("/flows/bi/f1", "id: f1\nnamespace: bi\ntasks:\n  - { id: a, type: core.log, message: again }\n")).status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
});

describe("pagination cursors", () => {
  const lists = () => [
    { path: "/role-bindings", tampered: ["x", "00000000-0000-0000-0000-00000000000z", "'; --"] },
    { path: "/trigger-grants", tampered: ["x", "12345"] },
    { path: `/service-accounts/${saName}/keys`, tampered: ["x", "99999999999999999999999"] },
    { path: "/teams", tampered: [`a${NUL}b`, NUL, "A".repeat(201)] },
    { path: "/namespaces", tampered: [`bi${NUL}`, `${NUL}`] },
    { path: "/service-accounts", tampered: [`a${NUL}`] },
    { path: "/audit", tampered: ["99999999999999999999999", "9223372036854775808", "0", "-1", "1e3"] },
    { path: "/tables/bi", tampered: [JSON.stringify([`a${NUL}`, "b"]), JSON.stringify(["\ud800", "b"]), "[1,2]", "not json"] },
    { path: "/flows/bi?subtree=true", tampered: [`bi${NUL}f1${NUL}x`, `BI${NUL}f1`, `bi${NUL}`] },
    { path: "/flows/bi/f1/revisions", tampered: ["0", "1e3", "9999999999"] },
  ];

  it("tampered on any list: 400 naming /query/cursor", async () => {
    for (const { path, tampered } of lists()) {
      for (const decoded of tampered) {
        const sep = path.includes("?") ? "&" : "?";
        const r = await admin.get(`${path}${sep}cursor=${cursorOf(decoded)}`);
        expect(r.status, `${path} cursor ${JSON.stringify(decoded)}: ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.body.errors).toEqual([{ pointer: "/query/cursor", message: "invalid cursor" }]);
        expect(r.body.detail).toContain("pass the nextCursor of the previous page unchanged");
      }
    }
  });

  it("the cursors the lists hand out still lead to their second page", async () => {
    for (const { path } of lists()) {
      const sep = path.includes("?") ? "&" : "?";
      const first = await admin.get(`${path}${sep}limit=1`);
      expect(first.status, path).toBe(200);
      expect(first.body.nextCursor, path).toEqual(expect.any(String));
      const second = await admin.get(`${path}${sep}limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.status, `${path}: ${JSON.stringify(second.body)}`).toBe(200);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0]).not.toEqual(first.body.items[0]);
    }
  });
});

describe("text that cannot be stored as sent", () => {
  const bad = [
    ["NUL", `a${NUL}b`],
    ["unpaired high surrogate", `a${LONE_HIGH}b`],
    ["unpaired low surrogate", `${LONE_LOW}`],
  ] as const;

  it("in JSON bodies: 400 with the pointer of the field, nothing written", async () => {
    const before = await auditCount();
    for (const [what, text] of bad) {
      const cases: [string, string, unknown, string][] = [
        ["POST", "/teams", { name: "bi-new", description: text }, "/description"],
        ["PATCH", "/teams/bi-a", { description: text }, "/description"],
        ["POST", "/service-accounts", { name: "bi-new", team: "bi-a", description: text }, "/description"],
        ["POST", "/namespaces", { name: "bi_new", ownerTeam: "bi-a", labels: { env: text } }, "/labels/env"],
        ["POST", "/namespaces", { name: "bi_new", ownerTeam: "bi-a", description: text }, "/description"],
        ["PATCH", "/namespaces/bi", { labels: { [`k${text}`]: "v" } }, `/labels/k${text}`],
        ["PUT", "/tables/bi/bi_ds.new", { schema: [{ name: "id", type: "STRING", description: text }], feedType: "WRITE_APPEND" }, "/schema/0/description"],
        ["PUT", "/tables/bi/bi_ds.new", { schema: [{ name: "id", type: "STRING", collation: text }], feedType: "WRITE_APPEND" }, "/schema/0/collation"],
        ["PUT", "/tables/bi/bi_ds.new", { schema: [{ name: "id", type: "STRING", policyTags: { names: [text] } }], feedType: "WRITE_APPEND" }, "/schema/0/policyTags/names/0"],
        ["PUT", "/tables/bi/bi_ds.new", { schema: [{ name: "id", type: "STRING", dataPolicies: [{ name: text }] }], feedType: "WRITE_APPEND" }, "/schema/0/dataPolicies/0/name"],
        ["PUT", "/tables/bi/bi_ds.new", { schema: [{ name: "id", type: "STRING" }], feedType: "WRITE_APPEND", description: text }, "/description"],
        // The schema as a string: its escapes are only text once parsed.
        ["PUT", "/tables/bi/bi_ds.new", { schema: JSON.stringify([{ name: "id", type: "STRING", description: text }]), feedType: "WRITE_APPEND" }, "/schema/0/description"],
      ];
      for (const [method, path, body, pointer] of cases) {
        const r = await admin.call(method, path, body);
        expect(r.status, `${what}: ${method} ${path} ${JSON.stringify(r.body)}`).toBe(400);
        expectProblem(r, 400, pointer);
        expect(r.body.detail).toContain("may not contain NUL (U+0000) or unpaired surrogates");
      }
    }
    expect((await admin.get("/teams/bi-a")).body.description).toBe("");
    expect((await admin.get("/teams/bi-new")).status).toBe(404);
    expect((await admin.get("/service-accounts/bi-new")).status).toBe(404);
    expect((await admin.get("/namespaces/bi_new")).status).toBe(404);
    expect((await admin.get("/namespaces/bi")).body.labels).toEqual({});
    expect((await admin.get("/tables/bi/bi_ds.new")).status).toBe(404);
    expect(await auditCount()).toBe(before);
  });

  it("in query strings (the audit filters): 400 naming the parameter", async () => {
    for (const param of ["subject", "resourceId", "resourceType"]) {
      expectProblem(await admin.get(`/audit?${param}=a%00b`), 400, `/query/${param}`);
    }
    expectProblem(await admin.get("/teams?cursor=%00"), 400, "/query/cursor");
  });

  it("in flow YAML, escaped or raw (a comment too): 400 with pointer or line; validate says the same", async () => {
    const sources = [
      ['id: t1\nnamespace: bi\ndescription: "a\\0b"\ntasks: [{ id: a, type: core.log, message: hi }]\n', "/description"],
      ['id: t1\nnamespace: bi\nlabels: { env: "\\ud800" }\ntasks: [{ id: a, type: core.log, message: hi }]\n', "/labels/env"],
      // Only reachable as JSON ({source}): a YAML body is UTF-8, which has no lone surrogates.
      [`id: t1\nnamespace: bi\n# a comment ${LONE_HIGH}\ntasks: [{ id: a, type: core.log, message: hi }]\n`, null],
    ] as const;
    for (const [source, pointer] of sources) {
      const put = await admin.put("/flows/bi/t1", { source });
      expect(put.status, JSON.stringify(put.body)).toBe(400);
      if (pointer) expect(put.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
      else expect(put.body.errors[0]).toMatchObject({ line: 3, column: 13 });
      expect(put.body.detail).toContain("may not contain NUL (U+0000) or unpaired surrogates");
      const check = await admin.post("/flows/validate", { source });
      expect(check.status).toBe(200);
      expect(check.body.valid).toBe(false);
      expect(check.body.problems[0].message).toContain("may not contain NUL (U+0000) or unpaired surrogates");
    }
    expect((await admin.get("/flows/bi/t1")).status).toBe(404);
  });
});

describe("keys JavaScript would drop, nesting, numbers past a double", () => {
  it("`__proto__` in a flow's labels: refused with its pointer and line, not stored with the key missing", async () => {
    const source = "id: proto\nnamespace: bi\nlabels:\n  __proto__: x\n  team: bi\ntasks:\n  - { id: a, type: core.log, message: hi }\n";
    const put = await admin.put("/flows/bi/proto", source);
    expect(put.status, JSON.stringify(put.body)).toBe(400);
    expect(put.body.errors).toEqual([expect.objectContaining({ pointer: "/labels/__proto__", line: 4, column: 3 })]);
    expect(put.body.detail).toContain("`__proto__` is not accepted as a key");
    const check = await admin.post("/flows/validate", source);
    expect(check.body).toMatchObject({ valid: false, problems: [{ kind: "schema", pointer: "/labels/__proto__" }] });
    expect((await admin.get("/flows/bi/proto")).status).toBe(404);
  });

  it("`__proto__` in a JSON body (a namespace's labels): 400, labels unchanged", async () => {
    const raw = '{"labels":{"__proto__":"x","env":"prod"}}';
    const r = await admin.call("PATCH", "/namespaces/bi", raw, { "content-type": "application/json" });
    expectProblem(r, 400, "/labels/__proto__");
    expect((await admin.get("/namespaces/bi")).body.labels).toEqual({});
    const create = await admin.call("POST", "/namespaces", '{"name":"bi_proto","ownerTeam":"bi-a","labels":{"__proto__":{"polluted":"yes"}}}', { "content-type": "application/json" });
    expectProblem(create, 400, "/labels/__proto__");
    expect((await admin.get("/namespaces/bi_proto")).status).toBe(404);
  });

  it("a table field nested past 64 levels: the same 400 from check and PUT (the PUT was a 500)", async () => {
    for (const depth of [200, 3000]) {
      const body = `{"schema":[{"name":"id","type":"STRING","dataPolicies":[${"[".repeat(depth)}1${"]".repeat(depth)}]}],"feedType":"WRITE_APPEND"}`;
      const check = await admin.call("POST", "/tables/bi/bi_ds.deep/check", body, { "content-type": "application/json" });
      const put = await admin.call("PUT", "/tables/bi/bi_ds.deep", body, { "content-type": "application/json" });
      expect(check.status, JSON.stringify(check.body)).toBe(400);
      expect(put.status, JSON.stringify(put.body)).toBe(400);
      expect(put.body.detail).toContain("nested deeper than 64 levels");
      expect(put.body.errors).toEqual(check.body.errors);
    }
    expect((await admin.get("/tables/bi/bi_ds.deep")).status).toBe(404);
  });

  it("a number JavaScript reads as Infinity (stored as null before): 400", async () => {
    const body = '{"schema":[{"name":"id","type":"STRING","dataPolicies":[{"weight":1e400}]}],"feedType":"WRITE_APPEND"}';
    const put = await admin.call("PUT", "/tables/bi/bi_ds.inf", body, { "content-type": "application/json" });
    expectProblem(put, 400, "/schema/0/dataPolicies/0/weight");
    expect((await admin.get("/tables/bi/bi_ds.inf")).status).toBe(404);
  });
});

describe("bodies that are not UTF-8", () => {
  const latin1 = (text: string) => Buffer.from(text, "latin1");

  it("YAML: 400 naming the byte offset, nothing stored (it was stored with U+FFFD)", async () => {
    const source = "id: cafe\nnamespace: bi\ndescription: café\ntasks:\n  - { id: a, type: core.log, message: hi }\n";
    const r = await sendBytes("PUT", "/flows/bi/cafe", latin1(source), "application/x-yaml");
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.detail).toContain(`byte ${source.indexOf("é")} (0xE9)`);
    expect(r.body.errors).toEqual([{ pointer: "", message: `invalid UTF-8 at byte offset ${source.indexOf("é")}` }]);
    expect((await admin.get("/flows/bi/cafe")).status).toBe(404);
  });

  it("JSON: 400 naming the byte offset, nothing stored", async () => {
    const body = '{"name":"bi-cafe","description":"café"}';
    const r = await sendBytes("POST", "/teams", latin1(body), "application/json");
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.detail).toContain(`byte ${body.indexOf("é")} (0xE9)`);
    expect((await admin.get("/teams/bi-cafe")).status).toBe(404);
  });

  it("malformed sequences of every kind are refused; UTF-8 itself (é, 😀, U+FFFD) is kept as sent", async () => {
    const broken = [
      Buffer.from([0xc3]), // truncated
      Buffer.from([0xc0, 0xaf]), // overlong "/"
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate (CESU-8)
      Buffer.from([0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
      Buffer.from([0x80]), // a lone continuation byte
    ];
    const prefix = Buffer.from('{"name":"bi-x","description":"');
    for (const bytes of broken) {
      const r = await sendBytes("POST", "/teams", Buffer.concat([prefix, bytes, Buffer.from('"}')]), "application/json");
      expect(r.status, bytes.toString("hex")).toBe(400);
      expect(r.body.detail).toContain(`byte ${prefix.length} `);
    }
    const text = "café 😀 \ufffd";
    const ok = await sendBytes("POST", "/teams", Buffer.from(JSON.stringify({ name: "bi-utf8", description: text }), "utf8"), "application/json");
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect((await admin.get("/teams/bi-utf8")).body.description).toBe(text);
  });
});

describe("access tokens", () => {
  it("correctly signed, with a key id or subject that is not a UUID: 401 saying so", async () => {
    const secret = serverJwtSecret(server.dataDir);
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: "meshplane", aud: "meshplane-api", iat: now, exp: now + 300, sub: "00000000-0000-4000-8000-000000000000", kid: "00000000-0000-4000-8000-000000000000" };
    for (const token of [signHs256({ ...claims, kid: "not-a-uuid" }, secret), signHs256({ ...claims, kid: "x'; --" }, secret), signHs256({ ...claims, sub: "nope" }, secret)]) {
      const r = await admin.as(token).get("/whoami");
      expect(r.status, JSON.stringify(r.body)).toBe(401);
      expect(r.body.detail).toContain("is not one this server issues");
    }
  });
});

describe("POST /tables/…/check and the PUT agree", () => {
  const field = (extra: Record<string, unknown>) => ({ schema: [{ name: "id", type: "STRING", ...extra }], feedType: "WRITE_APPEND" });
  const bodies: [string, unknown][] = [
    ["description with NUL", field({ description: `x${NUL}` })],
    ["collation with a lone surrogate", field({ collation: `und:ci${LONE_HIGH}` })],
    ["policyTags with NUL", field({ policyTags: { names: [`projects/p/locations/eu/taxonomies/1/policyTags/${NUL}`] } })],
    ["dataPolicies with a lone surrogate", field({ dataPolicies: [{ name: LONE_LOW }] })],
    ["table description with NUL", { ...field({}), description: NUL }],
    ["a valid contract", field({ description: "the id", collation: "und:ci", policyTags: { names: ["projects/p/locations/eu/taxonomies/1/policyTags/2"] }, dataPolicies: [{ name: "dp" }] })],
  ];

  it("the same 400 for every body check refuses, and what check accepts is stored", async () => {
    for (const [what, body] of bodies) {
      const path = `/tables/bi/bi_agree.t${bodies.findIndex(([w]) => w === what)}`;
      const check = await admin.post(`${path}/check`, body);
      const put = await admin.put(path, body);
      expect(put.status, `${what}: PUT ${JSON.stringify(put.body)}`).toBeLessThan(500);
      if (check.status === 200 && check.body.accepted) {
        expect(put.status, `${what}: check accepted it`).toBe(201);
      } else {
        expect(check.status, what).toBe(put.status);
        expect(check.body.errors, what).toEqual(put.body.errors);
      }
    }
  });

  it("a bump past 999999999 is refused by both, naming the version to send; the contract stays readable", async () => {
    const path = "/tables/bi/bi_semver.t";
    const columns = (names: string[]) => ({ schema: names.map((name) => ({ name, type: "STRING" })), feedType: "WRITE_APPEND" });
    expect((await admin.put(path, { ...columns(["a"]), version: "1.999999999.0" })).status).toBe(201);
    const check = await admin.post(`${path}/check`, columns(["a", "b"]));
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ accepted: false, problems: [{ kind: "version" }] });
    const put = await admin.put(path, columns(["a", "b"]));
    expect(put.status, JSON.stringify(put.body)).toBe(409);
    expect(put.body.detail).toContain('each part of a version is at most 999999999; send "version": "2.0.0"');
    expect(check.body.problems[0].message).toBe(put.body.detail);
    expect((await admin.put(path, { ...columns(["a", "b"]), version: "2.0.0" })).status).toBe(200);
    const again = await admin.put(path, columns(["a", "b", "c"]));
    expect(again.status).toBe(200);
    expect(again.body.version).toBe("2.1.0");
  });
});

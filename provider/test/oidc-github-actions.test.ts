// GitHub Actions with no stored secret (SPEC §12), through the real terraform and a real
// control plane: the platform's configuration creates a federation rule
// (meshplane_service_account_federation, with the admin key), then a domain's
// configuration applies with NO API key in its environment, only the runner's
// ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN — served by a FAKE of GitHub's ID-token endpoint and
// issuer on loopback (@meshplane/test-kit's fake-github-oidc.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubClaims, startFakeGithubOidc, startServer, type FakeGithubOidc, type TerraformWorkspace } from "@meshplane/test-kit";
import { ApiClient, expectOk, flat, plannedCreates, stateValues, type TestServer } from "./meshplane-harness.ts";
import { ProviderWorkspace } from "./terraform-harness.ts";
import { MeshplaneClient } from "../src/meshplane/http-client.ts";
import { GithubOidcCredentials } from "../src/meshplane/oidc-credentials.ts";

let github: FakeGithubOidc;
let server: TestServer;
let admin: ApiClient;
let platform: TerraformWorkspace;
let domain: TerraformWorkspace;

const platformConfig = (ref: string) => `
resource "meshplane_service_account_federation" "sales_ci" {
  service_account = "sales-ci"
  issuer          = "${github.issuer}"
  audience        = "${server.url}"
  claims = {
    repository = "acme/retail-sales"
    ref        = "${ref}"
  }
  description = "main of the sales repository"
}
`;

const domainConfig = `
resource "meshplane_flow" "hello" {
  namespace = "retail.sales"
  flow_id   = "hello"
  source    = <<-YAML
    id: hello
    namespace: retail.sales
    tasks:
      - { id: log, type: core.log, message: hi }
  YAML
}
`;

beforeAll(async () => {
  github = await startFakeGithubOidc();
  server = await startServer({ env: { MESHPLANE_OIDC_ISSUERS: github.issuer } });
  admin = new ApiClient(server.api, server.adminKey);
  await expectOk(admin.post("/teams", { name: "sales" }));
  await expectOk(admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" }));
  await expectOk(admin.post("/service-accounts", { name: "sales-ci", team: "sales" }));
  await expectOk(admin.post("/role-bindings", { namespace: "retail.sales", role: "developer", serviceAccount: "sales-ci" }));
  platform = new ProviderWorkspace({ MESHPLANE_ENDPOINT: server.url, MESHPLANE_API_KEY: server.adminKey, MESHPLANE_PROVIDER_TEST_RESOURCES: "0" });
  // The domain's CI: an endpoint and the runner's variables, no key anywhere.
  domain = new ProviderWorkspace({
    MESHPLANE_ENDPOINT: server.url,
    MESHPLANE_PROVIDER_TEST_RESOURCES: "0",
    ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken,
  });
  platform.writeConfig(platformConfig("refs/heads/main"));
  domain.writeConfig(domainConfig);
  await Promise.all([platform.init(), domain.init()]);
});

afterAll(async () => {
  platform?.cleanup();
  domain?.cleanup();
  await server?.stop();
  await github?.close();
});

describe("meshplane_service_account_federation and keyless GitHub Actions", () => {
  it("the platform creates the rule; a second plan changes nothing", async () => {
    await platform.apply();
    const rule = (await stateValues(platform))["meshplane_service_account_federation.sales_ci"]!;
    expect(rule).toMatchObject({ service_account: "sales-ci", issuer: github.issuer, issuer_trusted: true, claims: { repository: "acme/retail-sales", ref: "refs/heads/main" } });
    const listed = await admin.get("/service-accounts/sales-ci/federations");
    expect(listed.body.items).toEqual([expect.objectContaining({ id: rule.id, audience: server.url })]);
    await platform.plan(0);
  });

  it("the domain applies with no API key: the job's ID token (audience = the endpoint) is exchanged", async () => {
    expect(domain.env["MESHPLANE_API_KEY"]).toBeUndefined();
    const before = github.audiencesRequested.length;
    await domain.apply();
    expect(github.audiencesRequested.length).toBeGreaterThan(before);
    expect(new Set(github.audiencesRequested.slice(before))).toEqual(new Set([server.url]));
    const flow = await admin.get("/flows/retail.sales/hello");
    expect(flow.status).toBe(200);
    const audit = (await admin.get("/audit?limit=20")).body.items as Array<Record<string, any>>;
    expect(audit.find((e) => e["action"] === "flow.create" && e["resourceId"].includes("hello"))).toMatchObject({ subject: "sales-ci" });
    expect(audit.find((e) => e["action"] === "auth.token-exchange")).toMatchObject({ subject: "sales-ci", after: { issuer: github.issuer, audience: server.url } });
    await domain.plan(0);
  });

  it("a job of another branch is refused at plan, with what to fix", async () => {
    github.jobClaims = githubClaims("acme/retail-sales", "refs/heads/feature");
    try {
      await admin.delete("/flows/retail.sales/hello");
      const r = await domain.plan(1);
      const text = flat(r.output);
      expect(text).toContain("Meshplane refused the GitHub Actions OIDC token");
      expect(text).toContain("ref=refs/heads/feature");
      expect(text).toMatch(/federation rule of your service account/);
    } finally {
      github.jobClaims = githubClaims();
    }
  });

  it("a job without id-token: write (the runner refuses the request token) gets a clear error", async () => {
    const r = await domain.run(["plan", "-input=false"], { ACTIONS_ID_TOKEN_REQUEST_TOKEN: "not-the-runner-token" });
    expect(r.code).toBe(1);
    expect(flat(r.output)).toMatch(/Cannot get a GitHub Actions ID token .*HTTP 401.*permissions: id-token: write/);
    // And with neither a key nor the runner's variables: one error naming both ways.
    const none = await domain.run(["plan", "-input=false"], { ACTIONS_ID_TOKEN_REQUEST_URL: "" });
    expect(flat(none.output)).toContain("Missing Meshplane credentials");
  });

  it("changing a claim replaces the rule; destroying it deletes it", async () => {
    platform.writeConfig(platformConfig("refs/heads/release"));
    const plan = await platform.plan(2);
    expect(plannedCreates(plan)).toEqual(["meshplane_service_account_federation.sales_ci"]);
    await platform.apply();
    const items = (await admin.get("/service-accounts/sales-ci/federations")).body.items;
    expect(items).toHaveLength(1);
    expect(items[0].claims.ref).toBe("refs/heads/release");
    await platform.ok(["destroy", "-auto-approve", "-input=false"]);
    expect((await admin.get("/service-accounts/sales-ci/federations")).body.items).toEqual([]);
  });
});

describe("the provider's client with exchanged tokens", () => {
  it("a token refused mid-run (its rule deleted) is exchanged again through the rule that remains", async () => {
    const rules = await Promise.all(
      ["refs/heads/main", undefined].map(async (ref) =>
        (await expectOk(admin.post("/service-accounts/sales-ci/federations", { issuer: github.issuer, audience: server.url, claims: { repository: "acme/retail-sales", ...(ref ? { ref } : {}) } }))).body.id as string,
      ),
    );
    const oidc = new GithubOidcCredentials({ endpoint: server.url, audience: server.url, requestUrl: github.requestUrl, requestToken: github.requestToken, userAgent: "test" });
    const client = new MeshplaneClient({ endpoint: server.url, oidc, userAgent: "test" });
    expect(await client.get("/api/v1/whoami")).toMatchObject({ subject: "sales-ci" });
    const exchanges = async () => ((await admin.get("/audit?limit=100")).body.items as Array<Record<string, any>>).filter((e) => e["action"] === "auth.token-exchange");
    const before = await exchanges();
    const used = before[0]!["after"].federation as string;
    expect(rules).toContain(used);
    // The cached token keeps being used: no second exchange for a second call.
    await client.get("/api/v1/whoami");
    expect(await exchanges()).toHaveLength(before.length);
    await expectOk(admin.delete(`/service-accounts/sales-ci/federations/${used}`));
    expect(await client.get("/api/v1/whoami")).toMatchObject({ subject: "sales-ci" });
    const after = await exchanges();
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]!["after"].federation).toBe(rules.find((r) => r !== used));
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGithubOidc, type FakeGithubOidc } from "../../test/support/fake-github-oidc.ts";
import { OidcVerifier } from "./oidc.ts";

/**
 * The key cache of OidcVerifier against a FAKE of GitHub's issuer on loopback: an unknown
 * kid refetches the JWKS at most once per cooldown, so tokens naming random kids cannot
 * make the server hammer the issuer (the refetch itself is covered in test/oidc-federation.test.ts).
 */
let github: FakeGithubOidc;
beforeAll(async () => {
  github = await startFakeGithubOidc();
});
afterAll(() => github?.close());

describe("OidcVerifier", () => {
  it("within the cooldown, unknown kids are refused without fetching the keys again", async () => {
    const verifier = new OidcVerifier({ issuers: [github.issuer], jwksCooldownSeconds: 3600 });
    const ok = await verifier.verify(await github.sign());
    expect(ok).toMatchObject({ issuer: github.issuer, subject: "repo:acme/retail-sales:ref:refs/heads/main", audiences: ["https://meshplane.test"] });
    expect(github.jwksFetches()).toBe(1);
    for (let i = 0; i < 20; i++) {
      await expect(verifier.verify(await github.sign({}, { kid: `random-${i}` }))).rejects.toThrow(/has kid random-\d+; the keys are fetched again at most every 3600 s/);
    }
    expect(github.jwksFetches()).toBe(1);
    // Cached keys still verify without a fetch.
    await verifier.verify(await github.sign());
    expect(github.jwksFetches()).toBe(1);
  });

  it("an issuer that is not listed is refused before anything is fetched", async () => {
    const verifier = new OidcVerifier({ issuers: ["https://token.actions.githubusercontent.com"], jwksCooldownSeconds: 30 });
    const before = github.jwksFetches();
    await expect(verifier.verify(await github.sign())).rejects.toThrow(/is not trusted by this control plane/);
    expect(github.jwksFetches()).toBe(before);
    expect(verifier.trusts(github.issuer)).toBe(false);
  });
});

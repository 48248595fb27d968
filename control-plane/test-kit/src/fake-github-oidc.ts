import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

/**
 * A FAKE of GitHub Actions' OIDC issuer, on loopback, for tests only. It plays both
 * sides GitHub plays:
 * - the issuer (`https://token.actions.githubusercontent.com` in real life): a discovery
 *   document and a JWKS, signing ID tokens with keys generated here (RS256 or ES256);
 * - the runner's ID-token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`): `GET <url>&audience=…`
 *   with `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` answers `{"value": <JWT>}`
 *   with the job's claims.
 * It counts JWKS fetches, so a test can see the key cache and its refetch on rotation.
 */
export interface FakeGithubOidc {
  /** The issuer URL (`iss` of its tokens, what MESHPLANE_OIDC_ISSUERS lists). */
  readonly issuer: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN for a fake runner. */
  readonly requestUrl: string;
  readonly requestToken: string;
  /** How many times /jwks was fetched. */
  jwksFetches(): number;
  /** Audiences asked for at the ID-token endpoint, in order. */
  readonly audiencesRequested: string[];
  /** A token as GitHub would issue it for the job (defaults below), with `overrides` merged (undefined removes a claim). */
  sign(overrides?: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** A new current key with a new kid; the old one leaves the JWKS unless `keepOld`. */
  rotate(options?: { keepOld?: boolean }): Promise<string>;
  /** The claims the ID-token endpoint puts in the tokens it hands out (merged). */
  jobClaims: Record<string, unknown>;
  close(): Promise<void>;
}

export interface SignOptions {
  /** Default: the current key's algorithm (RS256). */
  readonly alg?: "RS256" | "ES256";
  /** Sign with a key the JWKS does not hold (but put the current kid in the header). */
  readonly foreignKey?: boolean;
  readonly kid?: string;
}

interface Key {
  kid: string;
  alg: "RS256" | "ES256";
  privateKey: CryptoKey;
  jwk: JWK;
}

let counter = 0;

async function newKey(alg: "RS256" | "ES256"): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `fake-${alg.toLowerCase()}-${++counter}-${Date.now().toString(36)}`;
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

/** Claims of a push to main of acme/retail-sales, shaped like GitHub's. */
export function githubClaims(repository = "acme/retail-sales", ref = "refs/heads/main"): Record<string, unknown> {
  const owner = repository.split("/")[0];
  return {
    sub: `repo:${repository}:ref:${ref}`,
    repository,
    repository_owner: owner,
    repository_id: "123456",
    ref,
    ref_type: "branch",
    event_name: "push",
    workflow_ref: `${repository}/.github/workflows/meshplane.yml@${ref}`,
    job_workflow_ref: `${repository}/.github/workflows/meshplane.yml@${ref}`,
    actor: "octocat",
    run_id: "42",
  };
}

export async function startFakeGithubOidc(options: { audience?: string } = {}): Promise<FakeGithubOidc> {
  const keys: Key[] = [await newKey("RS256"), await newKey("ES256")];
  let current = keys[0]!;
  let jwksFetches = 0;
  const audiencesRequested: string[] = [];
  const requestToken = `fake-runner-token-${Math.random().toString(36).slice(2)}`;
  let issuer = "";

  const sign = async (overrides: Record<string, unknown> = {}, opts: SignOptions = {}): Promise<string> => {
    const alg = opts.alg ?? current.alg;
    const key = keys.find((k) => k.alg === alg && (alg !== current.alg || k === current)) ?? current;
    const signingKey = opts.foreignKey ? (await newKey(alg)).privateKey : key.privateKey;
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = { iss: issuer, aud: options.audience ?? "https://meshplane.test", iat: now, nbf: now - 5, exp: now + 300, jti: `jti-${Math.random()}`, ...fake.jobClaims, ...overrides };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
    return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT", kid: opts.kid ?? key.kid }).sign(signingKey);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(200, { issuer, jwks_uri: `${issuer}/.well-known/jwks`, id_token_signing_alg_values_supported: ["RS256", "ES256"], response_types_supported: ["id_token"], subject_types_supported: ["public", "pairwise"] });
    }
    if (url.pathname === "/.well-known/jwks") {
      jwksFetches++;
      return json(200, { keys: keys.map((k) => k.jwk) });
    }
    if (url.pathname === "/idtoken") {
      // GitHub's runner endpoint: bearer request token, audience as a query parameter.
      if (req.headers.authorization !== `bearer ${requestToken}` && req.headers.authorization !== `Bearer ${requestToken}`) return json(401, { message: "bad request token" });
      const audience = url.searchParams.get("audience");
      if (audience) audiencesRequested.push(audience);
      return json(200, { count: 1, value: await sign(audience ? { aud: audience } : {}) });
    }
    json(404, { message: "not found" });
  };

  const server: Server = createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeGithubOidc = {
    issuer,
    requestUrl: `${issuer}/idtoken?api-version=2.0`,
    requestToken,
    jwksFetches: () => jwksFetches,
    audiencesRequested,
    sign,
    jobClaims: githubClaims(),
    async rotate({ keepOld = false } = {}) {
      const next = await newKey(current.alg);
      if (!keepOld) keys.splice(keys.indexOf(current), 1);
      keys.push(next);
      current = next;
      return next.kid;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}

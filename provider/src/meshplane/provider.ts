// The Meshplane provider: its configuration block, how it builds the API client,
// and which resources and data sources it serves.
import type { ProviderFunction } from "../framework/function.ts";
import type { Diagnostics } from "../framework/diagnostics.ts";
import type { DataSource, ProviderDefinition, Resource } from "../framework/resource.ts";
import type { Schema } from "../framework/schema.ts";
import { isUnknown } from "../wire/types.ts";
import packageJson from "../../package.json" with { type: "json" };
import { MeshplaneClient } from "./http-client.ts";
import { GithubOidcCredentials, OidcCredentialError } from "./oidc-credentials.ts";
import { ApiError, ConnectionError } from "./problem.ts";

export const PROVIDER_VERSION: string = packageJson.version;

export const providerSchema = {
  description: "Meshplane: the control plane of a data mesh (teams, namespaces, grants, flows and table contracts).",
  attributes: {
    endpoint: {
      type: "string",
      optional: true,
      description: "Base URL of the Meshplane API, e.g. `https://meshplane.example.com`. Defaults to the MESHPLANE_ENDPOINT environment variable.",
      validate: (v: unknown) => (isHttpUrl(v as string) ? undefined : `Expected an http:// or https:// URL, got ${JSON.stringify(v)}.`),
    },
    api_key: {
      type: "string",
      optional: true,
      sensitive: true,
      description:
        "API key of a Meshplane service account (`mp_…`). Defaults to the MESHPLANE_API_KEY environment variable. Without a key, inside GitHub Actions (a job with `permissions: id-token: write`), the provider exchanges the job's OIDC ID token instead: no secret is stored.",
    },
    oidc_audience: {
      type: "string",
      optional: true,
      description:
        "The audience the GitHub Actions ID token is requested for; the service account's federation rule must name the same. Defaults to MESHPLANE_OIDC_AUDIENCE, else the endpoint URL. Used only without an API key.",
    },
    service_account: {
      type: "string",
      optional: true,
      description:
        "The service account to act as when the ID token matches the federation rules of several. Defaults to MESHPLANE_SERVICE_ACCOUNT. Used only without an API key.",
    },
  },
} as const satisfies Schema;

export interface MeshplaneProviderOptions {
  resources: readonly Resource<any, MeshplaneClient>[];
  dataSources: readonly DataSource<any, MeshplaneClient>[];
  /** Provider-defined functions (provider::meshplane::…). */
  functions?: readonly ProviderFunction[];
  env?: NodeJS.ProcessEnv;
  /** Test resources need no API: then a missing endpoint is not an error. */
  endpointOptional?: boolean;
}

export function meshplaneProvider(options: MeshplaneProviderOptions): ProviderDefinition<MeshplaneClient> {
  const env = options.env ?? process.env;
  return {
    name: "meshplane",
    schema: providerSchema,
    resources: options.resources,
    dataSources: options.dataSources,
    functions: options.functions ?? [],
    async configure(config, { diagnostics, terraformVersion, signal, log }) {
      // A configuration computed from other resources is only known during apply;
      // until then resources plan without the API.
      if (isUnknown(config.endpoint) || isUnknown(config.api_key) || isUnknown(config.oidc_audience) || isUnknown(config.service_account)) return undefined;
      const endpoint = (config.endpoint as string | null) || env.MESHPLANE_ENDPOINT || "";
      const apiKey = (config.api_key as string | null) || env.MESHPLANE_API_KEY || "";
      if (!endpoint) {
        if (!options.endpointOptional) diagnostics.error("Missing Meshplane endpoint", "Set endpoint in the provider \"meshplane\" block or the MESHPLANE_ENDPOINT environment variable.", ["endpoint"]);
        return undefined;
      }
      if (!isHttpUrl(endpoint)) {
        diagnostics.error("Invalid Meshplane endpoint", `Expected an http:// or https:// URL, got ${JSON.stringify(endpoint)}${config.endpoint ? "" : " (from MESHPLANE_ENDPOINT)"}.`, ["endpoint"]);
        return undefined;
      }
      const userAgent = `terraform-provider-meshplane/${PROVIDER_VERSION} terraform/${terraformVersion || "unknown"}`;
      const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
      const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      if (!apiKey && !(requestUrl && requestToken)) {
        diagnostics.error(
          "Missing Meshplane credentials",
          "Set api_key in the provider \"meshplane\" block or the MESHPLANE_API_KEY environment variable, or run in GitHub Actions with `permissions: id-token: write` " +
            "(ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN set) and a federation rule for the service account.",
          ["api_key"],
        );
        return undefined;
      }
      // A key, when given, wins: the OIDC exchange is the keyless path, never a silent fallback.
      const oidc = apiKey
        ? undefined
        : new GithubOidcCredentials({
            endpoint: endpoint.replace(/\/+$/, ""),
            audience: (config.oidc_audience as string | null) || env.MESHPLANE_OIDC_AUDIENCE || endpoint.replace(/\/+$/, ""),
            serviceAccount: (config.service_account as string | null) || env.MESHPLANE_SERVICE_ACCOUNT || undefined,
            requestUrl: requestUrl!,
            requestToken: requestToken!,
            userAgent,
            signal,
          });
      const client = new MeshplaneClient({ endpoint, ...(oidc ? { oidc } : { apiKey }), signal, userAgent });
      return (await checkCredentials(client, diagnostics, log)) ? client : undefined;
    },
  };
}

/**
 * One request at configure time, so that a wrong endpoint or key is one clear
 * error instead of the same failure repeated for every resource.
 */
async function checkCredentials(client: MeshplaneClient, diagnostics: Diagnostics, log: { debug(m: string, f?: Record<string, unknown>): void }): Promise<boolean> {
  try {
    await client.get("/api/v1/whoami");
    return true;
  } catch (e) {
    if (e instanceof ConnectionError || e instanceof OidcCredentialError) {
      diagnostics.add(...e.toDiagnostics());
      return false;
    }
    if (e instanceof ApiError && e.status === 401) {
      diagnostics.add(...e.at(["api_key"]).toDiagnostics());
      return false;
    }
    // Anything else (an older API without /whoami, a 5xx) is left to the calls that matter.
    log.debug("credential check inconclusive", { error: String(e) });
    return true;
  }
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

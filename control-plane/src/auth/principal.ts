import type { Role } from "../authz/roles.ts";

/** Who is calling, resolved once per request from an API key or an access token. */
export interface Principal {
  /** The service account's name: what audit events and 403s call the caller. */
  readonly subject: string;
  readonly kind: "service-account";
  readonly serviceAccountId: string;
  readonly team: string;
  readonly teamId: string;
  readonly bindings: readonly PrincipalBinding[];
  readonly platformAdmin: boolean;
  /** The API key presented or exchanged; for a token exchanged from an OIDC token, the federation rule's id (and federationId is set). */
  readonly apiKeyId: string;
  /** Set when the caller authenticated through a federation rule (OIDC token exchange). */
  readonly federationId?: string;
  /** What rate limits count against. */
  readonly rateKey: string;
}

export interface PrincipalBinding {
  readonly id: string;
  readonly role: Role;
  /** null only for the global platform-admin role. */
  readonly namespace: string | null;
  readonly via: "team" | "service-account";
}

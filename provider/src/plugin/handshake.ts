// go-plugin's handshake: Terraform starts us with a magic cookie and the protocol
// versions it speaks; we answer with one line on stdout:
//   CORE-VERSION|APP-VERSION|NETWORK|ADDRESS|PROTOCOL|SERVER-CERT
import type { ProtocolVersion } from "./services.ts";

export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

export const NOT_A_COMMAND = `This binary is a plugin for Terraform (terraform-provider-meshplane).
It is not meant to be run directly: Terraform starts it for you.

Use it from a configuration with
  terraform { required_providers { meshplane = { source = "meshplane/meshplane" } } }
and run terraform init (see provider/README.md for installing it without network).
`;

export function hasMagicCookie(env: NodeJS.ProcessEnv): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

/**
 * The highest protocol both sides speak. Terraform lists its versions in
 * PLUGIN_PROTOCOL_VERSIONS; MESHPLANE_PROVIDER_PROTOCOLS (e.g. "5") restricts ours,
 * which is how the tests exercise protocol 5 with a Terraform that prefers 6.
 */
export function negotiateProtocol(env: NodeJS.ProcessEnv): ProtocolVersion | undefined {
  const parse = (s: string | undefined) => (s ?? "").split(",").map((v) => Number(v.trim())).filter((n) => Number.isInteger(n) && n > 0);
  const ours = env.MESHPLANE_PROVIDER_PROTOCOLS ? parse(env.MESHPLANE_PROVIDER_PROTOCOLS).filter((v) => v === 5 || v === 6) : [6, 5];
  const theirs = env.PLUGIN_PROTOCOL_VERSIONS ? parse(env.PLUGIN_PROTOCOL_VERSIONS) : ours;
  const common = ours.filter((v) => theirs.includes(v)).sort((a, b) => b - a);
  return common[0] as ProtocolVersion | undefined;
}

export function handshakeLine(protocol: ProtocolVersion, network: "unix" | "tcp", address: string, certField: string): string {
  return `1|${protocol}|${network}|${address}|grpc|${certField}\n`;
}

// Runs a provider as a go-plugin server: negotiate the protocol, listen on a unix
// socket (mTLS when Terraform sent its client certificate), print the handshake
// line, and end cleanly on GRPCController.Shutdown or SIGTERM.
import * as grpc from "@grpc/grpc-js";
import { randomBytes } from "node:crypto";
import { unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger, ProviderDefinition } from "../framework/resource.ts";
import { ProviderServer } from "../protocol/provider-server.ts";
import { handshakeLine, negotiateProtocol } from "./handshake.ts";
import { addProviderServices } from "./services.ts";
import { handshakeCertField, makeServerCertificate } from "./tls-cert.ts";

const MAX_MESSAGE = 256 * 1024 * 1024;

/** `makeServer` exists for the bench's do-nothing reference provider (bench/floor-provider.ts). */
export function serve(
  definition: ProviderDefinition<any>,
  env: NodeJS.ProcessEnv,
  log: Logger,
  makeServer: (definition: ProviderDefinition<any>, log: Logger) => ProviderServer<unknown> = (d, l) => new ProviderServer(d, l),
): void {
  const protocol = negotiateProtocol(env);
  if (!protocol) {
    process.stderr.write(`terraform-provider-meshplane speaks plugin protocols 5 and 6; Terraform offered ${env.PLUGIN_PROTOCOL_VERSIONS ?? "none"}.\n`);
    process.exit(1);
  }
  const provider = makeServer(definition, log);
  // channelz (gRPC's introspection service, which nobody queries here) costs ~0.1 ms of CPU per call: off.
  const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE, "grpc.max_send_message_length": MAX_MESSAGE, "grpc.enable_channelz": 0 });
  const socketPath = join(env.PLUGIN_UNIX_SOCKET_DIR || tmpdir(), `meshplane-plugin-${process.pid}-${randomBytes(4).toString("hex")}.sock`);

  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    const cpu = process.cpuUsage();
    log.debug("provider shutting down", { reason, cpu_ms: Math.round((cpu.user + cpu.system) / 1000), uptime_ms: Math.round(performance.now()) });
    server.forceShutdown();
    // Let the Shutdown reply leave before the process ends.
    setTimeout(() => process.exit(0), 10).unref();
  };
  process.on("exit", () => {
    try {
      unlinkSync(socketPath);
    } catch {
      // already gone
    }
  });

  addProviderServices(server, protocol, provider, log, () => shutdown("GRPCController.Shutdown"));

  // AutoMTLS: Terraform passes its client certificate and trusts the server
  // certificate we print. TF_DISABLE_PLUGIN_TLS on Terraform's side means no client
  // certificate, and then plaintext with an empty certificate field.
  const clientCert = env.PLUGIN_CLIENT_CERT;
  let credentials = grpc.ServerCredentials.createInsecure();
  let certField = "";
  if (clientCert) {
    const cert = makeServerCertificate();
    credentials = grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }], true);
    certField = handshakeCertField(cert.certDer);
  }

  server.bindAsync(`unix:${socketPath}`, credentials, (err) => {
    if (err) {
      process.stderr.write(`terraform-provider-meshplane: cannot listen on ${socketPath}: ${err.message}\n`);
      process.exit(1);
    }
    // The only write to stdout, ever: go-plugin reads this line.
    writeSync(1, handshakeLine(protocol, "unix", socketPath, certField));
    log.debug("provider listening", { protocol, socket: socketPath, tls: !!clientCert, startup_ms: Math.round(performance.now()) });
  });

  // Ctrl-C reaches every process of the terminal's group. Terraform itself then
  // calls StopProvider and waits for the running apply to finish; dying here would
  // cut an API call in half, so SIGINT only gets logged.
  process.on("SIGINT", () => log.info("SIGINT received; waiting for Terraform to stop the provider"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  // If Terraform dies without Shutdown we are re-parented: do not linger.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown("Terraform exited");
  }, 2000).unref();
}

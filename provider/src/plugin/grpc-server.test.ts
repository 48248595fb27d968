// The hand-rolled gRPC server against a real gRPC client (@grpc/grpc-js): unary
// calls over mTLS and plaintext, UNIMPLEMENTED for unknown methods, INTERNAL for a
// handler that throws, and no service for a client without Terraform's certificate.
import * as grpc from "@grpc/grpc-js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GrpcServer } from "./grpc-server.ts";
import { makeServerCertificate } from "./tls-cert.ts";

const json = { decode: (b: Buffer) => JSON.parse(b.toString()), encode: (v: unknown) => Buffer.from(JSON.stringify(v)) };
const servers: GrpcServer[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function start(tls: boolean) {
  const serverCert = makeServerCertificate();
  const clientCert = makeServerCertificate();
  const s = new GrpcServer(tls ? { keyPem: serverCert.keyPem, certPem: serverCert.certPem, clientCertPem: clientCert.certPem } : undefined, 1024, () => {});
  servers.push(s);
  s.addService("test.Echo", {
    Echo: { ...json, handle: async (req) => ({ echoed: req }) },
    Fail: { ...json, handle: () => Promise.reject(new Error("boom: 100% broken")) },
  });
  const socket = join(mkdtempSync(join(tmpdir(), "grpc-test-")), "s.sock");
  await s.listen(socket);
  return { socket, serverCert, clientCert };
}

function call(target: string, credentials: grpc.ChannelCredentials, method: string, request: unknown): Promise<unknown> {
  const client = new grpc.Client(`unix:${target}`, credentials, { "grpc.ssl_target_name_override": "localhost", "grpc.default_authority": "localhost" });
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(`/test.Echo/${method}`, json.encode, (b: Buffer) => json.decode(b), request, (err, value) => {
      client.close();
      if (err) reject(err);
      else resolve(value);
    }),
  );
}

describe("GrpcServer", () => {
  it("answers unary calls over mTLS, and UNIMPLEMENTED / INTERNAL with a readable message", async () => {
    const { socket, serverCert, clientCert } = await start(true);
    const creds = grpc.credentials.createSsl(Buffer.from(serverCert.certPem), Buffer.from(clientCert.keyPem), Buffer.from(clientCert.certPem));
    expect(await call(socket, creds, "Echo", { a: [1, "x"] })).toEqual({ echoed: { a: [1, "x"] } });
    await expect(call(socket, creds, "Nope", {})).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
    await expect(call(socket, creds, "Fail", {})).rejects.toMatchObject({ code: grpc.status.INTERNAL, details: "Error: boom: 100% broken" });
    // Many calls at once, as Terraform makes them (-parallelism=10 and more).
    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => call(socket, creds, "Echo", i)));
    expect(many).toEqual(Array.from({ length: 50 }, (_, i) => ({ echoed: i })));
  });

  it("refuses a client without the certificate Terraform announced", async () => {
    const { socket, serverCert } = await start(true);
    const stranger = makeServerCertificate();
    const creds = grpc.credentials.createSsl(Buffer.from(serverCert.certPem), Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem));
    await expect(call(socket, creds, "Echo", 1)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
  });

  it("serves plaintext when Terraform disabled plugin TLS, and refuses messages over the size limit", async () => {
    const { socket } = await start(false);
    expect(await call(socket, grpc.credentials.createInsecure(), "Echo", "hi")).toEqual({ echoed: "hi" });
    await expect(call(socket, grpc.credentials.createInsecure(), "Echo", "x".repeat(2000))).rejects.toMatchObject({ code: grpc.status.INTERNAL });
  });
});

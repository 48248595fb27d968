// The little of gRPC that Terraform needs, on node:http2: unary calls (one message
// each way), mTLS or plaintext, UNIMPLEMENTED for everything else. @grpc/grpc-js's
// server wraps every call in interceptors, metadata objects, message streams,
// deadline timers and a compression filter: ~0.3 ms of CPU per call, and a no-op
// plan of 1,000 resources makes ~4,000 calls (one process, one core). It also
// made up half of the bundle that every start-up compiles.
//
// Wire format (gRPC over HTTP/2): request HEADERS with :path /package.Service/Method,
// DATA = 1 byte "compressed" flag + 4 bytes big-endian length + the protobuf message;
// reply HEADERS (:status 200, content-type application/grpc), DATA in the same
// framing, then trailers with grpc-status (0 = OK) and a percent-encoded grpc-message.
// A failure before any reply is "trailers-only": one HEADERS frame with the status.
import * as http2 from "node:http2";

export interface UnaryMethod {
  /** protobuf bytes → request object */
  decode(bytes: Buffer): unknown;
  /** reply object → protobuf bytes */
  encode(reply: unknown): Uint8Array;
  handle(request: unknown): unknown;
}

export interface TlsOptions {
  keyPem: string;
  certPem: string;
  /** Only clients with this certificate may connect (Terraform's PLUGIN_CLIENT_CERT). */
  clientCertPem: string;
}

/** gRPC status codes we answer with. */
export const Status = { OK: 0, INTERNAL: 13, UNIMPLEMENTED: 12 } as const;

const OPTIONS = {
  // Node enforces a per-session memory cap (10 MB by default) by resetting streams;
  // a large state or plan must not trip it (the same as grpc-js does).
  maxSessionMemory: Number.MAX_SAFE_INTEGER,
  maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER,
} as const;

export class GrpcServer {
  private readonly methods = new Map<string, UnaryMethod>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly server: http2.Http2Server | http2.Http2SecureServer;

  constructor(
    tls: TlsOptions | undefined,
    private readonly maxMessageBytes: number,
    private readonly onError: (path: string, error: unknown) => void,
  ) {
    this.server = tls
      ? http2.createSecureServer({ ...OPTIONS, key: tls.keyPem, cert: tls.certPem, ca: tls.clientCertPem, requestCert: true, rejectUnauthorized: true })
      : http2.createServer(OPTIONS);
    this.server.on("session", (session) => {
      this.sessions.add(session);
      session.on("close", () => this.sessions.delete(session));
      session.on("error", () => session.destroy());
    });
    this.server.on("stream", (stream, headers) => this.onStream(stream, String(headers[":path"] ?? "")));
  }

  /** Serves `methods` under `/<service>/<name>`. */
  addService(service: string, methods: Record<string, UnaryMethod>): void {
    for (const [name, method] of Object.entries(methods)) this.methods.set(`/${service}/${name}`, method);
  }

  listen(socketPath: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(socketPath, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
  }

  /** Stops listening and closes every connection once its calls are answered (GOAWAY). */
  close(): void {
    this.server.close();
    for (const session of this.sessions) session.close();
  }

  private onStream(stream: http2.ServerHttp2Stream, path: string): void {
    stream.on("error", () => {
      // The client went away mid-call; nothing to answer.
    });
    const method = this.methods.get(path);
    if (!method) {
      // Streaming services of go-plugin (GRPCStdio, GRPCBroker) and RPCs we do not serve.
      stream.resume();
      return endWithStatus(stream, Status.UNIMPLEMENTED, `The server does not implement the method ${path}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.maxMessageBytes + 5) chunks.push(chunk);
    });
    stream.on("end", () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const problem = size > this.maxMessageBytes + 5 ? "message larger than the limit" : body.length < 5 ? "no request message" : body[0] !== 0 ? "compressed messages are not supported" : body.readUInt32BE(1) !== body.length - 5 ? "not exactly one request message" : undefined;
      if (problem) return endWithStatus(stream, Status.INTERNAL, problem);
      this.call(stream, path, method, body.subarray(5));
    });
  }

  private call(stream: http2.ServerHttp2Stream, path: string, method: UnaryMethod, message: Buffer): void {
    let reply: Promise<unknown>;
    try {
      reply = Promise.resolve(method.handle(method.decode(message)));
    } catch (e) {
      reply = Promise.reject(e);
    }
    reply.then(
      (value) => {
        if (stream.destroyed) return;
        let bytes: Uint8Array;
        try {
          bytes = method.encode(value);
        } catch (e) {
          this.onError(path, e);
          return endWithStatus(stream, Status.INTERNAL, String(e));
        }
        const frame = Buffer.allocUnsafe(5 + bytes.length);
        frame[0] = 0;
        frame.writeUInt32BE(bytes.length, 1);
        frame.set(bytes, 5);
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": String(Status.OK) }));
        stream.end(frame);
      },
      (e: unknown) => {
        this.onError(path, e);
        endWithStatus(stream, Status.INTERNAL, String(e));
      },
    );
  }
}

function endWithStatus(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": String(code), "grpc-message": percentEncode(message) }, { endStream: true });
}

/** grpc-message as the gRPC spec encodes it: printable ASCII as is, every other byte (and "%") as %XX. */
function percentEncode(message: string): string {
  let out = "";
  for (const b of Buffer.from(message, "utf8")) out += b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

// The server certificate for go-plugin's AutoMTLS, made at start-up with node:crypto
// alone: an EC P-256 key and a self-signed X.509 v3 certificate whose DER we
// assemble by hand (~5 ms, versus ~150 ms of start-up for an X.509 library).
// Terraform's client checks it against SAN DNS:localhost; a CN alone is refused.
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";

export interface ServerCertificate {
  certDer: Buffer;
  certPem: string;
  keyPem: string;
}

// DER building blocks (ASN.1 tag, length, value).
function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, value]);
}
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);
const octets = (b: Buffer) => tlv(0x04, b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
const bool = (b: boolean) => tlv(0x01, Buffer.from([b ? 0xff : 0]));
function integer(b: Buffer): Buffer {
  return tlv(0x02, b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number) as [number, number, ...number[]];
  const bytes = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}
function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, "0");
  const text = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(text, "ascii"));
}
function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

const ECDSA_WITH_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

export function makeServerCertificate(now = new Date()): ServerCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = seq(set(seq(oid("2.5.4.10"), utf8("Meshplane"))), set(seq(oid("2.5.4.3"), utf8("localhost"))));
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, and no leading zero byte
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ECDSA_WITH_SHA256,
    name,
    seq(utcTime(new Date(now.getTime() - 60_000)), utcTime(new Date(now.getTime() + 7 * 86_400_000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(
      3,
      seq(
        // keyUsage: digitalSignature, keyEncipherment, keyCertSign
        extension("2.5.29.15", true, tlv(0x03, Buffer.from([0x02, 0xa4]))),
        // extKeyUsage: serverAuth, clientAuth
        extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))),
        // basicConstraints: CA (it is its own trust anchor)
        extension("2.5.29.19", true, seq(bool(true))),
        // subjectAltName: DNS:localhost, IP:127.0.0.1
        extension("2.5.29.17", false, seq(tlv(0x82, Buffer.from("localhost")), tlv(0x87, Buffer.from([127, 0, 0, 1])))),
      ),
    ),
  );
  const signature = sign("sha256", tbs, { key: privateKey, dsaEncoding: "der" });
  const certDer = seq(tbs, ECDSA_WITH_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return { certDer, certPem: pem("CERTIFICATE", certDer), keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** The handshake wants raw DER in base64 *without* '=' padding (Go's RawStdEncoding). */
export function handshakeCertField(certDer: Buffer): string {
  return certDer.toString("base64").replace(/=+$/, "");
}

// DynamicValue messages (msgpack or JSON bytes) to and from provider values.
import { decodeJson } from "./json.ts";
import { decodeMsgpack } from "./msgpack.ts";
import { encodeMsgpack } from "./msgpack-encode.ts";
import type { TfType } from "./types.ts";

export interface WireDynamicValue {
  msgpack?: Uint8Array | null;
  json?: Uint8Array | null;
}

/** Terraform sends msgpack; JSON is the documented fallback. Absent or empty = null. */
export function fromDynamicValue(dv: WireDynamicValue | null | undefined, type: TfType): unknown {
  if (!dv) return null;
  if (dv.msgpack && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack, type);
  if (dv.json && dv.json.length > 0) return decodeJson(dv.json, type);
  return null;
}

/** Replies always use msgpack: Terraform does not read JSON replies everywhere. */
export function toDynamicValue(value: unknown, type: TfType): { msgpack: Uint8Array } {
  return { msgpack: encodeMsgpack(value, type) };
}

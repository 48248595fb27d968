// gRPC service definitions straight from the precompiled JSON descriptors, with
// protobufjs/light (no .proto parser). @grpc/proto-loader would also build a
// descriptor proto for every message, which cost ~80 ms of each start-up; here
// only the negotiated protocol's descriptors are loaded.
import type { ServiceDefinition } from "@grpc/grpc-js";
import protobuf from "protobufjs/light.js";
import v5 from "../../proto/descriptors-v5.json" with { type: "json" };
import v6 from "../../proto/descriptors-v6.json" with { type: "json" };

// Same value conventions proto-loader would use: snake_case field names as in the
// .proto, int64 as JS numbers, enums as numbers, absent fields undefined, bytes as Buffer.
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: Number, defaults: false, oneofs: true };

const roots = new Map<5 | 6, protobuf.Root>();

/** A service of protocol `protocol`'s descriptors (which also hold go-plugin's services). */
export function serviceDefinition(protocol: 5 | 6, fullName: string): ServiceDefinition {
  let root = roots.get(protocol);
  if (!root) roots.set(protocol, (root = protobuf.Root.fromJSON((protocol === 5 ? v5 : v6) as protobuf.INamespace)));
  const service = root.lookupService(fullName);
  const definition: Record<string, ServiceDefinition[string]> = {};
  for (const method of Object.values(service.methods)) {
    method.resolve();
    const req = method.resolvedRequestType!;
    const res = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: !!method.requestStream,
      responseStream: !!method.responseStream,
      requestSerialize: (value: object) => Buffer.from(req.encode(req.fromObject(value)).finish()),
      requestDeserialize: (bytes: Buffer) => req.toObject(req.decode(bytes), TO_OBJECT),
      responseSerialize: (value: object) => Buffer.from(res.encode(res.fromObject(value)).finish()),
      responseDeserialize: (bytes: Buffer) => res.toObject(res.decode(bytes), TO_OBJECT),
      originalName: method.name,
    };
  }
  return definition as ServiceDefinition;
}

// Turns the .proto files in proto/ into JSON descriptors so the provider never
// parses .proto text at start-up (Terraform starts a fresh provider process for
// almost every command). One file per protocol, pruned to the RPCs the provider
// serves and the messages they reach: protobufjs resolves every type it is
// given at load, and the full pair of protocols cost ~55 ms of each start-up.
// RPCs left out answer UNIMPLEMENTED, which Terraform handles.
// Run: npm run compile-protos -w @meshplane/provider (the JSON is committed).
import protobuf from "protobufjs";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const protoDir = fileURLToPath(new URL("../proto/", import.meta.url));

/** Keep in step with METHODS in src/plugin/services.ts (a unit test checks it). */
export const SERVED = {
  6: ["GetMetadata", "GetProviderSchema", "ValidateProviderConfig", "ValidateResourceConfig", "ValidateDataResourceConfig", "UpgradeResourceState", "ConfigureProvider", "ReadResource", "PlanResourceChange", "ApplyResourceChange", "ImportResourceState", "ReadDataSource", "GetFunctions", "CallFunction", "StopProvider"],
  5: ["GetMetadata", "GetSchema", "PrepareProviderConfig", "ValidateResourceTypeConfig", "ValidateDataSourceConfig", "UpgradeResourceState", "Configure", "ReadResource", "PlanResourceChange", "ApplyResourceChange", "ImportResourceState", "ReadDataSource", "GetFunctions", "CallFunction", "Stop"],
};

function compile(version) {
  const root = new protobuf.Root();
  root.loadSync([join(protoDir, `tfplugin${version}.8.proto`), join(protoDir, "go-plugin.proto")], { keepCase: true });
  root.resolveAll();

  // Every type reachable from the served methods (and go-plugin's controller).
  const reachable = new Set();
  const visit = (type) => {
    if (reachable.has(type.fullName)) return;
    reachable.add(type.fullName);
    if (type instanceof protobuf.Type) for (const f of type.fieldsArray) if (f.resolvedType) visit(f.resolvedType);
  };
  const service = root.lookupService(`tfplugin${version}.Provider`);
  const controller = root.lookupService("plugin.GRPCController");
  for (const m of [...SERVED[version].map((name) => service.methods[name]), ...Object.values(controller.methods)]) {
    if (!m) throw new Error(`tfplugin${version}.Provider has no method in SERVED`);
    m.resolve();
    visit(m.resolvedRequestType);
    visit(m.resolvedResponseType);
  }

  // The JSON of the tree with only reachable types (and the namespaces holding them).
  const prune = (obj, json) => {
    const out = {};
    if (obj instanceof protobuf.Service) {
      if (obj !== service && obj !== controller) return undefined; // e.g. protocol 5's Provisioner
      const methods = Object.fromEntries(Object.entries(json.methods).filter(([name]) => obj === controller || SERVED[version].includes(name)));
      return { ...json, methods };
    }
    if (obj instanceof protobuf.Type || obj instanceof protobuf.Enum) {
      if (!reachable.has(obj.fullName) && !hasReachable(obj)) return undefined;
      Object.assign(out, json);
      if (obj instanceof protobuf.Type && !reachable.has(obj.fullName)) out.fields = {}; // a mere container
    }
    if (obj.nestedArray?.length) {
      const nested = {};
      for (const child of obj.nestedArray) {
        const kept = prune(child, json.nested?.[child.name] ?? child.toJSON());
        if (kept) nested[child.name] = kept;
      }
      if (Object.keys(nested).length) out.nested = nested;
      else delete out.nested;
    }
    return Object.keys(out).length ? out : undefined;
  };
  const hasReachable = (obj) => (obj.nestedArray ?? []).some((c) => reachable.has(c.fullName) || hasReachable(c));
  const json = prune(root, root.toJSON({ keepComments: false }));
  delete json.options;
  const text = JSON.stringify(json) + "\n";
  writeFileSync(join(protoDir, `descriptors-v${version}.json`), text);
  console.error(`wrote proto/descriptors-v${version}.json (${text.length} bytes, ${reachable.size} types)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  compile(6);
  compile(5);
}

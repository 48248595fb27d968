// The gRPC side of the plugin: the provider service under the names of the
// negotiated protocol (5 and 6 differ only in some method names), and go-plugin's
// controller whose Shutdown lets Terraform end us without a 2 s kill timeout.
import type { Logger } from "../framework/resource.ts";
import type { ProviderServer } from "../protocol/provider-server.ts";
import type { GrpcServer, UnaryMethod } from "./grpc-server.ts";
import { serviceDefinition } from "./proto-services.ts";

export type ProtocolVersion = 5 | 6;

type Handler = keyof ProviderServer<unknown>;

/**
 * RPC name on the wire → handler. Everything absent answers UNIMPLEMENTED, which
 * Terraform expects. scripts/compile-protos.mjs (SERVED) keeps exactly these RPCs
 * (plus GetFunctions) in the descriptors.
 */
export const METHODS: Record<ProtocolVersion, Record<string, Handler>> = {
  6: {
    GetMetadata: "getMetadata",
    GetProviderSchema: "getProviderSchema",
    ValidateProviderConfig: "validateProviderConfig",
    ValidateResourceConfig: "validateResourceConfig",
    ValidateDataResourceConfig: "validateDataResourceConfig",
    UpgradeResourceState: "upgradeResourceState",
    ConfigureProvider: "configureProvider",
    ReadResource: "readResource",
    PlanResourceChange: "planResourceChange",
    ApplyResourceChange: "applyResourceChange",
    ImportResourceState: "importResourceState",
    ReadDataSource: "readDataSource",
    StopProvider: "stopProvider",
  },
  5: {
    GetMetadata: "getMetadata",
    GetSchema: "getProviderSchema",
    PrepareProviderConfig: "prepareProviderConfig",
    ValidateResourceTypeConfig: "validateResourceConfig",
    ValidateDataSourceConfig: "validateDataResourceConfig",
    UpgradeResourceState: "upgradeResourceState",
    Configure: "configureProvider",
    ReadResource: "readResource",
    PlanResourceChange: "planResourceChange",
    ApplyResourceChange: "applyResourceChange",
    ImportResourceState: "importResourceState",
    ReadDataSource: "readDataSource",
    Stop: "stopProvider",
  },
};

export function addProviderServices(server: GrpcServer, protocol: ProtocolVersion, provider: ProviderServer<unknown>, log: Logger, onShutdown: () => void): void {
  const definitions = serviceDefinition(protocol, `tfplugin${protocol}.Provider`);
  const unary = (name: string, handle: (req: unknown) => unknown): UnaryMethod => ({ decode: definitions[name]!.requestDeserialize, encode: definitions[name]!.responseSerialize as UnaryMethod["encode"], handle });
  const methods: Record<string, UnaryMethod> = {};
  for (const [rpc, handler] of Object.entries(METHODS[protocol])) {
    const fn = provider[handler] as (req: unknown) => unknown;
    methods[rpc] = unary(rpc, (req) => {
      const started = performance.now();
      const done = () => log.trace(`${rpc} done`, { ms: Math.round((performance.now() - started) * 10) / 10 });
      const reply = fn.call(provider, req);
      // Handlers turn failures into diagnostics; a rejection is a provider bug (the server logs it and answers INTERNAL).
      if (reply instanceof Promise) return reply.then((r) => (done(), r));
      done();
      return reply;
    });
  }
  methods.GetFunctions = unary("GetFunctions", () => ({ functions: {}, diagnostics: [] }));
  server.addService(`tfplugin${protocol}.Provider`, methods);
  const controller = serviceDefinition(protocol, "plugin.GRPCController").Shutdown!;
  server.addService("plugin.GRPCController", {
    Shutdown: {
      decode: controller.requestDeserialize,
      encode: controller.responseSerialize as UnaryMethod["encode"],
      handle: () => {
        // Let the reply leave before the server closes.
        setImmediate(onShutdown);
        return {};
      },
    },
  });
}

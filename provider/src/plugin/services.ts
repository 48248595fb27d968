// The gRPC side of the plugin: the provider service under the names of the
// negotiated protocol (5 and 6 differ only in some method names), and go-plugin's
// controller whose Shutdown lets Terraform end us without a 2 s kill timeout.
import * as grpc from "@grpc/grpc-js";
import type { Logger } from "../framework/resource.ts";
import type { ProviderServer } from "../protocol/provider-server.ts";
import { serviceDefinition } from "./proto-services.ts";

export type ProtocolVersion = 5 | 6;

type Handler = keyof ProviderServer<unknown>;

/**
 * RPC name on the wire → handler. Everything absent answers UNIMPLEMENTED, which
 * Terraform expects. scripts/compile-protos.mjs (SERVED) keeps exactly these RPCs
 * in the descriptors.
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
    GetFunctions: "getFunctions",
    CallFunction: "callFunction",
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
    GetFunctions: "getFunctions",
    CallFunction: "callFunction",
    Stop: "stopProvider",
  },
};

export function addProviderServices(server: grpc.Server, protocol: ProtocolVersion, provider: ProviderServer<unknown>, log: Logger, onShutdown: () => void): void {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [rpc, handler] of Object.entries(METHODS[protocol])) {
    impl[rpc] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const started = performance.now();
      Promise.resolve()
        .then(() => (provider[handler] as (req: unknown) => unknown).call(provider, call.request))
        .then(
          (response) => {
            log.trace(`${rpc} done`, { ms: Math.round((performance.now() - started) * 10) / 10 });
            callback(null, response);
          },
          // Handlers turn failures into diagnostics; reaching this is a provider bug.
          (e: unknown) => {
            log.error(`${rpc} failed`, { error: String(e) });
            callback({ code: grpc.status.INTERNAL, details: String(e) });
          },
        );
    };
  }
  server.addService(serviceDefinition(protocol, `tfplugin${protocol}.Provider`), impl);
  server.addService(serviceDefinition(protocol, "plugin.GRPCController"), {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => {
      callback(null, {});
      onShutdown();
    },
  });
}

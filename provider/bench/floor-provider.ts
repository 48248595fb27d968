// The bench's floor: a measurement reference, not part of the product. The real
// schema on the same stack as the real provider (Node, @grpc/grpc-js, protobufjs,
// AutoMTLS, the same launcher), but every RPC answers at once without decoding a
// value or calling the API: the planned state is the proposed one, the new state
// the planned or current one. What a 1,000-resource plan or apply costs with it is
// what Terraform's plugin protocol costs on this runtime, whatever a provider does.
// bench/provider-bench.ts builds it (esbuild, like the real one) and runs it beside
// the real provider and terraform_data.
import { createLogger } from "../src/plugin/hclog.ts";
import { hasMagicCookie, NOT_A_COMMAND } from "../src/plugin/handshake.ts";
import { serve } from "../src/plugin/serve.ts";
import { meshplaneProvider } from "../src/meshplane/provider.ts";
import { ProviderServer } from "../src/protocol/provider-server.ts";
import { dataSources, resources } from "../src/resources/index.ts";

type Req = Record<string, any>;
const none = { diagnostics: [] };

class FloorProviderServer extends ProviderServer<unknown> {
  override validateProviderConfig(): object {
    return none;
  }
  override validateResourceConfig(): object {
    return none;
  }
  override upgradeResourceState(req: Req): object {
    return { upgraded_state: { json: req.raw_state?.json }, diagnostics: [] };
  }
  override async configureProvider(): Promise<object> {
    return none;
  }
  override async readResource(req: Req): Promise<object> {
    return { new_state: req.current_state, private: req.private ?? Buffer.alloc(0), diagnostics: [] };
  }
  override async planResourceChange(req: Req): Promise<object> {
    return { planned_state: req.proposed_new_state, planned_private: req.prior_private ?? Buffer.alloc(0), diagnostics: [] };
  }
  override async applyResourceChange(req: Req): Promise<object> {
    return { new_state: req.planned_state, private: req.planned_private ?? Buffer.alloc(0), diagnostics: [] };
  }
}

if (!hasMagicCookie(process.env)) {
  process.stderr.write(NOT_A_COMMAND);
  process.exit(1);
}
serve(
  meshplaneProvider({ resources: resources(process.env), dataSources: dataSources(process.env) }),
  process.env,
  createLogger("meshplane"),
  (definition, log) => new FloorProviderServer(definition, log),
);

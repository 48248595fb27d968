import { z } from "zod";
import type { MeshService } from "../../services/mesh-service.ts";
import { route } from "../route.ts";

const flowKey = z.object({ namespace: z.string(), id: z.string() });
const mesh = z
  .object({
    flows: z.array(
      flowKey.extend({
        disabled: z.boolean(),
        latestExecution: z.object({ id: z.string(), state: z.string(), createdAt: z.string() }).optional().describe("absent: never run"),
      }),
    ),
    edges: z.array(
      z.object({
        from: flowKey.describe("the upstream: listened to or called (possibly in a namespace the caller cannot read)"),
        to: flowKey.describe("the flow that triggers on or calls it (readable by the caller)"),
        kind: z.enum(["trigger", "subflow"]),
        refusedAt: z.string().optional().describe("when this reference was last refused at run time for want of a grant (audited trigger.denied)"),
      }),
    ),
  })
  .meta({ id: "Mesh" });

/** The mesh map's data in one call (the console's home page). */
export function meshRoutes(service: MeshService) {
  return [
    route({
      method: "get", path: "/mesh", operationId: "getMesh",
      summary: "The live flows of every namespace the caller reads, with their latest execution, and the trigger and subflow references they declare", tags: ["flows"],
      access: { kind: "authenticated" },
      responses: { 200: { description: "Flows sorted by namespace and id; edges by downstream, then upstream", schema: mesh } },
      handler: async (_input, ctx) => ({ status: 200, body: await service.read(ctx.principal) }),
    }),
  ];
}

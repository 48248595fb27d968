import { z } from "zod";
import { description, teamName } from "../../names.ts";
import type { TeamService } from "../../services/team-service.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

const team = z
  .object({ name: z.string(), description: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: "Team" });
const byName = z.object({ name: teamName });

export function teamRoutes(teams: TeamService) {
  return [
    route({
      method: "post", path: "/teams", operationId: "createTeam", summary: "Create a team", tags: ["teams"],
      access: { kind: "platform-admin", action: "create teams" },
      body: z.strictObject({ name: teamName, description: description.optional() }),
      responses: { 201: { description: "The team", schema: team } },
      handler: async ({ body }, ctx) => ({ status: 201, body: await teams.create(actorOf(ctx), body) }),
    }),
    route({
      method: "get", path: "/teams", operationId: "listTeams", summary: "List teams", tags: ["teams"],
      access: { kind: "authenticated" },
      query: pageQuery,
      responses: { 200: { description: "A page of teams", schema: pageOf(team) } },
      handler: async ({ query }) => ({ status: 200, body: await teams.list(query) }),
    }),
    route({
      method: "get", path: "/teams/{name}", operationId: "getTeam", summary: "Get a team", tags: ["teams"],
      access: { kind: "authenticated" },
      params: byName,
      responses: { 200: { description: "The team", schema: team } },
      handler: async ({ params }) => ({ status: 200, body: await teams.get(params.name) }),
    }),
    route({
      method: "patch", path: "/teams/{name}", operationId: "updateTeam", summary: "Update a team", tags: ["teams"],
      access: { kind: "platform-admin", action: "update teams" },
      params: byName,
      body: z.strictObject({ description: description.optional() }),
      responses: { 200: { description: "The team", schema: team } },
      handler: async ({ params, body }, ctx) => ({ status: 200, body: await teams.update(actorOf(ctx), params.name, body) }),
    }),
    route({
      method: "delete", path: "/teams/{name}", operationId: "deleteTeam", summary: "Delete a team (409 while it has service accounts or namespaces)", tags: ["teams"],
      access: { kind: "platform-admin", action: "delete teams" },
      params: byName,
      responses: { 204: { description: "Deleted" } },
      handler: async ({ params }, ctx) => {
        await teams.delete(actorOf(ctx), params.name);
        return { status: 204 };
      },
    }),
  ];
}

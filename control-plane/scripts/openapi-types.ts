/**
 * The console's API types, generated from the OpenAPI document the server serves (built
 * here from the same route declarations, no server needed) by openapi-typescript, into
 * console/src/api-types.ts — checked in, so that installing and building need nothing of
 * it; test/console/api-types.test.ts fails when the file is stale.
 *
 *   node bin/run-ts.js scripts/write-openapi-types.ts          (writes the file)
 */
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { buildOpenApi } from "../src/http/openapi.ts";
import { allRoutes } from "../src/http/routes/index.ts";
import type { Services } from "../src/services/index.ts";

export const API_TYPES_FILE = fileURLToPath(new URL("../console/src/api-types.ts", import.meta.url));

const HEADER = `// Generated from the OpenAPI document by control-plane/scripts/openapi-types.ts (openapi-typescript).
// Do not edit: run \`node control-plane/bin/run-ts.js control-plane/scripts/openapi-types.ts\`.
/* eslint-disable */
`;

/** The routes only declare their handlers: nothing of the services is called to describe them. */
const unusedServices = new Proxy({}, { get: () => ({}) }) as Services;

export async function apiTypesSource(): Promise<string> {
  const doc = buildOpenApi(allRoutes(unusedServices), "0.0.0");
  const ast = await openapiTS(doc as Parameters<typeof openapiTS>[0], { rootTypes: false, alphabetize: false });
  return HEADER + astToString(ast);
}

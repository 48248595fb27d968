// Every resource and data source the provider serves. Real Meshplane resources
// (team, namespace, flow, …) are one file each, added to these lists.
import type { DataSource, Resource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { testEchoDataSource, testEchoResource } from "./test-echo.ts";

export function resources(env: NodeJS.ProcessEnv): Resource<any, MeshplaneClient>[] {
  return [...(testResourcesEnabled(env) ? [testEchoResource as Resource<any, MeshplaneClient>] : [])];
}

export function dataSources(env: NodeJS.ProcessEnv): DataSource<any, MeshplaneClient>[] {
  return [...(testResourcesEnabled(env) ? [testEchoDataSource as DataSource<any, MeshplaneClient>] : [])];
}

export function testResourcesEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.MESHPLANE_PROVIDER_TEST_RESOURCES === "1";
}

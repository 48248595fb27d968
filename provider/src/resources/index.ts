// Every resource and data source the provider serves, one file each.
import type { DataSource, Resource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { apiKeyResource } from "./api-key.ts";
import { flowDataSource, flowResource } from "./flow.ts";
import { namespaceDataSource, namespaceResource } from "./namespace.ts";
import { policyResource } from "./policy.ts";
import { roleBindingResource } from "./role-binding.ts";
import { serviceAccountResource } from "./service-account.ts";
import { serviceAccountFederationResource } from "./service-account-federation.ts";
import { tableDataSource, tableResource } from "./table.ts";
import { teamDataSource, teamResource } from "./team.ts";
import { testEchoDataSource, testEchoResource } from "./test-echo.ts";
import { triggerGrantResource } from "./trigger-grant.ts";

type AnyResource = Resource<any, MeshplaneClient>;
type AnyDataSource = DataSource<any, MeshplaneClient>;

/** The public resources (docs and CDKTF bindings are generated from these). */
export const meshplaneResources: readonly AnyResource[] = [
  teamResource,
  serviceAccountResource,
  apiKeyResource,
  serviceAccountFederationResource,
  namespaceResource,
  roleBindingResource,
  triggerGrantResource,
  flowResource,
  tableResource,
  policyResource,
] as AnyResource[];

export const meshplaneDataSources: readonly AnyDataSource[] = [teamDataSource, namespaceDataSource, flowDataSource, tableDataSource] as AnyDataSource[];

export function resources(env: NodeJS.ProcessEnv): AnyResource[] {
  return [...meshplaneResources, ...(testResourcesEnabled(env) ? [testEchoResource as AnyResource] : [])];
}

export function dataSources(env: NodeJS.ProcessEnv): AnyDataSource[] {
  return [...meshplaneDataSources, ...(testResourcesEnabled(env) ? [testEchoDataSource as AnyDataSource] : [])];
}

export function testResourcesEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.MESHPLANE_PROVIDER_TEST_RESOURCES === "1";
}

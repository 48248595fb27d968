import type { Services } from "../../services/index.ts";
import type { AnyRoute } from "../route.ts";
import { auditRoutes } from "./audit-routes.ts";
import { executionRoutes } from "./execution-routes.ts";
import { flowRoutes } from "./flow-routes.ts";
import { meshRoutes } from "./mesh-routes.ts";
import { triggerGrantRoutes } from "./trigger-grant-routes.ts";
import { identityRoutes } from "./identity-routes.ts";
import { federationRoutes } from "./federation-routes.ts";
import { namespaceRoutes } from "./namespace-routes.ts";
import { policyRoutes } from "./policy-routes.ts";
import { roleBindingRoutes } from "./role-binding-routes.ts";
import { serviceAccountRoutes } from "./service-account-routes.ts";
import { tableRoutes } from "./table-routes.ts";
import { teamRoutes } from "./team-routes.ts";
import { warehouseRoutes } from "./warehouse-routes.ts";

/** Every endpoint of /api/v1, in one list: the router, OpenAPI and RBAC tests read it. */
export function allRoutes(s: Services): AnyRoute[] {
  return [
    ...identityRoutes(s.tokenExchange),
    ...teamRoutes(s.teams),
    ...serviceAccountRoutes(s.serviceAccounts),
    ...federationRoutes(s.federations),
    ...namespaceRoutes(s.namespaces, s.namespaceAccess),
    ...roleBindingRoutes(s.roleBindings),
    ...auditRoutes(s.audit),
    ...tableRoutes(s.tables),
    ...warehouseRoutes(s.warehouse),
    ...flowRoutes(s.flows, s.flowValidation),
    ...meshRoutes(s.mesh),
    ...triggerGrantRoutes(s.triggerGrants),
    ...policyRoutes(s.policies),
    ...executionRoutes(s.executions, s.follow),
  ] as AnyRoute[];
}

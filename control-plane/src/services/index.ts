import { Authenticator } from "../auth/authenticator.ts";
import { JwtIssuer } from "../auth/jwt.ts";
import { Authorizer } from "../authz/authorizer.ts";
import { NamespaceDirectory } from "../authz/namespace-directory.ts";
import type { Database } from "../db/prisma.ts";
import type { Logger } from "../logger.ts";
import { AuditRepository } from "../repositories/audit-repository.ts";
import { IdentityRepository } from "../repositories/identity-repository.ts";
import { NamespaceOwnerRepository } from "../repositories/namespace-owner-repository.ts";
import { FlowGraphRepository } from "../repositories/flow-graph-repository.ts";
import { MeshRepository } from "../repositories/mesh-repository.ts";
import { FlowRepository } from "../repositories/flow-repository.ts";
import { ExecutionRepository } from "../repositories/execution-repository.ts";
import { FlowTriggerRepository } from "../repositories/flow-trigger-repository.ts";
import { Executor } from "../orchestrator/executor.ts";
import { ExecutionService } from "./execution-service.ts";
import { DEFAULT_FOLLOW_OPTIONS, ExecutionFollower, type FollowOptions } from "./execution-follow.ts";
import { AuditService } from "./audit-service.ts";
import type { ServiceDeps } from "./context.ts";
import { NamespaceService } from "./namespace-service.ts";
import { NamespaceAccessService } from "./namespace-access-service.ts";
import { RoleBindingService } from "./role-binding-service.ts";
import { ServiceAccountService } from "./service-account-service.ts";
import { TableService } from "./table-service.ts";
import { WarehouseService } from "./warehouse-service.ts";
import { WarehouseHolder } from "../warehouse/component.ts";
import { TeamService } from "./team-service.ts";
import { FlowPolicy } from "./flow-policy.ts";
import { FlowService } from "./flow-service.ts";
import { MeshService } from "./mesh-service.ts";
import { FlowValidationService } from "./flow-validation-service.ts";
import { TriggerGrantService } from "./trigger-grant-service.ts";
import { OidcVerifier, type OidcOptions } from "../auth/oidc.ts";
import { FederationService } from "./federation-service.ts";
import { TokenExchangeService } from "./token-exchange-service.ts";
import { PolicyService } from "./policy-service.ts";

export interface Services {
  readonly deps: ServiceDeps;
  readonly teams: TeamService;
  readonly serviceAccounts: ServiceAccountService;
  readonly namespaces: NamespaceService;
  readonly namespaceAccess: NamespaceAccessService;
  readonly roleBindings: RoleBindingService;
  readonly audit: AuditService;
  readonly tables: TableService;
  readonly warehouse: WarehouseService;
  readonly flows: FlowService;
  readonly flowValidation: FlowValidationService;
  readonly mesh: MeshService;
  readonly triggerGrants: TriggerGrantService;
  readonly executions: ExecutionService;
  readonly follow: ExecutionFollower;
  readonly federations: FederationService;
  readonly tokenExchange: TokenExchangeService;
  readonly policies: PolicyService;
}

export function createServices(
  database: Database,
  logger: Logger,
  jwtSecret: string,
  jwtTtlSeconds: number,
  options: { follow?: Partial<Omit<FollowOptions, "pollMs">>; oidc?: OidcOptions; warehouse?: WarehouseHolder } = {},
): Services {
  const db = database.prisma;
  const namespaces = new NamespaceDirectory(new NamespaceOwnerRepository(db));
  const jwt = new JwtIssuer(jwtSecret, jwtTtlSeconds);
  const deps: ServiceDeps = {
    db,
    logger,
    audit: new AuditRepository(db),
    authorizer: new Authorizer(namespaces),
    authenticator: new Authenticator(new IdentityRepository(db), jwt),
    namespaces,
    jwt,
  };
  const flowRepository = new FlowRepository(db, database.flowPool);
  const executionRepository = new ExecutionRepository(database.flowPool);
  const followUps = new FlowTriggerRepository(database.flowPool);
  const flowGraph = new FlowGraphRepository(db);
  const flowPolicy = new FlowPolicy(deps, flowGraph);
  const policies = new PolicyService(deps);
  const oidc = new OidcVerifier(options.oidc ?? { issuers: [], jwksCooldownSeconds: 30 });
  return {
    deps,
    teams: new TeamService(deps),
    serviceAccounts: new ServiceAccountService(deps),
    namespaces: new NamespaceService(deps),
    namespaceAccess: new NamespaceAccessService(deps),
    roleBindings: new RoleBindingService(deps),
    audit: new AuditService(deps),
    tables: new TableService(deps, policies),
    flows: new FlowService(deps, flowRepository, flowGraph, flowPolicy, policies),
    flowValidation: new FlowValidationService(deps, flowRepository, flowPolicy, policies),
    mesh: new MeshService(deps, new MeshRepository(db)),
    warehouse: new WarehouseService(deps, options.warehouse ?? new WarehouseHolder()),
    triggerGrants: new TriggerGrantService(deps),
    // Executions read and start on the flow pool; the workers have a pool of their own (orchestrator/orchestrator.ts).
    executions: new ExecutionService(deps, flowRepository, executionRepository, new Executor(executionRepository, logger, followUps), followUps),
    follow: new ExecutionFollower(executionRepository, { ...DEFAULT_FOLLOW_OPTIONS, ...options.follow }),
    federations: new FederationService(deps, oidc),
    tokenExchange: new TokenExchangeService(deps, oidc),
    policies,
  };
}

// Generated from the OpenAPI document by control-plane/scripts/openapi-types.ts (openapi-typescript).
// Do not edit: run `node control-plane/bin/run-ts.js control-plane/scripts/openapi-types.ts`.
/* eslint-disable */
export interface paths {
    "/api/v1/auth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange an API key, or an OIDC ID token matching a federation rule (RFC 8693), for a short-lived access token (JWT) */
        post: operations["issueToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the caller is and which roles it holds */
        get: operations["whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List teams */
        get: operations["listTeams"];
        put?: never;
        /** Create a team */
        post: operations["createTeam"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/teams/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a team */
        get: operations["getTeam"];
        put?: never;
        post?: never;
        /** Delete a team (409 while it has service accounts or namespaces) */
        delete: operations["deleteTeam"];
        options?: never;
        head?: never;
        /** Update a team */
        patch: operations["updateTeam"];
        trace?: never;
    };
    "/api/v1/service-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List service accounts */
        get: operations["listServiceAccounts"];
        put?: never;
        /** Create a service account */
        post: operations["createServiceAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/service-accounts/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a service account */
        get: operations["getServiceAccount"];
        put?: never;
        post?: never;
        /** Delete a service account and its keys (409 if it is the last usable platform admin) */
        delete: operations["deleteServiceAccount"];
        options?: never;
        head?: never;
        /** Update a service account */
        patch: operations["updateServiceAccount"];
        trace?: never;
    };
    "/api/v1/service-accounts/{name}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a service account's keys (never their secrets) */
        get: operations["listApiKeys"];
        put?: never;
        /** Create an API key (shown only in this answer) */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/service-accounts/{name}/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one API key (never its secret) */
        get: operations["getApiKey"];
        put?: never;
        post?: never;
        /** Revoke an API key (and the access tokens issued for it); 409 if it is the last usable key of the last platform admin */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/service-accounts/{name}/federations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a service account's federation rules */
        get: operations["listFederations"];
        put?: never;
        /** Trust OIDC tokens of an issuer (e.g. GitHub Actions) whose audience and claims match, instead of an API key */
        post: operations["createFederation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/service-accounts/{name}/federations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one federation rule */
        get: operations["getFederation"];
        put?: never;
        post?: never;
        /** Delete a federation rule (and revoke the access tokens exchanged through it) */
        delete: operations["deleteFederation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/namespaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List namespaces */
        get: operations["listNamespaces"];
        put?: never;
        /** Create a namespace owned by a team */
        post: operations["createNamespace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/namespaces/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a namespace */
        get: operations["getNamespace"];
        put?: never;
        post?: never;
        /** Delete a namespace with what its subtree still holds: bindings, grants, soft-deleted flows and tables (409 while it has child namespaces or live flows or tables) */
        delete: operations["deleteNamespace"];
        options?: never;
        head?: never;
        /** Update a namespace (owner, description, labels) */
        patch: operations["updateNamespace"];
        trace?: never;
    };
    "/api/v1/namespaces/{name}/access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who can do what in a namespace: each team and service account with a role there, its effective role and permissions, and why (ownership, bindings on it or an ancestor) */
        get: operations["getNamespaceAccess"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/role-bindings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List role bindings */
        get: operations["listRoleBindings"];
        put?: never;
        /** Bind a role on a namespace to a team or a service account */
        post: operations["createRoleBinding"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/role-bindings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a role binding */
        get: operations["getRoleBinding"];
        put?: never;
        post?: never;
        /** Remove a role binding (409 for your own platform-admin binding, or the last one of a usable platform admin) */
        delete: operations["deleteRoleBinding"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit events, newest first: all of them for platform admins, a namespace subtree's for its maintainers */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tables/{namespace}/{dataset}.{table}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a table contract */
        get: operations["getTable"];
        /** Create or update a table contract (409 on a breaking change without a new major version; If-Match: "<version>" to update only that version; If-None-Match: * to create only) */
        put: operations["putTable"];
        post?: never;
        /** Delete a table contract (409 listing the flows that read it, unless ?force=true with access.manage) */
        delete: operations["deleteTable"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tables/{namespace}/{dataset}.{table}/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Dry run of the PUT: the changes, whether they break the contract, the next version; writes nothing */
        post: operations["checkTable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tables/{namespace}/{dataset}.{table}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The versions of a table contract, oldest first, each with its changes from the one before (from the audit log of its writes) */
        get: operations["listTableVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tables/{namespace}/{dataset}.{table}/consumers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The live flows that read a table (a flow in a namespace the caller cannot read is counted in `hidden`, not named) */
        get: operations["listTableConsumers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tables/{namespace}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the table contracts of a namespace */
        get: operations["listTables"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tables/{namespace}/{dataset}.{table}/rows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The first rows of a table in the warehouse (503 on a process without the warehouse) */
        get: operations["getTableRows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/warehouse/query": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a query on the local warehouse (platform admin; audited; at most 10,000 rows answered) */
        post: operations["queryWarehouse"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/warehouse/tables/{table}/load": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Load a file (the body, application/octet-stream, at most 256 MiB) into a table of the local warehouse (platform admin; audited) */
        post: operations["loadWarehouseTable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{namespace}/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a flow (its current revision, or ?revision=n) */
        get: operations["getFlow"];
        /** Create or update a flow from its YAML (idempotent; unchanged source keeps the revision; If-Match: <revision> for optimistic concurrency; If-None-Match: * to create only — 409 if it exists) */
        put: operations["putFlow"];
        post?: never;
        /** Delete a flow (soft: its history stays); 409 listing the flows that trigger on or call it, unless ?force=true by a maintainer */
        delete: operations["deleteFlow"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{namespace}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the live flows of a namespace (or its subtree) */
        get: operations["listFlows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{namespace}/{id}/revisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a flow's revisions, oldest first (deletions included) */
        get: operations["listFlowRevisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{namespace}/{id}/revisions/{revision}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one revision of a flow */
        get: operations["getFlowRevision"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/{namespace}/{id}/dependencies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The flows this flow listens to or calls (up) or that listen to or call it (down), directly or transitively */
        get: operations["getFlowDependencies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/flows/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a flow YAML as PUT would (syntax, schema, permission, cross-team grants, references, cycles) without saving it; as JSON, with the objects the caller's plan creates first (`planned`) */
        post: operations["validateFlow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/mesh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The live flows of every namespace the caller reads, with their latest execution, and the trigger and subflow references they declare */
        get: operations["getMesh"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trigger-grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List trigger grants */
        get: operations["listTriggerGrants"];
        put?: never;
        /** Let flows of a downstream namespace listen to or call flows of an upstream namespace (by a maintainer of the upstream) */
        post: operations["createTriggerGrant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trigger-grants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a trigger grant */
        get: operations["getTriggerGrant"];
        put?: never;
        post?: never;
        /** Revoke a trigger grant (by a maintainer of the upstream namespace); flows relying on it are refused at their next write and run */
        delete: operations["deleteTriggerGrant"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a platform policy */
        get: operations["getPolicy"];
        /** Create or update a platform policy (CEL); 400 naming the line and column when the expression does not compile; If-Match: <revision> */
        put: operations["putPolicy"];
        post?: never;
        /** Delete a platform policy */
        delete: operations["deletePolicy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List platform policies */
        get: operations["listPolicies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}/kill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Kill an execution: running tasks are aborted, subflows killed too; QUEUED or CREATED ends KILLED at once */
        post: operations["killExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}/restart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restart a FAILED or KILLED execution: its failed and killed task runs run again (new attempts) on the same pinned revision */
        post: operations["restartExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{namespace}/{flowId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a flow now: its current revision is pinned, inputs are checked against its typed `inputs` */
        post: operations["createExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List executions newest first, in a namespace subtree (without one: every namespace, platform admins only) */
        get: operations["listExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An execution with its task runs and its state history */
        get: operations["getExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An execution's logs in order (?level=WARN: WARN and above) */
        get: operations["getExecutionLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/executions/{id}/follow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Follow an execution as server-sent events (state, task runs, logs) until it ends; Last-Event-ID resumes */
        get: operations["followExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        WhoAmI: {
            subject: string;
            /** @constant */
            kind: "service-account";
            team: string;
            platformAdmin: boolean;
            bindings: {
                id: string;
                role: string;
                namespace: string | null;
                /** @enum {string} */
                via: "team" | "service-account";
            }[];
        };
        Team: {
            name: string;
            description: string;
            createdAt: string;
            updatedAt: string;
        };
        ServiceAccount: {
            name: string;
            team: string;
            description: string;
            createdAt: string;
            updatedAt: string;
        };
        ApiKey: {
            id: string;
            serviceAccount: string;
            /** @description the first characters of the key, to recognise it */
            prefix: string;
            expiresAt: string | null;
            revokedAt: string | null;
            createdAt: string;
        };
        ServiceAccountFederation: {
            id: string;
            serviceAccount: string;
            issuer: string;
            audience: string;
            claims: {
                [key: string]: string;
            };
            description: string;
            /** @description whether this server trusts the issuer now (MESHPLANE_OIDC_ISSUERS); a rule of an untrusted issuer never matches */
            issuerTrusted: boolean;
            createdAt: string;
        };
        Namespace: {
            name: string;
            ownerTeam: string;
            description: string;
            labels: {
                [key: string]: string;
            };
            createdAt: string;
            updatedAt: string;
        };
        NamespaceAccess: {
            namespace: string;
            entries: {
                /** @description a team's entries apply to each of its service accounts */
                subject: {
                    /** @enum {string} */
                    kind: "team" | "service-account";
                    name: string;
                };
                /**
                 * @description the strongest role held here (roles nest: its permissions include the weaker ones')
                 * @enum {string}
                 */
                role: "viewer" | "executor" | "developer" | "maintainer" | "platform-admin";
                permissions: ("namespace.read" | "flow.write" | "table.write" | "execution.trigger" | "execution.kill" | "execution.restart" | "access.manage" | "audit.read")[];
                /** @description every reason the subject holds a role here, strongest first */
                sources: {
                    /**
                     * @description ownership: the team owns this namespace or an ancestor (maintainer); binding: a role binding
                     * @enum {string}
                     */
                    kind: "ownership" | "binding";
                    /** @enum {string} */
                    role: "viewer" | "executor" | "developer" | "maintainer" | "platform-admin";
                    /** @description where the ownership or binding is (an ancestor's acts on its subtree); null: organisation-wide (platform-admin) */
                    namespace: string | null;
                    bindingId?: string;
                }[];
            }[];
        };
        RoleBinding: {
            id: string;
            namespace: string | null;
            /** @enum {string} */
            role: "viewer" | "executor" | "developer" | "maintainer" | "platform-admin";
            team: string | null;
            serviceAccount: string | null;
            createdAt: string;
        };
        AuditEvent: {
            id: string;
            at: string;
            subject: string;
            subjectKind: string;
            action: string;
            resourceType: string;
            resourceId: string;
            namespace: string | null;
            before: unknown;
            after: unknown;
            requestId: string | null;
        };
        TableContract: {
            namespace: string;
            dataset: string;
            table: string;
            schema: components["schemas"]["BigQueryTableSchema"];
            /** @enum {string} */
            feedType: "WRITE_APPEND" | "WRITE_TRUNCATE" | "MODE_DELTA";
            keys: string[];
            description: string;
            labels: {
                [key: string]: string;
            };
            version: string;
            createdAt: string;
            updatedAt: string;
            /** @description PUT only, when there are some: the warning policies the contract does not satisfy (they never block) */
            warnings?: components["schemas"]["PolicyWarning"][];
        };
        BigQueryTableSchema: {
            fields: components["schemas"]["BigQueryField"][];
            timePartitioning?: {
                /** @enum {string} */
                type: "DAY" | "HOUR" | "MONTH" | "YEAR";
                field?: string;
                /** @description an int64, as a decimal string */
                expirationMs?: string;
            };
            rangePartitioning?: {
                field: string;
                range: {
                    /** @description an int64, as a decimal string */
                    start: string;
                    /** @description an int64, as a decimal string */
                    end: string;
                    /** @description an int64, as a decimal string */
                    interval: string;
                };
            };
            clustering?: {
                fields: string[];
            };
            /** @constant */
            requirePartitionFilter?: true;
        };
        /** @description A column (BigQuery TableFieldSchema), normalised: canonical type names, explicit mode */
        BigQueryField: {
            name: string;
            /** @enum {string} */
            type: "STRING" | "BYTES" | "INTEGER" | "FLOAT" | "NUMERIC" | "BIGNUMERIC" | "BOOLEAN" | "TIMESTAMP" | "DATE" | "TIME" | "DATETIME" | "GEOGRAPHY" | "JSON" | "RECORD" | "RANGE" | "INTERVAL";
            /** @enum {string} */
            mode: "NULLABLE" | "REQUIRED" | "REPEATED";
            description?: string;
            fields?: components["schemas"]["BigQueryField"][];
            policyTags?: {
                names: string[];
            };
            dataPolicies?: unknown[];
            /** @description an int64, as a decimal string */
            maxLength?: string;
            /** @description an int64, as a decimal string */
            precision?: string;
            /** @description an int64, as a decimal string */
            scale?: string;
            /** @enum {string} */
            roundingMode?: "ROUND_HALF_AWAY_FROM_ZERO" | "ROUND_HALF_EVEN";
            collation?: string;
            defaultValueExpression?: string;
            rangeElementType?: {
                /** @enum {string} */
                type: "DATE" | "DATETIME" | "TIMESTAMP";
            };
            foreignTypeDefinition?: string;
            /** @description an int64, as a decimal string */
            timestampPrecision?: string;
        };
        PolicyWarning: {
            /** @constant */
            kind: "policy";
            policy: string;
            message: string;
        };
        TableContractCheck: {
            namespace: string;
            dataset: string;
            table: string;
            /** @description whether the same PUT would be accepted now */
            accepted: boolean;
            /** @enum {string} */
            action: "create" | "recreate" | "update" | "unchanged";
            breaking: boolean;
            changes: {
                /** @description dotted column path (customer.address.zip) or a table property (timePartitioning, clustering, feedType, keys, …) */
                path: string;
                /** @description a stable code such as column-removed, type-widened, made-required */
                kind: string;
                change: string;
                breaking: boolean;
                /** @enum {string} */
                level: "major" | "minor" | "patch";
            }[];
            currentVersion: string | null;
            /** @description the version after the PUT; when refused, the version to send */
            nextVersion: string;
            problems: {
                /** @enum {string} */
                kind: "breaking-change" | "version" | "dataset-namespace" | "dataset-writers" | "if-match" | "policy";
                message: string;
            }[];
            /** @description warning policies the contract does not satisfy (the PUT passes and answers them) */
            warnings: components["schemas"]["PolicyWarning"][];
        };
        TableContractVersion: {
            version: string;
            at: string;
            /** @description who wrote this version */
            subject: string;
            schema: components["schemas"]["BigQueryTableSchema"];
            feedType: string;
            keys: string[];
            /** @description the changes from the version before (empty for the first) */
            changes: {
                /** @description dotted column path (customer.address.zip) or a table property (timePartitioning, clustering, feedType, keys, …) */
                path: string;
                /** @description a stable code such as column-removed, type-widened, made-required */
                kind: string;
                change: string;
                breaking: boolean;
                /** @enum {string} */
                level: "major" | "minor" | "patch";
            }[];
            breaking: boolean;
        };
        TableConsumers: {
            items: {
                namespace: string;
                flowId: string;
            }[];
            /** @description consumers in namespaces the caller cannot read: counted, not named */
            hidden: number;
        };
        TableRows: {
            columns: components["schemas"]["ResultColumn"][];
            /** @description rows as JSON objects; NUMERIC and INT64 values as strings */
            rows: {
                [key: string]: unknown;
            }[];
        };
        ResultColumn: {
            name: string;
            /** @description BigQuery's type name (STRING, INT64, NUMERIC, RECORD…) */
            type: string;
            /** @enum {string} */
            mode: "NULLABLE" | "REQUIRED" | "REPEATED";
            fields?: components["schemas"]["ResultColumn"][];
        };
        WarehouseQueryResult: {
            columns: components["schemas"]["ResultColumn"][];
            rows: {
                [key: string]: unknown;
            }[];
            /** @description more rows than the 10,000 answered */
            rowsTruncated: boolean;
            durationMs: number;
        };
        WarehouseLoadResult: {
            table: string;
            rowsLoaded: number;
            /** @description the table was created from the file */
            created: boolean;
        };
        Flow: {
            namespace: string;
            id: string;
            revision: number;
            /** @description the YAML exactly as registered */
            source: string;
            labels: {
                [key: string]: string;
            };
            disabled: boolean;
            description: string;
            createdAt: string;
            updatedAt: string;
            /**
             * @description present (true) only on a deleted flow or revision
             * @constant
             */
            deleted?: true;
            /** @description PUT only, when there are some: the warning policies the flow does not satisfy (they never block) */
            warnings?: {
                /** @constant */
                kind: "policy";
                policy: string;
                message: string;
            }[];
        };
        FlowRevisionSummary: {
            revision: number;
            deleted: boolean;
            createdBy: string;
            createdAt: string;
        };
        FlowDependencies: {
            nodes: {
                namespace: string;
                id: string;
                /** @description false: referenced but not (or no longer) registered; absent on a hidden node */
                registered?: boolean;
                /**
                 * @description in a namespace the caller cannot read: the end of an edge of a flow it can read; the walk does not go past it
                 * @constant
                 */
                hidden?: true;
            }[];
            edges: {
                /** @description the upstream: listened to or called */
                from: {
                    namespace: string;
                    id: string;
                };
                /** @description the flow that triggers on or calls it */
                to: {
                    namespace: string;
                    id: string;
                };
                /** @enum {string} */
                kind: "trigger" | "subflow";
            }[];
        };
        FlowValidation: {
            valid: boolean;
            problems: components["schemas"]["FlowProblem"][];
        };
        FlowProblem: {
            /** @enum {string} */
            kind: "syntax" | "schema" | "permission" | "reference" | "cycle" | "policy";
            message: string;
            pointer?: string;
            line?: number;
            column?: number;
            /** @enum {string} */
            severity: "error" | "warning";
        };
        /** @description objects the caller's plan creates before this flow (terraform plan): counted as existing; a field left out is known only after apply, and a verdict depending on it is a warning */
        PlannedObjectsInput: {
            namespaces?: {
                /** @description a dotted namespace such as `retail.sales` */
                name?: string;
                /** @description a team name such as `sales` */
                ownerTeam?: string;
            }[];
            triggerGrants?: {
                /** @description a dotted namespace such as `retail.sales` */
                upstreamNamespace?: string;
                /** @description null: every flow of the namespace */
                upstreamFlow?: string | null;
                /** @description a dotted namespace such as `retail.sales` */
                downstreamNamespace?: string;
                kinds?: ("trigger" | "subflow")[];
            }[];
            flows?: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                /** @description a flow id such as `daily_orders` */
                id: string;
            }[];
        };
        Mesh: {
            flows: {
                namespace: string;
                id: string;
                disabled: boolean;
                /** @description absent: never run */
                latestExecution?: {
                    id: string;
                    state: string;
                    createdAt: string;
                };
            }[];
            edges: {
                /** @description the upstream: listened to or called (possibly in a namespace the caller cannot read) */
                from: {
                    namespace: string;
                    id: string;
                };
                /** @description the flow that triggers on or calls it (readable by the caller) */
                to: {
                    namespace: string;
                    id: string;
                };
                /** @enum {string} */
                kind: "trigger" | "subflow";
                /** @description when this reference was last refused at run time for want of a grant (audited trigger.denied) */
                refusedAt?: string;
            }[];
        };
        TriggerGrant: {
            id: string;
            upstreamNamespace: string;
            /** @description null = every flow of the upstream namespace (and its subtree) */
            upstreamFlow: string | null;
            downstreamNamespace: string;
            kinds: ("trigger" | "subflow")[];
            createdBy: string;
            createdAt: string;
        };
        Policy: {
            name: string;
            /** @description the policy governs this namespace and its subtree */
            namespace: string;
            /** @enum {string} */
            appliesTo: "flow" | "table";
            expression: string;
            /** @enum {string} */
            severity: "error" | "warning";
            message: string;
            revision: number;
            createdBy: string;
            createdAt: string;
            updatedAt: string;
        };
        Execution: {
            id: string;
            namespace: string;
            flowId: string;
            /** @description the revision it runs, pinned when it was created */
            flowRevision: number;
            /** @enum {string} */
            state: "CREATED" | "QUEUED" | "RUNNING" | "RETRYING" | "KILLING" | "SUCCESS" | "WARNING" | "FAILED" | "KILLED" | "CANCELLED";
            inputs: {
                [key: string]: unknown;
            };
            labels: {
                [key: string]: string;
            };
            trigger: components["schemas"]["ExecutionTrigger"];
            parentExecutionId?: string;
            /** @description why it failed */
            error?: string;
            createdAt: string;
            startedAt?: string;
            endedAt?: string;
            taskRuns: components["schemas"]["TaskRun"][];
            /** @description what this execution's end did to the flow triggers listening to its flow */
            downstream: components["schemas"]["ExecutionDownstream"][];
            events: {
                /** @description absent: the execution's own state */
                taskRunId?: string;
                from?: string;
                to: string;
                at: string;
            }[];
        };
        ExecutionTrigger: {
            /** @enum {string} */
            type: "api" | "schedule" | "flow" | "subflow" | "restart";
            /** @description who started it (api) */
            subject?: string;
            triggerId?: string;
            scheduledFor?: string;
            upstream?: {
                executionId: string;
                namespace: string;
                flowId: string;
                state: string;
            }[];
        };
        TaskRun: {
            id: string;
            taskId: string;
            /** @description its position in the task tree: `par/load`, `each/2/load` (2: the foreach value's index) */
            path: string;
            /** @description the foreach value it runs for */
            value?: unknown;
            attempt: number;
            state: string;
            startedAt?: string;
            endedAt?: string;
            outputs: {
                [key: string]: unknown;
            };
            error?: string;
        };
        ExecutionDownstream: {
            namespace: string;
            flowId: string;
            /** @description the downstream flow's flow trigger that counted this end */
            triggerId: string;
            /** @description the execution it started */
            executionId?: string;
            /** @description why it started nothing: the missing grant (named, with who can create it), or inputs without defaults */
            refused?: string;
            /**
             * @description counted; the trigger waits for its other upstreams (within its window)
             * @constant
             */
            waiting?: true;
        };
        ExecutionSummary: {
            id: string;
            namespace: string;
            flowId: string;
            /** @description the revision it runs, pinned when it was created */
            flowRevision: number;
            /** @enum {string} */
            state: "CREATED" | "QUEUED" | "RUNNING" | "RETRYING" | "KILLING" | "SUCCESS" | "WARNING" | "FAILED" | "KILLED" | "CANCELLED";
            inputs: {
                [key: string]: unknown;
            };
            labels: {
                [key: string]: string;
            };
            trigger: components["schemas"]["ExecutionTrigger"];
            parentExecutionId?: string;
            /** @description why it failed */
            error?: string;
            createdAt: string;
            startedAt?: string;
            endedAt?: string;
        };
        ExecutionLog: {
            time: string;
            /** @enum {string} */
            level: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";
            taskRunId?: string;
            message: string;
        };
        /** @description Each server-sent event: `event:` is the name, `data:` the JSON below, `id:` what Last-Event-ID resumes from. Comments (`: heartbeat`) keep the stream open. */
        ExecutionFollowEvent: {
            /** @constant */
            event: "state";
            data: {
                /** @enum {string} */
                state: "CREATED" | "QUEUED" | "RUNNING" | "RETRYING" | "KILLING" | "SUCCESS" | "WARNING" | "FAILED" | "KILLED" | "CANCELLED";
                /** @enum {string} */
                from?: "CREATED" | "QUEUED" | "RUNNING" | "RETRYING" | "KILLING" | "SUCCESS" | "WARNING" | "FAILED" | "KILLED" | "CANCELLED";
                at: string;
            };
        } | {
            /** @constant */
            event: "taskRun";
            data: {
                taskRunId: string;
                taskId: string;
                path: string;
                attempt: number;
                state: string;
                from?: string;
                at: string;
            };
        } | {
            /** @constant */
            event: "log";
            data: {
                time: string;
                /** @enum {string} */
                level: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";
                taskRunId?: string;
                message: string;
            };
        } | {
            /** @constant */
            event: "end";
            data: {
                /** @enum {string} */
                state: "CREATED" | "QUEUED" | "RUNNING" | "RETRYING" | "KILLING" | "SUCCESS" | "WARNING" | "FAILED" | "KILLED" | "CANCELLED";
            };
        };
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            instance?: string;
            requestId?: string;
            errors?: {
                pointer: string;
                message: string;
                line?: number;
                column?: number;
            }[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    issueToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description an API key, mp_… */
                    api_key?: string;
                    /**
                     * @description for a token exchange: urn:ietf:params:oauth:grant-type:token-exchange
                     * @constant
                     */
                    grant_type?: "urn:ietf:params:oauth:grant-type:token-exchange";
                    /** @description the OIDC ID token, e.g. GitHub Actions' (permissions: id-token: write) */
                    subject_token?: string;
                    /** @enum {string} */
                    subject_token_type?: "urn:ietf:params:oauth:token-type:jwt" | "urn:ietf:params:oauth:token-type:id_token";
                    /** @description required when the token matches the rules of several service accounts */
                    service_account?: string;
                };
                "application/x-www-form-urlencoded": {
                    /** @description an API key, mp_… */
                    api_key?: string;
                    /**
                     * @description for a token exchange: urn:ietf:params:oauth:grant-type:token-exchange
                     * @constant
                     */
                    grant_type?: "urn:ietf:params:oauth:grant-type:token-exchange";
                    /** @description the OIDC ID token, e.g. GitHub Actions' (permissions: id-token: write) */
                    subject_token?: string;
                    /** @enum {string} */
                    subject_token_type?: "urn:ietf:params:oauth:token-type:jwt" | "urn:ietf:params:oauth:token-type:id_token";
                    /** @description required when the token matches the rules of several service accounts */
                    service_account?: string;
                };
            };
        };
        responses: {
            /** @description An access token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        access_token: string;
                        /** @constant */
                        token_type: "Bearer";
                        expires_in: number;
                        /**
                         * @description on token exchanges (RFC 8693)
                         * @constant
                         */
                        issued_token_type?: "urn:ietf:params:oauth:token-type:access_token";
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhoAmI"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTeams: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of teams */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Team"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTeam: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description a team name such as `sales` */
                    name: string;
                    description?: string;
                };
            };
        };
        responses: {
            /** @description The team */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Team"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTeam: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a team name such as `sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The team */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Team"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteTeam: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a team name such as `sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateTeam: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a team name such as `sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                };
            };
        };
        responses: {
            /** @description The team */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Team"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listServiceAccounts: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description a team name such as `sales` */
                team?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of service accounts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ServiceAccount"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createServiceAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description a service account name such as `ci-sales` */
                    name: string;
                    /** @description a team name such as `sales` */
                    team: string;
                    description?: string;
                };
            };
        };
        responses: {
            /** @description The service account */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceAccount"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getServiceAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceAccount"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteServiceAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateServiceAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                };
            };
        };
        responses: {
            /** @description The service account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceAccount"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description RFC 3339; omit for no expiry
                     */
                    expiresAt?: string;
                };
            };
        };
        responses: {
            /** @description The key, with its secret `key` */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        serviceAccount: string;
                        /** @description the first characters of the key, to recognise it */
                        prefix: string;
                        expiresAt: string | null;
                        revokedAt: string | null;
                        createdAt: string;
                        key: string;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFederations: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of rules */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ServiceAccountFederation"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createFederation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the issuer URL, exactly as its tokens' `iss`: https://token.actions.githubusercontent.com for GitHub Actions */
                    issuer: string;
                    /** @description the token's `aud` must include it: what the workflow asks its ID token for */
                    audience: string;
                    /** @description claim name → the exact string the token must carry, all of them: {repository, ref?, environment?, workflow_ref?, …} */
                    claims: {
                        [key: string]: string;
                    };
                    description?: string;
                };
            };
        };
        responses: {
            /** @description The rule */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceAccountFederation"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFederation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceAccountFederation"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteFederation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a service account name such as `ci-sales` */
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listNamespaces: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description only this namespace and its subtree */
                prefix?: string;
                /** @description a team name such as `sales` */
                ownerTeam?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of namespaces */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Namespace"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createNamespace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description a dotted namespace such as `retail.sales` */
                    name: string;
                    /** @description a team name such as `sales` */
                    ownerTeam: string;
                    description?: string;
                    labels?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description The namespace */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Namespace"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getNamespace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The namespace */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Namespace"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteNamespace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateNamespace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description a team name such as `sales` */
                    ownerTeam?: string;
                    description?: string;
                    labels?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description The namespace */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Namespace"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getNamespaceAccess: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Strongest role first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NamespaceAccess"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRoleBindings: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description a dotted namespace such as `retail.sales` */
                namespace?: string;
                /** @description a team name such as `sales` */
                team?: string;
                /** @description a service account name such as `ci-sales` */
                serviceAccount?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of bindings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["RoleBinding"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createRoleBinding: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description required for every role but platform-admin, which is global */
                    namespace?: string;
                    /** @enum {string} */
                    role: "viewer" | "executor" | "developer" | "maintainer" | "platform-admin";
                    /** @description a team name such as `sales` */
                    team?: string;
                    /** @description a service account name such as `ci-sales` */
                    serviceAccount?: string;
                };
            };
        };
        responses: {
            /** @description The same binding already existed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBinding"];
                };
            };
            /** @description The binding */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBinding"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRoleBinding: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The binding */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleBinding"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteRoleBinding: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description this namespace and its subtree; required unless you are a platform admin */
                namespace?: string;
                resourceType?: string;
                resourceId?: string;
                subject?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditEvent"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                dataset: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The table contract */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableContract"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putTable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                dataset: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the `bq show --format=prettyjson` table, its `schema` object or its `schema.fields` array (JSON, or a string holding it) */
                    schema: {
                        [key: string]: unknown;
                    } | unknown[] | string;
                    /** @enum {string} */
                    feedType: "WRITE_APPEND" | "WRITE_TRUNCATE" | "MODE_DELTA";
                    /** @description top-level columns identifying a row; required for MODE_DELTA */
                    keys?: string[];
                    description?: string;
                    /** @description key → value metadata (owner, layer…), as on flows; a change is a patch version */
                    labels?: {
                        [key: string]: string;
                    };
                    /** @description the contract version; omitted = 1.0.0 on creation, else bumped automatically. A breaking change needs a higher major */
                    version?: string;
                };
            };
        };
        responses: {
            /** @description Updated, or unchanged (same version) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableContract"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableContract"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteTable: {
        parameters: {
            query?: {
                /** @description delete even though flows read the table; needs access.manage on the namespace */
                force?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                dataset: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    checkTable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                dataset: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the `bq show --format=prettyjson` table, its `schema` object or its `schema.fields` array (JSON, or a string holding it) */
                    schema: {
                        [key: string]: unknown;
                    } | unknown[] | string;
                    /** @enum {string} */
                    feedType: "WRITE_APPEND" | "WRITE_TRUNCATE" | "MODE_DELTA";
                    /** @description top-level columns identifying a row; required for MODE_DELTA */
                    keys?: string[];
                    description?: string;
                    /** @description key → value metadata (owner, layer…), as on flows; a change is a patch version */
                    labels?: {
                        [key: string]: string;
                    };
                    /** @description the contract version; omitted = 1.0.0 on creation, else bumped automatically. A breaking change needs a higher major */
                    version?: string;
                };
            };
        };
        responses: {
            /** @description The verdict (accepted: false when the PUT would answer 409) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableContractCheck"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTableVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                dataset: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The versions since the contract was (re)created */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TableContractVersion"][];
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTableConsumers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                dataset: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The consumers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableConsumers"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTables: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description only the tables of this dataset */
                dataset?: string;
            };
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of table contracts, by dataset then table */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TableContract"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTableRows: {
        parameters: {
            query?: {
                /** @description rows, 1-1000 (default 20) */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                dataset: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Columns and rows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TableRows"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    queryWarehouse: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    sql: string;
                    /**
                     * @description bigquery (default): the SQL teams write, translated for DuckDB; duckdb: run as written on the embedded warehouse
                     * @default bigquery
                     * @enum {string}
                     */
                    dialect?: "bigquery" | "duckdb";
                };
            };
        };
        responses: {
            /** @description The result */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WarehouseQueryResult"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    loadWarehouseTable: {
        parameters: {
            query?: {
                format?: "csv" | "ndjson" | "parquet";
                /** @description replace the table's rows instead of appending */
                replace?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description dataset.table or project.dataset.table */
                table: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description Loaded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WarehouseLoadResult"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFlow: {
        parameters: {
            query?: {
                /** @description an earlier revision */
                revision?: number;
                /** @description true: answer a deleted flow too (with deleted: true) instead of 404 */
                deleted?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                /** @description a flow id such as `daily_orders` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The flow */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Flow"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putFlow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                /** @description a flow id such as `daily_orders` */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-yaml": string;
                "application/json": string | {
                    /** @description the flow YAML */
                    source: string;
                };
            };
        };
        responses: {
            /** @description Updated, or unchanged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Flow"];
                };
            };
            /** @description Created (or re-created after a delete) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Flow"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteFlow: {
        parameters: {
            query?: {
                /** @description delete even if other flows depend on it (needs access.manage) */
                force?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                /** @description a flow id such as `daily_orders` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFlows: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description true: include the flows of child namespaces */
                subtree?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of flows, ordered by namespace then id */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Flow"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFlowRevisions: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                /** @description a flow id such as `daily_orders` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of revisions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FlowRevisionSummary"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFlowRevision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                /** @description a flow id such as `daily_orders` */
                id: string;
                revision: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The flow at that revision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        namespace: string;
                        id: string;
                        revision: number;
                        /** @description the YAML exactly as registered */
                        source: string;
                        labels: {
                            [key: string]: string;
                        };
                        disabled: boolean;
                        description: string;
                        createdAt: string;
                        updatedAt: string;
                        /**
                         * @description present (true) only on a deleted flow or revision
                         * @constant
                         */
                        deleted?: true;
                        /** @description PUT only, when there are some: the warning policies the flow does not satisfy (they never block) */
                        warnings?: {
                            /** @constant */
                            kind: "policy";
                            policy: string;
                            message: string;
                        }[];
                        createdBy: string;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFlowDependencies: {
        parameters: {
            query?: {
                direction?: "up" | "down";
                /** @description follow the graph transitively (cycle-safe) */
                recursive?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                /** @description a flow id such as `daily_orders` */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The nodes (the flow itself included) and edges */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowDependencies"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    validateFlow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-yaml": string;
                "application/json": string | {
                    /** @description the flow YAML */
                    source: string;
                    planned?: components["schemas"]["PlannedObjectsInput"];
                };
            };
        };
        responses: {
            /** @description The report; valid is false when any problem is an error */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowValidation"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMesh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Flows sorted by namespace and id; edges by downstream, then upstream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mesh"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTriggerGrants: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description a dotted namespace such as `retail.sales` */
                upstreamNamespace?: string;
                /** @description a flow id such as `daily_orders` */
                upstreamFlow?: string;
                /** @description a dotted namespace such as `retail.sales` */
                downstreamNamespace?: string;
                kind?: "trigger" | "subflow";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of grants */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TriggerGrant"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTriggerGrant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the producer's namespace: its flows (and its subtree's) may be listened to or called */
                    upstreamNamespace: string;
                    /** @description only this flow of the upstream namespace (default: all of them) */
                    upstreamFlow?: string;
                    /** @description the consumer's namespace: its flows (and its subtree's) may listen or call */
                    downstreamNamespace: string;
                    /** @description trigger: flow triggers; subflow: core.subflow calls (duplicates are ignored) */
                    kinds: ("trigger" | "subflow")[];
                };
            };
        };
        responses: {
            /** @description The same grant already existed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TriggerGrant"];
                };
            };
            /** @description The grant */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TriggerGrant"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTriggerGrant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The grant */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TriggerGrant"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteTriggerGrant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a policy name such as `flows-have-an-owner` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The policy */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a policy name such as `flows-have-an-owner` */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the policy governs every flow or table contract of this namespace and its subtree (`retail` covers `retail.sales`) */
                    namespace: string;
                    /**
                     * @description flow: `object` is the parsed flow YAML; table: `object` is the contract {namespace, dataset, table, schema: {fields}, feedType, keys, description}
                     * @enum {string}
                     */
                    appliesTo: "flow" | "table";
                    /** @description a CEL expression over `object` and `namespaceObject` ({name, ownerTeam}; `namespace` is reserved in CEL); true = the object complies */
                    expression: string;
                    /**
                     * @description error: the PUT is refused (422); warning: reported, never blocks
                     * @enum {string}
                     */
                    severity: "error" | "warning";
                    /** @description what the author of a failing object reads: say what to change */
                    message: string;
                };
            };
        };
        responses: {
            /** @description Updated, or unchanged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deletePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a policy name such as `flows-have-an-owner` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPolicies: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description only the policies declared on this namespace */
                namespace?: string;
                appliesTo?: "flow" | "table";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of policies, by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Policy"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    killExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted: KILLING until its running tasks have stopped, then KILLED (already KILLED if nothing ran) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    restartExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted: it runs again in the same execution (RETRYING, then RUNNING) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createExecution: {
        parameters: {
            query?: {
                /** @description true: answer when it ends (at most 5 minutes, else 202 with it as it stands) */
                wait?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description a dotted namespace such as `retail.sales` */
                namespace: string;
                /** @description a flow id such as `daily_orders` */
                flowId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description by input id; types as the flow declares them */
                    inputs?: {
                        [key: string]: unknown;
                    };
                    labels?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description Created; it runs in the background (GET its Location to follow it), or with ?wait=true it has ended */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description ?wait=true and it had not ended after 5 minutes: as it stands */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listExecutions: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description this namespace and its subtree */
                namespace?: string;
                /** @description a flow id such as `daily_orders` */
                flowId?: string;
                state?: "CREATED" | "QUEUED" | "RUNNING" | "RETRYING" | "KILLING" | "SUCCESS" | "WARNING" | "FAILED" | "KILLED" | "CANCELLED";
                /** @description created at or after */
                since?: string;
                /** @description created before */
                until?: string;
                /** @description key:value; repeat it for several labels (all must match) */
                label?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of executions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ExecutionSummary"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The execution */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Execution"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getExecutionLogs: {
        parameters: {
            query?: {
                /** @description page size, 1-500 */
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                level?: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";
                taskRunId?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of log lines */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ExecutionLog"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    followExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream of ExecutionFollowEvent; closes after the `end` event. Each replica serves at most MESHPLANE_FOLLOW_MAX_STREAMS streams (default 100): beyond, 503 with Retry-After */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ExecutionFollowEvent"];
                };
            };
            /** @description An error, as application/problem+json (RFC 9457) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}

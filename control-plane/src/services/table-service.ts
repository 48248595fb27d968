import type { Principal } from "../auth/principal.ts";
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from "../errors.ts";
import { selfAndAncestors } from "../authz/roles.ts";
import { cursorKinds, decodeCursor, encodeCursor, type Page, type PageQuery } from "../pagination.ts";
import { namespaceRepository } from "../repositories/namespace-repository.ts";
import { tableContractRepository as repo, type TableContractRow, type TableKey } from "../repositories/table-contract-repository.ts";
import type { Tx } from "../repositories/tx.ts";
import { parseTableDocument } from "../tables/bq-schema.ts";
import type { TableSchema } from "../tables/bq-types.ts";
import type { SchemaChange } from "../tables/compatibility.ts";
import { contractSpecOf, type TableContractInput } from "../tables/contract-input.ts";
import { planContract, type ContractPlan, type FeedType, type StoredContract } from "../tables/contract-plan.ts";
import type { Actor, ServiceDeps } from "./context.ts";
import { policyRefusal, type PolicyFinding, type PolicyService } from "./policy-service.ts";
import type { ContractSpec } from "../tables/contract-plan.ts";

export interface TableView {
  namespace: string;
  dataset: string;
  table: string;
  schema: TableSchema;
  feedType: FeedType;
  keys: string[];
  description: string;
  labels: Record<string, string>;
  version: string;
  createdAt: string;
  updatedAt: string;
  /** PUT only, when there are some: the warning policies the contract does not satisfy (they never block). */
  warnings?: TablePolicyWarning[];
}

export interface TablePolicyWarning {
  kind: "policy";
  policy: string;
  message: string;
}

export interface TableCheckView {
  namespace: string;
  dataset: string;
  table: string;
  /** Whether the same PUT would be accepted now. */
  accepted: boolean;
  action: ContractPlan["action"];
  breaking: boolean;
  changes: SchemaChange[];
  currentVersion: string | null;
  nextVersion: string;
  /** Why the PUT would be refused (409), in the words the PUT would use. */
  problems: { kind: "breaking-change" | "version" | "dataset-namespace" | "dataset-writers" | "if-match" | "policy"; message: string }[];
  /** Warning policies the contract does not satisfy: the PUT would pass and answer them. */
  warnings: TablePolicyWarning[];
}

/** One stored version of a contract, as the audit log of its writes keeps it. */
export interface TableVersionView {
  version: string;
  at: string;
  subject: string;
  schema: TableSchema;
  feedType: string;
  keys: string[];
  /** The changes from the version before (empty for the first). */
  changes: SchemaChange[];
  breaking: boolean;
}

/** The flows that read a table; those in namespaces the caller cannot read are counted, not named. */
export interface TableConsumersView {
  items: { namespace: string; flowId: string }[];
  hidden: number;
}

/** Versions returned at most (the newest); consumers counted at most. */
const MAX_VERSIONS = 200;
const MAX_CONSUMERS = 1000;

/** Dependents listed in a 409 at most (the count says how many there are). */
const MAX_DEPENDENTS = 100;

/**
 * Table contracts `(namespace, dataset.table)`: a `bq show` schema, a feed type, keys
 * and a semver version that a breaking change must bump by its major. The rules of
 * versions live in tables/contract-plan.ts and are shared with the dry run (`check`).
 */
export class TableService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly policies: PolicyService,
  ) {}

  async put(actor: Actor, key: TableKey, input: TableContractInput, expectedVersion?: TablePrecondition): Promise<{ table: TableView; created: boolean }> {
    const spec = contractSpecOf(input);
    const governing = await this.requireNamespace(key.namespace);
    const findings = await this.policyFindings(key, spec);
    const refusals = findings.filter((f) => f.severity === "error");
    if (refusals.length > 0) {
      throw new UnprocessableError(policyRefusal("table contract", resourceId(key), refusals), refusals.map((f) => ({ pointer: "", message: f.text })), { policies: refusals.map((f) => f.policy) });
    }
    const warnings = findings.map((f): TablePolicyWarning => ({ kind: "policy", policy: f.policy, message: f.text }));
    const result = await this.deps.db.$transaction(async (tx) => {
      // Held until commit: a concurrent deletion of the namespace waits for this write, or is seen here.
      if ((await namespaceRepository.holdGoverning(tx, [governing])).length > 0) throw unknownNamespace(key.namespace);
      await repo.lockDataset(tx, key.dataset);
      const datasetOwner = await this.datasetConflict(tx, key);
      if (datasetOwner) throw new ConflictError(datasetOwner.message, { datasetNamespaces: datasetOwner.namespaces });
      const writers = await this.foreignWriters(tx, key);
      if (writers) throw new ConflictError(writers.message, { writers: writers.flows });
      const stored = await repo.find(tx, key);
      const ifMatchProblem = ifMatchConflict(stored, expectedVersion);
      if (ifMatchProblem) throw new ConflictError(ifMatchProblem, { currentVersion: live(stored)?.version ?? null });
      const plan = planContract(stored ? storedContract(stored) : null, spec, input.version);
      if (plan.refusal) {
        throw new ConflictError(plan.refusal, {
          breakingChanges: plan.changes.filter((c) => c.breaking),
          changes: plan.changes,
          currentVersion: plan.currentVersion,
          nextVersion: plan.nextVersion,
        });
      }
      if (stored && plan.action === "unchanged") return { table: tableView(stored), created: false };
      const data = { schema: spec.schema as object, feedType: spec.feedType, keys: [...spec.keys], description: spec.description, labels: { ...spec.labels }, version: plan.nextVersion };
      const row = stored ? await repo.update(tx, stored.id, { ...data, revive: plan.action === "recreate" }) : await repo.create(tx, key, data);
      await repo.notifyChanged(tx, key);
      const table = tableView(row);
      const created = plan.action === "create" || plan.action === "recreate";
      await this.deps.audit.record(tx, {
        ...actor,
        action: created ? "table.create" : "table.update",
        resourceType: "table",
        resourceId: resourceId(key),
        namespace: key.namespace,
        before: stored && !stored.deletedAt ? tableView(stored) : undefined,
        after: { ...table, changes: plan.changes },
      });
      return { table, created };
    });
    return warnings.length > 0 ? { ...result, table: { ...result.table, warnings } } : result;
  }

  /** The PUT's dry run: same validation (400s), same plan, nothing written. */
  async check(key: TableKey, input: TableContractInput, expectedVersion?: TablePrecondition): Promise<TableCheckView> {
    const spec = contractSpecOf(input);
    await this.requireNamespace(key.namespace);
    const db = this.deps.db;
    const [datasetOwner, writers, stored, findings] = await Promise.all([this.datasetConflict(db, key), this.foreignWriters(db, key), repo.find(db, key), this.policyFindings(key, spec)]);
    const plan = planContract(stored ? storedContract(stored) : null, spec, input.version);
    const problems: TableCheckView["problems"] = [];
    if (datasetOwner) problems.push({ kind: "dataset-namespace", message: datasetOwner.message });
    else if (writers) problems.push({ kind: "dataset-writers", message: writers.message });
    const ifMatchProblem = ifMatchConflict(stored, expectedVersion);
    if (ifMatchProblem) problems.push({ kind: "if-match", message: ifMatchProblem });
    if (plan.refusal) problems.push({ kind: plan.breaking ? "breaking-change" : "version", message: plan.refusal });
    // In the words of the PUT's 422 and of its `warnings`.
    for (const f of findings) if (f.severity === "error") problems.push({ kind: "policy", message: f.text });
    return {
      ...key,
      accepted: problems.length === 0,
      action: plan.action,
      breaking: plan.breaking,
      changes: plan.changes,
      currentVersion: stored?.deletedAt ? null : plan.currentVersion,
      nextVersion: plan.nextVersion,
      problems,
      warnings: findings.filter((f) => f.severity === "warning").map((f) => ({ kind: "policy" as const, policy: f.policy, message: f.text })),
    };
  }

  async get(key: TableKey): Promise<TableView> {
    const row = await repo.findLive(this.deps.db, key);
    if (!row) throw notFound(key);
    return tableView(row);
  }

  /** The versions of the live contract, oldest first (since its last deletion, if any). */
  async versions(key: TableKey): Promise<TableVersionView[]> {
    await this.get(key);
    const events = await repo.contractEvents(this.deps.db, resourceId(key), MAX_VERSIONS);
    const lastDelete = events.map((e) => e.action).lastIndexOf("table.delete");
    return events.slice(lastDelete + 1).flatMap((e) => {
      const after = e.after as (Partial<TableView> & { changes?: SchemaChange[] }) | null;
      if (!after?.version || !after.schema) return [];
      const changes = after.changes ?? [];
      return [{ version: after.version, at: e.at.toISOString(), subject: e.subject, schema: after.schema, feedType: after.feedType ?? "", keys: after.keys ?? [], changes, breaking: changes.some((c) => c.breaking) }];
    });
  }

  /** The live flows that read the table, in any namespace; only the readable ones are named. */
  async consumers(principal: Principal, key: TableKey): Promise<TableConsumersView> {
    await this.get(key);
    const readers = await repo.readers(this.deps.db, key.dataset, key.table, MAX_CONSUMERS);
    const readable = new Map<string, Promise<boolean>>();
    const may = (ns: string) => readable.get(ns) ?? readable.set(ns, this.deps.authorizer.can(principal, "namespace.read", ns)).get(ns)!;
    const shown = await Promise.all(readers.map(async (r) => ((await may(r.namespace)) ? r : null)));
    const items = shown.filter((r): r is { namespace: string; flowId: string } => r !== null);
    return { items, hidden: readers.length - items.length };
  }

  async list(namespace: string, filter: { dataset?: string }, page: PageQuery): Promise<Page<TableView>> {
    const after = decodeCursor(page.cursor, cursorKinds.tableKey);
    const rows = await repo.list(this.deps.db, namespace, filter, after, page.limit + 1);
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(tableView),
      nextCursor: rows.length > page.limit && last ? encodeCursor(JSON.stringify([last.dataset, last.table])) : null,
    };
  }

  /**
   * Soft delete. Refused with 409 while live flows (in any namespace) read the table,
   * unless `force`, which needs access.manage on the table's namespace.
   */
  async delete(actor: Actor, principal: Principal, key: TableKey, force: boolean): Promise<void> {
    const readers = await repo.readers(this.deps.db, key.dataset, key.table, MAX_DEPENDENTS + 1);
    if (readers.length > 0 && force) await this.deps.authorizer.require(principal, "access.manage", key.namespace);
    await this.deps.db.$transaction(async (tx) => {
      const row = await repo.findLive(tx, key);
      if (!row) throw notFound(key);
      const dependents = await repo.readers(tx, key.dataset, key.table, MAX_DEPENDENTS + 1);
      if (dependents.length > 0 && !force) {
        const names = dependents.slice(0, MAX_DEPENDENTS).map((d) => `${d.namespace}/${d.flowId}`);
        const more = dependents.length > MAX_DEPENDENTS ? ` and more` : "";
        throw new ConflictError(
          `table ${key.dataset}.${key.table} is read by ${names.length === 1 ? "flow" : "flows"} ${names.join(", ")}${more}; ` +
            `change or delete ${names.length === 1 ? "it" : "them"} first, or delete with ?force=true (needs access.manage on ${key.namespace})`,
          { dependents: dependents.slice(0, MAX_DEPENDENTS).map((d) => ({ kind: "flow", namespace: d.namespace, id: d.flowId })) },
        );
      }
      await repo.softDelete(tx, row.id);
      await this.deps.audit.record(tx, {
        ...actor,
        action: "table.delete",
        resourceType: "table",
        resourceId: resourceId(key),
        namespace: key.namespace,
        before: tableView(row),
        ...(force && dependents.length > 0 ? { after: { forced: true, dependents: dependents.map((d) => `${d.namespace}/${d.flowId}`) } } : {}),
      });
    });
  }

  /** The platform policies (SPEC §12) the contract does not satisfy; `object` is the contract as the PUT would store it. */
  private async policyFindings(key: TableKey, spec: ContractSpec): Promise<PolicyFinding[]> {
    const owner = await this.deps.namespaces.governing(key.namespace);
    return this.policies.evaluate("table", { name: key.namespace, ownerTeam: owner?.ownerTeam ?? null }, () => ({
      namespace: key.namespace,
      dataset: key.dataset,
      table: key.table,
      name: `${key.dataset}.${key.table}`,
      schema: spec.schema,
      feedType: spec.feedType,
      keys: spec.keys,
      description: spec.description,
    }));
  }

  /** The registered namespace governing `namespace` (itself or its nearest ancestor). */
  private async requireNamespace(namespace: string): Promise<string> {
    const governing = await this.deps.namespaces.governing(namespace);
    if (!governing) throw unknownNamespace(namespace);
    return governing.name;
  }

  /** "A dataset belongs to one namespace": the refusal, if another namespace holds live tables of it. */
  private async datasetConflict(tx: Tx, key: TableKey): Promise<{ message: string; namespaces: string[] } | null> {
    const others = await repo.otherNamespacesOfDataset(tx, key.dataset, key.namespace);
    if (others.length === 0) return null;
    const message =
      `dataset ${key.dataset} belongs to namespace ${others.join(", ")}, which already registers tables in it; a dataset belongs to one namespace. ` +
      `Register ${key.dataset}.${key.table} in ${others[0]}, or use a dataset of namespace ${key.namespace}`;
    return { message, namespaces: others };
  }

  /**
   * The first contract in a dataset claims it for its namespace (the write-ownership rule,
   * services/flow-policy.ts): refused while flows of other namespaces (other than the
   * namespace's ancestors, which may write its subtree) write into the dataset, since the
   * claim would turn their writes into writes into another team's data. A dataset already
   * claimed is not checked again: its owner's updates must not depend on others' flows.
   */
  private async foreignWriters(tx: Tx, key: TableKey): Promise<{ message: string; flows: { namespace: string; id: string }[] } | null> {
    if ((await repo.datasetOwners(tx, [key.dataset])).has(key.dataset)) return null;
    const writers = await repo.writersOutside(tx, key.dataset, selfAndAncestors(key.namespace), MAX_DEPENDENTS + 1);
    if (writers.length === 0) return null;
    const names = writers.slice(0, MAX_DEPENDENTS).map((w) => `${w.namespace}/${w.flowId}`);
    const more = writers.length > MAX_DEPENDENTS ? " and more" : "";
    const message =
      `dataset ${key.dataset} is written by ${names.length === 1 ? "flow" : "flows"} ${names.join(", ")}${more} of other namespaces; registering ${key.dataset}.${key.table} would make the dataset namespace ${key.namespace}'s, ` +
      `and a flow may write only into datasets of its own namespace (or of namespaces under it). Change ${names.length === 1 ? "that flow" : "those flows"} to write elsewhere first, or register the table in another dataset`;
    return { message, flows: writers.slice(0, MAX_DEPENDENTS).map((w) => ({ namespace: w.namespace, id: w.flowId })) };
  }
}

function live(row: TableContractRow | null): TableContractRow | null {
  return row && !row.deletedAt ? row : null;
}

/**
 * What the caller expects of the stored contract (read by the route, http/if-match.ts):
 * `If-Match: <version>`, the PUT applies only to that version; `*`, it must exist;
 * `If-None-Match: *` (`{ absent: true }`), it must not exist.
 */
export type TablePrecondition = string | { readonly absent: true };

function ifMatchConflict(stored: TableContractRow | null, expected: TablePrecondition | undefined): string | null {
  if (expected === undefined) return null;
  const current = live(stored)?.version;
  if (typeof expected === "object") {
    return current
      ? `table contract ${stored!.namespace}/${stored!.dataset}.${stored!.table} already exists (version ${current}) and If-None-Match: * asked to create it only; import it (terraform import … ${stored!.namespace}/${stored!.dataset}.${stored!.table}) or update it with If-Match: "${current}"`
      : null;
  }
  if (expected === "*") return current ? null : "If-Match: * requires the table contract to exist";
  if (current === expected) return null;
  return `If-Match expected version ${expected} but the contract is ${current ? `at version ${current}` : "not registered"}; read it again and retry`;
}

function storedContract(row: TableContractRow): StoredContract {
  return {
    schema: canonicalSchema(row.schema),
    feedType: row.feedType as FeedType,
    keys: row.keys,
    description: row.description,
    labels: labelsOf(row),
    version: row.version,
    deleted: row.deletedAt !== null,
  };
}

/**
 * PostgreSQL's JSONB reorders object keys; parsing the stored (already normalised)
 * schema again gives back the canonical key order users sent and `bq show` prints.
 */
function canonicalSchema(stored: unknown): TableSchema {
  const parsed = parseTableDocument(stored);
  return parsed.ok ? parsed.value.schema : (stored as TableSchema);
}

function tableView(row: TableContractRow): TableView {
  return {
    namespace: row.namespace,
    dataset: row.dataset,
    table: row.table,
    schema: canonicalSchema(row.schema),
    feedType: row.feedType as FeedType,
    keys: row.keys,
    description: row.description,
    labels: labelsOf(row),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function resourceId(key: TableKey): string {
  return `${key.namespace}/${key.dataset}.${key.table}`;
}

function unknownNamespace(namespace: string): NotFoundError {
  return new NotFoundError(`namespace ${namespace} does not exist; the platform team creates namespaces (POST /api/v1/namespaces)`);
}

function notFound(key: TableKey): NotFoundError {
  return new NotFoundError(`table ${key.dataset}.${key.table} is not registered in namespace ${key.namespace}; list them with GET /api/v1/tables/${key.namespace}`);
}

function labelsOf(row: TableContractRow): Record<string, string> {
  return (row.labels ?? {}) as Record<string, string>;
}

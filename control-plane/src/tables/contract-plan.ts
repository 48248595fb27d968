import type { TableSchema } from "./bq-types.ts";
import { compareSchemas, highestLevel, type ChangeLevel, type SchemaChange } from "./compatibility.ts";
import { bump, compareSemver, isAcceptedVersion, parseSemver } from "./semver.ts";

/**
 * What a PUT of a table contract would do, decided without touching the database, so
 * that the PUT and its dry run (`POST …/check`, called by `terraform plan`) can never
 * disagree. Version rules:
 * - a new contract starts at the requested version, or 1.0.0;
 * - no change keeps the version (a higher requested version is taken as is);
 * - without a requested version (or with the current one), a change bumps the version
 *   by its highest level: minor for compatible changes, patch for descriptions only; a
 *   breaking change is refused, naming the major version to send;
 * - a requested version may never be lower than the current one, and a breaking change
 *   needs a requested version with a higher major;
 * - a deleted contract put again is re-created: compared with what was deleted so its
 *   version keeps moving forward, but a breaking change bumps the major by itself (the
 *   delete, with its dependents check, was the gate).
 */
import { FEED_TYPES, type FeedType } from "@meshplane/rules";

export { FEED_TYPES, type FeedType };

export interface ContractSpec {
  readonly schema: TableSchema;
  readonly feedType: FeedType;
  readonly keys: readonly string[];
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface StoredContract extends ContractSpec {
  readonly version: string;
  readonly deleted: boolean;
}

export interface ContractPlan {
  readonly action: "create" | "recreate" | "update" | "unchanged";
  readonly changes: SchemaChange[];
  readonly breaking: boolean;
  readonly currentVersion: string | null;
  /** The version the contract has after the PUT; when refused, the version to send instead. */
  readonly nextVersion: string;
  /** Why the PUT is refused (409), or null when it would be accepted. */
  readonly refusal: string | null;
}

export function planContract(stored: StoredContract | null, spec: ContractSpec, requestedVersion?: string): ContractPlan {
  if (requestedVersion !== undefined) parseSemver(requestedVersion); // validated by the route already
  if (!stored) {
    return { action: "create", changes: [], breaking: false, currentVersion: null, nextVersion: requestedVersion ?? "1.0.0", refusal: null };
  }
  const changes = [...compareSchemas(stored.schema, spec.schema), ...compareContractTerms(stored, spec)];
  const level = highestLevel(changes);
  const breaking = level === "major";
  const current = stored.version;
  const plan = (nextVersion: string, refusal: string | null = null): ContractPlan => ({
    action: stored.deleted ? "recreate" : level === null && nextVersion === current ? "unchanged" : "update",
    changes,
    breaking,
    currentVersion: current,
    nextVersion,
    refusal: refusal ?? overflowRefusal(current, nextVersion),
  });

  if (requestedVersion !== undefined && compareSemver(requestedVersion, current) < 0) {
    const suggestion = level ? bump(current, level) : current;
    return plan(suggestion, `version ${requestedVersion} is lower than the current version ${current}: versions only move forward; send ${suggestion} or omit version`);
  }
  const explicit = requestedVersion !== undefined && requestedVersion !== current ? requestedVersion : undefined;
  if (level === null) return plan(explicit ?? current);
  if (!breaking || (stored.deleted && explicit === undefined)) return plan(explicit ?? bump(current, level));
  const major = bump(current, "major");
  if (explicit !== undefined && parseSemver(explicit).major > parseSemver(current).major) return plan(explicit);
  const list = changes.filter((c) => c.breaking).map((c) => `${c.path}: ${c.change}`).join("; ");
  return plan(
    major,
    `the change breaks the contract of version ${current} (${list}). Either make it compatible, or send "version": "${major}" ` +
      `(a new major version) after agreeing with the readers of the table; the check endpoint (POST …/check) shows the same without writing`,
  );
}

/** A bump past 999999999 would store a version that no later request could send. */
function overflowRefusal(current: string, next: string): string | null {
  if (isAcceptedVersion(next)) return null;
  const fits = [bump(current, "minor"), bump(current, "major")].find((v) => isAcceptedVersion(v) && compareSemver(v, next) > 0);
  return `version ${current} cannot be bumped to ${next}: each part of a version is at most 999999999; ` +
    (fits ? `send "version": "${fits}"` : "no higher version exists; register the contract under a new table name");
}

/** Feed type, keys and description: what the contract promises beyond the columns. */
function compareContractTerms(before: ContractSpec, after: ContractSpec): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const add = (path: string, kind: string, level: ChangeLevel, change: string) => changes.push({ path, kind, change, breaking: level === "major", level });
  if (before.feedType !== after.feedType) {
    add("feedType", "feed-type-changed", "major",
      `the feed type changed from ${before.feedType} to ${after.feedType}: readers relying on ${promise(before.feedType)} see other rows`);
  } else if (before.keys.join(",").toLowerCase() !== after.keys.join(",").toLowerCase()) {
    const merge = after.feedType === "MODE_DELTA";
    add("keys", "keys-changed", merge ? "major" : "minor",
      `the keys changed from (${before.keys.join(", ")}) to (${after.keys.join(", ")})${merge ? ": the MERGE matches rows differently and rows are unique on other columns" : ""}`);
  }
  if (before.description !== after.description) add("description", "description-changed", "patch", "the table description changed");
  if (labelText(before.labels) !== labelText(after.labels)) add("labels", "labels-changed", "patch", `the labels changed from ${labelText(before.labels)} to ${labelText(after.labels)}`);
  return changes;
}

function promise(feedType: FeedType): string {
  switch (feedType) {
    case "MODE_DELTA":
      return "one row per key";
    case "WRITE_TRUNCATE":
      return "the table holding only the latest load";
    case "WRITE_APPEND":
      return "every load being kept";
  }
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return `{${keys.map((k) => `${k}: ${labels[k]}`).join(", ")}}`;
}

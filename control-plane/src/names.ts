import { z } from "zod";

/** Naming rules, shared by every route and service (SPEC §2, §3). */
export const teamName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, "must be 1-63 characters: a lowercase letter, then lowercase letters, digits, '_' or '-'")
  .describe("a team name such as `sales`");

export const serviceAccountName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, "must be 1-63 characters: a lowercase letter, then lowercase letters, digits, '_' or '-'")
  .describe("a service account name such as `ci-sales`");

export const namespaceName = z
  .string()
  .max(200, "must be at most 200 characters")
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, "must be dot-separated segments of [a-z0-9_], such as `retail.sales`")
  .refine((n) => n.split(".").length <= 10, "must have at most 10 segments")
  .describe("a dotted namespace such as `retail.sales`");

export const flowId = z
  .string()
  .max(100, "must be at most 100 characters")
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, "must start with a letter or digit, then letters, digits, '.', '_' or '-'")
  .describe("a flow id such as `daily_orders`");

export const datasetName = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9_]+$/, "must be letters, digits or '_' (a BigQuery dataset id)");

export const tableName = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_-]*$/, "must be letters, digits, '_' or '-' (a BigQuery table id)");

export const description = z.string().max(2000, "must be at most 2000 characters");

export const labels = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, "label keys must be lowercase letters, digits, '_' or '-'"),
    z.string().max(256, "label values must be at most 256 characters"),
  )
  .refine((l) => Object.keys(l).length <= 64, "at most 64 labels");

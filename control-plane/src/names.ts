import { NAME_RULES, NAMESPACE_RULE } from "@meshplane/rules";
import { z } from "zod";

/**
 * Naming rules, shared by every route and service (SPEC §2, §3). The rules themselves
 * are @meshplane/rules (the provider and the modules check the same ones); here they
 * become zod schemas, so the OpenAPI and flow JSON Schemas keep pattern and length.
 */
export const teamName = z.string().regex(NAME_RULES.team.pattern, NAME_RULES.team.message).describe("a team name such as `sales`");

export const serviceAccountName = z.string().regex(NAME_RULES.serviceAccount.pattern, NAME_RULES.serviceAccount.message).describe("a service account name such as `ci-sales`");

export const namespaceName = z
  .string()
  .max(NAMESPACE_RULE.maxLength, NAMESPACE_RULE.messages.maxLength)
  .regex(NAMESPACE_RULE.pattern, NAMESPACE_RULE.messages.pattern)
  .refine((n) => n.split(".").length <= NAMESPACE_RULE.maxSegments, NAMESPACE_RULE.messages.maxSegments)
  .describe("a dotted namespace such as `retail.sales`");

export const flowId = z
  .string()
  .max(NAME_RULES.flowId.maxLength, `must be at most ${NAME_RULES.flowId.maxLength} characters`)
  .regex(NAME_RULES.flowId.pattern, NAME_RULES.flowId.message)
  .describe("a flow id such as `daily_orders`");

export const datasetName = z.string().max(NAME_RULES.dataset.maxLength).regex(NAME_RULES.dataset.pattern, NAME_RULES.dataset.message);

export const tableName = z.string().max(NAME_RULES.table.maxLength).regex(NAME_RULES.table.pattern, NAME_RULES.table.message);

export const description = z.string().max(2000, "must be at most 2000 characters");

export const labels = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, "label keys must be lowercase letters, digits, '_' or '-'"),
    z.string().max(256, "label values must be at most 256 characters"),
  )
  .refine((l) => Object.keys(l).length <= 64, "at most 64 labels");

/**
 * The schemas of domain.yaml and table.yaml (SPEC §7). Objects are strict: an unknown
 * key is an error, because a misspelt `feed_typ: MODE_DELTA` silently ignored would ship
 * a table fed differently than its author reads. Feed types, namespace rules and the
 * cron check are @meshplane/rules, the control plane's own (same limits, same message),
 * so what passes here passes there.
 * Every message says what is expected: it becomes the `expected` of a ModuleError.
 */
import { cronProblem, FEED_TYPES, isTimeZone, namespaceProblem, type FeedType } from "@meshplane/rules";
import { z } from "zod";

export { FEED_TYPES, type FeedType };
/** A table whose feed type is given nowhere is rebuilt at each run, like a dbt `table`. */
export const DEFAULT_FEED_TYPE: FeedType = "WRITE_TRUNCATE";

export const TEAM_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
/** A GCP project id. */
export const PROJECT_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
export const DATASET_PATTERN = /^[A-Za-z0-9_]{1,1024}$/;
export const TABLE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,1023}$/;
export const COLUMN_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A namespace as the control plane checks it: the same limits, and its message after "a namespace that …". */
export const namespaceSchema = z.string({ error: "a namespace such as retail.sales" }).superRefine((value, ctx) => {
  const problem = namespaceProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: `a namespace that ${problem}` });
});

const feedType = z.enum(FEED_TYPES);
const cron = z.string({ error: 'a cron expression in quotes, such as "0 3 * * *"' }).superRefine((value, ctx) => {
  // The zone is checked on its own (timezone below); the cron as the scheduler reads it.
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const timezone = z.string({ error: "an IANA time zone such as Europe/Paris" }).refine(isTimeZone, "an IANA time zone such as Europe/Paris or UTC");
const namespace = namespaceSchema;
const dataset = z.string().regex(DATASET_PATTERN, "a BigQuery dataset id: letters, digits and '_'");
const labels = z.record(
  z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, "a label key: a lowercase letter, then lowercase letters, digits, '_' or '-' (at most 63)"),
  z.string({ error: "a label value as a string (quote numbers and booleans)" }).max(256, "a label value of at most 256 characters"),
  { error: "a mapping of label keys to values" },
);
const description = z.string({ error: "a description as a string" }).max(2000, "a description of at most 2000 characters");

export const domainFileSchema = z.strictObject(
  {
    namespace: namespace.optional(),
    team: z.string({ error: "a team name such as sales" }).regex(TEAM_PATTERN, "a team name: a lowercase letter, then lowercase letters, digits, '_' or '-'").optional(),
    project: z.string({ error: "a GCP project id such as acme-sales-prod" }).regex(PROJECT_PATTERN, "a GCP project id: 6-30 lowercase letters, digits or '-', starting with a letter").optional(),
    description: description.optional(),
    defaults: z
      .strictObject(
        {
          schedule: cron.optional(),
          feed_type: feedType.optional(),
          location: z.string({ error: "a BigQuery location such as EU or europe-west1" }).min(1).optional(),
          timezone: timezone.optional(),
        },
        { error: "a mapping with schedule, feed_type, location and timezone" },
      )
      .optional(),
    upstream: z.record(dataset, namespace, { error: "a mapping of datasets of other domains to their namespace, such as { retail_sales: retail.sales }" }).optional(),
  },
  { error: "a mapping with namespace, team, project, defaults and upstream" },
);
export type DomainFile = z.output<typeof domainFileSchema>;

const column = z.string({ error: "a column name" }).regex(COLUMN_PATTERN, "a top-level column name of schema.json");
/** `dataset.table` or `project.dataset.table`. */
const tableRef = z
  .string({ error: "a table as dataset.table" })
  .regex(/^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]\.)?[A-Za-z0-9_]+\.[A-Za-z0-9_][A-Za-z0-9_-]*$/, "a table as dataset.table or project.dataset.table");

export const tableFileSchema = z.strictObject(
  {
    feed_type: feedType.optional(),
    keys: z
      .array(column, { error: "a list of column names, such as [order_id]" })
      .min(1, "at least one column")
      .refine((keys) => new Set(keys).size === keys.length, "columns listed once each")
      .optional(),
    schedule: cron.optional(),
    depends_on: z.array(tableRef, { error: "a list of tables as dataset.table" }).optional(),
    description: description.optional(),
    labels: labels.optional(),
  },
  { error: "a mapping with feed_type, keys, schedule, depends_on, description and labels" },
);
export type TableFile = z.output<typeof tableFileSchema>;

/**
 * The naming rules of the API (SPEC §2, §3), as plain data: the control plane builds its
 * zod schemas from them (so its JSON Schema keeps pattern and length), the provider checks
 * them at `terraform validate` and the modules at synth time — each with these messages,
 * so what passes in one place passes in the others and fails with the same words.
 */
export interface NameRule {
  readonly pattern: RegExp;
  /** What the pattern asks for, as the end of "<name> …". */
  readonly message: string;
  readonly maxLength?: number;
}

const NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
const NAME_MESSAGE = "must be 1-63 characters: a lowercase letter, then lowercase letters, digits, '_' or '-'";

export const NAME_RULES = {
  team: { pattern: NAME_PATTERN, message: NAME_MESSAGE },
  serviceAccount: { pattern: NAME_PATTERN, message: NAME_MESSAGE },
  flowId: { pattern: /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, message: "must start with a letter or digit, then letters, digits, '.', '_' or '-'", maxLength: 100 },
  dataset: { pattern: /^[A-Za-z0-9_]+$/, message: "must be letters, digits or '_' (a BigQuery dataset id)", maxLength: 1024 },
  table: { pattern: /^[A-Za-z0-9_][A-Za-z0-9_-]*$/, message: "must be letters, digits, '_' or '-' (a BigQuery table id)", maxLength: 1024 },
} as const satisfies Record<string, NameRule>;

/** `retail.sales`: at most 200 characters, in at most 10 segments of [a-z0-9_]. */
export const NAMESPACE_RULE = {
  pattern: /^[a-z0-9_]+(\.[a-z0-9_]+)*$/,
  maxLength: 200,
  maxSegments: 10,
  messages: {
    maxLength: "must be at most 200 characters",
    pattern: "must be dot-separated segments of [a-z0-9_], such as `retail.sales`",
    maxSegments: "must have at most 10 segments",
  },
} as const;

/** The first rule a namespace breaks (checked in the order the API reports them), or null. */
export function namespaceProblem(name: string): string | null {
  const r = NAMESPACE_RULE;
  if (name.length > r.maxLength) return r.messages.maxLength;
  if (!r.pattern.test(name)) return r.messages.pattern;
  if (name.split(".").length > r.maxSegments) return r.messages.maxSegments;
  return null;
}

/** The problem with a name of one of NAME_RULES, or null. */
export function nameProblem(rule: keyof typeof NAME_RULES, name: string): string | null {
  const r: NameRule = NAME_RULES[rule];
  if (r.maxLength !== undefined && name.length > r.maxLength) return `must be at most ${r.maxLength} characters`;
  return r.pattern.test(name) ? null : r.message;
}

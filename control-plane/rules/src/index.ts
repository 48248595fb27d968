// @meshplane/rules: the rules the control plane, the provider and the modules share,
// so that what passes in one passes in the others (see README.md).
export { findTableReferences, referenceName, SqlSyntaxError, type SqlTableReferences, type TableReference, type UnqualifiedName } from "./sql-references.ts";
export { tokenizeSql, type SqlToken, type SqlTokenKind, type TokenizeOptions } from "./sql-tokenizer.ts";
export { FEED_TYPES, isFeedType, type FeedType } from "./feed-types.ts";
export { NAME_RULES, NAMESPACE_RULE, nameProblem, namespaceProblem, type NameRule } from "./names.ts";
export { CRON_OPTIONS, cronProblem, isTimeZone } from "./cron.ts";
export { escapePointerToken, parsePointer, pointerOf } from "./json-pointer.ts";

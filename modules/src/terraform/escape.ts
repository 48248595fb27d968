/**
 * Terraform reads `${…}` and `%{…}` inside any string as template syntax, so SQL that
 * contains them (a literal '${x}' or '%{y}' in a string, a templating leftover) would be
 * interpolated or fail at plan. Doubling the introducer makes it literal again: `$${`
 * and `%%{` are Terraform's escapes. The replacement is a function because in a
 * replacement *string* `$$` means a single `$` (JavaScript's own escape), which would
 * silently undo the escaping. Only `${` and `%{` are touched: a lone `$` or `%` is
 * already literal for Terraform, and `$${` in the input becomes `$$${`, which Terraform
 * reads back as `$${`: escaping then un-escaping is the identity.
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_match, introducer: string) => `${introducer}${introducer}{`);
}

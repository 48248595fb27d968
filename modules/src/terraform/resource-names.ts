/**
 * Terraform resource names for the objects of a domain. A name must match
 * `[a-zA-Z_][a-zA-Z0-9_-]*`; table ids do not (`sales.orders`, `raw.2024_orders`), so
 * they are sanitized: every other character becomes `_`, and a name that would start
 * with a digit or `-` gets a leading `_`. Sanitizing loses information — `sales.eu_orders`
 * and `sales_eu.orders` both become `sales_eu_orders` — and CDKTF would then silently
 * merge two files into one resource, so every collision is an error naming both files.
 * The constructs set these names with overrideLogicalId, so they are also what
 * `terraform plan` shows and what `terraform import` / `moved` blocks use.
 */
import { ModuleError } from "../errors.ts";

export const TERRAFORM_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;

export function terraformName(id: string): string {
  const replaced = id.replace(/[^a-zA-Z0-9_-]/g, "_");
  return /^[a-zA-Z_]/.test(replaced) ? replaced : `_${replaced}`;
}

export interface NamedSource {
  /** The id to name (`sales.orders`). */
  readonly id: string;
  /** The file that defines it, for the collision error. */
  readonly file: string;
}

/** id → unique Terraform name; throws a ModuleError naming both files on the first collision (in input order). */
export function assignResourceNames(items: readonly NamedSource[]): Map<string, string> {
  const byName = new Map<string, NamedSource>();
  const names = new Map<string, string>();
  for (const item of items) {
    const name = terraformName(item.id);
    const other = byName.get(name);
    if (other) {
      const same = other.id === item.id;
      throw new ModuleError({
        file: item.file,
        problem: same
          ? `"${item.id}" is defined twice, here and in ${other.file}: two files would become one resource`
          : `"${item.id}" and "${other.id}" (${other.file}) would both become the Terraform resource name "${name}": two files would become one resource`,
        received: `${item.id} (${item.file}), ${other.id} (${other.file})`,
        expected: "ids that stay distinct once every character outside [a-zA-Z0-9_-] becomes '_': rename one of the folders",
        related: [other.file],
      });
    }
    byName.set(name, item);
    names.set(item.id, name);
  }
  return names;
}

/**
 * Terraform addresses claimed by the constructs of one stack. Each construct sets its
 * resources' names with overrideLogicalId (readable plans, stable `terraform import`),
 * which bypasses CDKTF's own uniqueness: two SqlDomains both holding `ods.orders`, or two
 * outputs called `required_grants`, would silently become one entry of cdk.tf.json.
 * Every construct claims its addresses here first; a second claim is an error naming
 * both owners and the `resourcePrefix` prop that separates them.
 */
import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { ModuleError } from "../errors.ts";

const claimsByStack = new WeakMap<TerraformStack, Map<string, string>>();

/** `address` is `type.name` (`meshplane_flow.ods_orders`, `output.required_grants`); `owner` says who and from which file. */
export function claimAddress(scope: IConstruct, address: string, owner: string): void {
  const stack = TerraformStack.of(scope);
  let claims = claimsByStack.get(stack);
  if (!claims) claimsByStack.set(stack, (claims = new Map()));
  const other = claims.get(address);
  if (other !== undefined) {
    throw new ModuleError({
      file: owner,
      problem: `the Terraform address ${address} is already used by ${other}: two resources would become one`,
      received: address,
      expected: "distinct names: give one of the constructs a resourcePrefix",
      related: [other],
    });
  }
  claims.set(address, owner);
}

// Provider-defined functions (Terraform >= 1.8, GetFunctions / CallFunction). Like a
// resource, a function is plain data plus code on plain values: the protocol layer
// decodes the arguments by the declared types and encodes the result.
import type { TfType } from "../wire/types.ts";

export interface FunctionParameter {
  readonly name: string;
  readonly type: TfType;
  readonly description: string;
  /** Whether null may be passed (else Terraform refuses it before calling). */
  readonly allowNull?: boolean;
}

export interface ProviderFunction {
  /** Called as provider::<provider>::<name>(…). */
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly parameters: readonly FunctionParameter[];
  readonly returnType: TfType;
  /** Arguments decoded by the parameter types (never unknown: Terraform resolves those itself). */
  call(args: unknown[]): unknown | Promise<unknown>;
}

/**
 * What a function reports to the user. `argument` (0-based) makes Terraform point at that
 * argument of the call; the text is shown as the error's detail.
 */
export class FunctionError extends Error {
  constructor(
    message: string,
    readonly argument?: number,
  ) {
    super(message);
    this.name = "FunctionError";
  }
}

export function defineFunction(f: ProviderFunction): ProviderFunction {
  return f;
}

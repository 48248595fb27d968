import { celEnv, isCelError, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

/**
 * CEL for platform policies (SPEC §12), on @bufbuild/cel. The library parses and
 * evaluates but has no type checker, so "does it compile" is: it parses, every function
 * it calls exists, and its outermost operation can yield a bool. What only evaluation can
 * tell (a missing field, a wrong type deep inside) is reported per object as a violation
 * of the policy carrying CEL's error, never a 500.
 */

export interface CelProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * `namespace` is a reserved word of CEL (it cannot be a variable), so the object's
 * namespace is `namespaceObject`, as in Kubernetes' ValidatingAdmissionPolicy.
 */
export type CompiledPolicy = (vars: { object: unknown; namespaceObject: unknown }) => Verdict;
export type Verdict = { readonly pass: true } | { readonly pass: false; readonly error?: string };

const env = celEnv({ funcs: strings });

/** Functions of the standard library and the strings extension registered above (operators are `_x_`, `!_`, `-_`, `@in`). */
const FUNCTIONS = new Set([
  "bool", "bytes", "double", "duration", "dyn", "int", "string", "timestamp", "type", "uint", "size",
  "matches", "contains", "startsWith", "endsWith",
  "charAt", "format", "indexOf", "join", "lastIndexOf", "lowerAscii", "replace", "split", "substring", "trim", "upperAscii", "strings.quote",
  "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes", "getSeconds", "getMilliseconds",
]);
/** Calls whose result is never a bool: `1 + 2` or `size(x)` cannot be a policy. */
const NOT_BOOL_CALLS: Record<string, string> = {
  "_+_": "a sum", "_-_": "a difference", "_*_": "a product", "_/_": "a quotient", "_%_": "a remainder", "-_": "a negation",
  size: "an int", int: "an int", uint: "a uint", double: "a double", string: "a string", bytes: "bytes", timestamp: "a timestamp", duration: "a duration", type: "a type",
  charAt: "a string", format: "a string", indexOf: "an int", join: "a string", lastIndexOf: "an int", lowerAscii: "a string", replace: "a string",
  split: "a list", substring: "a string", trim: "a string", upperAscii: "a string", "strings.quote": "a string",
};

/** Compiles once (the caller caches the result); a problem names its line and column in the expression. */
export function compilePolicy(expression: string): { ok: true; run: CompiledPolicy } | { ok: false; problem: CelProblem } {
  let ast: ReturnType<typeof parse>;
  try {
    ast = parse(expression);
  } catch (error) {
    const e = error as { rawMessage?: string; message: string; location?: { start?: { line: number; column: number } } };
    const at = e.location?.start ?? { line: 1, column: 1 };
    const raw = e.rawMessage ?? e.message;
    const hint = raw.includes("reserved identifier") ? " (namespace, package, as, in… are reserved words of CEL: the object's namespace is `namespaceObject`)" : "";
    return { ok: false, problem: { line: at.line, column: at.column, message: `syntax error: ${raw}${hint}` } };
  }
  const positions = ast.sourceInfo?.positions ?? {};
  const at = (id: bigint): { line: number; column: number } => positionOf(expression, Number(positions[String(id)] ?? 0));
  const unknown = findUnknownCall(ast.expr);
  if (unknown) return { ok: false, problem: { ...at(unknown.id), message: `unknown function ${unknown.name}(); available: the CEL standard library and the strings extension (${[...FUNCTIONS].join(", ")})` } };
  const notBool = notBoolean(ast.expr);
  if (notBool) return { ok: false, problem: { ...at(notBool.id), message: `the expression must return a bool (true = the object complies) but returns ${notBool.what}` } };
  const program = plan(env, ast);
  return {
    ok: true,
    run: (vars) => {
      try {
        const value = program(vars as never);
        if (value === true) return { pass: true };
        if (value === false) return { pass: false };
        if (isCelError(value)) return { pass: false, error: value.message };
        return { pass: false, error: `the expression returned ${describe(value)}, not a bool` };
      } catch (error) {
        return { pass: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

// The AST is protobuf (cel.expr.Expr); typed loosely here: only the shape we walk matters.
interface Node {
  id: bigint;
  exprKind: { case?: string; value?: any };
}

function findUnknownCall(node: Node | undefined): { id: bigint; name: string } | null {
  if (!node) return null;
  const { case: kind, value } = node.exprKind;
  const children: (Node | undefined)[] = [];
  if (kind === "callExpr") {
    const name: string = value.function;
    if (!/^[_@!-]/.test(name) && !FUNCTIONS.has(name)) return { id: node.id, name };
    children.push(value.target, ...value.args);
  } else if (kind === "selectExpr") children.push(value.operand);
  else if (kind === "listExpr") children.push(...value.elements);
  else if (kind === "structExpr") for (const e of value.entries) children.push(e.keyKind?.value?.exprKind ? e.keyKind.value : undefined, e.value);
  else if (kind === "comprehensionExpr") children.push(value.iterRange, value.accuInit, value.loopCondition, value.loopStep, value.result);
  for (const child of children) {
    const found = findUnknownCall(child);
    if (found) return found;
  }
  return null;
}

/** The outermost operation, when it certainly is not a bool (identifiers and fields may be: evaluation says). */
function notBoolean(node: Node | undefined): { id: bigint; what: string } | null {
  if (!node) return null;
  const { case: kind, value } = node.exprKind;
  if (kind === "constExpr") {
    const c = value.constantKind?.case as string | undefined;
    return c === "boolValue" ? null : { id: node.id, what: `a constant (${c?.replace("Value", "") ?? "null"})` };
  }
  if (kind === "listExpr") return { id: node.id, what: "a list" };
  if (kind === "structExpr") return { id: node.id, what: "a map" };
  if (kind === "comprehensionExpr") return value.accuInit?.exprKind?.case === "listExpr" ? { id: node.id, what: "a list (map() or filter(); use all() or exists())" } : null;
  if (kind === "callExpr") {
    if (value.function === "_?_:_") return notBoolean(value.args[1]) ?? notBoolean(value.args[2]);
    const what = NOT_BOOL_CALLS[value.function as string];
    return what ? { id: node.id, what } : null;
  }
  return null;
}

/** The parser's sourceInfo carries offsets but no line table: lines are counted here. */
function positionOf(expression: string, offset: number): { line: number; column: number } {
  const before = expression.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "bigint") return `an int (${value})`;
  if (typeof value === "number") return `a double (${value})`;
  if (typeof value === "string") return `a string (${JSON.stringify(value.slice(0, 40))})`;
  return "a value of another type";
}

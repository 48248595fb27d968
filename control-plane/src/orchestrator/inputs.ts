import type { FieldProblem } from "../errors.ts";
import type { FlowDocument } from "../flows/flow-schema.ts";

type InputDecl = NonNullable<FlowDocument["inputs"]>[number];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Why `value` is not of the input's type, or null. */
function typeProblem(decl: InputDecl, value: unknown): string | null {
  switch (decl.type) {
    case "STRING":
      return typeof value === "string" ? null : "must be a string";
    case "INT":
      return typeof value === "number" && Number.isSafeInteger(value) ? null : "must be an integer (a JSON number without a fraction)";
    case "FLOAT":
      return typeof value === "number" && Number.isFinite(value) ? null : "must be a number";
    case "BOOLEAN":
      return typeof value === "boolean" ? null : "must be true or false";
    case "DATE": {
      const m = typeof value === "string" ? DATE.exec(value) : null;
      if (!m) return "must be a date as YYYY-MM-DD";
      const d = new Date(`${value as string}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value as string) ? null : `${value as string} is not a day of the calendar`;
    }
    case "DATETIME":
      return typeof value === "string" && DATETIME.test(value) && !Number.isNaN(Date.parse(value)) ? null : "must be an ISO-8601 date-time with an offset, such as 2026-12-03T03:00:00Z";
    case "JSON":
      return null;
  }
}

/**
 * The inputs of an execution checked against the flow's declared `inputs`: every given
 * input declared and of its type, every required one present (required unless the flow
 * says `required: false`; `defaults` fill what is missing). Problems point at
 * `/inputs/<id>`; none means `values` is what the execution runs with.
 */
export function checkInputs(declared: FlowDocument["inputs"], given: Record<string, unknown>): { values: Record<string, unknown>; problems: FieldProblem[] } {
  const decls = declared ?? [];
  const byId = new Map(decls.map((d) => [d.id, d]));
  const problems: FieldProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(given)) {
    const decl = byId.get(id);
    if (!decl) {
      const known = decls.length > 0 ? `it declares ${decls.map((d) => d.id).join(", ")}` : "it declares none";
      problems.push({ pointer: `/inputs/${id}`, message: `input ${id} is not an input of this flow (${known})` });
      continue;
    }
    const problem = typeProblem(decl, value);
    if (problem) problems.push({ pointer: `/inputs/${id}`, message: `input ${id} (${decl.type}) ${problem}; got ${JSON.stringify(value)?.slice(0, 100)}` });
    else values[id] = value;
  }
  for (const decl of decls) {
    if (decl.id in given) continue;
    if (decl.defaults !== undefined) {
      const problem = typeProblem(decl, decl.defaults);
      if (problem) problems.push({ pointer: `/inputs/${decl.id}`, message: `input ${decl.id} was not given and the flow's default ${problem}; fix the flow's defaults or give the input` });
      else values[decl.id] = decl.defaults;
    } else if (decl.required !== false) {
      problems.push({ pointer: `/inputs/${decl.id}`, message: `input ${decl.id} (${decl.type}) is required by the flow and was not given` });
    }
  }
  return { values, problems };
}

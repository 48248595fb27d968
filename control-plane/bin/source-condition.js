// A module resolve hook: workspace packages (@meshplane/rules) resolve through their
// `meshplane-source` export condition to their TypeScript sources, as in the tests and
// the type-checker, so the control plane never runs a stale dist/ build of them.
export async function resolve(specifier, context, nextResolve) {
  if (context.conditions.includes("meshplane-source")) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "meshplane-source"] });
}

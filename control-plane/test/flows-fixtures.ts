/** Flow YAML builders shared by the flows*.test.ts files. */
export function flowYaml(namespace: string, id: string, extra = "", message = "hello"): string {
  return `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: log\n    type: core.log\n    message: ${message}\n${extra}`;
}

export function triggerOn(...upstream: [string, string][]): string {
  return `triggers:\n  - id: after\n    type: flow\n    upstream:\n${upstream.map(([ns, id]) => `      - { namespace: ${ns}, flowId: ${id} }\n`).join("")}`;
}

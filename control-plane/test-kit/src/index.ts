// @meshplane/test-kit: what the tests of several packages share (see ARCHITECTURE.md,
// "Test kit"). Private: tests and benches import it by name, nothing shipped does.
export * from "./server.ts";
export * from "./client.ts";
export * from "./fake-github-oidc.ts";
export * from "./processes.ts";
export * from "./terraform.ts";

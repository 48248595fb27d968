// Moved to @meshplane/test-kit (control-plane/test-kit/src/processes.ts), which every package's tests
// import by name; this path stays so the control plane's tests (and branches adding more)
// keep their imports.
export * from "@meshplane/test-kit";

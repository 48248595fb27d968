/** Moved to src/pagination.ts (services use it too); kept for imports from other branches. */
export * from "../pagination.ts";

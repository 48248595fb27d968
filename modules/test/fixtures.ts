import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ModuleError } from "../src/errors.ts";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function fixtureFile(name: string, file: string): string {
  return readFileSync(join(FIXTURES, name, file), "utf8");
}

/** The ModuleError that `run` throws (fails the test when it throws nothing or something else). */
export function moduleErrorOf(run: () => unknown): ModuleError {
  try {
    run();
  } catch (error) {
    if (error instanceof ModuleError) return error;
    throw error;
  }
  throw new Error("expected a ModuleError, nothing was thrown");
}

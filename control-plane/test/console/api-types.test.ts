/**
 * The console is typed from the OpenAPI document (issue 14): console/src/api-types.ts is
 * what openapi-typescript makes of the document the route declarations describe, and the
 * console typechecks against it — so a field renamed or removed in the API breaks this
 * test, not a page in a user's browser.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { API_TYPES_FILE, apiTypesSource } from "../../scripts/openapi-types.ts";

const run = promisify(execFile);
const CONSOLE_TSCONFIG = fileURLToPath(new URL("../../console/tsconfig.json", import.meta.url));
const TSC = fileURLToPath(new URL("../../../node_modules/typescript/bin/tsc", import.meta.url));

describe("the console's API types", () => {
  it("are the OpenAPI document's, as generated (run `npm run api-types -w @meshplane/control-plane` after changing a route)", async () => {
    const committed = readFileSync(API_TYPES_FILE, "utf8");
    expect(committed === (await apiTypesSource()), "console/src/api-types.ts is stale: run `npm run api-types -w @meshplane/control-plane`").toBe(true);
    // The shapes the pages read come from it.
    expect(committed).toContain("ExecutionSummary: {");
    expect(readFileSync(new URL("../../console/src/api.ts", import.meta.url), "utf8")).toContain('export type Execution = Schemas["Execution"];');
  });

  it("type the whole console: it typechecks against them", async () => {
    const result = await run(process.execPath, [TSC, "-p", CONSOLE_TSCONFIG], { timeout: 120_000 }).then(
      () => ({ ok: true, output: "" }),
      (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout ?? ""}${error.stderr ?? ""}` }),
    );
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  }, 150_000);
});

// The core on a map of files (what the provider function gets) gives exactly what it gives
// on the folder (what SqlDomain reads), for every fixture; and bad map keys are refused.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { compileDomain } from "../src/compile-domain.ts";
import { diskFiles, memoryFiles } from "../src/repo/domain-files.ts";
import { readTextFile } from "../src/repo/read-object.ts";
import { meshplaneArguments } from "../src/terraform/meshplane-arguments.ts";
import { fixture, moduleErrorOf } from "./fixtures.ts";

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out[relative(dir, join(d, e.name)).split("\\").join("/")] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("memoryFiles", () => {
  for (const name of ["sales", "supply", "warehouse", "unqualified"]) {
    it(`${name}: the same model, flows and resource arguments as from the folder`, () => {
      const onDisk = compileDomain(fixture(name));
      const source = memoryFiles(filesOf(fixture(name)));
      const inMemory = compileDomain(source);
      expect({ ...inMemory.domain, root: "" }).toEqual({ ...onDisk.domain, root: "" });
      expect(inMemory.graph).toEqual(onDisk.graph);
      expect(inMemory.flows).toEqual(onDisk.flows);
      const disk = diskFiles(fixture(name));
      expect(meshplaneArguments(inMemory, (f) => readTextFile(source, f))).toEqual(meshplaneArguments(onDisk, (f) => readTextFile(disk, f)));
    });
  }

  it("the same error as from the folder, naming the same file", () => {
    const dir = fixture("errors/cycle");
    const fromDisk = moduleErrorOf(() => compileDomain(dir));
    expect(moduleErrorOf(() => compileDomain(memoryFiles(filesOf(dir)))).message).toBe(fromDisk.message);
  });

  it("refuses keys that are not relative paths, and a path that is both file and folder", () => {
    for (const key of ["../x/query.sql", "/abs/query.sql", "a//query.sql", "./a/query.sql", "a\\b\\query.sql"]) {
      expect(moduleErrorOf(() => memoryFiles({ [key]: "SELECT 1" })).message, key).toContain(`files: the key ${JSON.stringify(key)} is not a relative file path`);
    }
    expect(moduleErrorOf(() => memoryFiles({ "a/b": "x", "a/b/c": "y" })).message).toContain("a/b is given both as a file and as a folder");
  });
});

// Synthesizes constructs in a test stack (with a Meshplane and a Google provider, as an
// app would configure them) and answers the cdk.tf.json document as an object.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing, TerraformStack, type App } from "cdktf";
import { afterAll } from "vitest";
import type { Construct } from "constructs";
import { MeshplaneProvider } from "@meshplane/provider/cdktf";
import { GoogleProvider } from "../../src/google/bigquery-table.ts";

export interface TfJson {
  terraform?: { required_providers?: Record<string, { source?: string; version?: string }> };
  provider?: Record<string, unknown[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean; description?: string }>;
}

export interface Synthesized<T> {
  readonly json: TfJson;
  readonly text: string;
  readonly stack: TerraformStack;
  readonly construct: T;
  /** Warnings the constructs added (Annotations.addWarning), in order. */
  readonly warnings: string[];
}

/**
 * One outdir for every test app of a test file: Testing.app() alone makes a temp folder
 * per app and never removes it (30-odd per `npm test`). The synths here are in memory,
 * so the apps can share it. Vitest evaluates this module once per test file (isolation),
 * and a hook registered while a file is collected belongs to that file.
 */
const OUTDIR = mkdtempSync(join(tmpdir(), "meshplane-cdktf-test-"));
afterAll(() => rmSync(OUTDIR, { recursive: true, force: true }));

/** A cdktf test app whose outdir is removed after the test file. */
export function testApp(): App {
  return Testing.app({ outdir: OUTDIR });
}

export function synthWith<T extends Construct>(build: (stack: TerraformStack) => T, options: { google?: boolean } = {}): Synthesized<T> {
  const app = testApp();
  const stack = new TerraformStack(app, "test");
  new MeshplaneProvider(stack, "meshplane", {});
  if (options.google) new GoogleProvider(stack, "google", {});
  const construct = build(stack);
  const text = Testing.synth(stack, true);
  return { json: JSON.parse(text) as TfJson, text, stack, construct, warnings: warningsOf(construct) };
}

export function warningsOf(scope: Construct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === "@cdktf/warn")
    .map((m) => String(m.data));
}

/** The resources of one type, by name. */
export function resources(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

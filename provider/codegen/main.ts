// `npm run generate:cdktf` / `npm run generate:docs`: regenerate the committed
// bindings (cdktf/) and docs (docs/) from the provider's schema.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCdktf } from "./cdktf.ts";
import { minorConstraintOf } from "./constraint.ts";
import { writeDocs } from "./docs.ts";
import { PROVIDER_VERSION } from "../src/meshplane/provider.ts";

const providerDir = fileURLToPath(new URL("..", import.meta.url));
const minorConstraint = minorConstraintOf(PROVIDER_VERSION);

const what = process.argv[2];
if (what === "cdktf" || what === "all") {
  await generateCdktf(join(providerDir, "cdktf"), minorConstraint);
  console.error("generated cdktf/");
}
if (what === "docs" || what === "all") {
  writeDocs(join(providerDir, "docs"));
  console.error("generated docs/");
}
if (!["cdktf", "docs", "all"].includes(what ?? "")) {
  console.error("usage: codegen/main.ts cdktf|docs|all");
  process.exit(2);
}

// Module hooks that let Node 20 load our .ts files: esbuild strips the types of each
// file as it loads (no bundling), so import.meta.url and relative paths stay true.
import { transform } from "esbuild";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, "utf8"), { loader: "ts", format: "esm", target: "node20", supported: { "import-attributes": true }, sourcefile: path, sourcemap: "inline" });
  return { format: "module", source: code, shortCircuit: true };
}

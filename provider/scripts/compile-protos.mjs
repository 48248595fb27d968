// Turns the .proto files in proto/ into one JSON descriptor (proto/descriptors.json)
// so the provider never parses .proto text at start-up: Terraform starts a fresh
// provider process for almost every command, and parsing costs ~30 ms each time.
// Run: npm run compile-protos -w @meshplane/provider (the JSON is committed).
import protobuf from "protobufjs";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const protoDir = fileURLToPath(new URL("../proto/", import.meta.url));
const files = ["tfplugin6.8.proto", "tfplugin5.8.proto", "go-plugin.proto"].map((f) => join(protoDir, f));

const root = new protobuf.Root();
// Comments are not needed at run time; keeping them out keeps the JSON small.
root.loadSync(files, { keepCase: true, alternateCommentMode: false });
root.resolveAll();
const json = JSON.stringify(root.toJSON({ keepComments: false }), null, 1) + "\n";
writeFileSync(join(protoDir, "descriptors.json"), json);
console.error(`wrote proto/descriptors.json (${json.length} bytes)`);

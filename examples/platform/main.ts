// The platform repository's CDKTF app: platform.yaml → teams, namespaces, service
// accounts and their keys, role bindings, trigger grants. `npx tsx main.ts` writes
// cdktf.out/stacks/platform/cdk.tf.json; terraform runs there.
import { App, GcsBackend, LocalBackend, TerraformStack } from "cdktf";
import { MeshplaneProvider } from "@meshplane/provider/cdktf";
import { MeshPlatform } from "@meshplane/modules";

const app = new App();
const stack = new TerraformStack(app, "platform");
// CI keeps state in a bucket (runners are throwaway); without one, a local file beside cdk.tf.json.
const bucket = process.env["TF_STATE_BUCKET"];
if (bucket) new GcsBackend(stack, { bucket, prefix: "meshplane/platform" });
else new LocalBackend(stack, { path: "terraform.tfstate" });
// Endpoint and key come from MESHPLANE_ENDPOINT and MESHPLANE_API_KEY (repository secrets in CI).
new MeshplaneProvider(stack, "meshplane", {});
new MeshPlatform(stack, "platform", { path: "./platform.yaml" });
app.synth();

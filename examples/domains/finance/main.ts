// The finance domain's CDKTF app: this folder of SQL and `bq show` schemas → table
// contracts and flows in retail.finance. `npx tsx main.ts` writes
// cdktf.out/stacks/finance/cdk.tf.json; terraform runs there.
import { App, GcsBackend, LocalBackend, TerraformStack } from "cdktf";
import { MeshplaneProvider } from "@meshplane/provider/cdktf";
import { SqlDomain } from "@meshplane/modules";

const app = new App();
const stack = new TerraformStack(app, "finance");
// CI keeps state in a bucket (runners are throwaway); without one, a local file beside cdk.tf.json.
const bucket = process.env["TF_STATE_BUCKET"];
if (bucket) new GcsBackend(stack, { bucket, prefix: "meshplane/finance" });
else new LocalBackend(stack, { path: "terraform.tfstate" });
// The endpoint comes from MESHPLANE_ENDPOINT; in GitHub Actions the provider exchanges the job's OIDC
// token for finance-ci (its federation in platform.yaml), elsewhere it takes MESHPLANE_API_KEY.
new MeshplaneProvider(stack, "meshplane", {});
new SqlDomain(stack, "finance", { path: "./" });
app.synth();

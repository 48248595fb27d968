// The parts of each docs page that a schema cannot say: an HCL example and the
// import id. Everything else on the pages comes from the schema descriptions.
export interface PageExtras {
  example: string;
  /** Import id form and an example, for resources. */
  importId?: { form: string; example: string; note?: string };
}

export const providerExample = `terraform {
  required_providers {
    meshplane = { source = "meshplane/meshplane" }
  }
}

provider "meshplane" {
  endpoint = "https://meshplane.example.com" # or MESHPLANE_ENDPOINT
  # api_key from MESHPLANE_API_KEY (a service account's key, mp_…);
  # or none at all in GitHub Actions with \`permissions: id-token: write\`: the job's
  # OIDC token is exchanged (audience: oidc_audience, by default the endpoint URL)
}`;

export const extras: Record<string, PageExtras> = {
  "resource:meshplane_team": {
    example: `resource "meshplane_team" "sales" {
  name        = "sales"
  description = "Sales domain team"
}`,
    importId: { form: "<name>", example: "sales" },
  },
  "resource:meshplane_service_account": {
    example: `resource "meshplane_service_account" "sales_ci" {
  name        = "sales-ci"
  team        = meshplane_team.sales.name
  description = "GitHub Actions of the sales repository"
}`,
    importId: { form: "<name>", example: "sales-ci" },
  },
  "resource:meshplane_api_key": {
    example: `resource "meshplane_api_key" "sales_ci" {
  service_account = meshplane_service_account.sales_ci.name
  expires_at      = "2027-01-01T00:00:00Z"
}

# e.g. into a GitHub Actions secret; never printed by plan or apply
output "sales_ci_key" {
  value     = meshplane_api_key.sales_ci.secret
  sensitive = true
}`,
    importId: {
      form: "<service_account>/<key id>",
      example: "sales-ci/0b9e6c1e-5d7a-4a51-9a57-2f3d1c1f0e11",
      note: "The API shows a key's secret only when it creates the key, so an imported key has `secret = null` (a warning says so). The key keeps working; replace it (`terraform apply -replace=meshplane_api_key.sales_ci`) to get a secret Terraform knows.",
    },
  },
  "resource:meshplane_service_account_federation": {
    example: `# GitHub Actions of acme/retail-sales, on main, act as sales-ci: no key to store
resource "meshplane_service_account_federation" "sales_ci_main" {
  service_account = meshplane_service_account.sales_ci.name
  issuer          = "https://token.actions.githubusercontent.com"
  audience        = "https://meshplane.example.com" # the provider's oidc_audience
  claims = {
    repository = "acme/retail-sales"
    ref        = "refs/heads/main"
  }
}`,
    importId: { form: "<service_account>/<rule id>", example: "sales-ci/5f0c2d6e-8a1b-4c3d-9e2f-1a2b3c4d5e6f" },
  },
  "resource:meshplane_namespace": {
    example: `resource "meshplane_namespace" "retail_sales" {
  name        = "retail.sales"
  owner_team  = meshplane_team.sales.name
  description = "Sales data products"
  labels      = { domain = "retail" }
}`,
    importId: { form: "<name>", example: "retail.sales" },
  },
  "resource:meshplane_role_binding": {
    example: `resource "meshplane_role_binding" "supply_reads_sales" {
  namespace = meshplane_namespace.retail_sales.name
  role      = "viewer"
  team      = "supply"
}`,
    importId: { form: "<id>", example: "3f2b0c8e-8a4e-4d8b-9d55-0c6f7e2a9b10", note: "The id is in the API's answer (`GET /api/v1/role-bindings?namespace=…`)." },
  },
  "resource:meshplane_trigger_grant": {
    example: `# Sales lets supply's flows trigger on sales flows.
resource "meshplane_trigger_grant" "supply_listens_to_sales" {
  upstream_namespace   = "retail.sales"
  downstream_namespace = "retail.supply"
  kinds                = ["trigger"]
}`,
    importId: { form: "<id>", example: "8c1d7a4e-2b3f-4e5a-9c6d-7e8f9a0b1c2d", note: "The id is in the API's answer (`GET /api/v1/trigger-grants?upstreamNamespace=…`)." },
  },
  "resource:meshplane_policy": {
    example: `# Every flow of retail (and its subtree) has an owner label.
resource "meshplane_policy" "flows_have_an_owner" {
  name       = "flows-have-an-owner"
  namespace  = "retail"
  applies_to = "flow"
  severity   = "error"
  expression = "has(object.labels) && has(object.labels.owner)"
  message    = "give the flow an owner label (labels: {owner: <team>})"
}`,
    importId: { form: "<name>", example: "flows-have-an-owner" },
  },
  "resource:meshplane_flow": {
    example: `resource "meshplane_flow" "daily_orders" {
  namespace = "retail.sales"
  flow_id   = "daily_orders"
  source    = file("\${path.module}/flows/daily_orders.yaml")
}`,
    importId: { form: "<namespace>/<flow id>", example: "retail.sales/daily_orders" },
  },
  "resource:meshplane_table": {
    example: `resource "meshplane_table" "orders" {
  namespace   = "retail.sales"
  dataset     = "retail_sales"
  table       = "orders"
  schema_json = file("\${path.module}/retail_sales/orders/schema.json") # bq show --format=prettyjson
  feed_type   = "MODE_DELTA"
  keys        = ["order_id"]
  # major_version = 2   # only to accept a breaking change
}`,
    importId: { form: "<namespace>/<dataset>.<table>", example: "retail.sales/retail_sales.orders" },
  },
  "data:meshplane_team": {
    example: `data "meshplane_team" "sales" {
  name = "sales"
}`,
  },
  "data:meshplane_namespace": {
    example: `data "meshplane_namespace" "retail_sales" {
  name = "retail.sales"
}`,
  },
  "data:meshplane_flow": {
    example: `data "meshplane_flow" "stock_levels" {
  namespace = "retail.supply"
  flow_id   = "stock_levels"
}`,
  },
  "data:meshplane_table": {
    example: `data "meshplane_table" "stock" {
  namespace = "retail.supply"
  dataset   = "retail_supply"
  table     = "stock"
}`,
  },
};

output "namespace" {
  description = "The domain's namespace (domain.yaml or options.namespace)."
  value       = local.domain.namespace
}

output "tables" {
  description = "The table contracts by Terraform name: namespace, dataset, table and the contract version the API assigned."
  value       = { for k, t in meshplane_table.this : k => { namespace = t.namespace, dataset = t.dataset, table = t.table, version = t.version } }
}

output "flows" {
  description = "The flows by Terraform name: namespace, flow_id and revision."
  value       = { for k, f in meshplane_flow.this : k => { namespace = f.namespace, flow_id = f.flow_id, revision = f.revision } }
}

output "required_grants" {
  description = "Trigger grants that producer namespaces must create for this domain's cross-domain triggers (as SqlDomain's output required_grants)."
  value       = local.domain.required_grants
}

output "warnings" {
  description = "Lineage warnings (file:line:column: message), e.g. an unqualified table name; SqlDomain prints them at synth."
  value       = local.domain.warnings
}

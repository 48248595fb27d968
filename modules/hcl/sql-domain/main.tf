# A SQL domain folder → meshplane_table and meshplane_flow resources, the same ones the
# CDKTF construct SqlDomain synthesizes: the provider function runs the same compiler.
#
# Only the files the folder convention reads are passed (a domain folder may hold a CDKTF
# app, node_modules or binary files, which file() cannot read). Addresses are keyed by the
# names SqlDomain gives its resources: meshplane_flow.sales_ods_orders there is
# meshplane_flow.this["sales_ods_orders"] here.
locals {
  files  = { for f in fileset(var.path, "**/{domain.yaml,table.yaml,query.sql,view.sql,schema.json}") : f => file("${var.path}/${f}") }
  domain = provider::meshplane::sql_domain(local.files, var.options)
}

resource "meshplane_table" "this" {
  for_each = local.domain.tables

  namespace   = each.value.namespace
  dataset     = each.value.dataset
  table       = each.value.table
  schema_json = each.value.schema_json
  feed_type   = each.value.feed_type
  keys        = each.value.keys
  description = each.value.description
  labels      = each.value.labels
}

resource "meshplane_flow" "this" {
  for_each = local.domain.flows

  namespace = each.value.namespace
  flow_id   = each.value.flow_id
  source    = each.value.source

  # A flow waits for the contracts of its domain (SqlDomain: its own table's). Flows of the
  # same domain it triggers on are not ordered (one for_each resource cannot depend on its
  # own instances): until the upstream flow exists the API only warns, and the PUT of the
  # trigger succeeds either way.
  depends_on = [meshplane_table.this]
}

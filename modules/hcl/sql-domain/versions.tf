terraform {
  # Provider-defined functions (provider::meshplane::sql_domain) need Terraform 1.8 or later.
  required_version = ">= 1.8"
  required_providers {
    meshplane = {
      source  = "meshplane/meshplane"
      version = ">= 0.1.0"
    }
  }
}

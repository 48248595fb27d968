import { ConfigError, type Config } from "../../config.ts";
import type { Warehouse } from "../warehouse.ts";
import { createBigQueryWarehouse } from "./bigquery-warehouse.ts";

/**
 * The BigQuery warehouse as `meshplane serve` / `worker` configure it (for the factory,
 * warehouse/index.ts, when MESHPLANE_WAREHOUSE=bigquery). Credentials are Application
 * Default Credentials, found the way Google's client libraries find them
 * (GOOGLE_APPLICATION_CREDENTIALS, the metadata server, `gcloud auth application-default login`).
 */
export function bigQueryWarehouseFromConfig(config: Pick<Config, "bigquery">): Warehouse {
  const { projectId, location, apiEndpoint } = config.bigquery;
  if (!projectId) {
    throw new ConfigError(
      "MESHPLANE_BIGQUERY_PROJECT",
      "must be set when MESHPLANE_WAREHOUSE=bigquery: the Google Cloud project BigQuery jobs run in (or set GOOGLE_CLOUD_PROJECT)",
    );
  }
  return createBigQueryWarehouse({ projectId, ...(location ? { location } : {}), ...(apiEndpoint ? { apiEndpoint } : {}) });
}

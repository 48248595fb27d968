-- Until `flows` has statistics, the planner guesses that a namespace holds ~45 flows and
-- pages by fetching every flow of the namespace and sorting them, instead of walking
-- the (namespace, flow_id) index for LIMIT rows: measured on 10,000 flows, 4-8 ms a page
-- instead of ~0.1 ms. A large `terraform apply` creates exactly that state, and the plan
-- that follows pages through it. Analyse after 2 % of the rows changed (default 10 %),
-- so statistics follow bulk loads closely; ANALYZE of flows samples at most 30,000 rows.
ALTER TABLE "flows" SET (autovacuum_analyze_threshold = 50, autovacuum_analyze_scale_factor = 0.02);

-- Point-of-sale transactions landed in the last two hours, appended as they arrive.
-- The landing project belongs to no domain: reading it triggers nothing, so this
-- table runs on its schedule (table.yaml).
SELECT
  t.transaction_id,
  t.order_id,
  t.store_id,
  t.customer_id,
  t.ordered_at,
  t.status,
  t.currency,
  t.lines,
  CURRENT_TIMESTAMP() AS ingested_at
FROM `acme-retail-landing.pos.transactions` AS t
WHERE t._PARTITIONTIME >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 2 HOUR)
  -- A transaction landed twice is appended once (reading itself is not a dependency).
  AND t.transaction_id NOT IN (
    SELECT transaction_id
    FROM `acme-retail-sales.sales_raw.orders_raw`
    WHERE ingested_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
  )

-- The latest state of every order seen in the last two days, merged on order_id:
-- a cancellation or refund landed later overwrites the earlier row.
SELECT
  order_id,
  store_id,
  customer_id,
  ordered_at,
  DATE(ordered_at, 'Europe/Paris') AS order_date,
  status,
  currency,
  lines,
  (SELECT SUM(l.quantity * l.unit_price) FROM UNNEST(lines) AS l) AS amount,
  ingested_at AS updated_at
FROM `acme-retail-sales.sales_raw.orders_raw`
WHERE ingested_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 2 DAY)
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY ingested_at DESC) = 1

-- What to ship to each store tomorrow: seven days of cover at the last four weeks' sales
-- rate, minus what the store has on hand or already on its way.
-- Reads retail.sales' orders (a cross-team trigger, granted by retail.sales) and this
-- domain's stock levels: it runs once both flows have succeeded.
WITH sold AS (
  SELECT o.store_id, l.product_id, SUM(l.quantity) / 28 AS units_per_day
  FROM `acme-retail-sales.sales_ods.orders` AS o, UNNEST(o.lines) AS l
  WHERE o.order_date >= DATE_SUB(CURRENT_DATE('Europe/Paris'), INTERVAL 28 DAY)
    AND o.status = 'PAID'
  GROUP BY o.store_id, l.product_id
)
SELECT
  CURRENT_DATE('Europe/Paris') AS plan_date,
  s.store_id,
  s.product_id,
  s.units_on_hand,
  s.units_in_transit,
  ROUND(COALESCE(sold.units_per_day, 0), 2) AS units_per_day,
  GREATEST(CAST(CEIL(COALESCE(sold.units_per_day, 0) * 7) AS INT64) - s.units_on_hand - s.units_in_transit, 0) AS units_to_ship
FROM `acme-retail-supply.supply_ods.stock_levels` AS s
LEFT JOIN sold USING (store_id, product_id)

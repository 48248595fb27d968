-- Revenue per store and day over the last 400 days, rebuilt at every run: it is small,
-- and a late refund changes a past day.
SELECT
  order_date,
  store_id,
  COUNT(DISTINCT order_id) AS orders,
  SUM(amount) AS revenue,
  SUM((SELECT SUM(l.quantity) FROM UNNEST(lines) AS l)) AS units
FROM `acme-retail-sales.sales_ods.orders`
WHERE status = 'PAID'
  AND order_date >= DATE_SUB(CURRENT_DATE('Europe/Paris'), INTERVAL 400 DAY)
GROUP BY order_date, store_id

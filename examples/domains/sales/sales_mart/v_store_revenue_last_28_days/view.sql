-- Rolling four weeks per store, for the store managers' dashboard.
SELECT
  store_id,
  SUM(orders) AS orders_28d,
  SUM(revenue) AS revenue_28d,
  SUM(units) AS units_28d
FROM `acme-retail-sales.sales_mart.daily_store_revenue`
WHERE order_date >= DATE_SUB(CURRENT_DATE('Europe/Paris'), INTERVAL 28 DAY)
GROUP BY store_id

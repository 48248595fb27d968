-- Stock at standard cost per store, for the month-end close.
-- supply_ods.stock_levels belongs to retail.supply: this table's flow triggers on its flow.
SELECT
  CURRENT_DATE('Europe/Paris') AS valuation_date,
  s.store_id,
  SUM(s.units_on_hand + s.units_in_transit) AS units,
  SUM((s.units_on_hand + s.units_in_transit) * c.standard_cost) AS stock_value
FROM `acme-retail-supply.supply_ods.stock_levels` AS s
JOIN `acme-retail-landing.erp.product_costs` AS c USING (product_id)
GROUP BY s.store_id

-- Units on hand and in transit per store and product, from the warehouse management
-- system's latest snapshot of the day (a landing table: no trigger, the schedule runs it).
SELECT
  s.store_id,
  s.product_id,
  s.units_on_hand,
  s.units_in_transit,
  s.snapshot_at AS updated_at
FROM `acme-retail-landing.wms.stock_snapshots` AS s
WHERE s.snapshot_date = CURRENT_DATE('Europe/Paris')
QUALIFY ROW_NUMBER() OVER (PARTITION BY s.store_id, s.product_id ORDER BY s.snapshot_at DESC) = 1

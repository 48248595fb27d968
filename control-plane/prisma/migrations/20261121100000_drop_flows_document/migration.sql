-- The parsed YAML was stored beside the source on every write and read nowhere: the
-- source is the single truth, and re-parsing it (~20 µs) is cheaper than carrying a
-- second copy in every row version (it halves a flow row, so more updates stay HOT).
ALTER TABLE "flows" DROP COLUMN "document";

/**
 * The landing data the quickstart loads: what a point-of-sale system and a warehouse
 * management system would have dropped into `acme-retail-landing` by the time the 03:00
 * schedules run. Deterministic (a seeded generator): the same stores, products, orders and
 * snapshots every run; only the absolute times follow the clock (orders within the last hour,
 * snapshots of today in Europe/Paris) because the examples' queries read "the last two hours".
 *
 * It is written as BigQuery SQL (CREATE OR REPLACE TABLE … AS SELECT * FROM UNNEST([STRUCT…]))
 * run by sql.query tasks of a flow of the quickstart's own, so it goes through the same
 * warehouse and translator as the domains' queries — no extra CLI, no side door.
 */

export const LANDING_NAMESPACE = "retail.landing";
export const LANDING_FLOW = "landing.load";

export const STORES = ["FR-PAR-012", "FR-LYO-003", "FR-MRS-007"] as const;
export const PRODUCTS: readonly { id: string; price: string }[] = [
  { id: "SKU-COFFEE-1KG", price: "14.90" },
  { id: "SKU-TEA-250G", price: "6.50" },
  { id: "SKU-MUG-WHITE", price: "8.00" },
  { id: "SKU-KETTLE-1L", price: "39.99" },
  { id: "SKU-FILTER-100", price: "3.20" },
  { id: "SKU-GRINDER", price: "59.00" },
];
export const ORDER_COUNT = 50;
/** Day 2's late changes: this many day-1 orders refunded (new transactions, same order ids). */
export const REFUND_COUNT = 6;

export interface Line {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: string;
}
export interface Transaction {
  readonly transactionId: string;
  readonly orderId: string;
  readonly storeId: string;
  readonly customerId: string | null;
  readonly orderedAt: Date;
  readonly status: "PAID" | "REFUNDED";
  readonly lines: readonly Line[];
}
export interface Snapshot {
  readonly storeId: string;
  readonly productId: string;
  readonly unitsOnHand: number;
  readonly unitsInTransit: number;
  readonly snapshotAt: Date;
}
export interface LandingDay {
  readonly transactions: readonly Transaction[];
  readonly snapshots: readonly Snapshot[];
}

/** mulberry32: small, fast, and the same numbers on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Day 1: ORDER_COUNT paid orders in the hour before `now`, and two stock snapshots per store and product. */
export function dayOne(now: Date, seed = 12): LandingDay {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const transactions: Transaction[] = [];
  for (let i = 0; i < ORDER_COUNT; i++) {
    const products = [...PRODUCTS].sort(() => next() - 0.5).slice(0, 1 + Math.floor(next() * 3));
    transactions.push({
      transactionId: `T-${String(10001 + i)}`,
      orderId: `O-${String(5001 + i)}`,
      storeId: pick(STORES),
      // About one sale in four is anonymous (no loyalty card).
      customerId: next() < 0.25 ? null : `C-${String(100 + Math.floor(next() * 40))}`,
      // Ordered 2 to 58 minutes ago, in order.
      orderedAt: new Date(now.getTime() - (58 - Math.floor((56 * i) / ORDER_COUNT)) * 60_000),
      status: "PAID",
      lines: products.map((p) => ({ productId: p.id, quantity: 1 + Math.floor(next() * 4), unitPrice: p.price })),
    });
  }
  const snapshots: Snapshot[] = [];
  for (const storeId of STORES) {
    for (const p of PRODUCTS) {
      // An early and a late snapshot: stock_levels keeps the latest of the day.
      const onHand = 5 + Math.floor(next() * 40);
      snapshots.push({ storeId, productId: p.id, unitsOnHand: onHand + 3, unitsInTransit: 0, snapshotAt: new Date(now.getTime() - 50 * 60_000) });
      snapshots.push({ storeId, productId: p.id, unitsOnHand: onHand, unitsInTransit: Math.floor(next() * 10), snapshotAt: new Date(now.getTime() - 10 * 60_000) });
    }
  }
  return { transactions, snapshots };
}

/**
 * Day 2: day 1's landing again, plus late refunds of REFUND_COUNT day-1 orders (new
 * transaction ids, the same order ids, status REFUNDED, landed `now`). orders_raw appends
 * only the new transactions; sales_ods.orders' MERGE turns those orders to REFUNDED.
 */
export function dayTwo(day1: LandingDay, seed = 12): LandingDay {
  const next = random(seed + 1);
  const paid = [...day1.transactions];
  const refunded: Transaction[] = [];
  while (refunded.length < REFUND_COUNT) {
    const [t] = paid.splice(Math.floor(next() * paid.length), 1);
    refunded.push({ ...t!, transactionId: `T-${String(20001 + refunded.length)}`, status: "REFUNDED" });
  }
  return { transactions: [...day1.transactions, ...refunded], snapshots: day1.snapshots };
}

export function refundedOrders(day2: LandingDay): string[] {
  return day2.transactions.filter((t) => t.status === "REFUNDED").map((t) => t.orderId);
}

const str = (s: string | null) => (s === null ? "CAST(NULL AS STRING)" : `'${s.replaceAll("'", "\\'")}'`);
const ts = (d: Date) => `TIMESTAMP '${d.toISOString().replace("T", " ").replace("Z", "+00")}'`;

/** BigQuery SQL recreating `acme-retail-landing.pos.transactions` from the day's rows. */
export function transactionsSql(day: LandingDay): string {
  const rows = day.transactions.map((t) => {
    const lines = t.lines.map((l) => `STRUCT(${str(l.productId)} AS product_id, ${l.quantity} AS quantity, NUMERIC '${l.unitPrice}' AS unit_price)`);
    return `  STRUCT(${str(t.transactionId)} AS transaction_id, ${str(t.orderId)} AS order_id, ${str(t.storeId)} AS store_id, ${str(t.customerId)} AS customer_id, ${ts(t.orderedAt)} AS ordered_at, ${str(t.status)} AS status, 'EUR' AS currency, [${lines.join(", ")}] AS lines, CURRENT_TIMESTAMP() AS _PARTITIONTIME)`;
  });
  return `CREATE OR REPLACE TABLE \`acme-retail-landing.pos.transactions\` AS\nSELECT * FROM UNNEST([\n${rows.join(",\n")}\n])`;
}

/** BigQuery SQL recreating `acme-retail-landing.wms.stock_snapshots` (snapshot_date: today in Paris). */
export function snapshotsSql(day: LandingDay): string {
  const rows = day.snapshots.map(
    (s) => `  STRUCT(${str(s.storeId)} AS store_id, ${str(s.productId)} AS product_id, ${s.unitsOnHand} AS units_on_hand, ${s.unitsInTransit} AS units_in_transit, ${ts(s.snapshotAt)} AS snapshot_at, CURRENT_DATE('Europe/Paris') AS snapshot_date)`,
  );
  return `CREATE OR REPLACE TABLE \`acme-retail-landing.wms.stock_snapshots\` AS\nSELECT * FROM UNNEST([\n${rows.join(",\n")}\n])`;
}

/** The flow loading one day (YAML, as PUT /flows takes it). No trigger: the quickstart runs it. */
export function landingFlowYaml(day: LandingDay, label: string): string {
  const block = (sql: string) => sql.split("\n").map((l) => `      ${l}`).join("\n");
  return [
    `id: ${LANDING_FLOW}`,
    `namespace: ${LANDING_NAMESPACE}`,
    `description: "Quickstart landing data (${label}): point-of-sale transactions and stock snapshots"`,
    "tasks:",
    "  - id: schemas",
    "    type: sql.query",
    "    sql: CREATE SCHEMA IF NOT EXISTS pos; CREATE SCHEMA IF NOT EXISTS wms",
    "  - id: transactions",
    "    type: sql.query",
    "    sql: |",
    block(transactionsSql(day)),
    "  - id: stock_snapshots",
    "    type: sql.query",
    "    sql: |",
    block(snapshotsSql(day)),
    "",
  ].join("\n");
}

/**
 * Writes a synthetic domain repository of `tables` tables (+ views) with lineage shaped
 * like a real warehouse: a staging layer reading landing tables (scheduled), an ODS
 * layer joining 1-3 staging tables (a third of them MODE_DELTA), marts joining 2-5 ODS
 * tables and sometimes a view or another domain's dataset (cross-namespace triggers).
 * SQL has CTEs, comments and string literals naming other tables (which must not count);
 * schema.json is `bq show` output with nested records, partitioning and clustering.
 * Deterministic (seeded), so every run measures the same repository.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface GeneratedDomain {
  readonly root: string;
  readonly tables: number;
  readonly views: number;
}

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateDomain(root: string, tables = 1000): GeneratedDomain {
  const random = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const some = <T>(list: readonly T[], min: number, max: number) => {
    const n = min + Math.floor(random() * (max - min + 1));
    return [...new Set(Array.from({ length: n }, () => pick(list)))];
  };
  const stgCount = Math.round(tables * 0.3);
  const odsCount = Math.round(tables * 0.4);
  const martCount = tables - stgCount - odsCount;
  const views = Math.max(1, Math.round(tables / 20));
  const id = (layer: string, i: number) => ({ dataset: `${layer}_${i % 5}`, name: `${layer}_t${i}` });
  const stg = Array.from({ length: stgCount }, (_, i) => id("stg", i));
  const ods = Array.from({ length: odsCount }, (_, i) => id("ods", i));
  const marts = Array.from({ length: martCount }, (_, i) => id("mart", i));
  const vws = Array.from({ length: views }, (_, i) => ({ dataset: "vw", name: `v_${i}` }));
  const name = (t: { dataset: string; name: string }) => `${t.dataset}.${t.name}`;

  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "domain.yaml"), `namespace: bench.domain\nteam: bench\nproject: acme-bench\ndefaults:\n  schedule: "0 2 * * *"\n  timezone: Europe/Paris\nupstream:\n  partner_data: bench.partner\n`);
  const write = (t: { dataset: string; name: string }, files: Record<string, string>) => {
    const dir = join(root, t.dataset.startsWith("mart") ? "marts" : ".", t.dataset, t.name);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  };
  const query = (reads: string[], extra = "") =>
    `-- Built from ${reads.join(", ")}; not from ${name(pick(ods))} (a comment)\n` +
    `WITH ${reads.map((r, k) => `src${k} AS (\n  SELECT id, amount, load_date, '${name(pick(stg))}' AS lineage_note FROM \`${r}\`\n  WHERE amount > 0\n)`).join(",\n")}\n` +
    `SELECT src0.id, ${reads.map((_, k) => `SUM(src${k}.amount) AS amount_${k}`).join(", ")}, MAX(src0.load_date) AS load_date${extra}\n` +
    `FROM src0\n${reads.slice(1).map((_, k) => `LEFT JOIN src${k + 1} USING (id)\n`).join("")}GROUP BY 1\n`;
  const schema = (columns: number) =>
    JSON.stringify(
      {
        kind: "bigquery#table",
        schema: {
          fields: [
            { name: "id", type: "STRING", mode: "REQUIRED", description: "Business key" },
            ...Array.from({ length: columns }, (_, k) => ({ name: `amount_${k}`, type: "NUMERIC", mode: "NULLABLE" })),
            { name: "load_date", type: "DATE", mode: "NULLABLE" },
            { name: "attributes", type: "RECORD", mode: "REPEATED", fields: [{ name: "key", type: "STRING" }, { name: "value", type: "STRING" }] },
          ],
        },
        timePartitioning: { type: "DAY", field: "load_date" },
        clustering: { fields: ["id"] },
      },
      null,
      2,
    );

  stg.forEach((t, i) => write(t, { "query.sql": query([`raw_src.landing_${i}`]), "schema.json": schema(1) }));
  ods.forEach((t, i) => {
    const reads = some(stg, 1, 3).map(name);
    write(t, {
      "query.sql": query(reads),
      "schema.json": schema(reads.length),
      ...(i % 3 === 0 ? { "table.yaml": "feed_type: MODE_DELTA\nkeys: [id]\ndescription: Merged on id\n" } : {}),
    });
  });
  vws.forEach((v) => {
    const reads = some(ods, 2, 2).map(name);
    const dir = join(root, v.dataset, v.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "view.sql"), `SELECT a.id, a.amount_0, b.load_date FROM ${reads[0]} a JOIN ${reads[1] ?? reads[0]} b USING (id)\n`);
  });
  marts.forEach((t, i) => {
    const reads = [...some(ods, 2, 5).map(name), ...(i % 7 === 0 ? [name(pick(vws))] : []), ...(i % 10 === 0 ? [`partner_data.shared_${i % 13}`] : [])];
    write(t, { "query.sql": query(reads), "schema.json": schema(reads.length), ...(i % 4 === 0 ? { "table.yaml": "feed_type: WRITE_APPEND\nlabels: { tier: gold }\n" } : {}) });
  });
  return { root, tables, views };
}

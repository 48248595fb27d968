/**
 * The floor of the 3 AM burst: the same number of task-run rows inserted, claimed and
 * completed by plain batched SQL on the same PostgreSQL, with nothing else — no API, no
 * decision, no history events, no logs. A table shaped like `task_runs` (its columns,
 * defaults and indexes, the claimable partial index included), one INSERT of a whole
 * execution's rows at a time from `inserters` connections, and `claimers` connections each
 * claiming up to `batch` rows with FOR UPDATE SKIP LOCKED and completing them in one
 * UPDATE. No engine can drain the burst faster than this on the same machine.
 */
import pg from "pg";

export interface FloorOptions {
  executions: number;
  runsPerExecution: number;
  inserters?: number;
  claimers?: number;
  batch?: number;
}

export interface FloorResult {
  seconds: number;
  rows: number;
}

const CLAIM = `
WITH c AS (
  SELECT id FROM bench_floor_runs
  WHERE state IN ('CREATED', 'RETRYING') AND NOT flowable AND available_at <= CURRENT_TIMESTAMP
  ORDER BY available_at LIMIT $1::int FOR UPDATE SKIP LOCKED
)
UPDATE bench_floor_runs t SET state = 'RUNNING', worker_id = 'floor', lease_id = gen_random_uuid(),
  lease_until = CURRENT_TIMESTAMP + interval '30 seconds', started_at = CURRENT_TIMESTAMP
FROM c WHERE t.id = c.id RETURNING t.id`;

const COMPLETE = `UPDATE bench_floor_runs SET state = 'SUCCESS', ended_at = CURRENT_TIMESTAMP, lease_id = NULL, lease_until = NULL
WHERE id = ANY($1::uuid[]) AND state = 'RUNNING'`;

const INSERT = `INSERT INTO bench_floor_runs (id, execution_id, task_id, path, state)
SELECT gen_random_uuid(), $1::uuid, 't' || g, 't' || g, 'CREATED' FROM generate_series(1, $2::int) g`;

export async function runFloor(databaseUrl: string, options: FloorOptions): Promise<FloorResult> {
  const inserters = options.inserters ?? 4;
  const claimers = options.claimers ?? 4;
  const batch = options.batch ?? 10;
  const total = options.executions * options.runsPerExecution;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: inserters + claimers });
  try {
    await pool.query("DROP TABLE IF EXISTS bench_floor_runs");
    await pool.query("CREATE TABLE bench_floor_runs (LIKE task_runs INCLUDING DEFAULTS INCLUDING INDEXES)");
    const start = performance.now();
    let nextExecution = 0;
    let inserted = 0;
    let completed = 0;
    const insert = async () => {
      while (nextExecution < options.executions) {
        nextExecution++;
        await pool.query({ name: "floor_insert", text: INSERT, values: [crypto.randomUUID(), options.runsPerExecution] });
        inserted += options.runsPerExecution;
      }
    };
    const claim = async () => {
      while (completed < total) {
        const rows = (await pool.query<{ id: string }>({ name: "floor_claim", text: CLAIM, values: [batch] })).rows;
        if (rows.length === 0) {
          // Nothing claimable yet: the inserts are behind. A short pause, as a poll would.
          await new Promise((r) => setTimeout(r, inserted < total ? 2 : 1));
          continue;
        }
        const done = await pool.query({ name: "floor_complete", text: COMPLETE, values: [rows.map((r) => r.id)] });
        completed += done.rowCount ?? 0;
      }
    };
    await Promise.all([...Array.from({ length: inserters }, insert), ...Array.from({ length: claimers }, claim)]);
    const seconds = (performance.now() - start) / 1000;
    return { seconds, rows: completed };
  } finally {
    await pool.query("DROP TABLE IF EXISTS bench_floor_runs").catch(() => undefined);
    await pool.end();
  }
}

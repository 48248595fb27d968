-- transition: task_run RUNNING -> KILLING
-- The task runs of a killed execution that workers run: KILLING, and the NOTIFY (sent on
-- commit) tells every worker; the one holding a run aborts its task's signal and reports
-- it stopped (end-killed-task-runs.sql). Workers also see KILLING in their heartbeat, the
-- fallback when the notification is lost. $1 execution id
WITH stopping AS (
  UPDATE task_runs SET state = 'KILLING'
  WHERE execution_id = $1::uuid AND state = 'RUNNING' AND NOT flowable
  RETURNING id, execution_id
),
events AS (
  INSERT INTO execution_events (execution_id, task_run_id, from_state, to_state)
  SELECT execution_id, id, 'RUNNING', 'KILLING' FROM stopping
),
wake AS (
  SELECT pg_notify('meshplane_kills', $1::text) FROM stopping HAVING count(*) > 0
)
SELECT (SELECT count(*) FROM stopping)::int AS stopping, (SELECT count(*) FROM wake)::int AS woke

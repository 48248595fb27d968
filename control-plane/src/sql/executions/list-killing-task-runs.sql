-- Of the task runs a worker holds, those a kill reached (KILLING): it aborts them.
-- $1 task run ids
SELECT id FROM task_runs WHERE id = ANY($1::uuid[]) AND state = 'KILLING'

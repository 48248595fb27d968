-- Not a state change: an ended execution's follow-ups are done (same transaction as them). $1 execution id
UPDATE executions SET end_handled = true WHERE id = $1::uuid AND ended_at IS NOT NULL AND NOT end_handled

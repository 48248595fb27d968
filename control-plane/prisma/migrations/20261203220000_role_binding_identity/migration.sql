-- One row per binding identity (namespace, role, subject), enforced by the database rather
-- than by an advisory lock held by every creator. NULLS NOT DISTINCT (PostgreSQL 15+): a
-- global binding (namespace NULL) and the unused subject column are NULL and must still
-- collide. Duplicates an older server may have left (none should exist: the lock prevented
-- them) are folded into the oldest row first.
DELETE FROM role_bindings b
USING role_bindings keep
WHERE keep.namespace IS NOT DISTINCT FROM b.namespace
  AND keep.role = b.role
  AND keep.team_id IS NOT DISTINCT FROM b.team_id
  AND keep.service_account_id IS NOT DISTINCT FROM b.service_account_id
  AND (keep.created_at, keep.id) < (b.created_at, b.id);

CREATE UNIQUE INDEX role_bindings_identity_key
  ON role_bindings (namespace, role, team_id, service_account_id) NULLS NOT DISTINCT;

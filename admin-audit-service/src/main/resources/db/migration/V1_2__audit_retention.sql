-- Retention of the audit log (README, "Retention"): past AUDIT_RETENTION a row's payload is
-- cleared in bounded batches and purged_at set; seq, event_id, type, time, source and leaf_hash
-- stay, and so do the tree nodes and checkpoints, so every proof made before still verifies.
alter table audit_log add column purged_at timestamptz;

-- The purge picks the oldest rows not yet purged.
create index audit_log_unpurged on audit_log (time) where purged_at is null;

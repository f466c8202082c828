-- The ip blind index (V1_1) for rows appended before it existed is filled in by the service at
-- start (it needs the KEK to open each ip: crypto/IpIndexBackfill), in batches. This index keeps
-- finding the rows still without one cheap, whatever the size of the log: after the backfill
-- only rows whose ip cannot be opened any more (their subject was erased) are left in it.
create index audit_log_ip_unindexed on audit_log (seq) where ip_index is null and ip is not null;

-- Search over the audit log (README, "Search"): keyset on (time, seq), newest first, and an
-- index for every filter that ends in the same order, so a filtered page is one index range.
-- ip is stored encrypted under its subject's key, so it is searched through a blind index:
-- HMAC-SHA256 of the canonical address under a key derived from AUDIT_KEK. The leaf does not
-- cover this column (it can be cleared on erasure without touching a proof).
alter table audit_log add column ip_index bytea;

create index audit_log_time on audit_log (time desc, seq desc);
create index audit_log_actor on audit_log (actor, time desc, seq desc);
create index audit_log_subject on audit_log (subject, time desc, seq desc);
create index audit_log_type on audit_log (type, time desc, seq desc);
create index audit_log_outcome on audit_log (outcome, time desc, seq desc);
create index audit_log_ip on audit_log (ip_index, time desc, seq desc) where ip_index is not null;
create index audit_log_trace on audit_log (trace_id, time desc, seq desc) where trace_id is not null;

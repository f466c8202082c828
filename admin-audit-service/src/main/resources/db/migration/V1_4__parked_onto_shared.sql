-- Parked records of the audit ingest move onto the shared parked_record (V0_4, shared-contracts
-- ParkedRecords), under the consumer name the ingest uses for processed_event; audit_parked goes.
-- The value is kept as the shared table keeps it: its first 4,000 characters as text with NUL
-- characters replaced by U+FFFD (PostgreSQL text cannot hold them), and its length in characters
-- (of the at most 64 KB audit_parked kept). A kept value that is not valid UTF-8 (cut at 64 KB
-- inside a character) is kept in PostgreSQL's escape form instead of failing the migration.
-- audit_parked kept neither key nor event id: they stay null for these rows.
do $$
declare
    r record;
    value text;
begin
    for r in select * from audit_parked order by id loop
        begin
            value := convert_from(
                case when position('\x00'::bytea in r.raw) = 0 then r.raw
                     else (select string_agg(case when get_byte(r.raw, i) = 0 then '\xefbfbd'::bytea
                                                  else substring(r.raw from i + 1 for 1) end, ''::bytea order by i)
                             from generate_series(0, length(r.raw) - 1) i)
                end, 'UTF8');
        exception when others then
            value := encode(r.raw, 'escape');
        end;
        insert into parked_record (consumer, topic, kafka_partition, kafka_offset, message_key, event_id, reason,
                                   raw_value, value_length, parked_at)
        values ('admin-audit-service.audit-log', r.topic, r.partition, r.record_offset, null, null, left(r.reason, 1000),
                left(value, 4000), length(value), r.parked_at)
        on conflict do nothing;
    end loop;
end
$$;

drop table audit_parked;

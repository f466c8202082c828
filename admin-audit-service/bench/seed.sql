-- Seeds :rows audit rows (seq 0 .. :rows-1) with their correct leaf hashes and every complete
-- interior node, in SQL, for bench/run.sh. The leaf is the README's canonical bytes (version
-- SAL1) built with PostgreSQL's own sha256(): the offline verifier recomputing every leaf with
-- LeafCodec and the service signing a root over these nodes is the check that both agree.
-- Rows have subject, actor, outcome, trace id and a data object; ip and user_agent are 41 and
-- 60 bytes that stand for ciphertext under an owner key that does not exist (they read as
-- erased: no AES-GCM open in the export path), and ip_index is set so the start-up backfill
-- has nothing to do.
\set ON_ERROR_STOP on
create or replace function pg_temp.f(x bytea) returns bytea language sql immutable as
  $$ select case when x is null then '\x00'::bytea else '\x01'::bytea || int4send(length(x)) || x end $$;
create or replace function pg_temp.t(x text) returns bytea language sql immutable as
  $$ select pg_temp.f(convert_to(x, 'UTF8')) $$;

insert into audit_log (seq, event_id, type, time, source, subject, actor, outcome, ip, user_agent, trace_id, data,
                       leaf_hash, ip_index)
select seq, id, type, time, source, subject, subject, 'success', ip, ua, trace, data,
       sha256('\x00'::bytea || 'SAL1'::bytea || pg_temp.f(int8send(seq)) || pg_temp.t(id::text) || pg_temp.t(type)
              || pg_temp.t(to_char(time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) || pg_temp.t(source)
              || pg_temp.t(subject) || pg_temp.t(subject) || pg_temp.t('success') || pg_temp.f(ip) || pg_temp.f(ua)
              || pg_temp.t(trace) || pg_temp.t(data)),
       sha256(int8send(seq))
from (select s as seq,
             md5('bench-' || s)::uuid as id,
             case s % 3 when 0 then 'auth.login_succeeded' when 1 then 'auth.token_refreshed' else 'account.plan_changed' end as type,
             now() - interval '30 days' + s * interval '2 seconds' + (s % 1000) * interval '1 microsecond' as time,
             case s % 3 when 2 then 'account-service' else 'auth-service' end as source,
             md5('subject-' || (s % 50000))::uuid::text as subject,
             '\x01'::bytea || decode(md5('ip' || s) || md5('ip2' || s) || substr(md5('ip3' || s), 1, 16), 'hex') as ip,
             '\x01'::bytea || decode(md5('ua' || s) || md5('ua2' || s) || md5('ua3' || s) || substr(md5('ua4' || s), 1, 22), 'hex') as ua,
             md5('trace-' || s) as trace,
             '{"method":"password","session":"' || md5('session-' || s) || '","n":' || s || '}' as data
      from generate_series(0, :rows - 1) s) r;

-- Interior nodes, level by level: node (level, idx) = SHA-256(0x01 || (level-1, 2idx) || (level-1, 2idx+1)).
insert into audit_node (level, idx, hash)
select 1, l.seq / 2, sha256('\x01'::bytea || l.leaf_hash || r.leaf_hash)
from audit_log l join audit_log r on r.seq = l.seq + 1
where l.seq % 2 = 0;
do $$
declare lvl int := 2; added bigint;
begin
  loop
    insert into audit_node (level, idx, hash)
    select lvl, l.idx / 2, sha256('\x01'::bytea || l.hash || r.hash)
    from audit_node l join audit_node r on r.level = l.level and r.idx = l.idx + 1
    where l.level = lvl - 1 and l.idx % 2 = 0;
    get diagnostics added = row_count;
    exit when added = 0;
    lvl := lvl + 1;
  end loop;
end $$;
analyze audit_log;
analyze audit_node;

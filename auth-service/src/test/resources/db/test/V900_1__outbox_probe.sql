-- Test-only table: a stand-in "state change" for the outbox and idempotent-consumer tests
-- (the test database is cleaned at every test start, so this never meets a real schema).
create table outbox_probe (
    id    uuid primary key,
    label text not null
);

-- One row per email request (event id): the exactly-once record of its delivery.
-- PENDING rows are sent by the sender loop (claimed with a lease under FOR UPDATE SKIP LOCKED),
-- then become SENT, or DEAD (dead-lettered to email-requests.dlq with the reason). SUPPRESSED
-- rows were over the per-recipient limit and are never sent.
create table delivery (
    event_id        uuid        primary key,
    template        text,                      -- wire name; null when the record could not be read
    recipient       text,
    recipient_key   text,                      -- lower-cased recipient, for the per-recipient limit
    limit_bucket    text,                      -- verify-email, password-reset or general
    locale          text,
    params          text        not null default '{}',  -- JSON; emptied once sent (may hold one-time tokens)
    status          text        not null check (status in ('PENDING', 'SENT', 'SUPPRESSED', 'DEAD')),
    redrivable      boolean     not null default true,  -- false for records that were never a usable request
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    claimed_until   timestamptz,               -- lease of the sender that is sending it
    last_error      text,
    raw             text,                      -- what arrived, for records that could not be read
    received_at     timestamptz not null default now(),
    sent_at         timestamptz,
    dead_at         timestamptz,
    redriven_at     timestamptz
);

create index delivery_due_idx on delivery (next_attempt_at) where status = 'PENDING';
create index delivery_limit_idx on delivery (recipient_key, limit_bucket, received_at)
    where status in ('PENDING', 'SENT');
create index delivery_dead_idx on delivery (dead_at desc) where status = 'DEAD';

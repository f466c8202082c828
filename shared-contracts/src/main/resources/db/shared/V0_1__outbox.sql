-- Transactional outbox (shared by every producing service; see dev.sentinel.contracts.outbox).
-- A row is written in the same transaction as the state change it announces, then the
-- relay publishes it to Kafka and stamps sent_at. Shared migrations use versions 0.x so
-- that each service's own migrations (1 and up) always come after them.
create table outbox (
    id              uuid        primary key,          -- the event id (CloudEvents id)
    topic           text        not null,
    message_key     text        not null,             -- Kafka key: subject user id or recipient
    event_type      text        not null,
    payload         jsonb       not null,             -- the whole envelope
    traceparent     text        not null default '',  -- W3C trace context of the causing request
    created_at      timestamptz not null default now(),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    claimed_until   timestamptz,                      -- lease of the relay instance publishing it
    last_error      text,
    sent_at         timestamptz
);

create index outbox_pending_idx on outbox (created_at) where sent_at is null;
create index outbox_sent_idx on outbox (sent_at) where sent_at is not null;

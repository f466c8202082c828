-- Idempotent consumers: one row per (consumer, event id) that took effect, written in the
-- same transaction as the effect (see dev.sentinel.contracts.messaging.ProcessedEvents).
create table processed_event (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);

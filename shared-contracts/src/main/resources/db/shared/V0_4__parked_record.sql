-- Records a Kafka consumer could not take, parked with the reason so the consumer goes on
-- with the next record (see dev.sentinel.contracts.messaging.ParkedRecords). One row per
-- consumer and record position, so a redelivered record is parked (and counted) once.
create table parked_record (
    consumer        text        not null,
    topic           text        not null,
    kafka_partition integer     not null,
    kafka_offset    bigint      not null,
    message_key     text,                  -- first 256 characters
    event_id        uuid,                  -- the ce_id header or the envelope id, when readable
    reason          text        not null,  -- first 1,000 characters
    raw_value       text,                  -- first 4,000 characters (NUL characters replaced)
    value_length    integer,               -- characters of the whole value; null for a null value
    parked_at       timestamptz not null default now(),
    primary key (consumer, topic, kafka_partition, kafka_offset)
);

-- The retention purge finds old rows by age.
create index parked_record_age_idx on parked_record (parked_at);

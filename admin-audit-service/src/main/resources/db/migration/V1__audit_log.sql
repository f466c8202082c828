-- The tamper-evident audit log (DESIGN §6, admin-audit-service/README.md). Rows are appended
-- by one writer at a time (transaction-scoped advisory lock), so seq is gap-free and equals
-- the row's leaf index in the RFC 6962 Merkle tree.
create table audit_log (
    seq        bigint      primary key check (seq >= 0),
    event_id   uuid        not null unique,
    type       text        not null,
    time       timestamptz not null,
    source     text        not null,
    subject    text,
    actor      text,
    outcome    text,
    ip         bytea,                  -- AES-GCM ciphertext under the subject's key
    user_agent bytea,                  -- AES-GCM ciphertext under the subject's key
    trace_id   text,
    data       text,                   -- the exact JSON text the leaf covers; emails encrypted
    leaf_hash  bytea       not null,   -- SHA-256(0x00 || canonical bytes of the row)
    appended_at timestamptz not null default now()
);

-- Interior nodes of the tree (level >= 1; level 0 is audit_log.leaf_hash), stored once the
-- subtree they cover is complete: node (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level).
create table audit_node (
    level smallint not null check (level between 1 and 63),
    idx   bigint   not null check (idx >= 0),
    hash  bytea    not null,
    primary key (level, idx)
);

-- Per-subject data keys (AES-256), wrapped with the key-encryption key AUDIT_KEK. Deleting a
-- subject's row erases its personal fields while every leaf and proof stays valid.
create table audit_subject_key (
    owner       text        primary key,   -- the subject, or 'event:<id>' for an event without one
    wrapped_key bytea       not null,
    created_at  timestamptz not null default now()
);

-- Signed checkpoints (C2SP tlog-checkpoint in a C2SP signed note).
create table audit_checkpoint (
    tree_size  bigint      primary key check (tree_size > 0),
    root_hash  bytea       not null,
    note       text        not null,
    created_at timestamptz not null default now()
);

-- Records of security-events that could not be read, kept with the reason (never dropped,
-- never blocking the partition). Local to this service until the shared parked-records
-- facility lands.
create table audit_parked (
    id         bigserial   primary key,
    topic      text        not null,
    partition  integer     not null,
    record_offset bigint   not null,
    reason     text        not null,
    raw        bytea       not null,
    parked_at  timestamptz not null default now(),
    unique (topic, partition, record_offset)
);

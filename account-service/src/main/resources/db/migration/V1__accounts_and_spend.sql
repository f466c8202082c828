-- One row per user: plan, cap, and the running totals of the current billing period.
-- Every charge, reservation and commit locks this row (select ... for update) and decides
-- against its totals, so parallel charges are serialised per account and the cap is exact.
create table account (
    user_id                  text        primary key,          -- the JWT sub of the owner
    email                    text,                             -- from user.registered; null until it arrives
    plan                     text        not null check (plan in ('FREE', 'PRO')),
    plan_since               timestamptz not null,
    monthly_cap_cents        bigint      not null check (monthly_cap_cents >= 0),
    warn_threshold_percent   integer     not null check (warn_threshold_percent between 1 and 100),
    period_start             timestamptz not null,             -- first instant of the calendar month (UTC)
    spent_cents              bigint      not null default 0 check (spent_cents >= 0),
    reserved_cents           bigint      not null default 0 check (reserved_cents >= 0),
    warned_period_start      timestamptz,                      -- period whose warning was emitted
    cap_reached_period_start timestamptz,                      -- period whose cap-reached was emitted
    created_at               timestamptz not null default now()
);

-- Money held for work whose final cost is known later.
create table reservation (
    id              uuid        primary key,
    account_id      text        not null references account (user_id),
    amount_cents    bigint      not null check (amount_cents > 0),
    status          text        not null check (status in ('HELD', 'COMMITTED', 'RELEASED', 'EXPIRED')),
    expires_at      timestamptz not null,
    committed_cents bigint,
    created_at      timestamptz not null,
    closed_at       timestamptz
);

create index reservation_held_idx on reservation (account_id, expires_at) where status = 'HELD';
create index reservation_due_idx on reservation (expires_at) where status = 'HELD';

-- Idempotency keys: the first decision for a key (status and body), written in the same
-- transaction as the charge or hold it made, so a key never charges twice.
create table spend_request (
    id              uuid        primary key,
    account_id      text        not null references account (user_id),
    idempotency_key text        not null,
    kind            text        not null check (kind in ('CHARGE', 'RESERVE')),
    amount_cents    bigint      not null,
    description     text,
    status          integer     not null,
    response_body   text        not null,
    created_at      timestamptz not null,
    unique (account_id, idempotency_key)
);

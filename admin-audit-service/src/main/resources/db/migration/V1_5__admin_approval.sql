-- Four-eyes approvals of the admin console (README, "Four-eyes approvals"). One row per request
-- of a gated action; seq orders the list (keyset, newest first). A row is PENDING until another
-- ADMIN approves (APPROVING while the action runs, then GRANTED) or rejects it (REJECTED);
-- expiry is not a stored state: a PENDING row past expires_at reads as EXPIRED. roles: the role set a
-- grant-admin asks for (comma-separated); change: {before, after} as JSON text, for the events;
-- result: the action's answer as JSON text once granted.
create table admin_approval (
    id           uuid primary key,
    seq          bigint generated always as identity unique,
    action       text not null check (action in ('grant-admin', 'reset-2fa-admin', 'erase-subject')),
    target       text not null,
    roles        text,
    change       text,
    status       text not null check (status in ('PENDING', 'APPROVING', 'GRANTED', 'REJECTED')),
    requested_by text not null,
    requested_at timestamptz not null,
    expires_at   timestamptz not null,
    decided_by   text,
    decided_at   timestamptz,
    reason       text,
    result       text
);

-- The list: every status filter is one index range in seq order.
create index admin_approval_status_seq on admin_approval (status, seq desc);

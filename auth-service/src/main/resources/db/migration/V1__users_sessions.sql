-- Users, one-time email tokens, sessions (= refresh token families) and refresh tokens.
create table app_user (
    id             uuid        primary key,
    email          text        not null,                 -- trimmed, domain lower-cased
    password_hash  text        not null,                 -- PHC string: $argon2id$v=19$m=..,t=..,p=..$salt$hash
    email_verified boolean     not null default false,
    roles          text        not null default 'USER',  -- comma-separated names from Roles
    status         text        not null default 'ACTIVE',-- ACTIVE | LOCKED (by an admin)
    mfa_enabled    boolean     not null default false,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
-- One account per address, whatever the case of its local part.
create unique index app_user_email_idx on app_user (lower(email));

-- Email verification and password reset tokens: only the SHA-256 of the token is stored.
create table email_token (
    token_hash text        primary key,
    user_id    uuid        not null references app_user (id) on delete cascade,
    purpose    text        not null,                     -- VERIFY_EMAIL | RESET_PASSWORD
    expires_at timestamptz not null,
    used_at    timestamptz,
    created_at timestamptz not null default now()
);
create index email_token_user_idx on email_token (user_id, purpose);

create table auth_session (
    id            uuid        primary key,
    user_id       uuid        not null references app_user (id) on delete cascade,
    user_agent    text        not null,
    device        text        not null,                  -- user-agent family, e.g. "Firefox on Linux"
    network       text        not null,                  -- IPv4 /24 or IPv6 /64 of the client
    amr           text        not null,                  -- comma-separated: pwd, otp
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz not null default now(),
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    revoke_reason text
);
create index auth_session_user_idx on auth_session (user_id) where revoked_at is null;

-- Refresh tokens: the SHA-256 of each; rotated_at is set when its successor was issued.
create table refresh_token (
    token_hash text        primary key,
    session_id uuid        not null references auth_session (id) on delete cascade,
    created_at timestamptz not null default now(),
    rotated_at timestamptz
);
create index refresh_token_session_idx on refresh_token (session_id);

-- (user, device, network) pairs seen at a successful login: a new one earns a "new sign-in" email.
create table known_device (
    user_id    uuid        not null references app_user (id) on delete cascade,
    device     text        not null,
    network    text        not null,
    first_seen timestamptz not null default now(),
    primary key (user_id, device, network)
);

-- Retention (AuthRetention): ended sessions, rotated refresh tokens, spent email tokens and
-- devices not seen for long are purged in batches; each purge has an index on its condition.
alter table known_device add column last_seen timestamptz;
update known_device set last_seen = first_seen;
alter table known_device alter column last_seen set not null, alter column last_seen set default now();
create index known_device_last_seen_idx on known_device (last_seen);

-- A session has ended at the first of its revocation and its expiry.
create index auth_session_ended_idx on auth_session (least(revoked_at, expires_at));
create index refresh_token_rotated_idx on refresh_token (rotated_at) where rotated_at is not null;
-- An email token is spent at the first of its use and its expiry.
create index email_token_spent_idx on email_token (least(used_at, expires_at));

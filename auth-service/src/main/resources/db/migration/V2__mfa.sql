-- TOTP second factor. The seed is stored only encrypted (AES-256-GCM, versioned key, the
-- user id as associated data); recovery codes only as SHA-256 (80 random bits each).
create table mfa_credential (
    user_id           uuid        primary key references app_user (id) on delete cascade,
    secret_ciphertext text        not null,          -- "<key version>:<base64(nonce || ciphertext || tag)>"
    key_version       text        not null,
    active            boolean     not null default false,
    created_at        timestamptz not null default now(),
    activated_at      timestamptz
);

create table recovery_code (
    code_hash  text        primary key,
    user_id    uuid        not null references app_user (id) on delete cascade,
    used_at    timestamptz,
    created_at timestamptz not null default now()
);
create index recovery_code_user_idx on recovery_code (user_id) where used_at is null;

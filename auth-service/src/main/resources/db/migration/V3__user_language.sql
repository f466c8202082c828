-- The user's preferred language (DESIGN §9): set from Accept-Language at sign-up, changed on
-- PATCH /v1/auth/me, and the locale of every email request about the user. Tags of
-- dev.sentinel.contracts.i18n.Language; existing users speak English.
alter table app_user
    add column language text not null default 'en'
        constraint app_user_language_check check (language in ('en', 'ar'));

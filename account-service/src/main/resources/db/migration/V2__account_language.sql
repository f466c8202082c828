-- The owner's preferred language (DESIGN §9), the locale of the spend emails. auth-service
-- owns it: it arrives with user.registered and user.language_changed. language_set_at is the
-- time of the event that set it, so an older event delivered late never undoes a newer one.
alter table account
    add column language text not null default 'en'
        constraint account_language_check check (language in ('en', 'ar')),
    add column language_set_at timestamptz;

package dev.sentinel.account.accounts;

import dev.sentinel.contracts.i18n.Language;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;

/** Account rows: created idempotently, read under a row lock. */
@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, String> {

    private static final String CREATE = """
            insert into account (user_id, email, plan, plan_since, monthly_cap_cents, warn_threshold_percent,
                                 period_start)
            values (:userId, :email, :plan, :now, :cap, :warn, :periodStart)
            on conflict (user_id) do nothing""";
    private static final String FILL_EMAIL =
            "update account set email = :email where user_id = :userId and email is distinct from :email";
    private static final String SET_LANGUAGE = """
            update account set language = :language, language_set_at = :at
             where user_id = :userId and (language_set_at is null or language_set_at < :at)""";

    /** The account locked for this transaction ({@code select ... for update}), or null. */
    public Uni<Account> lock(String userId) {
        return findById(userId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Inserts the account with these defaults unless it exists; true when it was created. */
    public Uni<Boolean> createIfAbsent(NewAccount account, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CREATE)
                .setParameter("userId", account.userId())
                .setParameter("email", account.email())
                .setParameter("plan", account.plan().name())
                .setParameter("now", now)
                .setParameter("cap", account.monthlyCapCents())
                .setParameter("warn", account.warnThresholdPercent())
                .setParameter("periodStart", BillingPeriod.containing(now).start())
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /**
     * Sets the owner's language as of {@code at} (the time of the event that says so), unless
     * a later event set it already; 1 when it was set.
     */
    public Uni<Integer> setLanguage(String userId, Language language, Instant at) {
        return Panache.getSession().chain(session -> session.createNativeQuery(SET_LANGUAGE)
                .setParameter("userId", userId)
                .setParameter("language", language.tag())
                .setParameter("at", at)
                .executeUpdate());
    }

    /** Sets the email of an existing account (it was created before user.registered arrived). */
    public Uni<Integer> fillEmail(String userId, String email) {
        return Panache.getSession().chain(session -> session.createNativeQuery(FILL_EMAIL)
                .setParameter("userId", userId)
                .setParameter("email", email)
                .executeUpdate());
    }
}

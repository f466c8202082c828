package dev.sentinel.account.accounts;

import dev.sentinel.account.plan.PlanCatalog;
import dev.sentinel.contracts.i18n.Language;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * Finds the account an operation works on. Writes lock the row and create it with the
 * default plan on first use; admin reads only read (an unknown user is 404); the owner's
 * own reads create it on first use but take no lock. Call inside the caller's transaction
 * (or session, for {@link #read}).
 */
@ApplicationScoped
public class Accounts {

    private final AccountRepository repository;
    private final PlanCatalog plans;

    public Accounts(AccountRepository repository, PlanCatalog plans) {
        this.repository = repository;
        this.plans = plans;
    }

    /** The account of {@code userId}, locked ({@code for update}), created first if it did not exist. */
    public Uni<Account> lockOrCreate(String userId, Instant now) {
        return repository.lock(userId).chain(account -> account != null
                ? Uni.createFrom().item(account)
                : repository.createIfAbsent(defaults(userId, null), now).chain(() -> repository.lock(userId)));
    }

    /** The account of {@code userId} as it stands, not locked and never created: 404 when there is none. */
    public Uni<Account> read(String userId) {
        return repository.findById(userId).onItem().ifNull().failWith(() -> new ProblemException(
                ErrorCode.BIZ_USER_NOT_FOUND, "There is no account for this user."));
    }

    /** The accounts of these users that exist, not locked and never created (any order). */
    public Uni<List<Account>> readAll(List<String> userIds) {
        return repository.list("userId in ?1", userIds);
    }

    /** The account of {@code userId}, created first if it did not exist; not locked. */
    public Uni<Account> findOrCreate(String userId, Instant now) {
        return repository.findById(userId).chain(account -> account != null
                ? Uni.createFrom().item(account)
                : repository.createIfAbsent(defaults(userId, null), now).chain(() -> repository.findById(userId)));
    }

    /**
     * Creates the account with its email, or fills the email in on one created before (lazily);
     * sets the owner's language as of {@code languageAt} unless a later change set it (null: keep).
     */
    public Uni<Void> register(String userId, String email, Language language, Instant languageAt, Instant now) {
        return repository.createIfAbsent(defaults(userId, email), now)
                .chain(created -> created || email == null
                        ? Uni.createFrom().voidItem()
                        : repository.fillEmail(userId, email).replaceWithVoid())
                .chain(() -> language == null
                        ? Uni.createFrom().voidItem()
                        : repository.setLanguage(userId, language, languageAt).replaceWithVoid());
    }

    /** The owner chose {@code language} at {@code at}; an account not created yet is created with it. */
    public Uni<Void> changeLanguage(String userId, Language language, Instant at, Instant now) {
        return repository.createIfAbsent(defaults(userId, null), now)
                .chain(() -> repository.setLanguage(userId, language, at))
                .replaceWithVoid();
    }

    private NewAccount defaults(String userId, String email) {
        return new NewAccount(userId, email, plans.defaultPlan(), plans.maxMonthlyCapCents(plans.defaultPlan()),
                plans.defaultWarnThresholdPercent());
    }
}

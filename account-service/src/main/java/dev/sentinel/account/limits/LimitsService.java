package dev.sentinel.account.limits;

import dev.sentinel.account.accounts.Account;
import dev.sentinel.account.accounts.AccountEvents;
import dev.sentinel.account.accounts.Accounts;
import dev.sentinel.account.plan.PlanCatalog;
import dev.sentinel.account.spend.Holds;
import dev.sentinel.account.spend.SpendPolicy;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.Problem;
import dev.sentinel.contracts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reading an account's limits and totals, and setting its cap and warning threshold. */
@ApplicationScoped
public class LimitsService {

    private final Accounts accounts;
    private final Holds holds;
    private final PlanCatalog plans;
    private final AccountEvents events;
    private final Clock clock;

    public LimitsService(Accounts accounts, Holds holds, PlanCatalog plans, AccountEvents events, Clock clock) {
        this.accounts = accounts;
        this.holds = holds;
        this.plans = plans;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The caller's own limits and live totals (expired holds not counted, a new month at zero).
     * The account is made with the defaults on first use; the row is read, never locked.
     */
    @WithTransaction
    public Uni<LimitsView> ownLimits(String userId) {
        Instant now = clock.instant();
        return accounts.findOrCreate(userId, now).chain(account -> current(account, now));
    }

    /** Any account's limits, for admins: a plain read (no lock, nothing written); 404 for an unknown user. */
    @WithSession
    public Uni<LimitsView> limits(String userId) {
        Instant now = clock.instant();
        return accounts.read(userId).chain(account -> current(account, now));
    }

    private Uni<LimitsView> current(Account account, Instant now) {
        return holds.current(account, now).map(totals -> view(account, totals));
    }

    /** Sets the cap and/or the warning threshold; emits {@code limits.changed} when something changed. */
    @WithTransaction
    public Uni<LimitsView> changeLimits(String userId, LimitsChange change, String actor) {
        Instant now = clock.instant();
        return accounts.lockOrCreate(userId, now).chain(account -> holds.settle(account, now)).chain(account -> {
            long max = plans.maxMonthlyCapCents(account.plan);
            if (change.monthlyCapCents() != null && change.monthlyCapCents() > max) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.BIZ_LIMIT_ABOVE_PLAN_MAXIMUM,
                        "The " + account.plan + " plan allows a monthly cap of at most " + max + " cents.",
                        List.of(new Problem.FieldError("monthlyCapCents", "must be at most " + max)),
                        Map.of("maxMonthlyCapCents", max, "plan", account.plan.name()), null));
            }
            long previousCap = account.monthlyCapCents;
            int previousWarn = account.warnThresholdPercent;
            if (change.monthlyCapCents() != null) {
                account.monthlyCapCents = change.monthlyCapCents();
            }
            if (change.warnThresholdPercent() != null) {
                account.warnThresholdPercent = change.warnThresholdPercent();
            }
            if (account.monthlyCapCents == previousCap && account.warnThresholdPercent == previousWarn) {
                return Uni.createFrom().item(view(account, account.totalsAt(now, 0)));
            }
            return events.limitsChanged(account, previousCap, previousWarn, actor)
                    .map(ignored -> view(account, account.totalsAt(now, 0)));
        });
    }

    private LimitsView view(Account account, Account.Totals totals) {
        return new LimitsView(account.monthlyCapCents, plans.maxMonthlyCapCents(account.plan),
                account.warnThresholdPercent, totals.spentCents(), totals.reservedCents(),
                SpendPolicy.remaining(account.monthlyCapCents, totals.spentCents(), totals.reservedCents()),
                totals.period().start(), totals.period().end());
    }
}

package dev.sentinel.account.plan;

import dev.sentinel.account.accounts.Account;
import dev.sentinel.account.accounts.AccountEvents;
import dev.sentinel.account.accounts.Accounts;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reading and switching an account's plan. */
@ApplicationScoped
public class PlanService {

    private final Accounts accounts;
    private final PlanCatalog catalog;
    private final AccountEvents events;
    private final Clock clock;

    public PlanService(Accounts accounts, PlanCatalog catalog, AccountEvents events, Clock clock) {
        this.accounts = accounts;
        this.catalog = catalog;
        this.events = events;
        this.clock = clock;
    }

    /** The caller's own plan: the account is made with the defaults on first use, and never locked. */
    @WithTransaction
    public Uni<PlanView> ownPlan(String userId) {
        return accounts.findOrCreate(userId, clock.instant()).map(this::view);
    }

    /** Any account's plan, for admins: a plain read (no lock, nothing made); 404 for an unknown user. */
    @WithSession
    public Uni<PlanView> plan(String userId) {
        return accounts.read(userId).map(this::view);
    }

    /**
     * The plans of the accounts of {@code userIds} that exist, in the order asked (repeats once):
     * one plain read, nothing made, no lock.
     */
    @WithSession
    public Uni<PlanLookup.Answer> lookup(List<String> userIds) {
        List<String> distinct = userIds.stream().distinct().toList();
        return accounts.readAll(distinct).map(found -> {
            Map<String, Account> byId = found.stream().collect(Collectors.toMap(a -> a.userId, a -> a));
            return new PlanLookup.Answer(catalog.defaultPlan(), distinct.stream().map(byId::get)
                    .filter(java.util.Objects::nonNull)
                    .map(a -> new PlanLookup.AccountPlan(a.userId, a.plan, a.planSince)).toList());
        });
    }

    /**
     * Moves the account to {@code plan}. The cap follows {@link PlanPolicy#capAfterChange}; a
     * real change emits {@code plan.changed} (and {@code limits.changed} if the cap moved)
     * with {@code actor}. Switching to the current plan changes nothing.
     */
    @WithTransaction
    public Uni<PlanView> changePlan(String userId, Plan plan, String actor) {
        Instant now = clock.instant();
        return accounts.lockOrCreate(userId, now).chain(account -> {
            if (account.plan == plan) {
                return Uni.createFrom().item(view(account));
            }
            Plan from = account.plan;
            long previousCap = account.monthlyCapCents;
            account.monthlyCapCents = PlanPolicy.capAfterChange(previousCap, catalog.maxMonthlyCapCents(from),
                    catalog.maxMonthlyCapCents(plan));
            account.plan = plan;
            account.planSince = now;
            Uni<Void> announced = events.planChanged(account, from, actor);
            if (account.monthlyCapCents != previousCap) {
                announced = announced.chain(() -> events.limitsChanged(account, previousCap,
                        account.warnThresholdPercent, actor));
            }
            return announced.map(ignored -> view(account));
        });
    }

    private PlanView view(Account account) {
        return new PlanView(account.plan, account.planSince, catalog.maxMonthlyCapCents(account.plan));
    }
}

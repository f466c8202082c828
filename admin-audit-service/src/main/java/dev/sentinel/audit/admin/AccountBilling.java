package dev.sentinel.audit.admin;

import dev.sentinel.contracts.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The admin console's reads of a user's plan and spend from account-service, guarded like
 * {@link AuthUsers}: a timeout per attempt (token fetch included; both reads run at once), one
 * retry, a circuit breaker, the same SERVICE token (fetched again once if account refuses
 * it). account's answers about the request (404: the user has no account yet) come back as the
 * same problem and neither retry nor trip the breaker; any other failure is
 * {@link #unavailable}. Values here are defaults; MicroProfile config
 * ({@code dev.sentinel.audit.admin.AccountBilling/Timeout/value}, ...) overrides them.
 */
@ApplicationScoped
@Timeout(value = 2, unit = ChronoUnit.SECONDS)
@CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
        skipOn = ProblemException.class)
public class AccountBilling {

    /** The dependency's name, as 503 problems, the detail's {@code unavailable} and the README give it. */
    public static final String DEPENDENCY = "account-service";

    /** A user's plan, cap and where the current period's spend stands (integer cents, UTC month). */
    public record Billing(String plan, Instant planSince, long monthlyCapCents, long maxMonthlyCapCents,
            int warnThresholdPercent, long spentCents, long reservedCents, long remainingCents, Instant periodStart,
            Instant periodEnd) {
    }

    private final AccountApi api;
    private final ServiceToken token;

    public AccountBilling(@RestClient AccountApi api, ServiceToken token) {
        this.api = api;
        this.token = token;
    }

    @Retry(maxRetries = 1, delay = 100, abortOn = ProblemException.class)
    public Uni<Billing> billing(UUID userId) {
        return asService(bearer -> Uni.combine().all().unis(api.plan(bearer, userId), api.limits(bearer, userId))
                .asTuple().map(both -> {
                    AccountApi.Plan plan = both.getItem1();
                    AccountApi.Limits limits = both.getItem2();
                    return new Billing(plan.plan(), plan.since(), limits.monthlyCapCents(), limits.maxMonthlyCapCents(),
                            limits.warnThresholdPercent(), limits.spentCents(), limits.reservedCents(),
                            limits.remainingCents(), limits.periodStart(), limits.periodEnd());
                }));
    }

    /**
     * The plans of these users' accounts in one read (the list's plan column and filter): each
     * id with an account maps to its plan; ids without one are absent, and
     * {@link Plans#defaultPlan} is the plan account gives such a user on first use.
     */
    @Retry(maxRetries = 1, delay = 100, abortOn = ProblemException.class)
    public Uni<Plans> plans(List<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(new Plans(null, Map.of()));
        }
        return asService(bearer -> api.plans(bearer, new AccountApi.PlanLookup(userIds.stream().map(UUID::toString).toList())))
                .map(answer -> {
                    Map<String, String> byId = new HashMap<>();
                    answer.items().forEach(item -> byId.put(item.userId(), item.plan()));
                    return new Plans(answer.defaultPlan(), byId);
                });
    }

    /** Plans by user id (ids without an account absent) and the plan such a user is on. */
    public record Plans(String defaultPlan, Map<String, String> byUser) {

        /** The plan of the user's account, or null when there is none yet. */
        public String of(UUID user) {
            return byUser.get(user.toString());
        }

        /** Whether the user is on {@code plan}: the account's plan, or the default plan for a user without one. */
        public boolean on(UUID user, String plan) {
            String own = of(user);
            return plan.equals(own != null ? own : defaultPlan);
        }
    }

    /** Any failure of a read the console cannot do without: the 503 problem naming account-service. */
    public static Throwable unavailable(Throwable failure) {
        return AuthUsers.down(DEPENDENCY);
    }

    private <T> Uni<T> asService(Function<String, Uni<T>> call) {
        return token.call(DEPENDENCY, call);
    }
}

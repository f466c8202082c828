package dev.sentinel.account.spend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.account.accounts.Account;
import dev.sentinel.account.accounts.AccountEvents;
import dev.sentinel.account.accounts.Accounts;
import dev.sentinel.account.config.AccountConfig;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.Problem;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.transaction.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Charges, holds, commits and releases against an account's monthly cap.
 *
 * <p>Every use case runs in one transaction that first locks the account row
 * ({@code select ... for update}); the idempotency lookup, the cap decision, the new
 * totals, the idempotency record and any outbox event all happen under that lock and
 * commit together. Parallel requests for one account therefore queue on the row and each
 * decides on the totals the previous one committed: the cap is exact, and a repeated key
 * finds the first decision instead of charging again.
 */
@ApplicationScoped
public class SpendService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Accounts accounts;
    private final Holds holds;
    private final ReservationRepository reservations;
    private final SpendRequestRepository requests;
    private final AccountEvents events;
    private final AccountConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final Counter refusals;

    public SpendService(Accounts accounts, Holds holds, ReservationRepository reservations,
            SpendRequestRepository requests, AccountEvents events, AccountConfig config, ObjectMapper json,
            Clock clock, MeterRegistry metrics) {
        this.accounts = accounts;
        this.holds = holds;
        this.reservations = reservations;
        this.requests = requests;
        this.events = events;
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.refusals = Counter.builder("sentinel_account_spend_refused")
                .description("Charges and holds refused because they would pass the monthly cap (402)")
                .register(metrics);
    }

    /**
     * Charges {@code amountCents} now, or refuses it whole if it would pass the cap. A refusal
     * is counted once its transaction committed.
     */
    public Uni<SpendDecision> charge(String accountId, Charge charge, String actor) {
        ProblemException invalid = checkAmount(charge.amountCents());
        if (invalid != null) {
            return Uni.createFrom().failure(invalid);
        }
        Instant now = clock.instant();
        long amount = charge.amountCents();
        return AfterCommit.transaction(after -> accounts.lockOrCreate(accountId, now)
                .chain(account -> requests.findByKey(accountId, charge.idempotencyKey())
                        .chain(previous -> previous != null
                                ? replay(previous, SpendRequest.Kind.CHARGE, amount)
                                : holds.settle(account, now).chain(settled -> {
                                    if (!SpendPolicy.fits(account.monthlyCapCents, account.spentCents,
                                            account.reservedCents, amount)) {
                                        return refuse(account, SpendRequest.Kind.CHARGE, charge.idempotencyKey(),
                                                amount, charge.description(), actor, now, after);
                                    }
                                    account.spentCents += amount;
                                    ChargeReceipt receipt = new ChargeReceipt(UUID.randomUUID(), amount,
                                            account.monthlyCapCents, account.spentCents, account.reservedCents,
                                            remaining(account), account.period().start(), account.period().end());
                                    SpendDecision decision = SpendDecision.accepted(200, json.valueToTree(receipt));
                                    return record(account, SpendRequest.Kind.CHARGE, charge.idempotencyKey(), amount,
                                            charge.description(), decision, now, receipt.id())
                                            .chain(() -> notices(account, false, actor))
                                            .replaceWith(decision);
                                }))));
    }

    /** Holds {@code amountCents} against the cap until committed, released or expired; a refusal counts after commit. */
    public Uni<SpendDecision> reserve(String accountId, Reserve reserve, String actor) {
        ProblemException invalid = checkAmount(reserve.amountCents());
        if (invalid == null) {
            invalid = checkTtl(reserve.ttlSeconds());
        }
        if (invalid != null) {
            return Uni.createFrom().failure(invalid);
        }
        Instant now = clock.instant();
        long amount = reserve.amountCents();
        Duration ttl = reserve.ttlSeconds() == null ? config.reservations().defaultTtl()
                : Duration.ofSeconds(reserve.ttlSeconds());
        return AfterCommit.transaction(after -> accounts.lockOrCreate(accountId, now)
                .chain(account -> requests.findByKey(accountId, reserve.idempotencyKey())
                        .chain(previous -> previous != null
                                ? replay(previous, SpendRequest.Kind.RESERVE, amount)
                                : holds.settle(account, now).chain(settled -> {
                                    if (!SpendPolicy.fits(account.monthlyCapCents, account.spentCents,
                                            account.reservedCents, amount)) {
                                        return refuse(account, SpendRequest.Kind.RESERVE, reserve.idempotencyKey(),
                                                amount, null, actor, now, after);
                                    }
                                    Reservation hold = new Reservation();
                                    hold.id = UUID.randomUUID();
                                    hold.accountId = accountId;
                                    hold.amountCents = amount;
                                    hold.status = ReservationStatus.HELD;
                                    hold.createdAt = now;
                                    hold.expiresAt = now.plus(ttl);
                                    account.reservedCents += amount;
                                    SpendDecision decision = SpendDecision.accepted(201,
                                            json.valueToTree(receipt(hold, account)));
                                    return reservations.persist(hold)
                                            .chain(() -> record(account, SpendRequest.Kind.RESERVE,
                                                    reserve.idempotencyKey(), amount, null, decision, now, hold.id))
                                            .replaceWith(decision);
                                }))));
    }

    /** Charges the final {@code amountCents} (at most the hold) and frees the rest of the hold. */
    @WithTransaction
    public Uni<ReservationReceipt> commit(String accountId, UUID reservationId, long amountCents, String actor) {
        Instant now = clock.instant();
        return openHold(accountId, reservationId, now).chain(open -> {
            Account account = open.account();
            Reservation hold = open.hold();
            if (amountCents > hold.amountCents) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.BIZ_COMMIT_EXCEEDS_HOLD,
                        "The commit of " + amountCents + " cents is more than the " + hold.amountCents + " held.",
                        List.of(new Problem.FieldError("amountCents", "must be at most " + hold.amountCents)),
                        Map.of("heldCents", hold.amountCents), null));
            }
            account.reservedCents = Math.max(0, account.reservedCents - hold.amountCents);
            account.spentCents += amountCents;
            hold.status = ReservationStatus.COMMITTED;
            hold.committedCents = amountCents;
            hold.closedAt = now;
            return notices(account, false, actor).map(ignored -> receipt(hold, account));
        });
    }

    /** Frees the whole hold without charging anything. */
    @WithTransaction
    public Uni<ReservationReceipt> release(String accountId, UUID reservationId) {
        Instant now = clock.instant();
        return openHold(accountId, reservationId, now).map(open -> {
            Account account = open.account();
            Reservation hold = open.hold();
            account.reservedCents = Math.max(0, account.reservedCents - hold.amountCents);
            hold.status = ReservationStatus.RELEASED;
            hold.closedAt = now;
            return receipt(hold, account);
        });
    }

    /** Accounts whose holds are past their expiry, for the sweeper. */
    @WithSession
    public Uni<List<String>> accountsWithDueHolds() {
        return reservations.accountsWithDueHolds(clock.instant(), config.reservations().sweepBatch());
    }

    /** Gives back the cents of this account's expired holds. */
    @WithTransaction
    public Uni<Void> expireHolds(String accountId) {
        Instant now = clock.instant();
        return accounts.lockOrCreate(accountId, now).chain(account -> holds.settle(account, now)).replaceWithVoid();
    }

    private Uni<OpenHold> openHold(String accountId, UUID reservationId, Instant now) {
        return accounts.lockOrCreate(accountId, now)
                .chain(account -> holds.settle(account, now))
                .chain(account -> reservations.findOfAccount(reservationId, accountId).map(hold -> {
                    if (hold == null) {
                        throw new ProblemException(ErrorCode.BIZ_RESERVATION_NOT_FOUND, "No such reservation.");
                    }
                    if (hold.status == ReservationStatus.EXPIRED) {
                        throw new ProblemException(ErrorCode.BIZ_RESERVATION_EXPIRED,
                                "The reservation expired at " + hold.expiresAt + "; its hold was freed.");
                    }
                    if (hold.status != ReservationStatus.HELD) {
                        throw new ProblemException(ErrorCode.BIZ_RESERVATION_CLOSED,
                                "The reservation was already " + hold.status.name().toLowerCase(java.util.Locale.ROOT) + ".");
                    }
                    return new OpenHold(account, hold);
                }));
    }

    private record OpenHold(Account account, Reservation hold) {
    }

    private Uni<SpendDecision> refuse(Account account, SpendRequest.Kind kind, String key, long amount,
            String description, String actor, Instant now, AfterCommit after) {
        after.add(refusals::increment);
        Map<String, Object> refusal = new LinkedHashMap<>();
        refusal.put("limitCents", account.monthlyCapCents);
        refusal.put("spentCents", account.spentCents);
        refusal.put("reservedCents", account.reservedCents);
        refusal.put("remainingCents", remaining(account));
        refusal.put("resetsAt", account.period().end().toString());
        SpendDecision decision = SpendDecision.refused(refusal);
        return record(account, kind, key, amount, description, decision, now, UUID.randomUUID())
                .chain(() -> notices(account, true, actor))
                .replaceWith(decision);
    }

    /** A repeated key: the first decision again, unless the request differs (422). */
    private Uni<SpendDecision> replay(SpendRequest previous, SpendRequest.Kind kind, long amount) {
        if (previous.kind != kind || previous.amountCents != amount) {
            return Uni.createFrom().failure(new ProblemException(ErrorCode.BIZ_IDEMPOTENCY_KEY_REUSED,
                    "This idempotency key was used for a different request.",
                    List.of(new Problem.FieldError("idempotencyKey", "was used with a different amount or operation")),
                    Map.of(), null));
        }
        try {
            JsonNode body = json.readTree(previous.responseBody);
            return Uni.createFrom().item(previous.status == ErrorCode.BIZ_SPEND_CAP_REACHED.status()
                    ? SpendDecision.refused(json.convertValue(body, MAP))
                    : SpendDecision.accepted(previous.status, body));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("Stored decision is not JSON", e));
        }
    }

    private Uni<Void> record(Account account, SpendRequest.Kind kind, String key, long amount, String description,
            SpendDecision decision, Instant now, UUID id) {
        SpendRequest request = new SpendRequest();
        request.id = id;
        request.accountId = account.userId;
        request.idempotencyKey = key;
        request.kind = kind;
        request.amountCents = amount;
        request.description = description;
        request.status = decision.status();
        request.responseBody = (decision.isRefused() ? json.valueToTree(decision.refusal()) : decision.body()).toString();
        request.createdAt = now;
        return requests.persist(request).replaceWithVoid();
    }

    /**
     * The once-per-period notices: the warning when spent reaches the threshold, the cap
     * notice when spent reaches the cap or the cap refuses a request. The period stamp on
     * the locked row makes each fire once per account and period, however many run at once.
     */
    private Uni<Void> notices(Account account, boolean refused, String actor) {
        Uni<Void> notices = Uni.createFrom().voidItem();
        if (!account.warnedThisPeriod()
                && SpendPolicy.warnThresholdReached(account.monthlyCapCents, account.warnThresholdPercent,
                        account.spentCents)) {
            account.warnedPeriodStart = account.periodStart;
            notices = notices.chain(() -> events.thresholdCrossed(account, actor));
        }
        if (!account.capReachedThisPeriod()
                && (refused || SpendPolicy.capReached(account.monthlyCapCents, account.spentCents))) {
            account.capReachedPeriodStart = account.periodStart;
            notices = notices.chain(() -> events.capReached(account, actor));
        }
        return notices;
    }

    private ReservationReceipt receipt(Reservation hold, Account account) {
        return new ReservationReceipt(hold.id, hold.status, hold.amountCents, hold.committedCents, hold.expiresAt,
                account.monthlyCapCents, account.spentCents, account.reservedCents, remaining(account),
                account.period().end());
    }

    private static long remaining(Account account) {
        return SpendPolicy.remaining(account.monthlyCapCents, account.spentCents, account.reservedCents);
    }

    private ProblemException checkAmount(long amountCents) {
        if (amountCents > config.maxChargeCents()) {
            return invalidField("amountCents", "must be at most " + config.maxChargeCents());
        }
        return null;
    }

    private ProblemException checkTtl(Long ttlSeconds) {
        if (ttlSeconds != null && ttlSeconds > config.reservations().maxTtl().toSeconds()) {
            return invalidField("ttlSeconds", "must be at most " + config.reservations().maxTtl().toSeconds());
        }
        return null;
    }

    private static ProblemException invalidField(String field, String message) {
        return new ProblemException(ErrorCode.VAL_INVALID_FIELDS, "Some fields are invalid.",
                List.of(new Problem.FieldError(field, message)), Map.of(), null);
    }
}

package dev.sentinel.audit.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.audit.access.AccessAudit;
import dev.sentinel.audit.admin.AuthUsers;
import dev.sentinel.audit.admin.AuthUsersApi;
import dev.sentinel.audit.erase.SubjectErasure;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Four-eyes approvals of the admin console (DESIGN §6; README, "Four-eyes approvals"). The
 * console's gated calls — granting ADMIN, resetting an ADMIN's 2FA, erasing an audit subject,
 * as {@code admin.approvals.required-for} names them — come here: while auth-service counts
 * fewer than two active ADMINs the action runs at once and {@code approval.granted} says
 * {@code fourEyes: "single-admin"}; otherwise the call answers a pending approval that another
 * ADMIN (another {@code sub}, whatever the session) approves — only then the action runs,
 * through {@link ApprovalActions}, the same path as a direct call — or rejects. Approvals expire
 * after {@code admin.approvals.ttl}, read from the injected {@link Clock}.
 */
@ApplicationScoped
public class Approvals {

    /** A gated call's outcome: the action's answer ({@code done}) or the approval it waits for ({@code pending}). */
    public record Gated<T>(T done, ApprovalView pending) {
    }

    private static final String NOT_REQUIRED = "not-required";

    private final ApprovalStore store;
    private final ApprovalActions actions;
    private final AuthUsers auth;
    private final SubjectErasure erasure;
    private final Map<String, Counter> steps;
    private final ApprovalsConfig config;
    private final Set<ApprovalAction> required;
    private final Clock clock;
    private final ObjectMapper json;

    public Approvals(ApprovalStore store, ApprovalActions actions, AuthUsers auth, SubjectErasure erasure,
            ApprovalsConfig config, Clock clock, ObjectMapper json, MeterRegistry registry) {
        this.store = store;
        this.actions = actions;
        this.auth = auth;
        this.erasure = erasure;
        this.steps = new HashMap<>();
        for (String step : List.of("requested", "granted", "rejected", "single_admin")) {
            steps.put(step, Counter.builder("sentinel.admin.approvals").tag("step", step)
                    .description("Four-eyes approval steps committed (single_admin: a gated action run at once)")
                    .register(registry));
        }
        this.config = config;
        this.clock = clock;
        this.json = json;
        this.required = required(config.requiredFor());
    }

    /** The configured names as actions; an unknown name stops the start (it would silently drop a gate). */
    static Set<ApprovalAction> required(Set<String> names) {
        Set<ApprovalAction> actions = EnumSet.noneOf(ApprovalAction.class);
        for (String name : names) {
            String trimmed = name.strip();
            if (trimmed.isEmpty() || trimmed.equals("none")) {
                continue;
            }
            actions.add(ApprovalAction.of(trimmed).orElseThrow(() -> new IllegalArgumentException(
                    "admin.approvals.required-for: unknown action '" + trimmed + "' (known: "
                            + Arrays.toString(ApprovalAction.values()) + ", or none)")));
        }
        return actions;
    }

    /**
     * Replaces a user's roles. Granting ADMIN to a user who is not one is gated; any other role
     * change runs at once, as before.
     */
    @WithSpan("admin.roles")
    public Uni<Gated<AuthUsersApi.Roles>> setRoles(AccessAudit.Caller caller, UUID user, Set<String> roles) {
        if (!required.contains(ApprovalAction.GRANT_ADMIN) || !roles.contains(Roles.ADMIN)) {
            return guard(auth.roles(caller.admin(), user, roles)).map(done -> new Gated<>(done, null));
        }
        return guard(auth.get(caller.admin(), user)).chain(current -> {
            if (current.roles().contains(Roles.ADMIN)) {
                return guard(auth.roles(caller.admin(), user, roles)).map(done -> new Gated<>(done, null));
            }
            String change = change(Map.of("roles", sorted(current.roles())), Map.of("roles", sorted(roles)));
            return gate(new ApprovalActions.Run(ApprovalAction.GRANT_ADMIN, user.toString(), roles, caller, null, Map.of()),
                    change, done -> (AuthUsersApi.Roles) done);
        });
    }

    /** Turns a user's 2FA off; gated when the user is an ADMIN (2FA already off: auth's 409 at once, no approval). */
    @WithSpan("admin.reset-2fa")
    public Uni<Gated<Boolean>> resetMfa(AccessAudit.Caller caller, String adminBearer, UUID user) {
        ApprovalActions.Run direct = new ApprovalActions.Run(ApprovalAction.RESET_ADMIN_MFA, user.toString(), null, caller,
                adminBearer, Map.of());
        if (!required.contains(ApprovalAction.RESET_ADMIN_MFA)) {
            return actions.run(direct).map(done -> new Gated<>(true, null));
        }
        return guard(auth.get(caller.admin(), user)).chain(current -> {
            if (!current.roles().contains(Roles.ADMIN)) {
                return actions.run(direct).map(done -> new Gated<>(true, null));
            }
            if (!current.mfaEnabled()) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.BIZ_MFA_NOT_ENABLED,
                        "This user has no two-factor authentication to reset."));
            }
            return gate(direct, change(Map.of("mfaEnabled", true), Map.of("mfaEnabled", false)), done -> true);
        });
    }

    /**
     * Erases an audit subject's personal fields (SubjectErasure); gated. A subject the log does
     * not know (404) or with nothing left to erase (409) is refused before any approval is made.
     */
    @WithSpan("admin.erase")
    public Uni<Gated<SubjectErasure.Erased>> erase(AccessAudit.Caller caller, String subject) {
        ApprovalActions.Run run = new ApprovalActions.Run(ApprovalAction.ERASE_SUBJECT, subject, null, caller, null,
                Map.of("fourEyes", NOT_REQUIRED));
        if (!required.contains(ApprovalAction.ERASE_SUBJECT)) {
            return actions.run(run).map(done -> new Gated<>((SubjectErasure.Erased) done, null));
        }
        return erasure.erasable(subject).chain(() -> gate(run, null, done -> (SubjectErasure.Erased) done));
    }

    /**
     * Another ADMIN approves: the approval is claimed under a row lock (so of two approvers at
     * once, one runs the action and the other gets 409), the action runs as the approver, and
     * the approval is GRANTED with {@code approval.granted}. If the action fails (auth down, the
     * user gone) the claim is released — the approval is pending again — and the failure is the
     * answer.
     */
    @WithSpan("admin.approve")
    public Uni<ApprovalView> approve(UUID id, AccessAudit.Caller caller, String adminBearer) {
        return store.claim(id, caller.admin(), clock.instant()).chain(approval -> {
            ApprovalAction action = ApprovalAction.of(approval.action).orElseThrow();
            ApprovalActions.Run run = new ApprovalActions.Run(action, approval.target, roles(approval), caller, adminBearer,
                    Map.of("fourEyes", "approved", "approvalId", approval.id.toString(), "requestedBy", approval.requestedBy));
            return actions.run(run)
                    .onFailure().call(failure -> store.release(id))
                    .chain(result -> store.grant(id, text(result), caller));
        }).invoke(granted -> count("granted")).map(this::view);
    }

    @WithSpan("admin.reject")
    public Uni<ApprovalView> reject(UUID id, AccessAudit.Caller caller, String reason) {
        return store.reject(id, reason, caller, clock.instant()).invoke(rejected -> count("rejected")).map(this::view);
    }

    public Uni<ApprovalView> get(UUID id) {
        return store.find(id).map(this::view);
    }

    /** A page of approvals, newest first, of a status or all; keyset on seq. */
    public Uni<ApprovalPage> list(String status, int limit, String cursor) {
        long before = ApprovalCursor.before(status, cursor);
        return store.page(status, clock.instant(), before, limit + 1).map(rows -> {
            List<ApprovalView> items = rows.stream().limit(limit).map(this::view).toList();
            String next = rows.size() > limit ? ApprovalCursor.after(status, rows.get(limit - 1).seq) : null;
            return new ApprovalPage(items, next);
        });
    }

    /**
     * Runs a gated action at once while fewer than two active ADMINs exist (nobody could approve
     * it), recording that; otherwise stores a pending approval.
     */
    private <T> Uni<Gated<T>> gate(ApprovalActions.Run run, String change, Function<Object, T> answer) {
        AccessAudit.Caller caller = run.caller();
        return activeAdmins(caller.admin()).chain(admins -> {
            if (admins < 2) {
                ApprovalActions.Run single = new ApprovalActions.Run(run.action(), run.target(), run.roles(), caller,
                        run.adminBearer(), Map.of("fourEyes", "single-admin"));
                return actions.run(single)
                        .call(done -> store.singleAdmin(run.action(), run.target(), change, caller))
                        .invoke(done -> count("single_admin"))
                        .map(done -> new Gated<>(answer.apply(done), null));
            }
            Approval approval = new Approval();
            approval.id = UUID.randomUUID();
            approval.action = run.action().wireName();
            approval.target = run.target();
            approval.roles = run.roles() == null ? null : String.join(",", sorted(run.roles()));
            approval.change = change;
            approval.status = Approval.PENDING;
            approval.requestedBy = caller.admin();
            approval.requestedAt = clock.instant();
            approval.expiresAt = approval.requestedAt.plus(config.ttl());
            return store.request(approval, caller).invoke(saved -> count("requested"))
                    .map(saved -> new Gated<T>(null, view(saved)));
        });
    }

    /** How many ACTIVE users auth-service has with the ADMIN role (its count, asked for one row). */
    private Uni<Long> activeAdmins(String actor) {
        AuthUsers.Search admins = new AuthUsers.Search(null, "ACTIVE", Roles.ADMIN, null, null, null, null, null);
        return guard(auth.search(actor, admins, 1, null, true)).map(page -> page.total() == null ? 0L : page.total());
    }

    /** A step committed: {@code sentinel_admin_approvals_total{step}} (every step present at 0 from the start). */
    private void count(String step) {
        steps.get(step).increment();
    }

    private static <T> Uni<T> guard(Uni<T> call) {
        return call.onFailure().transform(AuthUsers::unavailable);
    }

    private static Set<String> roles(Approval approval) {
        return approval.roles == null ? null : Arrays.stream(approval.roles.split(",")).collect(Collectors.toSet());
    }

    private static List<String> sorted(Set<String> roles) {
        return List.copyOf(new TreeSet<>(roles));
    }

    private String change(Map<String, Object> before, Map<String, Object> after) {
        ObjectNode node = json.createObjectNode();
        node.set("before", json.valueToTree(before));
        node.set("after", json.valueToTree(after));
        return node.toString();
    }

    private String text(Object result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An action's result cannot be written as JSON", e);
        }
    }

    private ApprovalView view(Approval approval) {
        Map<String, Object> result = null;
        if (approval.result != null) {
            try {
                result = json.readValue(approval.result, new TypeReference<Map<String, Object>>() { });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("A stored approval result is not JSON", e);
            }
        }
        return new ApprovalView(approval.id, approval.action, approval.target,
                approval.roles == null ? null : List.of(approval.roles.split(",")), approval.statusAt(clock.instant()),
                approval.requestedBy, approval.requestedAt, approval.expiresAt, approval.decidedBy, approval.decidedAt,
                approval.reason, result);
    }
}

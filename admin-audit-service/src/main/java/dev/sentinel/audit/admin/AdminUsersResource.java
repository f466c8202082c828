package dev.sentinel.audit.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sentinel.audit.access.AccessAudit;
import dev.sentinel.audit.approval.ApprovalView;
import dev.sentinel.audit.approval.Approvals;
import dev.sentinel.audit.read.AuditLogEntry;
import dev.sentinel.audit.read.AuditLogService;
import dev.sentinel.audit.read.AuditSearch;
import dev.sentinel.audit.read.PageCursor;
import dev.sentinel.audit.read.SearchPage;
import dev.sentinel.contracts.billing.PlanNames;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The admin console's user API (DESIGN §6), a facade over auth-service's internal user API
 * with its own role rules: ADMIN everything; SUPPORT reads, unlocks and resends verification;
 * BILLING_ADMIN reads; anyone else 403. The caller (the token's subject) is the actor auth's
 * events name. auth's answers about the request (404, 409, 4xx) reach the caller as the same
 * problem; auth down or slow is a 503 problem naming it.
 */
@Path("/v1/admin/users")
@CompletesOnHangUp
@Produces(MediaType.APPLICATION_JSON)
public class AdminUsersResource {

    static final int MAX_LIMIT = 200;
    static final int DEFAULT_LIMIT = 20;
    static final int RECENT_AUDIT = 10;
    static final int LAST_SIGN_INS = 5;

    /**
     * A page of users; {@code total} only with {@code count=true}; {@code unavailable} only when
     * account-service could not be read (every {@code plan} is then null).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserPage(List<UserRow> items, String nextCursor, Long total, List<String> unavailable) {
    }

    /** One user of the list: auth's profile and the plan of their account ({@code null}: no account yet, or account unreadable). */
    public record UserRow(UUID id, String email, boolean emailVerified, Set<String> roles, String status,
            boolean mfaEnabled, Instant createdAt,
            @Schema(description = "The plan of the user's account at account-service; null while the user has no account"
                    + " (account-service's default plan, FREE, applies on first use) or account-service could not be read",
                    nullable = true, enumeration = {PlanNames.FREE, PlanNames.PRO}) String plan) {
        static UserRow of(AuthUsersApi.User user, String plan) {
            return new UserRow(user.id(), user.email(), user.emailVerified(), user.roles(), user.status(),
                    user.mfaEnabled(), user.createdAt(), plan);
        }
    }

    public record RolesRequest(@NotNull @Size(min = 1, max = 4) Set<@NotNull @Size(max = 32) String> roles) {
    }

    public record LockRequest(@NotBlank @Size(max = 500) String reason) {
    }

    /** Which session to end; no body, or no {@code sessionId}, ends every live session of the user. */
    public record RevokeRequest(@Size(max = 36) String sessionId) {
    }

    private final AuthUsers auth;
    private final AccountBilling account;
    private final Approvals approvals;
    private final AuditLogService log;
    private final AccessAudit access;
    private final JsonWebToken jwt;
    private final UserCursor cursors;

    public AdminUsersResource(AuthUsers auth, AccountBilling account, Approvals approvals, AuditLogService log,
            AccessAudit access, JsonWebToken jwt, AdminClientConfig config) {
        this.auth = auth;
        this.approvals = approvals;
        this.log = log;
        this.access = access;
        this.account = account;
        this.jwt = jwt;
        this.cursors = new UserCursor(config.clientSecret());
    }

    /**
     * Filters auth-service supports are checked here and passed through (query, status, role,
     * mfa, verified, createdFrom/To, sort); {@code count=true} adds the total. Each user carries
     * the plan of their account ({@code null}: no account yet), read from account-service in one
     * call per auth page; account down leaves the plans null and says so in {@code unavailable}
     * (as the detail does). {@code plan} keeps only the users on that plan: auth's pages are
     * walked in the requested order, at most {@value #PLAN_ROUNDS} of them per request, so a page
     * may hold fewer than {@code limit} users and still have a {@code nextCursor} (README,
     * "Search"); account down is then a 503 naming it, and {@code count} is a 400.
     */
    @Operation(operationId = "searchUsers", summary = "Find users (query, status, role, plan, mfa, verified, created; keyset cursor)")
    @APIResponse(responseCode = "200", description = "A page of users; with plan= it may hold fewer than limit users and still carry nextCursor",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserPage.class)))
    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.BILLING_ADMIN})
    public Uni<UserPage> search(@QueryParam("query") String query, @QueryParam("status") String status,
            @QueryParam("role") String role, @QueryParam("sort") String sort, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @QueryParam("count") String count,
            @Parameter(description = "Only users on this plan (account-service's plans); a user without an account yet"
                    + " is on account-service's default plan (FREE). Not with count=true.",
                    schema = @Schema(enumeration = {PlanNames.FREE, PlanNames.PRO})) @QueryParam("plan") String plan,
            @QueryParam("mfa") String mfa, @QueryParam("verified") String verified,
            @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo) {
        if (plan != null && !PlanNames.ALL.contains(plan)) {
            throw ProblemException.invalidField("Unknown plan.", "plan", List.of("must be one of " + PlanNames.ALL));
        }
        flag("mfa", mfa);
        flag("verified", verified);
        Instant from = time("createdFrom", createdFrom);
        Instant to = time("createdTo", createdTo);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.invalidField("createdFrom must be before createdTo.", "createdTo",
                    List.of("must be after createdFrom"));
        }
        int size = PageCursor.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        boolean withTotal = flag("count", count);
        if (plan != null && withTotal) {
            throw ProblemException.invalidField("No total is counted with a plan filter.", "count",
                    List.of("is not available with plan (the plans live in account-service; a total would scan every user)"));
        }
        AuthUsers.Search search = new AuthUsers.Search(query, status, role, mfa, verified, createdFrom, createdTo, sort);
        String sealedTo = plan == null ? search.fingerprint() : search.fingerprint() + "\u001fplan=" + plan;
        String authCursor = cursors.open(sealedTo, cursor);
        String actor = actor();
        if (plan != null) {
            return walk(actor, search, plan, size, authCursor, new ArrayList<>(), 0, System.nanoTime())
                    .map(walked -> new UserPage(walked.items(), cursors.seal(sealedTo, walked.nextCursor()), null, null));
        }
        // account down: every plan null and the page says so (as the detail does).
        return guard(auth.search(actor, search, size, authCursor, withTotal)).chain(page -> account.plans(ids(page.items()))
                .onFailure().recoverWithNull()
                .map(plans -> new UserPage(
                        page.items().stream().map(user -> UserRow.of(user, plans == null ? null : plans.of(user.id()))).toList(),
                        cursors.seal(sealedTo, page.nextCursor()), withTotal ? page.total() : null,
                        plans == null ? List.of(AccountBilling.DEPENDENCY) : null)));
    }

    /** How many auth pages one request with a plan filter reads at most. */
    static final int PLAN_ROUNDS = 5;
    /** After this long a request with a plan filter answers what it found (with the cursor) rather than reading on. */
    static final long PLAN_BUDGET_NANOS = 1_000_000_000L;

    private record Walked(List<UserRow> items, String nextCursor) {
    }

    /**
     * Reads auth's next page from {@code authCursor}, asking for only as many users as the page
     * still lacks (so a match never lies beyond the page and every stop is at one of auth's own
     * cursors: nothing skipped, nothing twice), keeps the users account says are on {@code plan},
     * and reads on until the page is full, auth has no more, or {@value #PLAN_ROUNDS} pages or
     * the time budget are spent.
     */
    private Uni<Walked> walk(String actor, AuthUsers.Search search, String plan, int size, String authCursor,
            List<UserRow> found, int rounds, long started) {
        return guard(auth.search(actor, search, size - found.size(), authCursor, false))
                .chain(page -> account.plans(ids(page.items())).onFailure().transform(AccountBilling::unavailable)
                        .chain(plans -> {
                            for (AuthUsersApi.User user : page.items()) {
                                if (plans.on(user.id(), plan)) {
                                    found.add(UserRow.of(user, plans.of(user.id())));
                                }
                            }
                            if (page.nextCursor() == null || found.size() >= size || rounds + 1 >= PLAN_ROUNDS
                                    || System.nanoTime() - started > PLAN_BUDGET_NANOS) {
                                return Uni.createFrom().item(new Walked(found, page.nextCursor()));
                            }
                            return walk(actor, search, plan, size, page.nextCursor(), found, rounds + 1, started);
                        }));
    }

    private static List<UUID> ids(List<AuthUsersApi.User> users) {
        return users.stream().map(AuthUsersApi.User::id).toList();
    }

    /**
     * The detail page: the profile from auth; for ADMIN and SUPPORT also the sign-in lockout,
     * recovery codes left (absent while 2FA is off) and the live sessions (auth), and from this
     * service's own log the last {@value #RECENT_AUDIT} rows about the user and their last
     * {@value #LAST_SIGN_INS} sign-ins (time, ip, user agent), a read recorded as
     * {@code audit.read}; for everyone allowed the plan and this period's spend
     * ({@code billing}, account-service; absent when the user has no account yet). auth down is
     * a 503 naming it. account down is not: the page still answers, without {@code billing} and
     * with {@code unavailable: ["account-service"]}, so an operator can still lock or sign out a
     * user while billing is away (README, "User detail"). The reads run at once.
     */
    @Operation(operationId = "getUser", summary = "One user: profile, roles, sessions, lockout, plan and spend, recent audit rows")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.BILLING_ADMIN})
    public Uni<UserDetail> get(@PathParam("id") String id, @Context HttpServerRequest request) {
        UUID user = userId(id);
        boolean full = jwt.getGroups().contains(Roles.ADMIN) || jwt.getGroups().contains(Roles.SUPPORT);
        String actor = actor();
        Uni<AuthUsersApi.Detail> profile = guard(auth.get(actor, user));
        Uni<List<AuthUsersApi.Session>> sessions = full ? guard(auth.sessions(actor, user))
                : Uni.createFrom().<List<AuthUsersApi.Session>>nullItem();
        Uni<BillingRead> billing = account.billing(user).map(found -> new BillingRead(found, false))
                .onFailure(AdminUsersResource::noAccount).recoverWithItem(new BillingRead(null, false))
                .onFailure().recoverWithItem(failure -> new BillingRead(null, true));
        AuditSearch aboutUser = AuditSearch.parse(null, user.toString(), null, null, null, null, null, null,
                Integer.toString(RECENT_AUDIT), "false");
        AuditSearch signIns = AuditSearch.parse(null, user.toString(), List.of(EventType.AUTH_LOGIN_SUCCEEDED.wireName()),
                null, null, null, null, null, Integer.toString(LAST_SIGN_INS), "false");
        Uni<List<AuditLogEntry>> recent = full ? log.search(aboutUser, null).map(SearchPage::items)
                : Uni.createFrom().<List<AuditLogEntry>>nullItem();
        Uni<List<AuditLogEntry>> logins = full ? log.search(signIns, null).map(SearchPage::items)
                : Uni.createFrom().<List<AuditLogEntry>>nullItem();
        return Uni.combine().all().unis(profile, sessions, billing, recent, logins).asTuple()
                .call(parts -> !full ? Uni.createFrom().voidItem()
                        : access.record(EventType.AUDIT_READ, AccessAudit.Caller.of(jwt, request), "success",
                                access.data(data -> {
                                    data.put("operation", "user-detail");
                                    data.set("filters", access.filters(aboutUser));
                                    data.put("rowCount", parts.getItem4().size() + parts.getItem5().size());
                                })))
                .map(parts -> UserDetail.of(parts.getItem1(), full, parts.getItem2(), parts.getItem3(),
                        parts.getItem4(), parts.getItem5()));
    }

    private record BillingRead(AccountBilling.Billing billing, boolean unavailable) {
    }

    private static boolean noAccount(Throwable failure) {
        return failure instanceof ProblemException problem && problem.code() == ErrorCode.BIZ_USER_NOT_FOUND;
    }

    /** The detail page's answer; parts a caller may not see, or that are not there, are absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserDetail(UUID id, String email, boolean emailVerified, Set<String> roles, String status,
            boolean mfaEnabled, Instant createdAt, AuthUsersApi.Lockout lockout, Long recoveryCodesLeft,
            List<AuthUsersApi.Session> sessions, AccountBilling.Billing billing, List<String> unavailable,
            List<AuditLogEntry> recentAudit, List<SignIn> lastSignIns) {
        static UserDetail of(AuthUsersApi.Detail user, boolean full, List<AuthUsersApi.Session> sessions,
                BillingRead billing, List<AuditLogEntry> recentAudit, List<AuditLogEntry> logins) {
            return new UserDetail(user.id(), user.email(), user.emailVerified(), user.roles(), user.status(),
                    user.mfaEnabled(), user.createdAt(), full ? user.lockout() : null,
                    full ? user.recoveryCodesLeft() : null, sessions, billing.billing(),
                    billing.unavailable() ? List.of(AccountBilling.DEPENDENCY) : null, recentAudit,
                    logins == null ? null : logins.stream().map(SignIn::of).toList());
        }
    }

    /** One sign-in as the audit log recorded it; ip and user agent are null once the user was erased. */
    public record SignIn(long seq, String time, String ip, String userAgent) {
        static SignIn of(AuditLogEntry row) {
            return new SignIn(row.seq(), row.time(), row.ip(), row.userAgent());
        }
    }

    /**
     * Granting ADMIN is a four-eyes action (README, "Four-eyes approvals"): 202 with the pending
     * approval, unless it is not required or no second active ADMIN exists. Other changes: 200.
     */
    @Operation(operationId = "setUserRoles", summary = "Replace a user's roles (the last ADMIN keeps the role; granting ADMIN may need a second ADMIN)")
    @APIResponse(responseCode = "200", description = "The user's roles now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthUsersApi.Roles.class)))
    @APIResponse(responseCode = "202", description = "Granting ADMIN waits for another ADMIN's approval",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApprovalView.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND BIZ_LAST_ADMIN VAL_RULE_VIOLATION")
    @POST
    @Path("{id}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> roles(@PathParam("id") String id, @Valid @NotNull RolesRequest body,
            @Context HttpServerRequest request) {
        UUID user = userId(id);
        return approvals.setRoles(AccessAudit.Caller.of(jwt, request), user, body.roles()).map(AdminUsersResource::answer);
    }

    /** 200 (or {@code done}'s own status) with the action's answer, or 202 with the approval it waits for and its Location. */
    private static Response answer(Approvals.Gated<?> gated) {
        if (gated.pending() != null) {
            return Response.accepted(gated.pending()).location(URI.create("/v1/admin/approvals/" + gated.pending().id())).build();
        }
        return Response.ok(gated.done()).build();
    }

    /** Locks the account (every session ends at once, in auth); the reason goes into the event. */
    @Operation(operationId = "lockUser", summary = "Lock a user (reason required) and end every session")
    @APIResponse(responseCode = "204", description = "Locked")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @POST
    @Path("{id}/lock")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> lock(@PathParam("id") String id, @Valid @NotNull LockRequest body) {
        return guard(auth.lock(actor(), userId(id), body.reason().strip())).map(done -> Response.noContent().build());
    }

    @Operation(operationId = "unlockUser", summary = "Unlock a user")
    @APIResponse(responseCode = "204", description = "Unlocked")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @POST
    @Path("{id}/unlock")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    public Uni<Response> unlock(@PathParam("id") String id) {
        return guard(auth.unlock(actor(), userId(id))).map(done -> Response.noContent().build());
    }

    /** Resetting an ADMIN's 2FA is a four-eyes action: 202 with the pending approval (README, "Four-eyes approvals"). */
    @Operation(operationId = "resetUserMfa", summary = "Turn a user's 2FA off (an ADMIN's may need a second ADMIN)")
    @APIResponse(responseCode = "204", description = "2FA is off")
    @APIResponse(responseCode = "202", description = "Resetting an ADMIN's 2FA waits for another ADMIN's approval",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApprovalView.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND BIZ_MFA_NOT_ENABLED")
    @POST
    @Path("{id}/reset-2fa")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> resetMfa(@PathParam("id") String id, @Context HttpServerRequest request) {
        UUID user = userId(id);
        return approvals.resetMfa(AccessAudit.Caller.of(jwt, request), "Bearer " + jwt.getRawToken(), user)
                .map(gated -> gated.pending() != null ? answer(gated) : Response.noContent().build());
    }

    @Operation(operationId = "resendUserVerification", summary = "Send the verification mail again")
    @APIResponse(responseCode = "202", description = "Accepted; sent tells whether a mail was sent (false: already verified)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "sent",
                    properties = @SchemaProperty(name = "sent", type = SchemaType.BOOLEAN))))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @POST
    @Path("{id}/resend-verification")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    public Uni<Response> resendVerification(@PathParam("id") String id) {
        return guard(auth.resendVerification(actor(), userId(id)))
                .map(sent -> Response.accepted(Map.of("sent", Boolean.TRUE.equals(sent.get("sent")))).build());
    }

    /**
     * Ends the user's sessions everywhere at once (their access tokens are refused by every
     * service, their refresh tokens by auth); auth emits {@code session.revoked_by_admin} with
     * the caller as actor. 200 {@code {revoked}}; 404 for an unknown user or session.
     */
    @Operation(operationId = "revokeUserSessions", summary = "End a user's sessions, or one of them")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND SYS_NOT_FOUND")
    @POST
    @Path("{id}/sessions/revoke")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    public Uni<AuthUsersApi.Revoked> revokeSessions(@PathParam("id") String id) {
        return guard(auth.revokeSessions(actor(), userId(id), null));
    }

    @Operation(operationId = "revokeUserSessions", summary = "End a user's sessions, or one of them")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND SYS_NOT_FOUND")
    @POST
    @Path("{id}/sessions/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    public Uni<AuthUsersApi.Revoked> revokeSessionsWithBody(@PathParam("id") String id, @Valid RevokeRequest body) {
        UUID user = userId(id);
        UUID one = body == null || body.sessionId() == null ? null : uuid("sessionId", body.sessionId());
        return guard(auth.revokeSessions(actor(), user, one));
    }

    private String actor() {
        return jwt.getSubject();
    }

    private static <T> Uni<T> guard(Uni<T> call) {
        return call.onFailure().transform(AuthUsers::unavailable);
    }

    private static UUID userId(String id) {
        return uuid("id", id);
    }

    private static UUID uuid(String field, String value) {
        try {
            if (value != null && value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException malformed) {
            // the 400 below
        }
        throw ProblemException.invalidField("Bad " + field + ".", field, List.of("must be a UUID"));
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ProblemException.invalidField("Bad " + name + ".", name, List.of("must be true or false"));
    }

    /** An RFC 3339 time with an offset, or null when absent; anything else is a 400 naming the field. */
    private static Instant time(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() <= 40) {
                return java.time.OffsetDateTime.parse(value).toInstant();
            }
        } catch (java.time.format.DateTimeParseException malformed) {
            // the 400 below
        }
        throw ProblemException.invalidField("Bad " + name + ".", name, List.of("must be an RFC 3339 time with an offset"));
    }
}

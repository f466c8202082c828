package dev.sentinel.auth.admin;

import dev.sentinel.auth.login.LoginThrottle;
import dev.sentinel.auth.mfa.MfaService;
import dev.sentinel.auth.session.Session;
import dev.sentinel.auth.user.User;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The internal admin API admin-audit-service calls: with an administrator's own token, or
 * with a SERVICE token that names the administrator in {@code X-Acting-Admin} (the actor of
 * the events).
 */
@CompletesOnHangUp
@Path("/v1/auth/internal/users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.SERVICE})
public class UserAdminResource {

    public record UserView(UUID id, String email, boolean emailVerified, Set<String> roles, String status,
            boolean mfaEnabled, Instant createdAt) {
        static UserView of(User user) {
            return new UserView(user.id, user.email, user.emailVerified, new TreeSet<>(user.roles), user.status,
                    user.mfaEnabled, user.createdAt);
        }
    }

    /** {@link UserView} plus what the admin console's detail page shows. */
    public record DetailView(UUID id, String email, boolean emailVerified, Set<String> roles, String status,
            boolean mfaEnabled, Instant createdAt, LoginThrottle.Lockout lockout,
            @Schema(nullable = true, description = "null while 2FA is off") Long recoveryCodesLeft) {
        static DetailView of(UserAdminService.Detail detail) {
            User user = detail.user();
            return new DetailView(user.id, user.email, user.emailVerified, new TreeSet<>(user.roles), user.status,
                    user.mfaEnabled, user.createdAt, detail.lockout(), detail.recoveryCodesLeft());
        }
    }

    /** {@code total} is absent when {@code count=false} was asked (no {@code count(*)} then). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record PageView(List<UserView> items, Long total, String nextCursor) {
    }

    /** Why an administrator locks an account (optional here; the admin console requires it). */
    public record LockRequest(@Size(max = 500) String reason) {
    }

    public record RolesRequest(@NotNull @Size(min = 1, max = 4) Set<@NotNull String> roles) {
    }

    /** A live session as an administrator sees it: where and when, never a token. */
    public record SessionView(UUID id, String device, String network, Instant createdAt, Instant lastUsedAt) {
        static SessionView of(Session session) {
            return new SessionView(session.id, session.device, session.network, session.createdAt, session.lastUsedAt);
        }
    }

    /** Which session to end; no body (or no id) ends them all. */
    public record RevokeRequest(UUID sessionId) {
    }

    public record Revoked(int revoked) {
    }

    private final UserAdminService admin;
    private final MfaService mfa;
    private final JsonWebToken jwt;

    public UserAdminResource(UserAdminService admin, MfaService mfa, JsonWebToken jwt) {
        this.admin = admin;
        this.mfa = mfa;
        this.jwt = jwt;
    }

    @Operation(operationId = "searchUsers", summary = "Find users (internal: the admin console and ADMIN tokens)")
    @GET
    public Uni<PageView> search(@QueryParam("query") String query, @QueryParam("status") String status,
            @QueryParam("role") String role, @QueryParam("mfa") String mfa, @QueryParam("verified") String verified,
            @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo,
            @QueryParam("sort") String sort, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
            @QueryParam("count") String count) {
        // The total costs a count(*) over every match: the console asks for it only when its caller does.
        if (count != null && !count.equals("true") && !count.equals("false")) {
            throw ProblemException.invalidField("Bad count.", "count", List.of("must be true or false"));
        }
        return admin.search(UserSearch.parse(query, status, role, mfa, verified, createdFrom, createdTo, sort, limit,
                        cursor), !"false".equals(count))
                .map(page -> new PageView(page.users().stream().map(UserView::of).toList(), page.total(),
                        page.nextCursor()));
    }

    @Operation(operationId = "getUser", summary = "One user with sessions, lockout and recovery codes left")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @GET
    @Path("/{id}")
    public Uni<DetailView> get(@PathParam("id") UUID id) {
        return admin.detail(id).map(DetailView::of);
    }

    @Operation(operationId = "lockUser", summary = "Lock a user and end every session")
    @APIResponse(responseCode = "204", description = "Locked")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @POST
    @Path("/{id}/lock")
    public Uni<Response> lock(@PathParam("id") UUID id, @HeaderParam("X-Acting-Admin") String actingAdmin,
            @Context HttpServerRequest request) {
        return admin.lock(id, null, actor(actingAdmin), ClientInfo.of(request)).map(ignored -> Response.noContent().build());
    }

    /** The same lock with a JSON body: its reason goes into the user.locked event ({@code data.note}). */
    @Operation(operationId = "lockUser", summary = "Lock a user and end every session")
    @APIResponse(responseCode = "204", description = "Locked")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @POST
    @Path("/{id}/lock")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> lockWithReason(@PathParam("id") UUID id, @Valid LockRequest body,
            @HeaderParam("X-Acting-Admin") String actingAdmin, @Context HttpServerRequest request) {
        // A JSON content type with no body at all is a lock without a reason.
        String note = body == null || body.reason() == null || body.reason().isBlank() ? null : body.reason().strip();
        return admin.lock(id, note, actor(actingAdmin), ClientInfo.of(request))
                .map(ignored -> Response.noContent().build());
    }

    @Operation(operationId = "unlockUser", summary = "Unlock a user")
    @APIResponse(responseCode = "204", description = "Unlocked")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @POST
    @Path("/{id}/unlock")
    public Uni<Response> unlock(@PathParam("id") UUID id, @HeaderParam("X-Acting-Admin") String actingAdmin,
            @Context HttpServerRequest request) {
        return admin.unlock(id, actor(actingAdmin), ClientInfo.of(request)).map(ignored -> Response.noContent().build());
    }

    @Operation(operationId = "setUserRoles", summary = "Replace a user's roles (the last ADMIN keeps the role)")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND BIZ_LAST_ADMIN VAL_RULE_VIOLATION")
    @POST
    @Path("/{id}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> roles(@PathParam("id") UUID id, @Valid @NotNull RolesRequest body,
            @HeaderParam("X-Acting-Admin") String actingAdmin, @Context HttpServerRequest request) {
        return admin.setRoles(id, body.roles(), actor(actingAdmin), ClientInfo.of(request))
                .map(roles -> Map.of("id", id, "roles", new TreeSet<>(roles)));
    }

    /** The user's live sessions (device family, network prefix, created, last used); 404 for no such user. */
    @Operation(operationId = "listUserSessions", summary = "A user's live sessions (no tokens)")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @GET
    @Path("/{id}/sessions")
    public Uni<List<SessionView>> sessions(@PathParam("id") UUID id) {
        return admin.sessions(id).map(all -> all.stream().map(SessionView::of).toList());
    }

    /**
     * Ends every live session of the user; only the console (a SERVICE caller naming the
     * acting administrator in {@code X-Acting-Admin}) may, so the event always names a person.
     */
    @Operation(operationId = "revokeUserSessions", summary = "End a user's sessions, or one of them (SERVICE: the admin console)")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND SYS_NOT_FOUND")
    @POST
    @Path("/{id}/sessions/revoke")
    @RolesAllowed(Roles.SERVICE)
    public Uni<Revoked> revokeSessions(@PathParam("id") UUID id, @HeaderParam("X-Acting-Admin") String actingAdmin,
            @Context HttpServerRequest request) {
        return admin.revokeSessions(id, null, actor(actingAdmin), ClientInfo.of(request)).map(Revoked::new);
    }

    /** The same with a JSON body: {@code sessionId} ends that one session only (404 if it is not a live one of the user). */
    @Operation(operationId = "revokeUserSessions", summary = "End a user's sessions, or one of them (SERVICE: the admin console)")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND SYS_NOT_FOUND")
    @POST
    @Path("/{id}/sessions/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    public Uni<Revoked> revokeSessionsWithBody(@PathParam("id") UUID id, RevokeRequest body,
            @HeaderParam("X-Acting-Admin") String actingAdmin, @Context HttpServerRequest request) {
        UUID one = body == null ? null : body.sessionId();
        return admin.revokeSessions(id, one, actor(actingAdmin), ClientInfo.of(request)).map(Revoked::new);
    }

    /** An administrator (not a machine on its own) turns a user's 2FA off. */
    @Operation(operationId = "resetUserMfa", summary = "Turn a user's 2FA off (ADMIN)")
    @APIResponse(responseCode = "204", description = "2FA is off")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND BIZ_MFA_NOT_ENABLED")
    @POST
    @Path("/{id}/reset-2fa")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> resetMfa(@PathParam("id") UUID id, @Context HttpServerRequest request) {
        return mfa.adminReset(id, jwt.getSubject(), ClientInfo.of(request)).map(ignored -> Response.noContent().build());
    }

    @Operation(operationId = "resendUserVerification", summary = "Send the verification mail again")
    @APIResponse(responseCode = "202", description = "Accepted; sent tells whether a mail was sent (false: already verified)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "sent",
                    properties = @SchemaProperty(name = "sent", type = SchemaType.BOOLEAN))))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @POST
    @Path("/{id}/resend-verification")
    public Uni<Response> resendVerification(@PathParam("id") UUID id) {
        return admin.resendVerification(id).map(sent -> Response.accepted(Map.of("sent", sent)).build());
    }

    /** The administrator the events name: the caller, or the one a SERVICE caller acts for. */
    private String actor(String actingAdmin) {
        if (!jwt.getGroups().contains(Roles.SERVICE)) {
            return jwt.getSubject();
        }
        try {
            return UUID.fromString(actingAdmin).toString();
        } catch (IllegalArgumentException | NullPointerException missing) {
            throw new ProblemException(ErrorCode.VAL_INVALID_FIELDS,
                    "A SERVICE caller must name the acting administrator in X-Acting-Admin.");
        }
    }
}

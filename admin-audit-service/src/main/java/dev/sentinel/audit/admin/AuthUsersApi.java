package dev.sentinel.audit.admin;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * auth-service's internal user API ({@code /v1/auth/internal/users}), called with a SERVICE
 * token that names the acting administrator in {@code X-Acting-Admin} (reset-2fa, which auth
 * keeps to administrators themselves, with the administrator's own token). Fault tolerance is
 * in {@link AuthUsers}; this is only the wire.
 */
@RegisterRestClient(configKey = "auth-service")
@Path("/v1/auth/internal/users")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Accept", value = MediaType.APPLICATION_JSON)
public interface AuthUsersApi {

    String ACTING_ADMIN = "X-Acting-Admin";

    record User(UUID id, String email, boolean emailVerified, Set<String> roles, String status, boolean mfaEnabled,
            Instant createdAt) {
    }

    /** {@code total} only when asked for ({@code count=true}). */
    record Page(List<User> items, Long total, String nextCursor) {
    }

    /** The sign-in lockout of the user's address: failed tries in the window, locked and for how long. */
    record Lockout(boolean locked, long failures, long retryAfterSeconds) {
    }

    /** One user as {@code GET {id}} answers: {@link User} plus the lockout and the recovery codes left (null: 2FA off). */
    record Detail(UUID id, String email, boolean emailVerified, Set<String> roles, String status, boolean mfaEnabled,
            Instant createdAt, Lockout lockout, Long recoveryCodesLeft) {
    }

    record Roles(UUID id, Set<String> roles) {
    }

    record RolesBody(Set<String> roles) {
    }

    record LockBody(String reason) {
    }

    /** A live session of a user as auth shows it to administrators (never a token). */
    record Session(UUID id, String device, String network, Instant createdAt, Instant lastUsedAt) {
    }

    /** {@code sessionId} null: every live session. */
    record RevokeBody(UUID sessionId) {
    }

    record Revoked(int revoked) {
    }

    @GET
    Uni<Page> search(@HeaderParam("Authorization") String bearer, @HeaderParam(ACTING_ADMIN) String actor,
            @QueryParam("query") String query, @QueryParam("status") String status, @QueryParam("role") String role,
            @QueryParam("mfa") String mfa, @QueryParam("verified") String verified,
            @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo,
            @QueryParam("sort") String sort, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
            @QueryParam("count") boolean count);

    @GET
    @Path("/{id}")
    Uni<Detail> get(@HeaderParam("Authorization") String bearer, @HeaderParam(ACTING_ADMIN) String actor,
            @PathParam("id") UUID id);

    @POST
    @Path("/{id}/lock")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> lock(@HeaderParam("Authorization") String bearer, @HeaderParam(ACTING_ADMIN) String actor,
            @PathParam("id") UUID id, LockBody body);

    @POST
    @Path("/{id}/unlock")
    Uni<Void> unlock(@HeaderParam("Authorization") String bearer, @HeaderParam(ACTING_ADMIN) String actor,
            @PathParam("id") UUID id);

    @POST
    @Path("/{id}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Roles> roles(@HeaderParam("Authorization") String bearer, @HeaderParam(ACTING_ADMIN) String actor,
            @PathParam("id") UUID id, RolesBody body);

    @GET
    @Path("/{id}/sessions")
    Uni<List<Session>> sessions(@HeaderParam("Authorization") String bearer, @HeaderParam(ACTING_ADMIN) String actor,
            @PathParam("id") UUID id);

    @POST
    @Path("/{id}/sessions/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Revoked> revokeSessions(@HeaderParam("Authorization") String bearer, @HeaderParam(ACTING_ADMIN) String actor,
            @PathParam("id") UUID id, RevokeBody body);

    /** auth takes this one only from an administrator's own token (the actor is its subject). */
    @POST
    @Path("/{id}/reset-2fa")
    Uni<Void> resetMfa(@HeaderParam("Authorization") String adminBearer, @PathParam("id") UUID id);

    @POST
    @Path("/{id}/resend-verification")
    Uni<Map<String, Object>> resendVerification(@HeaderParam("Authorization") String bearer,
            @HeaderParam(ACTING_ADMIN) String actor, @PathParam("id") UUID id);

    /** Every 4xx/5xx answer becomes an {@link AuthAnswered} carrying auth's problem body. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return AuthAnswered.of(response);
    }
}

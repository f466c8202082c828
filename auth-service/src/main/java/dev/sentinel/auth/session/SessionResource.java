package dev.sentinel.auth.session;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.web.Caller;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Refresh, logout and the caller's own sessions. */
@CompletesOnHangUp
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    public record RefreshRequest(@Size(max = 128) String refreshToken) {
    }

    static final String REFRESH_EXAMPLE = "{\"refreshToken\": \"rt_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz0123456789\"}";

    public record SessionView(UUID id, String device, String network, Instant createdAt, Instant lastUsedAt,
            boolean current) {
    }

    private final SessionService sessions;
    private final JsonWebToken jwt;
    private final int refreshMaxAge;

    public SessionResource(SessionService sessions, JsonWebToken jwt, AuthConfig config) {
        this.sessions = sessions;
        this.jwt = jwt;
        this.refreshMaxAge = (int) config.refresh().lifetime().toSeconds();
    }

    /**
     * Body mode: {@code {"refreshToken": ...}}. Cookie mode: no body token; the refresh
     * cookie plus the CSRF header matching the CSRF cookie.
     */
    @Operation(operationId = "refresh", summary = "New tokens for a refresh token (rotated: the old one is spent)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RefreshRequest.class),
            examples = {@ExampleObject(name = "body", summary = "Body mode", value = REFRESH_EXAMPLE),
                @ExampleObject(name = "cookie", summary = "Cookie mode: no body token; the cookie and X-CSRF-Token", value = "{}")}))
    @APIResponse(responseCode = "200", description = "New tokens; the refresh token sent is spent",
            headers = @Header(name = "Set-Cookie", description = TokenDocs.SET_COOKIE, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Tokens.class),
                    examples = {@ExampleObject(name = "body", summary = "Body mode", value = TokenDocs.BODY_MODE),
                        @ExampleObject(name = "cookie", summary = "Cookie mode: the refresh token is in the cookie", value = TokenDocs.COOKIE_MODE)}))
    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_REFRESH_INVALID SYS_RATE_LIMITED")
    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> refresh(RefreshRequest body,
            @CookieParam(TokenDelivery.REFRESH_COOKIE) String refreshCookie,
            @CookieParam(TokenDelivery.CSRF_COOKIE) String csrfCookie,
            @HeaderParam(TokenDelivery.CSRF_HEADER) String csrfHeader,
            @Context HttpServerRequest request) {
        String bodyToken = body == null ? null : body.refreshToken();
        boolean cookieMode = bodyToken == null;
        if (cookieMode && (refreshCookie == null || !TokenDelivery.csrfMatches(csrfHeader, csrfCookie))) {
            return Uni.createFrom().failure(refused());
        }
        return sessions.refresh(cookieMode ? refreshCookie : bodyToken, ClientInfo.of(request))
                .map(outcome -> {
                    if (outcome instanceof SessionService.Refreshed.Issued issued) {
                        return TokenDelivery.ok(issued.tokens(), cookieMode, refreshMaxAge);
                    }
                    throw refused();
                });
    }

    @APIResponse(responseCode = "204", description = "Signed out; the session's tokens are refused from now on",
            headers = @Header(name = "Set-Cookie", description = TokenDocs.CLEARED, schema = @Schema(type = SchemaType.STRING)))
    @POST
    @Path("/logout")
    @Authenticated
    public Uni<Response> logout(@Context HttpServerRequest request) {
        return sessions.revoke(userId(), sessionId(), SessionService.REASON_LOGOUT, ClientInfo.of(request))
                .map(ignored -> Response.noContent().cookie(TokenDelivery.cleared()).build());
    }

    @APIResponse(responseCode = "204", description = "Every session of the user ended",
            headers = @Header(name = "Set-Cookie", description = TokenDocs.CLEARED, schema = @Schema(type = SchemaType.STRING)))
    @POST
    @Path("/logout-all")
    @Authenticated
    public Uni<Response> logoutAll(@Context HttpServerRequest request) {
        UUID user = userId();
        return sessions.revokeAll(user, null, SessionService.REASON_LOGOUT_ALL, user.toString(), ClientInfo.of(request))
                .map(ignored -> Response.noContent().cookie(TokenDelivery.cleared()).build());
    }

    @Operation(operationId = "listSessions", summary = "The signed-in user's live sessions")
    @GET
    @Path("/sessions")
    @Authenticated
    public Uni<List<SessionView>> list() {
        UUID current = sessionId();
        return sessions.list(userId()).map(all -> all.stream()
                .map(s -> new SessionView(s.id, s.device, s.network, s.createdAt, s.lastUsedAt, s.id.equals(current)))
                .toList());
    }

    @Operation(operationId = "endSession", summary = "End one of the user's sessions")
    @APIResponse(responseCode = "204", description = "The session ended")
    @Extension(name = ProblemResponses.ERRORS, value = "SYS_NOT_FOUND")
    @DELETE
    @Path("/sessions/{id}")
    @Authenticated
    public Uni<Response> end(@PathParam("id") UUID id, @Context HttpServerRequest request) {
        return sessions.revoke(userId(), id, SessionService.REASON_LOGOUT, ClientInfo.of(request))
                .map(found -> {
                    if (!found) {
                        throw new ProblemException(ErrorCode.SYS_NOT_FOUND, "No such session.");
                    }
                    return Response.noContent().build();
                });
    }

    private UUID userId() {
        return Caller.userId(jwt);
    }

    private UUID sessionId() {
        return Caller.sessionId(jwt);
    }

    private static ProblemException refused() {
        return new ProblemException(ErrorCode.AUTH_REFRESH_INVALID, "Sign in again.");
    }
}

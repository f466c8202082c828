package dev.sentinel.auth.password;

import dev.sentinel.auth.web.Accepted;
import dev.sentinel.auth.web.Caller;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.Map;

/** Forgot, reset and change password. */
@CompletesOnHangUp
@Path("/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PasswordResource {

    static final Accepted ACCEPTED = Accepted.because("If the address has an account, we have sent an email to it.");
    static final Map<String, String> CHANGED = Map.of("status", "password_changed");

    public record ForgotRequest(@NotBlank @Size(max = 254) String email) {
    }

    public record ResetRequest(@NotBlank @Size(max = 128) String token, @NotNull @Size(max = 1024) String newPassword) {
    }

    public record ChangeRequest(@NotNull @Size(max = 1024) String currentPassword,
            @NotNull @Size(max = 1024) String newPassword) {
    }

    private final PasswordService passwords;
    private final JsonWebToken jwt;

    public PasswordResource(PasswordService passwords, JsonWebToken jwt) {
        this.passwords = passwords;
        this.jwt = jwt;
    }

    @Operation(operationId = "forgotPassword", summary = "Mail a password-reset link")
    @APIResponse(responseCode = "202", description = "Accepted; a mail follows if the address has an account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "SYS_RATE_LIMITED")
    @POST
    @Path("/forgot-password")
    public Uni<Response> forgot(@Valid @NotNull ForgotRequest body, @Context HttpServerRequest request) {
        return passwords.forgot(body.email(), ClientInfo.of(request)).map(ignored -> Response.accepted(ACCEPTED).build());
    }

    @Operation(operationId = "resetPassword", summary = "Set a new password with a reset link's token")
    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_TOKEN_INVALID SYS_BUSY")
    @POST
    @Path("/reset-password")
    public Uni<Map<String, String>> reset(@Valid @NotNull ResetRequest body, @Context HttpServerRequest request) {
        return passwords.reset(body.token(), body.newPassword(), ClientInfo.of(request)).map(ignored -> CHANGED);
    }

    @Operation(operationId = "changePassword", summary = "Change the signed-in user's password")
    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_INVALID_CREDENTIALS SYS_BUSY SYS_RATE_LIMITED")
    @POST
    @Path("/change-password")
    @Authenticated
    public Uni<Map<String, String>> change(@Valid @NotNull ChangeRequest body, @Context HttpServerRequest request) {
        return passwords.change(Caller.userId(jwt), Caller.sessionId(jwt),
                body.currentPassword(), body.newPassword(), ClientInfo.of(request)).map(ignored -> CHANGED);
    }
}

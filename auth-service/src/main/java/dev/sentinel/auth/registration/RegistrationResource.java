package dev.sentinel.auth.registration;

import dev.sentinel.auth.web.Accepted;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.i18n.Language;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.Map;

/**
 * Sign-up, email verification and resending the verification link. A new account's
 * preferred language is the best match of the sign-up's {@code Accept-Language}.
 */
@CompletesOnHangUp
@Path("/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RegistrationResource {

    /** The one answer to every sign-up and resend, whether or not the address has an account. */
    static final Accepted ACCEPTED = Accepted.because("If the address can be used, we have sent an email to it.");

    public record RegisterRequest(
            @NotBlank @Size(max = 254) String email,
            @NotNull @Size(max = 1024) String password,
            @Size(max = 2048) String captchaToken) {
    }

    static final String REGISTER_EXAMPLE = "{\"email\": \"ada@example.com\", \"password\": \"correct horse battery staple\"}";
    static final String ACCEPTED_EXAMPLE = "{\"status\": \"accepted\", \"message\": \"If the address can be used, we have sent an email to it.\"}";

    public record EmailRequest(@NotBlank @Size(max = 254) String email) {
    }

    private final RegistrationService registration;

    public RegistrationResource(RegistrationService registration) {
        this.registration = registration;
    }

    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RegisterRequest.class),
            examples = @ExampleObject(name = "register", value = REGISTER_EXAMPLE)))
    @APIResponse(responseCode = "202", description = "Accepted; a verification mail follows if the address can register",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class),
                    examples = @ExampleObject(name = "accepted", value = ACCEPTED_EXAMPLE)))
    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_CAPTCHA_REQUIRED SYS_RATE_LIMITED SYS_BUSY")
    @POST
    @Path("/register")
    public Uni<Response> register(@Valid @NotNull RegisterRequest body,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage, @Context HttpServerRequest request) {
        return registration.register(body.email(), body.password(), body.captchaToken(),
                        Language.fromAcceptLanguage(acceptLanguage), ClientInfo.of(request))
                .map(ignored -> Response.accepted(ACCEPTED).build());
    }

    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_TOKEN_INVALID SYS_RATE_LIMITED")
    @GET
    @Path("/verify-email")
    public Uni<Map<String, Object>> verifyEmail(@QueryParam("token") @NotBlank @Size(max = 128) String token,
            @Context HttpServerRequest request) {
        return registration.verifyEmail(token, ClientInfo.of(request)).map(ignored -> Map.of("emailVerified", true));
    }

    @APIResponse(responseCode = "202", description = "Accepted; a mail follows if the address waits for verification",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "SYS_RATE_LIMITED")
    @POST
    @Path("/resend-verification")
    public Uni<Response> resend(@Valid @NotNull EmailRequest body, @Context HttpServerRequest request) {
        return registration.resendVerification(body.email(), ClientInfo.of(request))
                .map(ignored -> Response.accepted(ACCEPTED).build());
    }
}

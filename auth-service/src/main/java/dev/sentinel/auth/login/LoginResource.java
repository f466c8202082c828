package dev.sentinel.auth.login;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.session.TokenDelivery;
import dev.sentinel.auth.session.TokenDocs;
import dev.sentinel.auth.session.Tokens;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Password sign-in. */
@CompletesOnHangUp
@Path("/v1/auth/login")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LoginResource {

    /** @param tokenDelivery {@code body} (default) or {@code cookie} for browsers */
    public record LoginRequest(
            @NotBlank @Size(max = 254) String email,
            @NotNull @Size(max = 1024) String password,
            @Size(max = 2048) String captchaToken,
            @Pattern(regexp = "body|cookie") String tokenDelivery) {
    }

    /** The answer when the account has 2FA on: send {@code mfaToken} with a code to /v1/auth/2fa/verify. */
    @Schema(name = "MfaRequired", requiredProperties = {"mfaRequired", "mfaToken"})
    public record MfaRequired(@Schema(description = "Always true here") boolean mfaRequired,
            @Schema(description = "Valid for one second step, for a few minutes") String mfaToken) {
    }

    static final String REQUEST_EXAMPLE = "{\"email\": \"ada@example.com\", \"password\": \"correct horse battery staple\","
            + " \"tokenDelivery\": \"body\"}";
    static final String MFA_EXAMPLE = "{\"mfaRequired\": true, \"mfaToken\": \"mfa_Zx8-yW7vU6tS5rQ4pO3nM2lK1jI0hGfEdCbA\"}";

    private final LoginService login;
    private final int refreshMaxAge;

    public LoginResource(LoginService login, AuthConfig config) {
        this.login = login;
        this.refreshMaxAge = (int) config.refresh().lifetime().toSeconds();
    }

    @Operation(operationId = "login", summary = "Sign in with email and password")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LoginRequest.class),
            examples = @ExampleObject(name = "login", value = REQUEST_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Signed in (the tokens), or the account has 2FA on and a second step follows (mfaRequired)",
            headers = @Header(name = "Set-Cookie", description = TokenDocs.SET_COOKIE, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(oneOf = {Tokens.class, MfaRequired.class}),
                    examples = {@ExampleObject(name = "body", summary = "Body mode", value = TokenDocs.BODY_MODE),
                        @ExampleObject(name = "cookie", summary = "Cookie mode: the refresh token is in the cookie", value = TokenDocs.COOKIE_MODE),
                        @ExampleObject(name = "mfaRequired", summary = "2FA on: the second step follows", value = MFA_EXAMPLE)}))
    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_INVALID_CREDENTIALS AUTH_CAPTCHA_REQUIRED AUTH_EMAIL_NOT_VERIFIED AUTH_ACCOUNT_LOCKED SYS_RATE_LIMITED SYS_BUSY")
    @POST
    public Uni<Response> login(@Valid @NotNull LoginRequest body, @Context HttpServerRequest request) {
        boolean cookieMode = TokenDelivery.COOKIE_MODE.equals(body.tokenDelivery());
        return login.login(body.email(), body.password(), body.captchaToken(), ClientInfo.of(request))
                .map(result -> result instanceof LoginResult.Tokens tokens
                        ? TokenDelivery.ok(tokens.tokens(), cookieMode, refreshMaxAge)
                        : Response.ok(new MfaRequired(true, ((LoginResult.MfaRequired) result).mfaToken())).build());
    }
}

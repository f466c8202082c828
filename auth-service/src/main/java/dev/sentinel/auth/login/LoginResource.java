package dev.sentinel.auth.login;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.session.TokenDelivery;
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

import java.util.Map;

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

    private final LoginService login;
    private final int refreshMaxAge;

    public LoginResource(LoginService login, AuthConfig config) {
        this.login = login;
        this.refreshMaxAge = (int) config.refresh().lifetime().toSeconds();
    }

    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_INVALID_CREDENTIALS AUTH_CAPTCHA_REQUIRED AUTH_EMAIL_NOT_VERIFIED AUTH_ACCOUNT_LOCKED SYS_RATE_LIMITED SYS_BUSY")
    @POST
    public Uni<Response> login(@Valid @NotNull LoginRequest body, @Context HttpServerRequest request) {
        boolean cookieMode = TokenDelivery.COOKIE_MODE.equals(body.tokenDelivery());
        return login.login(body.email(), body.password(), body.captchaToken(), ClientInfo.of(request))
                .map(result -> result instanceof LoginResult.Tokens tokens
                        ? TokenDelivery.ok(tokens.tokens(), cookieMode, refreshMaxAge)
                        : Response.ok(Map.of("mfaRequired", true,
                                "mfaToken", ((LoginResult.MfaRequired) result).mfaToken())).build());
    }
}

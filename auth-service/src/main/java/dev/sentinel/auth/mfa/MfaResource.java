package dev.sentinel.auth.mfa;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.session.TokenDelivery;
import dev.sentinel.auth.session.TokenDocs;
import dev.sentinel.auth.session.Tokens;
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
import jakarta.validation.constraints.Pattern;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.Map;

/** Two-factor enrolment, the second sign-in step, recovery codes. */
@CompletesOnHangUp
@Path("/v1/auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MfaResource {

    /** Few enough codes left that the user should make new ones. */
    static final int LOW_ON_CODES = 2;

    public record CodeRequest(@NotBlank @Size(max = 16) String code) {
    }

    public record VerifyRequest(@NotBlank @Size(max = 128) String mfaToken, @NotBlank @Size(max = 16) String code,
            @Pattern(regexp = "body|cookie") String tokenDelivery) {
    }

    public record RecoveryRequest(@NotBlank @Size(max = 128) String mfaToken,
            @NotBlank @Size(max = 64) String recoveryCode, @Pattern(regexp = "body|cookie") String tokenDelivery) {
    }

    public record ConfirmRequest(@NotNull @Size(max = 1024) String password, @NotBlank @Size(max = 16) String code) {
    }

    private final MfaService mfa;
    private final JsonWebToken jwt;
    private final int refreshMaxAge;

    public MfaResource(MfaService mfa, JsonWebToken jwt, AuthConfig config) {
        this.mfa = mfa;
        this.jwt = jwt;
        this.refreshMaxAge = (int) config.refresh().lifetime().toSeconds();
    }

    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_MFA_ALREADY_ENABLED")
    @POST
    @Path("/2fa/enable-init")
    @Consumes(MediaType.WILDCARD)
    @Authenticated
    public Uni<MfaService.Enrolment> enableInit() {
        return mfa.enableInit(Caller.userId(jwt));
    }

    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_MFA_INVALID_CODE AUTH_MFA_LOCKED AUTH_TOKEN_INVALID BIZ_MFA_ALREADY_ENABLED BIZ_MFA_NOT_ENABLED")
    @POST
    @Path("/2fa/enable-complete")
    @Authenticated
    public Uni<Map<String, Object>> enableComplete(@Valid @NotNull CodeRequest body, @Context HttpServerRequest request) {
        return mfa.enableComplete(Caller.userId(jwt), body.code(), ClientInfo.of(request)).map(MfaResource::codes);
    }

    @APIResponse(responseCode = "200", description = "Signed in: the tokens",
            headers = @Header(name = "Set-Cookie", description = TokenDocs.SET_COOKIE, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Tokens.class),
                    examples = {@ExampleObject(name = "body", summary = "Body mode", value = TokenDocs.BODY_MODE),
                        @ExampleObject(name = "cookie", summary = "Cookie mode: the refresh token is in the cookie", value = TokenDocs.COOKIE_MODE)}))
    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_TOKEN_INVALID AUTH_MFA_INVALID_CODE AUTH_MFA_LOCKED AUTH_ACCOUNT_LOCKED SYS_RATE_LIMITED")
    @POST
    @Path("/2fa/verify")
    public Uni<Response> verify(@Valid @NotNull VerifyRequest body, @Context HttpServerRequest request) {
        return mfa.verifyLogin(body.mfaToken(), body.code(), ClientInfo.of(request))
                .map(tokens -> TokenDelivery.ok(tokens, TokenDelivery.COOKIE_MODE.equals(body.tokenDelivery()),
                        refreshMaxAge));
    }

    @APIResponse(responseCode = "200", description = "Signed in with a recovery code: the tokens and the codes left",
            headers = @Header(name = "Set-Cookie", description = TokenDocs.SET_COOKIE, schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecoveryTokens.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_TOKEN_INVALID AUTH_MFA_INVALID_CODE AUTH_MFA_LOCKED AUTH_ACCOUNT_LOCKED SYS_RATE_LIMITED")
    @POST
    @Path("/recovery-login")
    public Uni<Response> recoveryLogin(@Valid @NotNull RecoveryRequest body, @Context HttpServerRequest request) {
        return mfa.recoveryLogin(body.mfaToken(), body.recoveryCode(), ClientInfo.of(request))
                .map(result -> TokenDelivery.ok(result.tokens(), TokenDelivery.COOKIE_MODE.equals(body.tokenDelivery()),
                        refreshMaxAge, tokens -> RecoveryTokens.of(tokens, result.remaining(),
                                result.remaining() <= LOW_ON_CODES)));
    }

    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_INVALID_CREDENTIALS AUTH_MFA_INVALID_CODE AUTH_MFA_LOCKED BIZ_MFA_NOT_ENABLED SYS_BUSY")
    @POST
    @Path("/2fa/disable")
    @Authenticated
    public Uni<Map<String, Object>> disable(@Valid @NotNull ConfirmRequest body, @Context HttpServerRequest request) {
        return mfa.disable(Caller.userId(jwt), body.password(), body.code(), ClientInfo.of(request))
                .map(ignored -> Map.of("mfaEnabled", false));
    }

    @Operation(operationId = "regenerateRecoveryCodes", summary = "Replace the recovery codes")
    @Extension(name = ProblemResponses.ERRORS, value = "AUTH_INVALID_CREDENTIALS AUTH_MFA_INVALID_CODE AUTH_MFA_LOCKED BIZ_MFA_NOT_ENABLED SYS_BUSY")
    @POST
    @Path("/2fa/recovery-codes")
    @Authenticated
    public Uni<Map<String, Object>> regenerate(@Valid @NotNull ConfirmRequest body) {
        return mfa.regenerate(Caller.userId(jwt), body.password(), body.code()).map(MfaResource::codes);
    }

    private static Map<String, Object> codes(List<String> codes) {
        return Map.of("recoveryCodes", codes,
                "message", "Store these codes somewhere safe. Each works once; they are not shown again.");
    }
}

package dev.sentinel.auth.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sentinel.auth.mfa.MfaService;
import dev.sentinel.auth.web.Caller;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.i18n.Language;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** The signed-in user's own account: reading it, and choosing the language of its emails. */
@CompletesOnHangUp
@Path("/v1/auth/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /**
     * @param language the preferred language (a {@link Language} tag) every email to the user is in
     * @param recoveryCodesRemaining present only while 2FA is on
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Me(UUID id, String email, boolean emailVerified, Set<String> roles, boolean mfaEnabled,
            Long recoveryCodesRemaining, String language, Instant createdAt) {
    }

    /** What the user may change about their account. */
    public record MeChange(
            @NotNull @Pattern(regexp = Language.PATTERN, message = "must be one of: " + Language.PATTERN)
            String language) {
    }

    private final UserService users;
    private final MfaService mfa;
    private final JsonWebToken jwt;

    public MeResource(UserService users, MfaService mfa, JsonWebToken jwt) {
        this.users = users;
        this.mfa = mfa;
        this.jwt = jwt;
    }

    @GET
    @Authenticated
    public Uni<Me> me() {
        return users.get(Caller.userId(jwt)).chain(this::view);
    }

    @Operation(operationId = "changeMe", summary = "Change the signed-in user's preferences (language)")
    @PATCH
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Me> change(@Valid @NotNull MeChange body, @Context HttpServerRequest request) {
        Language language = Language.of(body.language()).orElseThrow();
        return users.changeLanguage(Caller.userId(jwt), language, ClientInfo.of(request)).chain(this::view);
    }

    private Uni<Me> view(User user) {
        return (user.mfaEnabled ? mfa.remaining(user.id) : Uni.createFrom().<Long>nullItem())
                .map(remaining -> new Me(user.id, user.email, user.emailVerified, new TreeSet<>(user.roles),
                        user.mfaEnabled, remaining, user.language, user.createdAt));
    }
}

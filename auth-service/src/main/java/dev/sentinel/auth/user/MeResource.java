package dev.sentinel.auth.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sentinel.auth.mfa.MfaService;
import dev.sentinel.auth.web.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** The signed-in user's own account. */
@Path("/v1/auth/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /** @param recoveryCodesRemaining present only while 2FA is on */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Me(UUID id, String email, boolean emailVerified, Set<String> roles, boolean mfaEnabled,
            Long recoveryCodesRemaining, Instant createdAt) {
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
        return users.get(Caller.userId(jwt)).chain(user -> (user.mfaEnabled
                        ? mfa.remaining(user.id) : Uni.createFrom().<Long>nullItem())
                .map(remaining -> new Me(user.id, user.email, user.emailVerified, new TreeSet<>(user.roles),
                        user.mfaEnabled, remaining, user.createdAt)));
    }
}

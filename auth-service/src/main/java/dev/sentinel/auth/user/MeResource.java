package dev.sentinel.auth.user;

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

    public record Me(UUID id, String email, boolean emailVerified, Set<String> roles, boolean mfaEnabled,
            Instant createdAt) {
    }

    private final UserService users;
    private final JsonWebToken jwt;

    public MeResource(UserService users, JsonWebToken jwt) {
        this.users = users;
        this.jwt = jwt;
    }

    @GET
    @Authenticated
    public Uni<Me> me() {
        return users.get(Caller.userId(jwt)).map(user -> new Me(user.id, user.email, user.emailVerified, new TreeSet<>(user.roles), user.mfaEnabled,
                user.createdAt));
    }
}

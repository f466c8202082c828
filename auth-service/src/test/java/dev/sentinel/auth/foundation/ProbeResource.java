package dev.sentinel.auth.foundation;

import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Min;
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
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Map;
import java.util.UUID;

/**
 * Test-only endpoints that exercise the shared edge (problem mapping, JWT verification,
 * revocation) before the service has real endpoints of each kind.
 */
@CompletesOnHangUp
@Path("/test-probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    public record Payload(@NotBlank @Email String email, @Min(1) int count, @NotNull @Size(max = 10) String name) {
    }

    @Inject
    JsonWebToken jwt;

    @POST
    @Path("/echo")
    @Consumes(MediaType.APPLICATION_JSON)
    public Payload echo(@Valid @NotNull Payload payload) {
        return payload;
    }

    @GET
    @Path("/me")
    @Authenticated
    public Map<String, String> me() {
        return Map.of("sub", jwt.getSubject());
    }

    @GET
    @Path("/admin")
    @RolesAllowed(Roles.ADMIN)
    public Map<String, String> admin() {
        return Map.of("sub", jwt.getSubject());
    }

    /** Typed header and query parameters, for the wrong-type problems (ProblemMappingTest). */
    @GET
    @Path("/typed")
    public Map<String, String> typed(@HeaderParam("X-Count") Integer count, @HeaderParam("X-Ref") UUID ref,
            @QueryParam("limit") Integer limit) {
        return Map.of("count", String.valueOf(count), "ref", String.valueOf(ref), "limit", String.valueOf(limit));
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("internal detail that must not leak");
    }
}

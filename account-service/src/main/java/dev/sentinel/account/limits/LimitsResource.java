package dev.sentinel.account.limits;

import dev.sentinel.account.web.AccountId;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** Cap, warning threshold and period totals of the caller's own account, and of any account for billing admins. */
@CompletesOnHangUp
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LimitsResource {

    private final LimitsService limits;
    private final JsonWebToken caller;

    public LimitsResource(LimitsService limits, JsonWebToken caller) {
        this.limits = limits;
        this.caller = caller;
    }

    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @GET
    @Path("account/limits")
    @RolesAllowed(Roles.USER)
    public Uni<LimitsView> ownLimits() {
        return limits.ownLimits(caller.getSubject());
    }

    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND BIZ_LIMIT_ABOVE_PLAN_MAXIMUM")
    @POST
    @Path("account/limits")
    @RolesAllowed(Roles.USER)
    public Uni<LimitsView> changeOwnLimits(@Valid @NotNull LimitsChange change) {
        return limits.changeLimits(caller.getSubject(), change, caller.getSubject());
    }

    /** Also SERVICE: admin-audit-service reads it for the admin console's user detail (DESIGN §6). */
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @GET
    @Path("admin/accounts/{userId}/limits")
    @RolesAllowed({Roles.ADMIN, Roles.BILLING_ADMIN, Roles.SERVICE})
    public Uni<LimitsView> limits(@PathParam("userId") @AccountId String userId) {
        return limits.limits(userId);
    }

    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND BIZ_LIMIT_ABOVE_PLAN_MAXIMUM")
    @POST
    @Path("admin/accounts/{userId}/limits")
    @RolesAllowed({Roles.ADMIN, Roles.BILLING_ADMIN})
    public Uni<LimitsView> changeLimits(@PathParam("userId") @AccountId String userId,
            @Valid @NotNull LimitsChange change) {
        return limits.changeLimits(userId, change, caller.getSubject());
    }
}

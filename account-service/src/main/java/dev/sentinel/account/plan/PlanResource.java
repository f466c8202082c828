package dev.sentinel.account.plan;

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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** The plan of the caller's own account, and of any account for billing admins. */
@CompletesOnHangUp
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlanResource {

    private final PlanService plans;
    private final JsonWebToken caller;

    public PlanResource(PlanService plans, JsonWebToken caller) {
        this.plans = plans;
        this.caller = caller;
    }

    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @GET
    @Path("account/plan")
    @RolesAllowed(Roles.USER)
    public Uni<PlanView> ownPlan() {
        return plans.ownPlan(caller.getSubject());
    }

    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @POST
    @Path("account/plan")
    @RolesAllowed(Roles.USER)
    public Uni<PlanView> changeOwnPlan(@Valid @NotNull PlanChange change) {
        return plans.changePlan(caller.getSubject(), change.plan(), caller.getSubject());
    }

    /** Also SERVICE: admin-audit-service reads it for the admin console's user detail (DESIGN §6). */
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @GET
    @Path("admin/accounts/{userId}/plan")
    @RolesAllowed({Roles.ADMIN, Roles.BILLING_ADMIN, Roles.SERVICE})
    public Uni<PlanView> plan(@PathParam("userId") @AccountId String userId) {
        return plans.plan(userId);
    }

    /**
     * Many accounts' plans in one read, for the admin console's plan column and plan filter
     * (admin-audit-service, SERVICE): up to 200 ids; ids without an account are left out and
     * {@code defaultPlan} says what such a user gets on first use. Nothing is created.
     */
    @Operation(operationId = "lookupPlans", summary = "The plans of up to 200 accounts in one read (never creates an account)")
    @POST
    @Path("admin/accounts/plans/lookup")
    @RolesAllowed({Roles.ADMIN, Roles.BILLING_ADMIN, Roles.SERVICE})
    public Uni<PlanLookup.Answer> lookup(@Valid @NotNull PlanLookup body) {
        return plans.lookup(body.userIds());
    }

    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_USER_NOT_FOUND")
    @POST
    @Path("admin/accounts/{userId}/plan")
    @RolesAllowed({Roles.ADMIN, Roles.BILLING_ADMIN})
    public Uni<PlanView> changePlan(@PathParam("userId") @AccountId String userId, @Valid @NotNull PlanChange change) {
        return plans.changePlan(userId, change.plan(), caller.getSubject());
    }
}

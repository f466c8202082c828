package dev.sentinel.audit.admin;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * account-service's admin reads ({@code /v1/admin/accounts/{userId}/plan} and {@code /limits},
 * and many plans at once, {@code /plans/lookup}; plain reads that never create an account), called with this service's
 * SERVICE token. Fault tolerance is in {@link AccountBilling}; this is only the wire.
 */
@RegisterRestClient(configKey = "account-service")
@Path("/v1/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Accept", value = MediaType.APPLICATION_JSON)
public interface AccountApi {

    record Plan(String plan, Instant since, long maxMonthlyCapCents) {
    }

    record Limits(long monthlyCapCents, long maxMonthlyCapCents, int warnThresholdPercent, long spentCents,
            long reservedCents, long remainingCents, Instant periodStart, Instant periodEnd) {
    }

    record PlanLookup(List<String> userIds) {
    }

    record AccountPlan(String userId, String plan, Instant since) {
    }

    /** The plans of the ids asked that have an account; {@code defaultPlan}: what one without gets on first use. */
    record Plans(String defaultPlan, List<AccountPlan> items) {
    }

    @GET
    @Path("/{userId}/plan")
    Uni<Plan> plan(@HeaderParam("Authorization") String bearer, @PathParam("userId") UUID userId);

    @GET
    @Path("/{userId}/limits")
    Uni<Limits> limits(@HeaderParam("Authorization") String bearer, @PathParam("userId") UUID userId);

    /** Many accounts' plans in one read (at most 200 ids; nothing is created). */
    @POST
    @Path("/plans/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Plans> plans(@HeaderParam("Authorization") String bearer, PlanLookup body);

    /** Every 4xx/5xx answer becomes an {@link AuthAnswered} naming account-service. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return AuthAnswered.of(AccountBilling.DEPENDENCY, response);
    }
}

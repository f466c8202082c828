package dev.sentinel.account.spend;

import dev.sentinel.account.web.AccountId;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.UUID;

/**
 * Charges and reservations: a user on their own account ({@code /v1/account/spend...}), a
 * SERVICE client on any account ({@code /v1/admin/accounts/{userId}/spend...}).
 */
@CompletesOnHangUp
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SpendResource {

    private final SpendService spend;
    private final JsonWebToken caller;

    public SpendResource(SpendService spend, JsonWebToken caller) {
        this.spend = spend;
        this.caller = caller;
    }

    @APIResponse(responseCode = "200", description = "Charged", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChargeReceipt.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_SPEND_CAP_REACHED BIZ_IDEMPOTENCY_KEY_REUSED BIZ_USER_NOT_FOUND")
    @POST
    @Path("account/spend")
    @RolesAllowed(Roles.USER)
    public Uni<Response> chargeOwn(@Valid @NotNull Charge charge) {
        return spend.charge(caller.getSubject(), charge, caller.getSubject()).map(SpendResource::answer);
    }

    @APIResponse(responseCode = "201", description = "Held", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReservationReceipt.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_SPEND_CAP_REACHED BIZ_IDEMPOTENCY_KEY_REUSED BIZ_USER_NOT_FOUND")
    @POST
    @Path("account/spend/reservations")
    @RolesAllowed(Roles.USER)
    public Uni<Response> reserveOwn(@Valid @NotNull Reserve reserve) {
        return spend.reserve(caller.getSubject(), reserve, caller.getSubject()).map(SpendResource::answer);
    }

    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_RESERVATION_NOT_FOUND BIZ_RESERVATION_EXPIRED BIZ_RESERVATION_CLOSED BIZ_COMMIT_EXCEEDS_HOLD")
    @POST
    @Path("account/spend/reservations/{id}/commit")
    @RolesAllowed(Roles.USER)
    public Uni<ReservationReceipt> commitOwn(@PathParam("id") String id, @Valid @NotNull Commit commit) {
        return spend.commit(caller.getSubject(), reservationId(id), commit.amountCents(), caller.getSubject());
    }

    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_RESERVATION_NOT_FOUND BIZ_RESERVATION_EXPIRED BIZ_RESERVATION_CLOSED")
    @POST
    @Path("account/spend/reservations/{id}/release")
    @RolesAllowed(Roles.USER)
    public Uni<ReservationReceipt> releaseOwn(@PathParam("id") String id) {
        return spend.release(caller.getSubject(), reservationId(id));
    }

    @APIResponse(responseCode = "200", description = "Charged", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChargeReceipt.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_SPEND_CAP_REACHED BIZ_IDEMPOTENCY_KEY_REUSED BIZ_USER_NOT_FOUND")
    @POST
    @Path("admin/accounts/{userId}/spend")
    @RolesAllowed(Roles.SERVICE)
    public Uni<Response> charge(@PathParam("userId") @AccountId String userId, @Valid @NotNull Charge charge) {
        return spend.charge(userId, charge, caller.getSubject()).map(SpendResource::answer);
    }

    @APIResponse(responseCode = "201", description = "Held", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReservationReceipt.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_SPEND_CAP_REACHED BIZ_IDEMPOTENCY_KEY_REUSED BIZ_USER_NOT_FOUND")
    @POST
    @Path("admin/accounts/{userId}/spend/reservations")
    @RolesAllowed(Roles.SERVICE)
    public Uni<Response> reserve(@PathParam("userId") @AccountId String userId, @Valid @NotNull Reserve reserve) {
        return spend.reserve(userId, reserve, caller.getSubject()).map(SpendResource::answer);
    }

    @Operation(operationId = "commitReservation", summary = "Commit a held reservation of an account (SERVICE)")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_RESERVATION_NOT_FOUND BIZ_RESERVATION_EXPIRED BIZ_RESERVATION_CLOSED BIZ_COMMIT_EXCEEDS_HOLD")
    @POST
    @Path("admin/accounts/{userId}/spend/reservations/{id}/commit")
    @RolesAllowed(Roles.SERVICE)
    public Uni<ReservationReceipt> commit(@PathParam("userId") @AccountId String userId, @PathParam("id") String id,
            @Valid @NotNull Commit commit) {
        return spend.commit(userId, reservationId(id), commit.amountCents(), caller.getSubject());
    }

    @Operation(operationId = "releaseReservation", summary = "Release a held reservation of an account (SERVICE)")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_RESERVATION_NOT_FOUND BIZ_RESERVATION_EXPIRED BIZ_RESERVATION_CLOSED")
    @POST
    @Path("admin/accounts/{userId}/spend/reservations/{id}/release")
    @RolesAllowed(Roles.SERVICE)
    public Uni<ReservationReceipt> release(@PathParam("userId") @AccountId String userId, @PathParam("id") String id) {
        return spend.release(userId, reservationId(id));
    }

    private static Response answer(SpendDecision decision) {
        if (decision.isRefused()) {
            throw decision.toProblem();
        }
        return Response.status(decision.status()).type(MediaType.APPLICATION_JSON).entity(decision.body()).build();
    }

    /** A reservation id that is not even a UUID names no reservation: 404 like an unknown one. */
    private static UUID reservationId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ErrorCode.BIZ_RESERVATION_NOT_FOUND, "No such reservation.");
        }
    }
}

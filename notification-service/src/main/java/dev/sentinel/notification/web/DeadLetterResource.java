package dev.sentinel.notification.web;

import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import dev.sentinel.notification.delivery.DeadLetter;
import dev.sentinel.notification.delivery.DeliveryService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;
import java.util.UUID;

/**
 * ADMIN-only dead-letter API: list what could not be delivered, put one or all back in the
 * queue. A redriven mail is still sent at most once.
 */
@CompletesOnHangUp
@Path("/v1/notifications/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class DeadLetterResource {

    public record Redriven(UUID eventId, String status) {
    }

    public record RedrivenAll(int redriven) {
    }

    private final DeliveryService deliveries;

    public DeadLetterResource(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    /** The newest dead letters first. */
    @Operation(operationId = "listDeadLetters", summary = "Mails that could not be sent, newest first")
    @GET
    public Uni<List<DeadLetter>> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return deliveries.deadLetters(limit);
    }

    /** 202: the mail is queued again; 404 when there is no such dead letter, 409 when it can never be sent. */
    @Operation(operationId = "redriveDeadLetter", summary = "Send one dead-lettered mail again")
    @APIResponse(responseCode = "202", description = "Queued to be sent again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Redriven.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_DEAD_LETTER_NOT_FOUND BIZ_CONFLICT")
    @POST
    @Path("/{eventId}/redrive")
    @ResponseStatus(202)
    public Uni<Redriven> redrive(@PathParam("eventId") UUID eventId) {
        return deliveries.redrive(eventId).replaceWith(new Redriven(eventId, "PENDING"));
    }

    @Operation(operationId = "redriveAllDeadLetters", summary = "Send every dead-lettered mail again")
    @APIResponse(responseCode = "202", description = "Queued to be sent again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RedrivenAll.class)))
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_CONFLICT")
    @POST
    @Path("/redrive-all")
    @ResponseStatus(202)
    public Uni<RedrivenAll> redriveAll() {
        return deliveries.redriveAll().map(RedrivenAll::new);
    }
}

package dev.sentinel.audit.approval;

import dev.sentinel.audit.access.AccessAudit;
import dev.sentinel.contracts.openapi.ProblemResponses;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.CompletesOnHangUp;
import dev.sentinel.contracts.web.StorableText;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

import java.util.List;
import java.util.UUID;

/**
 * Four-eyes approvals (DESIGN §6): ADMIN only. Approvals are made by the gated calls (roles,
 * reset-2fa, erase answer 202 with one); here an ADMIN lists and reads them and another ADMIN
 * than the one who asked approves (the action runs then) or rejects them.
 */
@Path("/v1/admin/approvals")
@CompletesOnHangUp
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class ApprovalsResource {

    /** Why an approval is rejected (optional; recorded in the approval and its event). */
    public record RejectRequest(@Size(max = 500) @StorableText String reason) {
    }

    /** What an approval may fail with, beyond input and roles: its own state, and the action's answers when it runs. */
    static final String DECIDE_ERRORS = "BIZ_APPROVAL_NOT_FOUND BIZ_SELF_APPROVAL BIZ_APPROVAL_CLOSED BIZ_APPROVAL_EXPIRED";

    private final Approvals approvals;
    private final JsonWebToken jwt;

    public ApprovalsResource(Approvals approvals, JsonWebToken jwt) {
        this.approvals = approvals;
        this.jwt = jwt;
    }

    @Operation(operationId = "listApprovals", summary = "Four-eyes approvals, newest first (status filter; keyset cursor)")
    @GET
    public Uni<ApprovalPage> list(@QueryParam("status") String status, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        String filter = ApprovalCursor.status(status);
        int size = ApprovalCursor.limit(limit);
        ApprovalCursor.before(filter, cursor); // a bad cursor is a 400 before anything is read
        return approvals.list(filter, size, cursor);
    }

    @Operation(operationId = "getApproval", summary = "One four-eyes approval")
    @Extension(name = ProblemResponses.ERRORS, value = "BIZ_APPROVAL_NOT_FOUND")
    @GET
    @Path("{id}")
    public Uni<ApprovalView> get(@PathParam("id") String id) {
        return approvals.get(approvalId(id));
    }

    /**
     * Approves another ADMIN's request: the action runs now, as the approving ADMIN, and the
     * answer is the GRANTED approval with the action's {@code result}. The requester cannot
     * approve (403, any session of theirs); a decided approval or one being approved is 409
     * {@code BIZ_APPROVAL_CLOSED}, an expired one 409 {@code BIZ_APPROVAL_EXPIRED}; an action
     * refused by its service (the user gone, the last ADMIN, 2FA already off, nothing left to
     * erase) answers that service's problem and the approval stays pending.
     */
    @Operation(operationId = "approveApproval", summary = "Approve another admin's request; the action runs now")
    @Extension(name = ProblemResponses.ERRORS, value = DECIDE_ERRORS
            + " BIZ_USER_NOT_FOUND BIZ_LAST_ADMIN BIZ_MFA_NOT_ENABLED BIZ_CONFLICT SYS_NOT_FOUND VAL_RULE_VIOLATION")
    @POST
    @Path("{id}/approve")
    public Uni<ApprovalView> approve(@PathParam("id") String id, @Context HttpServerRequest request) {
        UUID approval = approvalId(id);
        return approvals.approve(approval, AccessAudit.Caller.of(jwt, request), "Bearer " + jwt.getRawToken());
    }

    @Operation(operationId = "rejectApproval", summary = "Reject another admin's request; the action never runs")
    @Extension(name = ProblemResponses.ERRORS, value = DECIDE_ERRORS)
    @POST
    @Path("{id}/reject")
    public Uni<ApprovalView> reject(@PathParam("id") String id, @Context HttpServerRequest request) {
        return approvals.reject(approvalId(id), AccessAudit.Caller.of(jwt, request), null);
    }

    @Operation(operationId = "rejectApproval", summary = "Reject another admin's request; the action never runs")
    @Extension(name = ProblemResponses.ERRORS, value = DECIDE_ERRORS)
    @POST
    @Path("{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ApprovalView> rejectWithReason(@PathParam("id") String id, @Valid RejectRequest body,
            @Context HttpServerRequest request) {
        UUID approval = approvalId(id);
        String reason = body == null || body.reason() == null || body.reason().isBlank() ? null : body.reason().strip();
        return approvals.reject(approval, AccessAudit.Caller.of(jwt, request), reason);
    }

    private static UUID approvalId(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException malformed) {
            // the 400 below
        }
        throw ProblemException.invalidField("Bad approval id.", "id", List.of("must be a UUID"));
    }
}

package dev.sentinel.audit.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.audit.access.AccessAudit;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The approvals table and the events of each step, one transaction per step: a request and
 * its {@code approval.requested}; the claim of an approval by the ADMIN approving it (row lock,
 * then PENDING → APPROVING, so two approvers at once cannot both run the action); the grant
 * and its {@code approval.granted}; the release of a claim whose action failed; a rejection
 * and its {@code approval.rejected}. Events go to this service's outbox (the shared relay
 * publishes them; this service's consumer appends them to the log) with the deciding ADMIN as
 * actor and the approval's target as subject.
 */
@ApplicationScoped
public class ApprovalStore {

    private final AccessAudit audit;
    private final ObjectMapper json;

    public ApprovalStore(AccessAudit audit, ObjectMapper json) {
        this.audit = audit;
        this.json = json;
    }

    /** Stores a new pending approval and its {@code approval.requested}. */
    @WithTransaction
    public Uni<Approval> request(Approval approval, AccessAudit.Caller caller) {
        return approval.<Approval>persist()
                .call(saved -> audit.append(EventType.APPROVAL_REQUESTED, saved.target, caller, "success",
                        eventData(saved, "pending")));
    }

    /**
     * Records that a gated action ran at once because no second ADMIN exists
     * ({@code approval.granted} with {@code fourEyes: "single-admin"}, no approval row).
     */
    @WithTransaction
    public Uni<Void> singleAdmin(ApprovalAction action, String target, String change, AccessAudit.Caller caller) {
        ObjectNode data = audit.data(node -> {
            node.put("action", action.wireName());
            node.put("target", target);
            node.put("requestedBy", caller.admin());
            node.put("fourEyes", "single-admin");
        });
        addChange(data, change);
        return audit.append(EventType.APPROVAL_GRANTED, target, caller, "success", data);
    }

    /**
     * Takes a pending approval for {@code approver} under a row lock: 404 unknown, 403 their own
     * request, 409 already decided (or being approved), 409 expired; otherwise it is APPROVING
     * when this commits, and nobody else can claim it.
     */
    @WithTransaction
    public Uni<Approval> claim(UUID id, String approver, Instant now) {
        return decidable(id, approver, now).invoke(approval -> {
            approval.status = Approval.APPROVING;
            approval.decidedBy = approver;
            approval.decidedAt = now;
        });
    }

    /** A claimed approval whose action failed is pending again (another try, or its expiry). */
    @WithTransaction
    public Uni<Void> release(UUID id) {
        return Approval.<Approval>findById(id, LockModeType.PESSIMISTIC_WRITE).invoke(approval -> {
            if (approval != null && Approval.APPROVING.equals(approval.status)) {
                approval.status = Approval.PENDING;
                approval.decidedBy = null;
                approval.decidedAt = null;
            }
        }).replaceWithVoid();
    }

    /** The claimed approval's action ran: GRANTED with its result, and {@code approval.granted}. */
    @WithTransaction
    public Uni<Approval> grant(UUID id, String result, AccessAudit.Caller caller) {
        return Approval.<Approval>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .invoke(approval -> {
                    approval.status = Approval.GRANTED;
                    approval.result = result;
                })
                .call(approval -> audit.append(EventType.APPROVAL_GRANTED, approval.target, caller, "success",
                        eventData(approval, "approved")));
    }

    /** Rejects a pending approval (the same refusals as {@link #claim}) and records {@code approval.rejected}. */
    @WithTransaction
    public Uni<Approval> reject(UUID id, String reason, AccessAudit.Caller caller, Instant now) {
        return decidable(id, caller.admin(), now)
                .invoke(approval -> {
                    approval.status = Approval.REJECTED;
                    approval.decidedBy = caller.admin();
                    approval.decidedAt = now;
                    approval.reason = reason;
                })
                .call(approval -> {
                    ObjectNode data = eventData(approval, "rejected");
                    if (reason != null) {
                        data.put("reason", reason);
                    }
                    return audit.append(EventType.APPROVAL_REJECTED, approval.target, caller, "success", data);
                });
    }

    @WithSession
    public Uni<Approval> find(UUID id) {
        return Approval.<Approval>findById(id).onItem().ifNull().failWith(ApprovalStore::notFound);
    }

    /** Up to {@code limit} approvals below seq {@code before}, newest first, of a status (null: any) as read at {@code now}. */
    @WithSession
    public Uni<List<Approval>> page(String status, Instant now, long before, int limit) {
        Parameters parameters = Parameters.with("before", before);
        String where = "seq < :before";
        if (Approval.PENDING.equals(status) || Approval.EXPIRED.equals(status)) {
            where += " and status = 'PENDING' and expiresAt " + (Approval.PENDING.equals(status) ? ">" : "<=") + " :now";
            parameters.and("now", now);
        } else if (status != null) {
            where += " and status = :status";
            parameters.and("status", status);
        }
        return Approval.<Approval>find(where, Sort.descending("seq"), parameters).range(0, limit - 1).list();
    }

    private Uni<Approval> decidable(UUID id, String admin, Instant now) {
        return Approval.<Approval>findById(id, LockModeType.PESSIMISTIC_WRITE).map(approval -> {
            if (approval == null) {
                throw notFound();
            }
            if (approval.requestedBy.equals(admin)) {
                throw new ProblemException(ErrorCode.BIZ_SELF_APPROVAL,
                        "You asked for this action; another administrator must approve or reject it.");
            }
            if (!Approval.PENDING.equals(approval.status)) {
                throw new ProblemException(ErrorCode.BIZ_APPROVAL_CLOSED,
                        "This approval is " + approval.status.toLowerCase(java.util.Locale.ROOT) + " already.");
            }
            if (!now.isBefore(approval.expiresAt)) {
                throw new ProblemException(ErrorCode.BIZ_APPROVAL_EXPIRED, "This approval expired at " + approval.expiresAt + ".");
            }
            return approval;
        });
    }

    private static ProblemException notFound() {
        return new ProblemException(ErrorCode.BIZ_APPROVAL_NOT_FOUND, "There is no such approval.");
    }

    /** The data every approval event carries: which approval, what it asks, who asked, and the change. */
    private ObjectNode eventData(Approval approval, String fourEyes) {
        ObjectNode data = audit.data(node -> {
            node.put("approvalId", approval.id.toString());
            node.put("action", approval.action);
            node.put("target", approval.target);
            node.put("requestedBy", approval.requestedBy);
            node.put("expiresAt", approval.expiresAt.toString());
            node.put("fourEyes", fourEyes);
        });
        addChange(data, approval.change);
        return data;
    }

    private void addChange(ObjectNode data, String change) {
        if (change == null) {
            return;
        }
        try {
            JsonNode parsed = json.readTree(change);
            data.set("before", parsed.get("before"));
            data.set("after", parsed.get("after"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored approval change is not JSON", e);
        }
    }
}

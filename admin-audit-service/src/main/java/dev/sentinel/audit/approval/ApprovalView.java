package dev.sentinel.audit.approval;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An approval as the API shows it. {@code status}: PENDING, APPROVING (another ADMIN approved
 * and the action is running), GRANTED, REJECTED or EXPIRED (pending past {@code expiresAt}).
 * {@code roles}: the role set a {@code grant-admin} asks for; {@code result}: the action's
 * answer once granted; {@code reason}: a rejection's reason, when one was given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalView(UUID id, String action, String target, List<String> roles, String status,
        String requestedBy, Instant requestedAt, Instant expiresAt, String decidedBy, Instant decidedAt,
        String reason, Map<String, Object> result) {
}

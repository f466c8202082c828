package dev.sentinel.audit.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One audit row as the API shows it: its place in the tree ({@code seq}, {@code leafHash})
 * and the event with personal fields decrypted. When the subject's key was erased those
 * fields are null and {@code personalDataErased} is true. When retention purged the row's
 * payload ({@code purged} true) only seq, leafHash, id, type, time and source are left.
 */
@RegisterForReflection
public record AuditLogEntry(long seq, String leafHash, String id, String type, String time, String source,
        String subject, String actor, String outcome, String ip, String userAgent, String traceId, JsonNode data,
        boolean personalDataErased, boolean purged) {
}

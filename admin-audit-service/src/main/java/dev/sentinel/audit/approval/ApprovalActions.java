package dev.sentinel.audit.approval;

import dev.sentinel.audit.access.AccessAudit;
import dev.sentinel.audit.admin.AuthUsers;
import dev.sentinel.audit.erase.SubjectErasure;
import dev.sentinel.audit.ingest.AuditMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one code path of each gated action, whether it runs at once (gate off, a single ADMIN)
 * or once another ADMIN approved: the same calls the console made before approvals existed.
 * auth's actions go through {@link AuthUsers} (auth down is the usual 503 naming it); the
 * erasure through {@link SubjectErasure}, counted once committed.
 */
@ApplicationScoped
public class ApprovalActions {

    /**
     * What runs, and as whom: {@code caller} is the ADMIN whose request makes it run (the
     * requester, or the approver), {@code adminBearer} their own token (auth takes a 2FA reset
     * only from an administrator's token), {@code fourEyes} what the erasure's event says.
     */
    public record Run(ApprovalAction action, String target, Set<String> roles, AccessAudit.Caller caller,
            String adminBearer, Map<String, String> fourEyes) {
    }

    private final AuthUsers auth;
    private final SubjectErasure erasure;
    private final AuditMetrics metrics;

    public ApprovalActions(AuthUsers auth, SubjectErasure erasure, AuditMetrics metrics) {
        this.auth = auth;
        this.erasure = erasure;
        this.metrics = metrics;
    }

    /** Runs the action; its answer (auth's role set, nothing for a reset, the erasure's counts). */
    public Uni<Object> run(Run run) {
        return switch (run.action()) {
            case GRANT_ADMIN -> auth.roles(run.caller().admin(), UUID.fromString(run.target()), run.roles())
                    .onFailure().transform(AuthUsers::unavailable).map(roles -> (Object) roles);
            case RESET_ADMIN_MFA -> auth.resetMfa(run.adminBearer(), UUID.fromString(run.target()))
                    .onFailure().transform(AuthUsers::unavailable).map(done -> (Object) Map.of());
            case ERASE_SUBJECT -> erasure.erase(run.target(), run.caller(), run.fourEyes())
                    .invoke(erased -> metrics.subjectErased()).map(erased -> (Object) erased);
        };
    }
}

package dev.sentinel.audit.erase;

import dev.sentinel.audit.access.AccessAudit;
import dev.sentinel.audit.tree.TreeSql;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.Problem;
import dev.sentinel.contracts.problem.ProblemException;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Erases a subject's personal fields from the audit log without touching a leaf (README,
 * "Erasure"): in one transaction, under the append lock (so no batch is sealing rows with the
 * key meanwhile), the subject's data key is deleted, the blind index of its rows' ip is
 * cleared, and {@code subject.erased} is written to the outbox. The ciphertext stays: every
 * leaf, tree node, checkpoint and proof is unchanged, and nobody can open it any more.
 *
 * <p>DESIGN §6 makes erasure a four-eyes action by default: the console's endpoint goes through
 * {@code approval.Approvals}, which calls this once another ADMIN approved (or at once, while
 * there is only one ADMIN or the gate is off) and says which in {@code fourEyes}.
 */
@ApplicationScoped
public class SubjectErasure {

    /** What an erasure did. */
    @RegisterForReflection
    public record Erased(String subject, long rows, long ipIndexesCleared) {
    }

    private final AccessAudit audit;

    public SubjectErasure(AccessAudit audit) {
        this.audit = audit;
    }

    /**
     * A subject as the path names it: what a row's {@code subject} can be (1–128 printable
     * characters), and never an {@code event:} owner (the key of an event without subject).
     */
    public static String checked(String subject) {
        if (subject == null || subject.isEmpty() || subject.length() > 128 || subject.startsWith("event:")
                || subject.chars().anyMatch(Character::isISOControl) || !subject.codePoints().allMatch(Character::isDefined)) {
            throw new ProblemException(ErrorCode.VAL_INVALID_FIELDS, "Bad subject id.",
                    List.of(new Problem.FieldError("id", "must be a subject id: 1 to 128 printable characters")), Map.of(), null);
        }
        return subject;
    }

    /**
     * The refusals of {@link #erase} checked ahead, without changing anything: 404 when the log
     * knows nothing of the subject, 409 when nothing is left to erase. A four-eyes erasure asks
     * this before it makes an approval that could never succeed (erase checks again under the lock).
     */
    @WithSession
    public Uni<Void> erasable(String subject) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select count(*) from audit_subject_key where owner = :owner", Long.class)
                .setParameter("owner", subject).getSingleResult()
                .chain(keys -> {
                    if (keys > 0) {
                        return Uni.createFrom().voidItem();
                    }
                    return session.createNativeQuery("select count(*) from audit_log where subject = :subject", Long.class)
                            .setParameter("subject", subject).getSingleResult()
                            .chain(rows -> Uni.createFrom().<Void>failure(refusal(0, rows)));
                }));
    }

    private static ProblemException refusal(long keys, long rows) {
        if (keys == 0 && rows == 0) {
            return new ProblemException(ErrorCode.SYS_NOT_FOUND, "The audit log has no row of this subject.");
        }
        return new ProblemException(ErrorCode.BIZ_CONFLICT,
                "This subject has no personal fields left to erase (already erased, or none recorded).");
    }

    /**
     * 404 when the log knows nothing of the subject, 409 when it has rows but no key (erased
     * before and no event since made a new one, or none of its events had a personal field); otherwise the key is deleted and the event recorded.
     * {@code fourEyes} goes into the event's data as given ({@code fourEyes}: {@code approved},
     * {@code single-admin} or {@code not-required}; with an approval, its {@code approvalId} and
     * {@code requestedBy}).
     */
    @WithSpan("audit.erase")
    @WithTransaction
    public Uni<Erased> erase(String subject, AccessAudit.Caller caller, Map<String, String> fourEyes) {
        return Panache.getSession().chain(session -> session.createNativeQuery(TreeSql.LOCK).getSingleResult()
                .chain(locked -> session.createNativeQuery("delete from audit_subject_key where owner = :owner")
                        .setParameter("owner", subject).executeUpdate())
                .chain(keys -> session.createNativeQuery("select count(*) from audit_log where subject = :subject", Long.class)
                        .setParameter("subject", subject).getSingleResult()
                        .chain(rows -> {
                            if (keys == 0) {
                                return Uni.createFrom().failure(refusal(keys, rows));
                            }
                            return session.createNativeQuery(
                                            "update audit_log set ip_index = null where subject = :subject and ip_index is not null")
                                    .setParameter("subject", subject).executeUpdate()
                                    .map(cleared -> new Erased(subject, rows, cleared));
                        }))
                .call(erased -> audit.append(EventType.SUBJECT_ERASED, subject, caller, "success", audit.data(data -> {
                    data.put("rows", erased.rows());
                    data.put("ipIndexesCleared", erased.ipIndexesCleared());
                    fourEyes.forEach(data::put);
                }))));
    }
}

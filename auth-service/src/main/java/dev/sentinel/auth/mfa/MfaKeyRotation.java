package dev.sentinel.auth.mfa;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Moves TOTP seeds still under an older encryption key to the current one in the background,
 * in batches of {@value #BATCH} (every {@code auth.encryption.reencrypt-interval}, 10 minutes by
 * default; every replica may run it). A sign-in with a code moves its own seed at once; this
 * catches the users who do not sign in, so after a rotation the old key can be removed once
 * {@code select key_version, count(*) from mfa_credential group by 1} shows none under it
 * (docs/key-rotation.md §2). Logs counts and key versions only.
 */
@ApplicationScoped
public class MfaKeyRotation {

    static final int BATCH = 500;
    private static final Logger LOG = Logger.getLogger(MfaKeyRotation.class);

    private final MfaService mfa;

    public MfaKeyRotation(MfaService mfa) {
        this.mfa = mfa;
    }

    @Scheduled(every = "${auth.encryption.reencrypt-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reencryptAll()
                .invoke(moved -> {
                    if (moved > 0) {
                        LOG.infof("Re-encrypted %d TOTP seeds under key version %s", moved, mfa.currentKeyVersion());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("TOTP seed re-encryption failed: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Re-encrypts every seed not under the current key, batch after batch; how many moved. */
    public Uni<Integer> reencryptAll() {
        return next(0);
    }

    private Uni<Integer> next(int movedSoFar) {
        return mfa.reencryptStale(BATCH).chain(moved -> moved < BATCH
                ? Uni.createFrom().item(movedSoFar + moved)
                : next(movedSoFar + moved));
    }
}

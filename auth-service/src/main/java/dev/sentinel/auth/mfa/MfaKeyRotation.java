package dev.sentinel.auth.mfa;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * Moves TOTP seeds still under an older encryption key to the current one in the background,
 * in batches of {@value #BATCH} (every {@code auth.encryption.reencrypt-interval}, 10 minutes by
 * default; every replica may run it). A sign-in with a code moves its own seed at once; this
 * catches the users who do not sign in, so after a rotation the old key can be removed once
 * {@code select key_version, count(*) from mfa_credential group by 1} shows none under it
 * (docs/key-rotation.md §2). A seed that does not decrypt is skipped (its user id and key
 * version logged) and the others move. Logs counts, user ids and key versions only.
 */
@ApplicationScoped
public class MfaKeyRotation {

    static final int BATCH = 500;
    private static final Logger LOG = Logger.getLogger(MfaKeyRotation.class);

    private final MfaService mfa;

    public MfaKeyRotation(MfaService mfa) {
        this.mfa = mfa;
    }

    /** What a pass over every stale seed did: seeds moved, and seeds left because they do not decrypt. */
    public record Pass(int moved, int undecryptable) {
    }

    @Scheduled(every = "${auth.encryption.reencrypt-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reencryptAll()
                .invoke(pass -> {
                    if (pass.moved() > 0) {
                        LOG.infof("Re-encrypted %d TOTP seeds under key version %s", pass.moved(), mfa.currentKeyVersion());
                    }
                    if (pass.undecryptable() > 0) {
                        LOG.warnf("%d TOTP seeds under an older key do not decrypt and stay under it (their users "
                                + "are logged above); docs/key-rotation.md §2", pass.undecryptable());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("TOTP seed re-encryption failed: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Re-encrypts every seed not under the current key, batch after batch in user id order; a
     * seed that does not decrypt is skipped and counted, and the rest go on.
     */
    public Uni<Pass> reencryptAll() {
        return next(new UUID(0, 0), new Pass(0, 0));
    }

    private Uni<Pass> next(UUID after, Pass soFar) {
        return mfa.reencryptStale(BATCH, after).chain(batch -> {
            Pass total = new Pass(soFar.moved() + batch.moved(), soFar.undecryptable() + batch.undecryptable());
            return batch.seen() < BATCH ? Uni.createFrom().item(total) : next(batch.last(), total);
        });
    }
}

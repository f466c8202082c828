package dev.sentinel.auth.password;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.web.OffEventLoop;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2id hashing (argon2-jvm, PHC strings) on a bounded pool: one thread per core and a
 * short queue. A flood of logins waits in that queue or is refused with 503 {@code SYS_BUSY}
 * — it can never pile up 64 MiB buffers or block an event loop. Results come back on the
 * caller's Vert.x context, so reactive database work can continue. Watched by
 * {@code sentinel_auth_hashing_queue_depth} (tasks waiting), {@code _queue_capacity},
 * {@code _active} (threads hashing) and {@code sentinel_auth_hashing_rejected_total} (503s).
 */
@Startup // its series must exist before the first event
@ApplicationScoped
public class PasswordHasher {

    private static final Logger LOG = Logger.getLogger(PasswordHasher.class);

    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
    private final AuthConfig.Argon2 cost;
    private final PasswordPolicy policy;
    private final ThreadPoolExecutor pool;
    /**
     * A real hash of a random password, verified against for unknown emails so they cost the
     * same. Made on the pool (its first task, so every later task finds it started): the bean
     * is created on whatever thread first needs it, often an event loop.
     */
    private final CompletableFuture<String> dummyHash;
    private final Counter rejected;

    public PasswordHasher(AuthConfig config, MeterRegistry registry) {
        this.cost = config.argon2();
        this.policy = new PasswordPolicy(config.password().minLength(), config.password().maxLength(),
                config.password().minStrength());
        int threads = cost.poolSize() > 0 ? cost.poolSize() : Runtime.getRuntime().availableProcessors();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, cost.queueSize())),
                r -> {
                    Thread t = new Thread(r, "argon2-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        int capacity = Math.max(1, cost.queueSize());
        Gauge.builder("sentinel.auth.hashing.queue.depth", pool, p -> p.getQueue().size())
                .description("Password hashing tasks waiting for a thread").register(registry);
        Gauge.builder("sentinel.auth.hashing.queue.capacity", () -> capacity)
                .description("Password hashing tasks that may wait before new ones are refused").register(registry);
        Gauge.builder("sentinel.auth.hashing.active", pool, ThreadPoolExecutor::getActiveCount)
                .description("Password hashing threads at work").register(registry);
        this.rejected = Counter.builder("sentinel.auth.hashing.rejected")
                .description("Password hashing tasks refused because the queue was full (503 SYS_BUSY)")
                .register(registry);
        this.dummyHash = CompletableFuture.supplyAsync(
                () -> hashNow(Long.toHexString(System.nanoTime()) + "-dummy-password"), pool);
    }

    void onStop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
    }

    /** Hashes a new password with the configured cost. */
    public Uni<String> hash(String password) {
        return offload(() -> hashNow(password));
    }

    /** Checks a password against a stored hash (or against the dummy hash when there is none). */
    public Uni<Verification> verify(String storedHash, String password) {
        return offload(() -> {
            boolean matches = argon2.verify(storedHash == null ? dummyHash.join() : storedHash, password.toCharArray());
            boolean stale = matches && storedHash != null
                    && StoredHash.needsRehash(storedHash, cost.iterations(), cost.memoryKib(), cost.parallelism());
            return new Verification(matches && storedHash != null, stale);
        });
    }

    /**
     * Hashes a new password if the policy accepts it for {@code email}; otherwise a 400 field
     * problem on {@code field} with every reason.
     */
    public Uni<String> hashIfAllowed(String password, String email, String field) {
        return policyProblems(password, email).chain(problems -> problems.isEmpty()
                ? hash(password)
                : Uni.createFrom().failure(ProblemException.invalidField("The password does not meet the policy.",
                        field, problems)));
    }

    /** The policy problems of a new password (CPU-bound, so it runs on the pool too). */
    public Uni<List<String>> policyProblems(String password, String email) {
        return offload(() -> policy.problems(password, email));
    }

    /** Whether a password check succeeded, and whether the stored hash should be re-made. */
    public record Verification(boolean matches, boolean needsRehash) {
    }

    private String hashNow(String password) {
        char[] chars = password.toCharArray();
        try {
            return argon2.hash(cost.iterations(), cost.memoryKib(), cost.parallelism(), chars);
        } finally {
            argon2.wipeArray(chars);
        }
    }

    private <T> Uni<T> offload(Callable<T> work) {
        return OffEventLoop.run(pool, work).onFailure(RejectedExecutionException.class).transform(full -> {
            rejected.increment();
            LOG.warn("Password hashing pool is full; refusing the request");
            return ProblemException.retryLater(ErrorCode.SYS_BUSY, "Too many sign-ins at once.", 1);
        });
    }
}

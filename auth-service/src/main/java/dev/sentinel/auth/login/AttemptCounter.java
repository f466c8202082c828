package dev.sentinel.auth.login;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Failure-limited tries in Redis, shared by every replica: a try is reserved atomically
 * (Lua) before the secret is checked, so parallel attempts can never get more tries than
 * the limit; the try that reaches the limit and fails locks the subject for a while. Used
 * for passwords and for second factors.
 */
@ApplicationScoped
public class AttemptCounter {

    /**
     * {tries so far (or -1 when refused), seconds to wait}. A try beyond the limit while
     * the limit's tries are still in flight is refused without being counted, and told to
     * come back in a second: one of those tries will either lock or reset the count.
     */
    private static final String RESERVE = """
            if redis.call('EXISTS', KEYS[2]) == 1 then return {-1, redis.call('TTL', KEYS[2])} end
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            if n > tonumber(ARGV[2]) then
              redis.call('DECR', KEYS[1])
              return {-1, 1}
            end
            return {n, 0}""";
    /** Gives a reserved try back (its secret was never checked). */
    private static final String RELEASE = """
            if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then
              redis.call('DECR', KEYS[1])
            end
            return 1""";
    private static final String LOCK = """
            redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
            redis.call('DEL', KEYS[1])
            return 1""";

    private final ReactiveRedisDataSource redis;

    public AttemptCounter(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** A reserved try: its number, or {@code locked} with the seconds left. */
    public record Attempt(long number, boolean locked, long retryAfterSeconds) {
        /** Whether a failure of this try reaches the limit and must lock. */
        public boolean isLast(int maxFailures) {
            return number == maxFailures;
        }
    }

    public Uni<Attempt> reserve(String triesKey, String lockKey, int maxFailures, Duration window) {
        return redis.execute("EVAL", RESERVE, "2", triesKey, lockKey, Long.toString(window.toSeconds()),
                        Integer.toString(maxFailures))
                .map(r -> {
                    long n = r.get(0).toLong();
                    return n < 0 ? new Attempt(n, true, Math.max(1, r.get(1).toLong())) : new Attempt(n, false, 0);
                });
    }

    /** Locks for {@code duration} and starts the count afresh. */
    public Uni<Void> lock(String triesKey, String lockKey, Duration duration) {
        return redis.execute("EVAL", LOCK, "2", triesKey, lockKey, Long.toString(duration.toSeconds()))
                .replaceWithVoid();
    }

    /** Returns a reserved try whose secret was never checked (the check was refused or failed). */
    public Uni<Void> release(String triesKey) {
        return redis.execute("EVAL", RELEASE, "1", triesKey).replaceWithVoid();
    }

    public Uni<Boolean> isLocked(String lockKey) {
        return redis.key().exists(lockKey);
    }

    public Uni<Void> reset(String... keys) {
        return redis.key().del(keys).replaceWithVoid();
    }
}

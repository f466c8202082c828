package dev.sentinel.contracts.web;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Fixed-window request limits in Redis, shared by every replica. The count and its expiry
 * are set in one atomic script, so parallel requests never slip past the limit.
 */
@ApplicationScoped
public class RateLimiter {

    static final String PREFIX = "sentinel:rate:";
    /** Returns {count, seconds left in the window}. */
    private static final String HIT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('TTL', KEYS[1])
            if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {n, ttl}""";

    private final ReactiveRedisDataSource redis;

    public RateLimiter(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** Counts one request under {@code key}; fails with 429 and Retry-After once over {@code limit}. */
    public Uni<Void> check(String key, int limit, Duration window) {
        return hit(key, window).invoke(result -> {
            if (result.count() > limit) {
                throw ProblemException.retryLater(ErrorCode.SYS_RATE_LIMITED, "Too many requests.",
                        Math.max(1, result.secondsLeft()));
            }
        }).replaceWithVoid();
    }

    /** Counts one request and tells whether it is still within {@code limit} (no error). */
    public Uni<Boolean> allow(String key, int limit, Duration window) {
        return hit(key, window).map(result -> result.count() <= limit);
    }

    private Uni<Hit> hit(String key, Duration window) {
        return redis.execute("EVAL", HIT, "1", PREFIX + key, Long.toString(Math.max(1, window.toSeconds())))
                .map(response -> new Hit(response.get(0).toLong(), response.get(1).toLong()));
    }

    private record Hit(long count, long secondsLeft) {
    }
}

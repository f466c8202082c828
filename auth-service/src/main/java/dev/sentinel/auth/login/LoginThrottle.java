package dev.sentinel.auth.login;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.token.OpaqueTokens;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * Password-login lockout and CAPTCHA counters in Redis, shared by every replica. A try is
 * reserved atomically before the password is checked, so parallel attempts can never get
 * more tries than the limit. Keys use a hash of the address, and unknown addresses are
 * counted exactly like known ones (the answer reveals nothing).
 */
@ApplicationScoped
public class LoginThrottle {

    /** {tries so far (or -1 when locked), seconds until the lock ends}. */
    private static final String RESERVE = """
            if redis.call('EXISTS', KEYS[2]) == 1 then return {-1, redis.call('TTL', KEYS[2])} end
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            if n > tonumber(ARGV[2]) then return {-1, math.max(redis.call('TTL', KEYS[2]), 1)} end
            return {n, 0}""";
    private static final String LOCK = """
            redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
            redis.call('DEL', KEYS[1])
            return 1""";
    /** Adds one failure to each key given, each with the window as expiry when new. */
    private static final String FAIL = """
            for i, key in ipairs(KEYS) do
              if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[1]) end
            end
            return 1""";

    private final ReactiveRedisDataSource redis;
    private final AuthConfig.Lockout config;

    public LoginThrottle(ReactiveRedisDataSource redis, AuthConfig config) {
        this.redis = redis;
        this.config = config.lockout();
    }

    /** A reserved try: its number, or {@code locked} with the seconds left. */
    public record Attempt(long number, boolean locked, long retryAfterSeconds) {
        /** Whether a failure of this try reaches the limit and must lock the account. */
        public boolean isLast(int maxFailures) {
            return number == maxFailures;
        }
    }

    public Uni<Attempt> reserve(String email) {
        String id = id(email);
        return redis.execute("EVAL", RESERVE, "2", triesKey(id), lockKey(id),
                        Long.toString(config.window().toSeconds()), Integer.toString(config.maxFailures()))
                .map(r -> {
                    long n = r.get(0).toLong();
                    return n < 0 ? new Attempt(n, true, Math.max(1, r.get(1).toLong())) : new Attempt(n, false, 0);
                });
    }

    /** Locks the address for the lockout duration and starts its count afresh. */
    public Uni<Void> lock(String email) {
        String id = id(email);
        return redis.execute("EVAL", LOCK, "2", triesKey(id), lockKey(id), Long.toString(config.duration().toSeconds()))
                .replaceWithVoid();
    }

    /** Records a failed password for the CAPTCHA counters of the address and the client IP. */
    public Uni<Void> failed(String email, String ip) {
        return redis.execute("EVAL", FAIL, "2", captchaEmail(id(email)), captchaIp(ip),
                Long.toString(config.window().toSeconds())).replaceWithVoid();
    }

    /** Whether the address or the IP has failed often enough that a CAPTCHA is now required. */
    public Uni<Boolean> captchaRequired(String email, String ip) {
        return redis.value(Long.class).mget(captchaEmail(id(email)), captchaIp(ip))
                .map(counts -> counts.values().stream()
                        .anyMatch(n -> n != null && n >= config.captchaAfter()));
    }

    /** A good password: the address's counters start again. */
    public Uni<Void> succeeded(String email) {
        String id = id(email);
        return redis.key().del(triesKey(id), captchaEmail(id)).replaceWithVoid();
    }

    /** A password reset lifts a lockout. */
    public Uni<Void> clear(String email) {
        String id = id(email);
        return redis.key().del(triesKey(id), lockKey(id), captchaEmail(id)).replaceWithVoid();
    }

    private static String id(String email) {
        return OpaqueTokens.hash(email.toLowerCase(Locale.ROOT));
    }

    private static String triesKey(String id) {
        return "auth:login:tries:" + id;
    }

    private static String lockKey(String id) {
        return "auth:login:lock:" + id;
    }

    private static String captchaEmail(String id) {
        return "auth:login:fails:email:" + id;
    }

    private static String captchaIp(String ip) {
        return "auth:login:fails:ip:" + ip;
    }
}

package dev.sentinel.auth.login;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.user.EmailAddress;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;


/**
 * Password-login lockout and CAPTCHA counters in Redis, shared by every replica. A try is
 * reserved atomically before the password is checked, so parallel attempts can never get
 * more tries than the limit. Keys use a hash of the address, and unknown addresses are
 * counted exactly like known ones (the answer reveals nothing).
 */
@ApplicationScoped
public class LoginThrottle {

    /** Adds one failure to each key given, each with the window as expiry when new. */
    private static final String FAIL = """
            for i, key in ipairs(KEYS) do
              if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[1]) end
            end
            return 1""";

    private final ReactiveRedisDataSource redis;
    private final AttemptCounter attempts;
    private final AuthConfig.Lockout config;

    public LoginThrottle(ReactiveRedisDataSource redis, AttemptCounter attempts, AuthConfig config) {
        this.redis = redis;
        this.attempts = attempts;
        this.config = config.lockout();
    }

    public Uni<AttemptCounter.Attempt> reserve(String email) {
        String id = id(email);
        return attempts.reserve(triesKey(id), lockKey(id), config.maxFailures(), config.window());
    }

    /** Gives back a try whose password was never checked (e.g. the hashing pool was full). */
    public Uni<Void> release(String email) {
        return attempts.release(triesKey(id(email)));
    }

    /** Locks the address for the lockout duration and starts its count afresh. */
    public Uni<Void> lock(String email) {
        String id = id(email);
        return attempts.lock(triesKey(id), lockKey(id), config.duration());
    }

    /** After a second-factor lockout: the next password sign-in for the address needs a CAPTCHA. */
    public Uni<Void> requireCaptcha(String email) {
        return redis.value(Long.class).setex(captchaEmail(id(email)), config.window().toSeconds(),
                (long) config.captchaAfter());
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
        return attempts.reset(triesKey(id), captchaEmail(id));
    }

    /**
     * An address's sign-in lockout as an administrator sees it: failed tries counted in the
     * current window, and whether (and for how long) it is locked. Reads only.
     */
    public record Lockout(boolean locked, long failures, long retryAfterSeconds) {
    }

    public Uni<Lockout> lockout(String email) {
        String id = id(email);
        return redis.execute("GET", triesKey(id)).chain(tries -> redis.execute("TTL", lockKey(id)).map(ttl -> {
            long left = ttl == null ? -2 : ttl.toLong(); // -2: no lock; -1: a lock without expiry
            return new Lockout(left > 0 || left == -1, tries == null ? 0 : tries.toLong(), Math.max(0, left));
        }));
    }

    /** A password reset lifts a lockout. */
    public Uni<Void> clear(String email) {
        String id = id(email);
        return attempts.reset(triesKey(id), lockKey(id), captchaEmail(id));
    }

    private static String id(String email) {
        return EmailAddress.counterKey(email);
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

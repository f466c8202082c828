package dev.sentinel.contracts.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import javax.crypto.SecretKey;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers access tokens that passed verification, so a token presented again within a
 * minute is not verified again. ES256 verification is pure Java on JDK 17 (~1 ms of CPU);
 * it was most of the CPU time of every authenticated request in the auth and account
 * benchmarks, where a client presents the same token over and over.
 * <p>
 * Only a token that verified in full is remembered, under the exact token string, so a
 * token that differs in any character (a forged signature, altered claims) is a miss and
 * is verified as usual. An entry is used until the token's own {@code exp} (without the
 * clock-skew allowance the verifier grants) and for at most {@link #MAX_AGE}, which also
 * bounds how long a token of a key withdrawn from the JWKS keeps working. Revocation is not
 * affected: {@link RevocationCheck} asks Redis on every request, cached token or not.
 * At most {@link #MAX_ENTRIES} tokens are kept; past that, expired entries go, and if that is
 * not enough the cache starts again empty. {@code sentinel_jwt_verified_cache_total{result}}
 * counts hits and misses.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

    static final Duration MAX_AGE = Duration.ofMinutes(1);
    static final int MAX_ENTRIES = 10_000;

    private final Map<String, Entry> verified = new ConcurrentHashMap<>();
    private final JWTParser delegate;
    private final Clock clock;
    private final Counter hits;
    private final Counter misses;

    /** Stands in for smallrye-jwt's parser wherever a {@link JWTParser} is injected, and uses it. */
    @Inject
    public VerifiedTokenCache(DefaultJWTParser delegate, MeterRegistry registry) {
        this(delegate, registry, Clock.systemUTC());
    }

    VerifiedTokenCache(JWTParser delegate, MeterRegistry registry, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.hits = Counter.builder("sentinel.jwt.verified.cache").tag("result", "hit")
                .description("Bearer tokens served from the verified-token cache").register(registry);
        this.misses = Counter.builder("sentinel.jwt.verified.cache").tag("result", "miss")
                .description("Bearer tokens verified in full (new, changed, expired from the cache, or refused)")
                .register(registry);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        Instant now = clock.instant();
        Entry hit = token == null ? null : verified.get(token);
        if (hit != null && now.isBefore(hit.usableUntil())) {
            hits.increment();
            return hit.jwt();
        }
        misses.increment();
        JsonWebToken jwt = delegate.parse(token);
        if (token != null) {
            remember(token, jwt, now);
        }
        return jwt;
    }

    // Everything else is passed through untouched: only the bearer-token path is cached.

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }

    /** Tokens remembered right now (for tests and diagnostics). */
    int size() {
        return verified.size();
    }

    private void remember(String token, JsonWebToken jwt, Instant now) {
        Instant until = now.plus(MAX_AGE);
        long exp = jwt.getExpirationTime();
        if (exp > 0 && Instant.ofEpochSecond(exp).isBefore(until)) {
            until = Instant.ofEpochSecond(exp);
        }
        if (!now.isBefore(until)) {
            return;
        }
        if (verified.size() >= MAX_ENTRIES) {
            for (Iterator<Entry> it = verified.values().iterator(); it.hasNext(); ) {
                if (!now.isBefore(it.next().usableUntil())) {
                    it.remove();
                }
            }
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
        }
        verified.put(token, new Entry(jwt, until));
    }

    private record Entry(JsonWebToken jwt, Instant usableUntil) {
    }
}

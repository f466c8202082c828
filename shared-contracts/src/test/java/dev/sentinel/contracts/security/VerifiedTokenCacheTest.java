package dev.sentinel.contracts.security;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only verified tokens are remembered, never past their expiry or a minute, and never unbounded. */
class VerifiedTokenCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    private final Verifier verifier = new Verifier();
    private final MovableClock clock = new MovableClock(T0);
    private final VerifiedTokenCache cache = new VerifiedTokenCache(verifier, new SimpleMeterRegistry(), clock);

    @Test
    void aTokenSeenAgainIsNotVerifiedAgain() throws Exception {
        JsonWebToken first = cache.parse("good.token.a");
        assertSame(first, cache.parse("good.token.a"));
        assertEquals(List.of("good.token.a"), verifier.calls);
    }

    @Test
    void aTokenDifferingInOneCharacterIsVerifiedOnItsOwn() throws Exception {
        cache.parse("good.token.a");
        assertThrows(ParseException.class, () -> cache.parse("bad.token.a-forged"));
        assertThrows(ParseException.class, () -> cache.parse("bad.token.a-forged"));
        assertEquals(List.of("good.token.a", "bad.token.a-forged", "bad.token.a-forged"), verifier.calls,
                "a refused token is never remembered");
    }

    @Test
    void anEntryEndsAtTheTokensExpiry() throws Exception {
        verifier.expiresAt = T0.plusSeconds(20);
        cache.parse("good.short");
        clock.now = T0.plusSeconds(19);
        cache.parse("good.short");
        clock.now = T0.plusSeconds(20);
        cache.parse("good.short");
        assertEquals(2, verifier.calls.size(), "verified again once the token's exp is reached");
    }

    @Test
    void anEntryLastsAMinuteAtMost() throws Exception {
        cache.parse("good.long");
        clock.now = T0.plus(VerifiedTokenCache.MAX_AGE).minusMillis(1);
        cache.parse("good.long");
        clock.now = T0.plus(VerifiedTokenCache.MAX_AGE);
        cache.parse("good.long");
        assertEquals(2, verifier.calls.size());
    }

    @Test
    void theCacheIsBounded() throws Exception {
        for (int i = 0; i <= VerifiedTokenCache.MAX_ENTRIES + 10; i++) {
            cache.parse("good.many." + i);
        }
        assertTrue(cache.size() <= VerifiedTokenCache.MAX_ENTRIES, "size " + cache.size());
    }

    /** Accepts tokens starting with "good." (15 min lifetime unless set), refuses the rest. */
    private final class Verifier implements JWTParser {
        final List<String> calls = new ArrayList<>();
        Instant expiresAt;

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            calls.add(token);
            if (!token.startsWith("good.")) {
                throw new ParseException("refused");
            }
            long exp = (expiresAt == null ? clock.instant().plus(Duration.ofMinutes(15)) : expiresAt).getEpochSecond();
            return new Token(exp);
        }

        @Override
        public JsonWebToken parse(String token, JWTAuthContextInfo context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, PublicKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, SecretKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, String secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, PrivateKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, SecretKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, String secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken parseOnly(String token) {
            throw new UnsupportedOperationException();
        }
    }

    private record Token(long exp) implements JsonWebToken {
        @Override
        public String getName() {
            return "subject";
        }

        @Override
        public Set<String> getClaimNames() {
            return Set.of("exp");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claimName) {
            return "exp".equals(claimName) ? (T) Long.valueOf(exp) : null;
        }
    }

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

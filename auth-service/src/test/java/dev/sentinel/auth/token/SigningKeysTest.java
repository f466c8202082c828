package dev.sentinel.auth.token;

import dev.sentinel.auth.config.AuthConfig;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keys of each rotation step (docs/key-rotation.md §1): current signs; next and previous are
 * published beside it, public parts only; two keys under one kid refuse to start.
 */
class SigningKeysTest {

    @Test
    void eachRotationStepPublishesWhatVerifiersNeed() {
        String a = privateJwk("key-a");
        String b = privateJwk("key-b");

        SigningKeys before = keys(a, null, null);
        assertEquals(List.of("key-a"), kids(before));

        SigningKeys published = keys(a, b, null);
        assertEquals("key-a", published.currentKeyId(), "a published next key does not sign yet");
        assertEquals(List.of("key-a", "key-b"), kids(published));

        SigningKeys switched = keys(b, null, a);
        assertEquals("key-b", switched.currentKeyId());
        assertEquals(List.of("key-b", "key-a"), kids(switched));

        SigningKeys dropped = keys(b, null, null);
        assertEquals(List.of("key-b"), kids(dropped));
    }

    @Test
    void theSetCarriesPublicKeysOnly() {
        SigningKeys keys = keys(privateJwk("key-a"), privateJwk("key-b"), privateJwk("key-c"));
        for (Object key : (List<?>) keys.jwks().get("keys")) {
            assertFalse(((Map<?, ?>) key).containsKey("d"), "no private part in the JWK set");
        }
    }

    @Test
    void twoKeysUnderOneKidAreRefusedByVariable() {
        String a = privateJwk("same");
        String other = privateJwk("same");
        IllegalStateException next = assertThrows(IllegalStateException.class, () -> keys(a, other, null));
        assertTrue(next.getMessage().startsWith("JWT_JWK_NEXT"));
        IllegalStateException previous = assertThrows(IllegalStateException.class, () -> keys(a, null, other));
        assertTrue(previous.getMessage().startsWith("JWT_JWK_PREVIOUS"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> kids(SigningKeys keys) {
        return ((List<Map<String, Object>>) keys.jwks().get("keys")).stream().map(key -> (String) key.get("kid")).toList();
    }

    private static SigningKeys keys(String current, String next, String previous) {
        AuthConfig.Jwt jwt = proxy(AuthConfig.Jwt.class, Map.of(
                "currentJwk", current,
                "nextJwk", Optional.ofNullable(next),
                "previousJwk", Optional.ofNullable(previous)));
        return new SigningKeys(proxy(AuthConfig.class, Map.of("jwt", jwt)));
    }

    private static String privateJwk(String kid) {
        try {
            EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            return key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A configuration answering only the settings SigningKeys reads. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (!answers.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return answers.get(method.getName());
        });
    }
}

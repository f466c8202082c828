package dev.sentinel.auth.token;

import dev.sentinel.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ES256 signing keys from configuration: the current one signs; the next one (if any) is
 * published before it signs, so verifiers know its kid in advance; the previous one (if any)
 * is still published so its tokens stay valid until they expire. Rotation (docs/key-rotation.md):
 * publish the new key as next, wait one JWKS cache lifetime, make it current with the old one as
 * previous, and drop previous after one token lifetime plus the clock skew.
 */
@ApplicationScoped
public class SigningKeys {

    private final PublicJsonWebKey current;
    private final List<PublicJsonWebKey> published;

    public SigningKeys(AuthConfig config) {
        this.current = parse("JWT_JWK_CURRENT", config.jwt().currentJwk());
        if (!(current.getPrivateKey() instanceof ECPrivateKey)) {
            throw new IllegalStateException("JWT_JWK_CURRENT must be an EC P-256 private JWK (with \"d\")");
        }
        List<PublicJsonWebKey> keys = new ArrayList<>();
        keys.add(current);
        Optional<String> next = config.jwt().nextJwk().filter(s -> !s.isBlank());
        next.ifPresent(json -> keys.add(distinct("JWT_JWK_NEXT", parse("JWT_JWK_NEXT", json), keys)));
        Optional<String> previous = config.jwt().previousJwk().filter(s -> !s.isBlank());
        previous.ifPresent(json -> keys.add(distinct("JWT_JWK_PREVIOUS", parse("JWT_JWK_PREVIOUS", json), keys)));
        this.published = List.copyOf(keys);
    }

    public String currentKeyId() {
        return current.getKeyId();
    }

    public ECPrivateKey currentPrivateKey() {
        return (ECPrivateKey) current.getPrivateKey();
    }

    /** The public JWK Set: every key whose tokens may still be valid. */
    public Map<String, Object> jwks() {
        return Map.of("keys", published.stream()
                .map(key -> key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))
                .toList());
    }

    /** Two published keys under one kid would make a verifier pick either: refuse to start. */
    private static PublicJsonWebKey distinct(String variable, PublicJsonWebKey key, List<PublicJsonWebKey> others) {
        if (others.stream().anyMatch(other -> other.getKeyId().equals(key.getKeyId()))) {
            throw new IllegalStateException(variable + " has the kid of another configured signing key; each key needs its own kid");
        }
        return key;
    }

    private static PublicJsonWebKey parse(String variable, String json) {
        try {
            PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(json);
            if (!"EC".equals(key.getKeyType()) || key.getKeyId() == null || key.getKeyId().isBlank()) {
                throw new IllegalStateException(variable + " must be an EC P-256 JWK with a \"kid\"");
            }
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(variable + " is not a valid JWK", e);
        }
    }
}

package dev.sentinel.contracts.testing;

import dev.sentinel.contracts.testing.ApiContract;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Makes the service under test trust {@link TestJwt}'s key: writes its JWKS to a temporary
 * file and points smallrye-jwt at it, with the test issuer and audience.
 */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {

    private Path jwks;

    @Override
    public Map<String, String> start() {
        ApiContract.install(); // every answer a test receives is checked against the OpenAPI
        try {
            jwks = Files.createTempFile("sentinel-test-jwks", ".json");
            Files.writeString(jwks, TestJwt.jwks());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mp.jwt.verify.publickey.location", jwks.toUri().toString(),
                "mp.jwt.verify.issuer", TestJwt.ISSUER,
                "mp.jwt.verify.audiences", TestJwt.AUDIENCE);
    }

    @Override
    public void stop() {
        try {
            if (jwks != null) {
                Files.deleteIfExists(jwks);
            }
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}

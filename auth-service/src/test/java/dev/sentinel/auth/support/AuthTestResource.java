package dev.sentinel.auth.support;

import com.sun.net.httpserver.HttpServer;
import dev.sentinel.contracts.testing.ApiContract;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.EllipticCurves;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What auth-service's tests run with, besides the real infrastructure:
 * <ul>
 * <li>signing keys made for this JVM — a fresh current key, and {@link TestJwt}'s key as the
 * previous one (so TestJwt tokens are "signed by the key rotated out", and still valid);
 * the same keys, public only, are what the service verifies with;</li>
 * <li>a local Cloudflare Turnstile stub: a token passes if it starts with {@code pass} and
 * the secret is right. It is the only thing outside Sentinel, so the only thing stubbed.</li>
 * </ul>
 */
public class AuthTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String TURNSTILE_SECRET = "turnstile-test-secret";
    public static final String CAPTCHA_PASS = "pass-captcha";

    private HttpServer turnstile;
    private Path jwks;

    @Override
    public Map<String, String> start() {
        ApiContract.install(); // every answer a test receives is checked against the OpenAPI
        try {
            EllipticCurveJsonWebKey current = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            current.setKeyId("auth-test-current");
            current.setAlgorithm("ES256");
            current.setUse("sig");
            PublicJsonWebKey previous = PublicJsonWebKey.Factory.newPublicJwk(TestJwt.privateJwk());
            jwks = Files.createTempFile("auth-test-jwks", ".json");
            Files.writeString(jwks, new JsonWebKeySet(current, previous).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));

            turnstile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            turnstile.createContext("/siteverify", exchange -> {
                String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean secretOk = form.contains("secret=" + TURNSTILE_SECRET);
                String response = "";
                for (String pair : form.split("&")) {
                    if (pair.startsWith("response=")) {
                        response = URLDecoder.decode(pair.substring(9), StandardCharsets.UTF_8);
                    }
                }
                byte[] body = ("{\"success\":" + (secretOk && response.startsWith("pass")) + "}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            turnstile.start();

            return Map.ofEntries(
                    Map.entry("auth.jwt.current-jwk", current.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE)),
                    Map.entry("auth.jwt.previous-jwk", TestJwt.privateJwk()),
                    Map.entry("auth.jwt.issuer", TestJwt.ISSUER),
                    Map.entry("auth.jwt.audience", TestJwt.AUDIENCE),
                    Map.entry("mp.jwt.verify.publickey.location", jwks.toUri().toString()),
                    Map.entry("mp.jwt.verify.issuer", TestJwt.ISSUER),
                    Map.entry("mp.jwt.verify.audiences", TestJwt.AUDIENCE),
                    Map.entry("auth.captcha.provider", "turnstile"),
                    Map.entry("auth.captcha.turnstile.secret", TURNSTILE_SECRET),
                    Map.entry("auth.captcha.turnstile.verify-url",
                            "http://127.0.0.1:" + turnstile.getAddress().getPort() + "/siteverify"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (turnstile != null) {
            turnstile.stop(0);
        }
        try {
            if (jwks != null) {
                Files.deleteIfExists(jwks);
            }
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}

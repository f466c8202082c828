package dev.sentinel.auth.foundation;

import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.security.RevokedSessions;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.PrometheusText;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared JWT verification and revocation check, against a protected endpoint: only a
 * genuine, current ES256 token of a live session gets through.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class JwtVerificationTest {

    private static final String ME = "/test-probe/me";

    @Inject
    RevokedSessions revokedSessions;

    @Test
    void genuineTokenPasses() {
        String subject = UUID.randomUUID().toString();
        given().auth().oauth2(TestJwt.tokenFor(subject, UUID.randomUUID().toString()))
                .when().get(ME).then().statusCode(200).body("sub", equalTo(subject));
    }

    @Test
    void noTokenIs401Problem() {
        given().when().get(ME)
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("AUTH_UNAUTHENTICATED"));
    }

    @Test
    void revokedSessionIsRefusedAtOnce() {
        String session = UUID.randomUUID().toString();
        String token = TestJwt.tokenFor(UUID.randomUUID().toString(), session);
        given().auth().oauth2(token).when().get(ME).then().statusCode(200);

        revokedSessions.revoke(session, Duration.ofMinutes(16)).await().atMost(Duration.ofSeconds(5));

        given().auth().oauth2(token).when().get(ME)
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("AUTH_SESSION_REVOKED"));
        // Another session of the same kind is unaffected.
        given().auth().oauth2(TestJwt.token()).when().get(ME).then().statusCode(200);
    }

    @Test
    void forgeriesAreRefused() {
        String genuine = TestJwt.token();
        String subject = UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        Instant longAgo = Instant.now().minusSeconds(3600);
        String[] forged = {
                TestJwt.unsigned(genuine),
                TestJwt.hs256WithPublicKey(genuine),
                TestJwt.signedByStranger(TestJwt.claims(subject, session)),
                TestJwt.signedByStrangerWithTrustedKid(TestJwt.claims(subject, session)),
                TestJwt.tampered(genuine),
                TestJwt.sign(TestJwt.claims(subject, session).issuedAt(longAgo.minusSeconds(900)).expiresAt(longAgo)),
                TestJwt.sign(TestJwt.claims(subject, session).issuer("https://evil.example")),
                TestJwt.sign(TestJwt.claims(subject, session).audience("another-api")),
                "not.a.jwt",
        };
        for (String token : forged) {
            given().auth().oauth2(token).when().get(ME)
                    .then().statusCode(401).contentType("application/problem+json")
                    .body("code", equalTo("AUTH_UNAUTHENTICATED"));
        }
    }

    @Test
    void aTokenAcceptedBeforeDoesNotVouchForItsForgeries() {
        String subject = UUID.randomUUID().toString();
        String genuine = TestJwt.tokenFor(subject, UUID.randomUUID().toString());
        // Accepted twice: the second time from the verified-token cache.
        given().auth().oauth2(genuine).when().get(ME).then().statusCode(200).body("sub", equalTo(subject));
        double hits = cacheHits();
        given().auth().oauth2(genuine).when().get(ME).then().statusCode(200).body("sub", equalTo(subject));
        assertTrue(cacheHits() >= hits + 1, "the second request was served from the cache");
        for (String forged : new String[] {TestJwt.tampered(genuine), TestJwt.unsigned(genuine),
                TestJwt.hs256WithPublicKey(genuine), genuine + "x", genuine.substring(0, genuine.length() - 1)}) {
            given().auth().oauth2(forged).when().get(ME)
                    .then().statusCode(401).contentType("application/problem+json")
                    .body("code", equalTo("AUTH_UNAUTHENTICATED"));
        }
        given().auth().oauth2(genuine).when().get(ME).then().statusCode(200);
    }

    @Test
    void missingRoleIs403() {
        given().auth().oauth2(TestJwt.token(Roles.USER)).when().get("/test-probe/admin")
                .then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("AUTH_FORBIDDEN"));
        given().auth().oauth2(TestJwt.token(Roles.ADMIN)).when().get("/test-probe/admin").then().statusCode(200);
    }

    private static double cacheHits() {
        return PrometheusText.sum(given().when().get("/q/metrics").then().statusCode(200).extract().asString(),
                "sentinel_jwt_verified_cache_total", "result=\"hit\"");
    }
}

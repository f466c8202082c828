package dev.sentinel.auth.metrics;

import dev.sentinel.auth.TestClock;
import dev.sentinel.auth.mfa.IndependentTotp;
import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * auth-service's domain counters move by exactly what a client did over HTTP — and nothing
 * else moves. (That every series exists at 0 on a fresh boot is checked in DependencyOutageTest,
 * which boots an app of its own.)
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class AuthMetricsTest {

    /** Every series this test watches: the name and the label filter PrometheusText takes. */
    static final Map<String, String[]> SERIES = new LinkedHashMap<>();

    static {
        for (AuthMetrics.LoginOutcome outcome : AuthMetrics.LoginOutcome.values()) {
            SERIES.put("logins " + outcome.label(),
                    new String[] {"sentinel_auth_logins_total", "outcome=\"" + outcome.label() + "\""});
        }
        for (AuthMetrics.Factor factor : AuthMetrics.Factor.values()) {
            SERIES.put("lockouts " + factor.label(),
                    new String[] {"sentinel_auth_lockouts_total", "factor=\"" + factor.label() + "\""});
        }
        SERIES.put("mfa failures", new String[] {"sentinel_auth_mfa_failures_total", ""});
        SERIES.put("refresh reuse", new String[] {"sentinel_auth_refresh_reuse_total", ""});
        SERIES.put("hashing rejected", new String[] {"sentinel_auth_hashing_rejected_total", ""});
    }

    @Inject
    Pool pool;
    @Inject
    TestClock clock;
    Accounts accounts;
    String email;
    String ip;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
        email = Accounts.newEmail();
        accounts.verifiedUser(email);
        ip = Accounts.newIp();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aWrongPasswordCountsOneBadCredentialsLogin() {
        Map<String, Double> before = snapshot();
        Accounts.login(email, "Wrong-Password-Entirely-1", ip).then().statusCode(401);
        assertMoved(before, Map.of("logins bad_credentials", 1.0));

        before = snapshot();
        Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200);
        assertMoved(before, Map.of("logins success", 1.0));
    }

    @Test
    void theFifthWrongPasswordLocksOnceAndTheNextTryIsCountedLocked() {
        Map<String, Double> before = snapshot();
        for (int i = 0; i < 5; i++) {
            Accounts.login(email, "Wrong-Password-Entirely-" + i, ip).then().statusCode(401);
        }
        assertMoved(before, Map.of("logins bad_credentials", 5.0, "lockouts password", 1.0));

        before = snapshot();
        Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(423).body("code", equalTo("AUTH_ACCOUNT_LOCKED"));
        assertMoved(before, Map.of("logins locked", 1.0));
    }

    @Test
    void aWrongTotpCodeCountsOneMfaFailure() {
        IndependentTotp.holdMidStep(clock);
        String access = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().path("accessToken");
        String secret = given().auth().oauth2(access).post("/v1/auth/2fa/enable-init")
                .then().statusCode(200).extract().path("secret");
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", IndependentTotp.now(clock, secret, 0)))
                .post("/v1/auth/2fa/enable-complete").then().statusCode(200);

        Map<String, Double> before = snapshot();
        String mfaToken = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().path("mfaToken");
        assertMoved(before, Map.of("logins mfa_required", 1.0));

        before = snapshot();
        String wrong = IndependentTotp.now(clock, secret, 0).equals("000000") ? "111111" : "000000";
        given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).header("User-Agent", Accounts.BROWSER)
                .body(Map.of("mfaToken", mfaToken, "code", wrong)).post("/v1/auth/2fa/verify")
                .then().statusCode(401).body("code", equalTo("AUTH_MFA_INVALID_CODE"));
        assertMoved(before, Map.of("mfa failures", 1.0));
    }

    @Test
    void aRotatedRefreshTokenPresentedAgainCountsOneReuse() {
        String first = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().path("refreshToken");
        refresh(first).then().statusCode(200);
        clock.advance(Duration.ofMillis(2500)); // past the test grace window (2 s)

        Map<String, Double> before = snapshot();
        refresh(first).then().statusCode(401).body("code", equalTo("AUTH_REFRESH_INVALID"));
        assertMoved(before, Map.of("refresh reuse", 1.0));
    }

    private Response refresh(String token) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).header("User-Agent", Accounts.BROWSER)
                .body(Map.of("refreshToken", token)).post("/v1/auth/refresh");
    }

    static Map<String, Double> snapshot() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> values = new LinkedHashMap<>();
        SERIES.forEach((key, series) -> {
            String sample = series[1].isEmpty() ? series[0] + " " : series[0] + "{";
            if (!text.contains("\n" + sample)) {
                throw new AssertionError("no series " + series[0] + " " + series[1] + " in /q/metrics");
            }
            values.put(key, PrometheusText.sum(text, series[0], series[1]));
        });
        return values;
    }

    /** Every watched series moved by exactly {@code expected} (0 for those not named). */
    private static void assertMoved(Map<String, Double> before, Map<String, Double> expected) {
        Map<String, Double> after = snapshot();
        Map<String, Double> moved = new LinkedHashMap<>();
        after.forEach((key, value) -> moved.put(key, value - before.get(key)));
        Map<String, Double> wanted = new LinkedHashMap<>();
        moved.keySet().forEach(key -> wanted.put(key, expected.getOrDefault(key, 0.0)));
        assertEquals(wanted, moved);
    }
}

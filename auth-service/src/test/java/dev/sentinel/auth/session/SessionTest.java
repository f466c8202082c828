package dev.sentinel.auth.session;

import dev.sentinel.auth.TestClock;
import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.Concurrently;
import dev.sentinel.contracts.testing.TestJwt;
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
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class SessionTest {

    @Inject
    Pool pool;
    @Inject
    TestClock clock;
    Accounts accounts;
    String email;
    String userId;
    String ip;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
        email = Accounts.newEmail();
        userId = accounts.verifiedUser(email);
        ip = Accounts.newIp();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void refreshRotatesAndTheOldTokenAfterTheGraceWindowEndsTheFamily() {
        Response login = login();
        String first = login.path("refreshToken");

        Response refreshed = refresh(first, ip, Accounts.BROWSER);
        refreshed.then().statusCode(200).body("accessToken", notNullValue());
        String second = refreshed.path("refreshToken");
        assertNotEquals(first, second);
        String access = refreshed.path("accessToken");
        me(access).then().statusCode(200);

        clock.advance(Duration.ofMillis(2500)); // past the test grace window (2 s)
        refresh(first, ip, Accounts.BROWSER)
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("AUTH_REFRESH_INVALID"));

        // The whole family is gone: the successor and the access tokens too, at once.
        refresh(second, ip, Accounts.BROWSER).then().statusCode(401);
        me(access).then().statusCode(401).body("code", equalTo("AUTH_SESSION_REVOKED"));
        assertEquals(1, accounts.events(userId, "session.refresh_reuse_detected"));
    }

    @Test
    void tenParallelRefreshesWithOneTokenGetOneSuccessor() {
        String token = login().path("refreshToken");
        List<String> successors = Concurrently.run(10, i -> refresh(token, ip, Accounts.BROWSER)).stream()
                .peek(r -> assertEquals(200, r.statusCode(), r.body().asString()))
                .map(r -> r.<String>path("refreshToken")).distinct().toList();
        assertEquals(1, successors.size());
        refresh(successors.get(0), ip, Accounts.BROWSER).then().statusCode(200);
        assertEquals(0, accounts.events(userId, "session.refresh_reuse_detected"));
    }

    @Test
    void refreshIsBoundToTheDeviceAndNetwork() {
        String token = login().path("refreshToken");
        refresh(token, ip, "curl/8.5.0").then().statusCode(401).body("code", equalTo("AUTH_REFRESH_INVALID"));
        String[] octets = ip.split("\\.");
        String otherNetwork = octets[0] + "." + octets[1] + "." + ((Integer.parseInt(octets[2]) + 1) % 256) + ".9";
        refresh(token, otherNetwork, Accounts.BROWSER).then().statusCode(401);
        // Same /24, another host: the same network.
        String sameNetwork = ip.substring(0, ip.lastIndexOf('.')) + ".7";
        refresh(token, sameNetwork, Accounts.BROWSER).then().statusCode(200);
    }

    @Test
    void logoutRevokesTheAccessTokenAtOnce() {
        Response login = login();
        String access = login.path("accessToken");
        me(access).then().statusCode(200);

        given().auth().oauth2(access).post("/v1/auth/logout").then().statusCode(204);

        me(access).then().statusCode(401).body("code", equalTo("AUTH_SESSION_REVOKED"));
        refresh(login.path("refreshToken"), ip, Accounts.BROWSER).then().statusCode(401);
    }

    @Test
    void logoutAllEndsEverySession() {
        String a = login().path("accessToken");
        String b = login().path("accessToken");
        given().auth().oauth2(a).post("/v1/auth/logout-all").then().statusCode(204);
        me(a).then().statusCode(401);
        me(b).then().statusCode(401);
    }

    @Test
    void sessionsAreListedAndEndedOnlyByTheirOwner() {
        Response mine = login();
        String access = mine.path("accessToken");
        login();
        given().auth().oauth2(access).get("/v1/auth/sessions")
                .then().statusCode(200).body("$", hasSize(2))
                .body("findAll { it.current }.size()", equalTo(1))
                .body("[0].device", equalTo("Firefox on Linux"));

        String otherEmail = Accounts.newEmail();
        accounts.verifiedUser(otherEmail);
        Response theirs = Accounts.login(otherEmail, Accounts.PASSWORD, Accounts.newIp());
        String theirSession = given().auth().oauth2(theirs.<String>path("accessToken")).get("/v1/auth/sessions")
                .then().statusCode(200).extract().path("[0].id");

        given().auth().oauth2(access).delete("/v1/auth/sessions/" + theirSession)
                .then().statusCode(404).contentType("application/problem+json");
        me(theirs.path("accessToken")).then().statusCode(200);

        String mySession = given().auth().oauth2(access).get("/v1/auth/sessions")
                .then().extract().path("find { it.current }.id");
        given().auth().oauth2(access).delete("/v1/auth/sessions/" + mySession).then().statusCode(204);
        me(access).then().statusCode(401);
        given().auth().oauth2(access).delete("/v1/auth/sessions/not-a-uuid").then().statusCode(401);
    }

    @Test
    void cookieModeUsesAStrictHttpOnlyCookieAndDoubleSubmitCsrf() {
        Response login = given().contentType(ContentType.JSON).header("X-Forwarded-For", ip)
                .header("User-Agent", Accounts.BROWSER)
                .body(Map.of("email", email, "password", Accounts.PASSWORD, "captchaToken",
                        AuthTestResource.CAPTCHA_PASS, "tokenDelivery", "cookie"))
                .post("/v1/auth/login");
        login.then().statusCode(200).body("refreshToken", nullValue()).body("csrfToken", notNullValue());
        String setCookie = String.join("\n", login.headers().getValues("Set-Cookie"));
        org.hamcrest.MatcherAssert.assertThat(setCookie, containsString("sentinel_refresh="));
        String refreshCookie = setCookie.lines().filter(l -> l.startsWith("sentinel_refresh=")).findFirst().orElseThrow();
        org.hamcrest.MatcherAssert.assertThat(refreshCookie, containsString("HttpOnly"));
        org.hamcrest.MatcherAssert.assertThat(refreshCookie, containsString("Secure"));
        org.hamcrest.MatcherAssert.assertThat(refreshCookie, containsString("SameSite=Strict"));
        org.hamcrest.MatcherAssert.assertThat(refreshCookie, containsString("Path=/v1/auth"));
        // The CSRF cookie is readable (not HttpOnly) from every page of the SPA's origin.
        String csrfCookie = setCookie.lines().filter(l -> l.startsWith("sentinel_csrf=")).findFirst().orElseThrow();
        org.hamcrest.MatcherAssert.assertThat(csrfCookie, not(containsString("HttpOnly")));
        org.hamcrest.MatcherAssert.assertThat(csrfCookie, org.hamcrest.Matchers.matchesPattern("(?i).*;\\s*Path=/(;.*|$)"));
        org.hamcrest.MatcherAssert.assertThat(csrfCookie, containsString("SameSite=Strict"));

        String refresh = login.getCookie("sentinel_refresh");
        String csrf = login.path("csrfToken");
        cookieRefresh(refresh, csrf, null).then().statusCode(401);
        cookieRefresh(refresh, csrf, "forged").then().statusCode(401);
        cookieRefresh(refresh, csrf, csrf).then().statusCode(200)
                .body("refreshToken", nullValue())
                .header("Set-Cookie", not(containsString("sentinel_refresh=" + refresh + ";")));
    }

    @Test
    void jwksPublishesTheCurrentAndPreviousPublicKeys() {
        given().get("/.well-known/jwks.json")
                .then().statusCode(200)
                .body("keys", hasSize(2))
                .body("keys.kid", org.hamcrest.Matchers.hasItems("auth-test-current", TestJwt.KID))
                .body("keys.kty", org.hamcrest.Matchers.everyItem(equalTo("EC")))
                .body("keys[0].d", nullValue())
                .body("keys[1].d", nullValue());
    }

    @Test
    void previousKeyStillValidRetiredKeyNot() {
        // TestJwt's key is configured as the previous signing key in the tests.
        given().auth().oauth2(TestJwt.token()).get("/v1/auth/sessions").then().statusCode(200);
        given().auth().oauth2(TestJwt.signedByStranger(TestJwt.claims(userId, java.util.UUID.randomUUID().toString())))
                .get("/v1/auth/sessions").then().statusCode(401);
    }

    @Test
    void badRefreshRequestsAreProblems() {
        refresh("x", ip, Accounts.BROWSER).then().statusCode(401).body("code", equalTo("AUTH_REFRESH_INVALID"));
        refresh("A".repeat(43), ip, Accounts.BROWSER).then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/v1/auth/refresh").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"refreshToken\": [1]}").post("/v1/auth/refresh")
                .then().statusCode(400);
        given().post("/v1/auth/logout").then().statusCode(401).body("code", equalTo("AUTH_UNAUTHENTICATED"));
        given().get("/v1/auth/sessions").then().statusCode(401);
    }

    private Response login() {
        return Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
    }

    private static Response refresh(String token, String ip, String userAgent) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).header("User-Agent", userAgent)
                .body(Map.of("refreshToken", token)).post("/v1/auth/refresh");
    }

    private Response cookieRefresh(String refresh, String csrfCookie, String csrfHeader) {
        var request = given().contentType(ContentType.JSON).header("X-Forwarded-For", ip)
                .header("User-Agent", Accounts.BROWSER)
                .cookie("sentinel_refresh", refresh).cookie("sentinel_csrf", csrfCookie).body("{}");
        if (csrfHeader != null) {
            request.header("X-CSRF-Token", csrfHeader);
        }
        return request.post("/v1/auth/refresh");
    }

    private static Response me(String access) {
        return given().auth().oauth2(access).get("/v1/auth/me");
    }
}

package dev.sentinel.auth.retention;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.auth.token.OpaqueTokens;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention: ended sessions (with their refresh tokens), long-rotated refresh tokens, spent
 * email tokens and devices not seen for long are deleted; what is live or recent stays, and
 * each purge is counted by table.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class AuthRetentionTest {

    @Inject
    AuthRetention retention;
    @Inject
    Pool pool;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
    }

    @Test
    void whatOutlivedItsRetentionGoesAndWhatIsLiveStays() {
        String email = Accounts.newEmail();
        UUID userId = UUID.fromString(accounts.verifiedUser(email));
        String ip = Accounts.newIp();
        Response live = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
        Response ended = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
        UUID endedId = UUID.fromString(sessionOf(ended));
        given().auth().oauth2(ended.<String>path("accessToken")).post("/v1/auth/logout").then().statusCode(204);
        // The live session is refreshed once: its first token is now a rotated one.
        String first = live.path("refreshToken");
        String current = refresh(first, ip).then().statusCode(200).extract().path("refreshToken");

        sql("update auth_session set revoked_at = now() - interval '31 days' where id = $1", endedId);
        sql("update refresh_token set rotated_at = now() - interval '8 days' where token_hash = $1", hashOf(first));
        sql("update email_token set used_at = now() - interval '8 days' where user_id = $1", userId);
        sql("update known_device set last_seen = now() - interval '400 days' where user_id = $1", userId);
        double before = purgedMetric();

        long purged = retention.purge().await().atMost(Duration.ofSeconds(30));

        assertTrue(purged >= 4, "purged " + purged);
        assertEquals(0, count("select count(*) from auth_session where id = $1", endedId));
        assertEquals(0, count("select count(*) from refresh_token where session_id = $1", endedId));
        assertEquals(0, count("select count(*) from refresh_token where token_hash = $1", hashOf(first)));
        assertEquals(0, count("select count(*) from email_token where user_id = $1", userId));
        assertEquals(0, count("select count(*) from known_device where user_id = $1", userId));
        assertTrue(purgedMetric() - before >= 4, "sentinel_retention_purged_total did not count the purge");

        // The live session is untouched: its current token refreshes; the purged rotated one is
        // now simply unknown. A sign-in from the forgotten device is news again.
        refresh(current, ip).then().statusCode(200);
        refresh(first, ip).then().statusCode(401);
        long newSignIns = accounts.emails(email, "new-sign-in");
        Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200);
        Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(200);
        assertEquals(newSignIns + 1, accounts.emails(email, "new-sign-in"));
    }

    private String sessionOf(Response login) {
        String access = login.path("accessToken");
        return given().auth().oauth2(access).get("/v1/auth/sessions").then().statusCode(200).extract()
                .path("find { it.current }.id");
    }

    private static String hashOf(String refreshToken) {
        return OpaqueTokens.hash(refreshToken);
    }

    private static Response refresh(String token, String ip) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip)
                .header("User-Agent", Accounts.BROWSER).body(Map.of("refreshToken", token)).post("/v1/auth/refresh");
    }

    private static double purgedMetric() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusText.sum(text, "sentinel_retention_purged_total", "");
    }

    private long count(String query, Object... params) {
        return sql(query, params).iterator().next().getLong(0);
    }

    private RowSet<Row> sql(String query, Object... params) {
        return pool.preparedQuery(query).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
    }
}

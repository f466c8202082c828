package dev.sentinel.auth.support;

import dev.sentinel.contracts.events.EmailParams;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.testing.TopicTap;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/**
 * Drives auth-service the way a client does (over HTTP) and reads what it committed to its
 * own outbox (the emails and events it will publish), for tests. Each test makes its own
 * people: unique addresses, and a unique client IP so IP counters never meet.
 */
public final class Accounts {

    public static final String PASSWORD = "Correct-Horse-Battery-Staple-9";
    public static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    /** Started with the first Accounts, before any test of the JVM asks for a mail. */
    private static final TopicTap EMAIL_REQUESTS = TopicTap.of(Topics.EMAIL_REQUESTS);

    private final Pool pool;

    public Accounts(Pool pool) {
        this.pool = pool;
    }

    public static String newEmail() {
        return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "@example.com";
    }

    /** A client address from the benchmarking range (never routed), unique enough per test. */
    public static String newIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.18." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    public static Response register(String email, String password, String ip) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip)
                .body(Map.of("email", email, "password", password, "captchaToken", AuthTestResource.CAPTCHA_PASS))
                .post("/v1/auth/register");
    }

    /** A sign-up from a client whose {@code Accept-Language} is {@code acceptLanguage}. */
    public static Response register(String email, String password, String ip, String acceptLanguage) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip)
                .header("Accept-Language", acceptLanguage)
                .body(Map.of("email", email, "password", password, "captchaToken", AuthTestResource.CAPTCHA_PASS))
                .post("/v1/auth/register");
    }

    public static Response login(String email, String password, String ip) {
        return login(email, password, ip, BROWSER, AuthTestResource.CAPTCHA_PASS);
    }

    public static Response login(String email, String password, String ip, String userAgent, String captcha) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("email", email, "password", password));
        if (captcha != null) {
            body.put("captchaToken", captcha);
        }
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).header("User-Agent", userAgent)
                .body(body).post("/v1/auth/login");
    }

    /** Registers and verifies a user; returns its id. */
    public String verifiedUser(String email) {
        String ip = newIp();
        register(email, PASSWORD, ip).then().statusCode(202);
        given().queryParam("token", latestToken(email, "verify-email")).get("/v1/auth/verify-email")
                .then().statusCode(200);
        return userId(email);
    }

    /**
     * The newest one-time token mailed to {@code recipient} with {@code template}, read where
     * the notification service reads it: from {@code email-requests} on Kafka (the outbox
     * forgets a token once the relay has published it). Waits until every such request the
     * outbox holds has arrived there.
     */
    public String latestToken(String recipient, String template) {
        long requested = emails(recipient, template);
        if (requested == 0) {
            throw new AssertionError("no " + template + " email for " + recipient);
        }
        List<String> published = EMAIL_REQUESTS.await(recipient,
                value -> template.equals(new JsonObject(value).getJsonObject("data").getString("template")),
                requested, Duration.ofSeconds(20));
        return new JsonObject(published.get(published.size() - 1)).getJsonObject("data").getJsonObject("params")
                .getString(EmailParams.TOKEN);
    }

    /** One parameter of every email request to {@code recipient} with {@code template}, oldest first. */
    public List<String> emailParams(String recipient, String template, String param) {
        List<String> values = new ArrayList<>();
        for (Row row : query("""
                select payload->'data'->'params'->>$3 from outbox
                 where event_type = 'email.requested' and message_key = $1
                   and payload->'data'->>'template' = $2
                 order by created_at""", recipient, template, param)) {
            values.add(row.getString(0));
        }
        return values;
    }

    /** The locale of every email request to {@code recipient} with {@code template}, oldest first. */
    public List<String> emailLocales(String recipient, String template) {
        List<String> values = new ArrayList<>();
        for (Row row : query("""
                select payload->'data'->>'locale' from outbox
                 where event_type = 'email.requested' and message_key = $1
                   and payload->'data'->>'template' = $2
                 order by created_at""", recipient, template)) {
            values.add(row.getString(0));
        }
        return values;
    }

    public long emails(String recipient, String template) {
        return query("""
                select count(*) from outbox where event_type = 'email.requested' and message_key = $1
                   and payload->'data'->>'template' = $2""", recipient, template).iterator().next().getLong(0);
    }

    /** Security events of a type about a user. */
    public long events(String userId, String type) {
        return query("select count(*) from outbox where message_key = $1 and event_type = $2", userId, type)
                .iterator().next().getLong(0);
    }

    /** One value ({@code actor}, {@code data.language}, ...) of every event of a type about a user, oldest first. */
    public List<String> eventValues(String userId, String type, String path) {
        List<String> values = new ArrayList<>();
        for (Row row : query("""
                select payload #>> string_to_array($3, '.') from outbox
                 where message_key = $1 and event_type = $2 order by created_at""", userId, type, path)) {
            values.add(row.getString(0));
        }
        return values;
    }

    public String userId(String email) {
        return query("select id::text from app_user where lower(email) = lower($1)", email).iterator().next().getString(0);
    }

    public long users(String email) {
        return query("select count(*) from app_user where lower(email) = lower($1)", email).iterator().next().getLong(0);
    }

    public String passwordHash(String email) {
        return query("select password_hash from app_user where lower(email) = lower($1)", email)
                .iterator().next().getString(0);
    }

    public void setPasswordHash(String email, String hash) {
        query("update app_user set password_hash = $2 where lower(email) = lower($1)", email, hash);
    }

    private io.vertx.mutiny.sqlclient.RowSet<Row> query(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
    }
}

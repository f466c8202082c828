package dev.sentinel.audit.read;

import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.sentinel.audit.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search over HTTP against rows ingested from the real topic: every filter alone and together,
 * the keyset cursor across pages (no row twice, none skipped, even among rows of one instant),
 * refused parameters and cursors, and who may search. Each test works on subjects, actors,
 * addresses and trace ids of its own, so rows of other tests never match.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class AuditSearchTest {

    private static final String PATH = "/v1/admin/audit-logs";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    @Inject
    AuditDb db;

    final Events events = new Events();

    @AfterEach
    void close() {
        events.close();
    }

    private EventEnvelope event(EventType type, String subject, String actor, String outcome, String ip, String traceId, Instant time) {
        return new EventEnvelope(UUID.randomUUID(), EventEnvelope.SPEC_VERSION, type, "auth-service", time, subject, actor,
                ip, "Mozilla/5.0 (search test)", outcome, traceId, Events.JSON.createObjectNode().put("email", "s-" + subject + "@example.test"));
    }

    /** Publishes and waits for every event; answers their ids in publishing order. */
    private List<String> land(List<EventEnvelope> published) {
        published.forEach(events::send);
        events.flush();
        published.forEach(event -> db.seqOf(event.id()));
        return published.stream().map(event -> event.id().toString()).toList();
    }

    private static List<String> ids(RequestSpecification request) {
        return request.get(PATH).then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }

    @Test
    void everyFilterFindsExactlyItsRows() {
        String subject = Events.newSubject();
        String other = Events.newSubject();
        String actor = "admin-" + UUID.randomUUID();
        String trace = UUID.randomUUID().toString().replace("-", "");
        String ip = "2001:db8::" + Integer.toHexString(1 + (int) (Math.random() * 0xfffe));
        List<EventEnvelope> published = List.of(
                event(EventType.AUTH_LOGIN_SUCCEEDED, subject, subject, "success", "198.51.100.7", null, T0),
                event(EventType.AUTH_LOGIN_FAILED, subject, subject, "failure", ip, trace, T0.plus(1, ChronoUnit.HOURS)),
                event(EventType.USER_LOCKED, subject, actor, "success", ip, null, T0.plus(2, ChronoUnit.HOURS)),
                event(EventType.AUTH_LOGIN_FAILED, other, other, "failure", "198.51.100.8", trace, T0.plus(3, ChronoUnit.HOURS)),
                event(EventType.USER_UNLOCKED, other, actor, "success", null, null, T0.plus(4, ChronoUnit.HOURS)));
        List<String> id = land(published);

        // Newest first; each filter alone (narrowed to this test's subjects where the filter is not unique to it).
        assertEquals(List.of(id.get(2), id.get(1), id.get(0)), ids(as(Roles.ADMIN).queryParam("subject", subject)));
        assertEquals(List.of(id.get(4), id.get(2)), ids(as(Roles.SUPPORT).queryParam("actor", actor)));
        assertEquals(List.of(id.get(2), id.get(1)), ids(as(Roles.ADMIN).queryParam("subject", subject)
                .queryParam("type", "auth.login_failed").queryParam("type", "user.locked")));
        assertEquals(List.of(id.get(1)), ids(as(Roles.ADMIN).queryParam("subject", subject).queryParam("outcome", "failure")));
        assertEquals(List.of(id.get(3), id.get(1)), ids(as(Roles.ADMIN).queryParam("traceId", trace)));
        // The address is stored encrypted; its blind index finds it in any spelling of the same address.
        assertEquals(List.of(id.get(2), id.get(1)), ids(as(Roles.ADMIN).queryParam("ip", ip)));
        String spelledOut = ip.replace("2001:db8::", "2001:0DB8:0:0:0:0:0:");
        assertEquals(List.of(id.get(2), id.get(1)), ids(as(Roles.ADMIN).queryParam("ip", spelledOut)));
        assertEquals(List.of(id.get(0)), ids(as(Roles.ADMIN).queryParam("ip", "198.51.100.7").queryParam("subject", subject)));
        // from is inclusive, to exclusive.
        assertEquals(List.of(id.get(2), id.get(1)), ids(as(Roles.ADMIN).queryParam("subject", subject)
                .queryParam("from", T0.plus(1, ChronoUnit.HOURS).toString()).queryParam("to", T0.plus(3, ChronoUnit.HOURS).toString())));
        assertEquals(List.of(id.get(0)), ids(as(Roles.ADMIN).queryParam("subject", subject)
                .queryParam("to", "2026-03-01T11:30:00.123456+01:00")));
        // All together.
        assertEquals(List.of(id.get(1)), ids(as(Roles.ADMIN).queryParam("subject", subject).queryParam("actor", subject)
                .queryParam("type", "auth.login_failed").queryParam("outcome", "failure").queryParam("ip", ip)
                .queryParam("traceId", trace).queryParam("from", T0.toString()).queryParam("to", T0.plus(2, ChronoUnit.HOURS).toString())));
        assertEquals(List.of(), ids(as(Roles.ADMIN).queryParam("subject", subject).queryParam("outcome", "nothing-like-it")));

        // Every row shows its place in the tree, and the personal fields opened.
        JsonPath page = as(Roles.ADMIN).queryParam("subject", subject).queryParam("count", "true").get(PATH)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(3, page.getLong("total"));
        assertNull(page.get("nextCursor"));
        for (Map<String, Object> item : page.<Map<String, Object>>getList("items")) {
            long seq = ((Number) item.get("seq")).longValue();
            String leaf = HexFormat.of().formatHex(db.one("select leaf_hash from audit_log where seq = $1", seq).getBuffer(0).getBytes());
            assertEquals(leaf, item.get("leafHash"));
            assertEquals("Mozilla/5.0 (search test)", item.get("userAgent"));
            assertEquals(subject, item.get("subject"));
        }
        assertEquals("198.51.100.7", page.getString("items[2].ip"));
        assertEquals("s-" + subject + "@example.test", page.getString("items[2].data.email"));
        assertNull(as(Roles.ADMIN).queryParam("subject", subject).get(PATH).then().statusCode(200).extract().path("total"));
    }

    @Test
    void theCursorWalksEveryRowOnceAcrossPages() {
        String subject = Events.newSubject();
        List<EventEnvelope> published = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            // Four rows share one instant: seq orders them.
            Instant time = i < 4 ? T0 : T0.plus(i, ChronoUnit.MINUTES);
            published.add(event(EventType.AUTH_LOGIN_SUCCEEDED, subject, subject, "success", null, null, time));
        }
        List<String> id = land(published);
        List<String> expected = new ArrayList<>(as(Roles.ADMIN).queryParam("subject", subject).queryParam("limit", 500)
                .get(PATH).then().statusCode(200).extract().jsonPath().getList("items.id", String.class));
        assertEquals(11, expected.size());
        assertTrue(expected.containsAll(id));
        List<String> newestSeven = new ArrayList<>(id.subList(4, 11));
        java.util.Collections.reverse(newestSeven);
        assertEquals(newestSeven, expected.subList(0, 7));

        List<String> walked = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = as(Roles.SUPPORT).queryParam("subject", subject).queryParam("limit", 3)
                    .queryParam("count", "true");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get(PATH).then().statusCode(200).extract().jsonPath();
            assertEquals(11, page.getLong("total"));
            List<String> items = page.getList("items.id", String.class);
            assertTrue(items.size() == 3 || page.get("nextCursor") == null, "only the last page is short");
            walked.addAll(items);
            seqs.addAll(page.getList("items.seq", Long.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 20);
        assertEquals(4, pages);
        assertEquals(expected, walked, "no row twice, none skipped, same order as one big page");
        // Rows of one instant come by seq, descending.
        List<Long> sameInstant = seqs.subList(7, 11);
        assertEquals(sameInstant.stream().sorted(java.util.Comparator.reverseOrder()).toList(), sameInstant);
    }

    @Test
    void badParametersAndCursorsAreProblems() {
        String subject = Events.newSubject();
        land(List.of(event(EventType.AUTH_LOGIN_SUCCEEDED, subject, subject, "success", null, null, T0),
                event(EventType.AUTH_LOGIN_SUCCEEDED, subject, subject, "success", null, null, T0.plusSeconds(1))));
        String cursor = as(Roles.ADMIN).queryParam("subject", subject).queryParam("limit", 1).get(PATH)
                .then().statusCode(200).extract().path("nextCursor");
        assertNotNull(cursor);
        as(Roles.ADMIN).queryParam("subject", subject).queryParam("limit", 1).queryParam("cursor", cursor).get(PATH)
                .then().statusCode(200).body("items.size()", equalTo(1));

        char flipped = cursor.charAt(5) == 'A' ? 'B' : 'A';
        String[][] bad = {
                {"limit", "0"}, {"limit", "501"}, {"limit", "ten"}, {"limit", "-1"},
                {"from", "yesterday"}, {"from", "2026-03-01"}, {"to", "2026-03-01T10:00:00"}, {"from", "+12026-03-01T10:00:00Z"},
                {"type", "auth.no_such_thing"}, {"ip", "not-an-ip"}, {"ip", "300.1.1.1"}, {"ip", "example.com"},
                {"count", "maybe"}, {"actor", "x".repeat(129)}, {"subject", "a\tb"}, {"traceId", "t\nx"},
                {"cursor", "garbage!"}, {"cursor", cursor.substring(0, 5) + flipped + cursor.substring(6)},
                {"cursor", cursor + "AA"}, {"cursor", "x".repeat(1000)}};
        for (String[] query : bad) {
            RequestSpecification request = as(Roles.ADMIN).queryParam(query[0], query[1]);
            if (!query[0].equals("subject")) {
                request.queryParam("subject", subject); // a second subject would not be read: the first one counts
            }
            var answer = request.get(PATH);
            assertEquals(400, answer.statusCode(), query[0] + "=" + query[1]);
            answer.then().contentType(startsWith("application/problem+json")).body("code", equalTo("VAL_INVALID_FIELDS"));
        }
        // from not before to.
        as(Roles.ADMIN).queryParam("from", T0.toString()).queryParam("to", T0.toString()).get(PATH).then().statusCode(400);
        // A cursor is bound to its filters: the same cursor with another subject, or without the subject, is refused.
        as(Roles.ADMIN).queryParam("subject", Events.newSubject()).queryParam("cursor", cursor).get(PATH).then().statusCode(400)
                .body("code", equalTo("VAL_INVALID_FIELDS"));
        as(Roles.ADMIN).queryParam("cursor", cursor).get(PATH).then().statusCode(400);
        // A forged cursor (right shape, made up position and tag) is refused.
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        as(Roles.ADMIN).queryParam("subject", subject).queryParam("cursor", forged).get(PATH).then().statusCode(400);
    }

    @Test
    void adminAndSupportSearchOthersAreRefused() {
        as(Roles.ADMIN).queryParam("limit", 1).get(PATH).then().statusCode(200);
        as(Roles.SUPPORT).queryParam("limit", 1).get(PATH).then().statusCode(200);
        as(Roles.USER).get(PATH).then().statusCode(403).contentType(startsWith("application/problem+json"));
        as(Roles.SERVICE).get(PATH).then().statusCode(403);
        as(Roles.BILLING_ADMIN).get(PATH).then().statusCode(403);
        given().get(PATH).then().statusCode(401).contentType(startsWith("application/problem+json"));
        given().auth().oauth2("not-a-token").get(PATH).then().statusCode(401);
    }
}

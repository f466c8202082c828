package dev.sentinel.audit.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static dev.sentinel.audit.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export over HTTP: CSV (RFC 4180, formula cells neutralised) and JSONL (seq, leaf hash and the
 * sealed fields the leaf covers) of the rows a search finds, streamed in chunks over more than
 * one database page; ADMIN only.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class AuditExportTest {

    private static final String PATH = "/v1/admin/audit-logs/export";
    private static final String FORMULA = "=HYPERLINK(\"http://x\")";

    @Inject
    AuditDb db;

    final Events events = new Events();

    @AfterEach
    void close() {
        events.close();
    }

    private EventEnvelope event(String subject, String userAgent, String outcome, Instant time) {
        return new EventEnvelope(UUID.randomUUID(), EventEnvelope.SPEC_VERSION, EventType.AUTH_LOGIN_FAILED, "auth-service",
                time, subject, subject, "192.0.2.44", userAgent, outcome, null,
                Events.JSON.createObjectNode().put("email", "x-" + subject + "@example.test").put("note", "a,b \"c\""));
    }

    private void land(List<EventEnvelope> published) {
        published.forEach(events::send);
        events.flush();
        published.forEach(event -> db.seqOf(event.id()));
    }

    @Test
    void csvIsRfc4180WithFormulasNeutralised() {
        String subject = Events.newSubject();
        Instant t = Instant.parse("2026-04-01T08:00:00Z");
        land(List.of(event(subject, FORMULA, "-1+2", t), event(subject, "Mozilla/5.0", "@risk", t.plusSeconds(1))));

        Response response = as(Roles.ADMIN).queryParam("format", "csv").queryParam("subject", subject).get(PATH);
        response.then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"audit-log.csv\""));
        String csv = response.asString();
        String[] lines = csv.split("\r\n", -1);
        assertEquals(4, lines.length, csv); // header, two rows, and the empty rest after the last CRLF
        assertEquals("", lines[3]);
        assertEquals(String.join(",", ExportFormat.CSV_COLUMNS), lines[0]);
        assertTrue(lines[2].contains(",\"'=HYPERLINK(\"\"http://x\"\")\","), lines[2]);
        assertTrue(lines[2].contains(",'-1+2,"), lines[2]);
        assertTrue(lines[1].contains(",'@risk,"), lines[1]);
        assertFalse(csv.contains(",=HYPERLINK"), "no cell starts with a formula");
        // seq and leaf hash open every row, and match the table; the email is shown opened, the JSON quoted.
        for (String line : List.of(lines[1], lines[2])) {
            String[] cells = line.split(",", 3);
            String leaf = HexFormat.of().formatHex(db.one("select leaf_hash from audit_log where seq = $1",
                    Long.parseLong(cells[0])).getBuffer(0).getBytes());
            assertEquals(leaf, cells[1]);
            assertTrue(line.contains("\"\"email\"\":\"\"x-" + subject + "@example.test\"\""), line);
        }
    }

    @Test
    void jsonlCarriesSeqLeafHashAndTheSealedFieldsOverSeveralPages() throws Exception {
        String subject = Events.newSubject();
        Instant t = Instant.parse("2026-04-02T08:00:00Z");
        int rows = AuditLogService.EXPORT_PAGE * 2 + 7;
        List<EventEnvelope> published = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            published.add(event(subject, "agent " + i, "failure", t.plusMillis(i)));
        }
        land(published);

        Response response = as(Roles.ADMIN).queryParam("format", "jsonl").queryParam("subject", subject).get(PATH);
        response.then().statusCode(200).contentType(startsWith("application/x-ndjson"));
        assertNull(response.getHeader("Content-Length"), "streamed in chunks, not sized up front");
        String[] lines = response.asString().split("\n");
        assertEquals(rows, lines.length);
        long previousSeq = Long.MAX_VALUE;
        for (int i = 0; i < lines.length; i++) {
            JsonNode line = Events.JSON.readTree(lines[i]);
            long seq = line.get("seq").asLong();
            assertTrue(seq < previousSeq, "newest first, each row once");
            previousSeq = seq;
            assertEquals("agent " + (rows - 1 - i), line.get("userAgent").asText());
            var stored = db.one("select leaf_hash, ip, data from audit_log where seq = $1", seq);
            assertEquals(HexFormat.of().formatHex(stored.getBuffer(0).getBytes()), line.get("leafHash").asText());
            assertArrayEquals(stored.getBuffer(1).getBytes(), Base64.getDecoder().decode(line.get("sealed").get("ip").asText()));
            assertEquals(stored.getString(2), line.get("sealed").get("data").asText());
            assertEquals("192.0.2.44", line.get("ip").asText());
        }
    }

    /**
     * {@code format} chooses the media type and the Accept header must allow it. The spec fuzzer
     * once found 406 for {@code Accept: text/csv}: RESTEasy Reactive gave the streamed export the
     * default {@code text/plain} and refused every other Accept before the method ran.
     */
    @Test
    void askingForTheExportsOwnMediaTypeIsAnswered() {
        String subject = Events.newSubject();
        as(Roles.ADMIN).accept("text/csv").queryParam("format", "csv").queryParam("subject", subject).get(PATH)
                .then().statusCode(200).contentType(startsWith("text/csv"));
        as(Roles.ADMIN).accept("text/csv, application/x-ndjson").queryParam("format", "jsonl")
                .queryParam("subject", subject).get(PATH).then().statusCode(200)
                .contentType(startsWith("application/x-ndjson"));
        as(Roles.ADMIN).accept("application/x-ndjson;q=0.5, text/*;q=0.1").queryParam("format", "jsonl")
                .queryParam("subject", subject).get(PATH).then().statusCode(200)
                .contentType(startsWith("application/x-ndjson"));
        for (String any : List.of("*/*", "text/*", "TEXT/CSV; charset=utf-8")) {
            as(Roles.ADMIN).accept(any).queryParam("format", "csv").queryParam("subject", subject).get(PATH)
                    .then().statusCode(200).contentType(startsWith("text/csv"))
                    .header("Content-Disposition", equalTo("attachment; filename=\"audit-log.csv\""));
        }
        // Not server-sent events, whatever is accepted: the body is the CSV header record.
        String csv = as(Roles.ADMIN).accept("*/*").queryParam("format", "csv").queryParam("subject", subject).get(PATH)
                .asString();
        assertEquals(String.join(",", ExportFormat.CSV_COLUMNS) + "\r\n", csv);
    }

    @Test
    void anAcceptTheChosenFormatCannotMeetIs406() {
        String subject = Events.newSubject();
        for (String[] refused : new String[][] {{"csv", "text/html"}, {"csv", "application/x-ndjson"},
                {"jsonl", "text/csv"}, {"jsonl", "application/json"}, {"csv", "text/csv;q=0"}, {"csv", "nonsense"},
                {"jsonl", "text/event-stream"}}) {
            as(Roles.ADMIN).accept(refused[1]).queryParam("format", refused[0]).queryParam("subject", subject).get(PATH)
                    .then().statusCode(406).contentType(startsWith("application/problem+json"))
                    .body("code", equalTo("VAL_NOT_ACCEPTABLE"));
        }
        // A bad format is still the first thing said, whatever the Accept.
        as(Roles.ADMIN).accept("text/html").queryParam("format", "xml").get(PATH)
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
    }

    @Test
    void onlyAdminsExportAndBadParametersAreProblems() {
        as(Roles.ADMIN).queryParam("format", "jsonl").queryParam("subject", Events.newSubject()).get(PATH)
                .then().statusCode(200);
        for (String role : List.of(Roles.SUPPORT, Roles.USER, Roles.SERVICE, Roles.BILLING_ADMIN)) {
            as(role).queryParam("format", "csv").get(PATH).then().statusCode(403);
        }
        given().queryParam("format", "csv").get(PATH).then().statusCode(401);
        for (String[] query : new String[][] {{"format", "xml"}, {"format", ""}, {"from", "soon"}, {"ip", "nope"},
                {"type", "no.such"}}) {
            var request = as(Roles.ADMIN).queryParam(query[0], query[1]);
            if (!query[0].equals("format")) {
                request.queryParam("format", "csv");
            }
            request.get(PATH).then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("code", equalTo("VAL_INVALID_FIELDS"));
        }
        as(Roles.ADMIN).get(PATH).then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
    }
}

package dev.sentinel.systemtests;

import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.systemtests.support.Databases;
import dev.sentinel.systemtests.support.Eventually;
import dev.sentinel.systemtests.support.ExtraService;
import dev.sentinel.systemtests.support.OtlpReceiver.ReceivedSpan;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One sign-up and one sign-in, each sent with a {@code traceparent} of the test's own, seen end to
 * end in the spans the four services export over OTLP to the run's in-process receiver: auth's
 * request span continues the caller's span; the outbox relay puts that request's context (not
 * one of its own) on the records, so admin-audit-service's {@code security-events} consumer and
 * notification-service's {@code email-requests} consumer start their spans as children of the
 * request's spans, in the same trace; and the audit row carries that trace id. A service
 * started without {@code OTEL_TRACES_EXPORTER=otlp} sends nothing to the same endpoint.
 */
@SystemTest
class TracesAcrossKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A caller's span: the trace it belongs to and its own id, as a W3C header. */
    private record Caller(String traceId, String spanId) {

        static Caller random() {
            return new Caller(hex(16), hex(8));
        }

        String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }

    @Test
    void aSignUpAndASignInAreEachOneTraceFromTheRequestThroughKafkaToTheConsumersAndTheAuditRow(Sentinel sentinel) {
        Credentials user = Users.newCredentials("traces");
        Caller signUp = Caller.random();
        sentinel.auth().header("traceparent", signUp.traceparent())
                .body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/register").then().statusCode(202);

        Set<String> signUpRequest = requestSpans(sentinel, signUp);
        consumedUnder(sentinel, signUp, signUpRequest, Service.ADMIN_AUDIT, Topics.SECURITY_EVENTS);
        consumedUnder(sentinel, signUp, signUpRequest, Service.NOTIFICATION, Topics.EMAIL_REQUESTS);
        auditedUnder(EventType.USER_REGISTERED, signUp);

        sentinel.auth().queryParam("token", Users.token(Users.verificationLink(user.email())))
                .get("/v1/auth/verify-email").then().statusCode(200);
        Caller signIn = Caller.random();
        sentinel.auth().header("traceparent", signIn.traceparent())
                .body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/login").then().statusCode(200);

        Set<String> signInRequest = requestSpans(sentinel, signIn);
        consumedUnder(sentinel, signIn, signInRequest, Service.ADMIN_AUDIT, Topics.SECURITY_EVENTS);
        auditedUnder(EventType.AUTH_LOGIN_SUCCEEDED, signIn);
    }

    @Test
    void withoutOtelTracesExporterOtlpNothingIsExported(Sentinel sentinel) throws InterruptedException {
        // The same endpoint as the suite's services, but export not switched on: the default.
        try (ExtraService auth = sentinel.startExtra(Service.AUTH, "traces-off-auth", Sentinel.freePort(),
                Map.of("OTEL_TRACES_EXPORTER", "none"))) {
            Caller caller = Caller.random();
            auth.given().header("traceparent", caller.traceparent())
                    .body(Map.of("email", Users.uniqueEmail("traces-off"), "password", "wrong-password"))
                    .post("/v1/auth/login").then().statusCode(401);
            // The suite exports within a second of a span's end; give it several. The failed
            // sign-in's event reaches the suite's admin-audit, which exports its consumer span
            // under this trace: only auth-service spans (this instance's) must be missing.
            Thread.sleep(4_000);
            assertEquals(List.of(), sentinel.traces().trace(caller.traceId()).stream()
                    .filter(span -> Service.AUTH.module().equals(span.service())).toList(),
                    "auth-service spans exported with export off");
        }
    }

    /**
     * auth-service's server span of the request, a child of the caller's span, and the ids of
     * every auth-service span of the trace (the request and what it did inside).
     */
    private static Set<String> requestSpans(Sentinel sentinel, Caller caller) {
        Eventually.await(TIMEOUT, "auth-service's server span under the caller's span " + caller.spanId(), () ->
                sentinel.traces().trace(caller.traceId()).stream()
                        .filter(span -> Service.AUTH.module().equals(span.service()))
                        .filter(span -> span.kind() == SpanKind.SPAN_KIND_SERVER)
                        .filter(span -> span.parentSpanId().equals(caller.spanId()))
                        .findFirst().orElse(null));
        return sentinel.traces().trace(caller.traceId()).stream()
                .filter(span -> Service.AUTH.module().equals(span.service()))
                .map(ReceivedSpan::spanId).collect(Collectors.toSet());
    }

    /** A consumer span of {@code service} reading {@code topic}, in the caller's trace, child of the request. */
    private static void consumedUnder(Sentinel sentinel, Caller caller, Set<String> requestSpans, Service service,
            String topic) {
        ReceivedSpan consumer = Eventually.await(TIMEOUT,
                service.module() + "'s " + topic + " consumer span in trace " + caller.traceId(), () ->
                        sentinel.traces().trace(caller.traceId()).stream()
                                .filter(span -> service.module().equals(span.service()))
                                .filter(span -> span.kind() == SpanKind.SPAN_KIND_CONSUMER)
                                .filter(span -> span.attributes().containsValue(topic))
                                .findFirst().orElse(null));
        // The relay's record carries the request's context: the consumer's parent is one of
        // auth's spans of that request, not a span the relay made on its own.
        assertTrue(requestSpans.contains(consumer.parentSpanId()),
                service.module() + "'s consumer span " + consumer + " is not a child of the request's spans "
                        + requestSpans + "; the trace: " + describe(sentinel.traces().trace(caller.traceId())));
    }

    /** The audit row of {@code type} caused by the caller's request carries its trace id. */
    private static void auditedUnder(EventType type, Caller caller) {
        List<Map<String, Object>> rows = Eventually.await(TIMEOUT, type.wireName() + " audited under " + caller.traceId(),
                () -> {
                    List<Map<String, Object>> found = Databases.query(Service.ADMIN_AUDIT,
                            "select trace_id from audit_log where type = ? and trace_id = ?", type.wireName(),
                            caller.traceId());
                    return found.isEmpty() ? null : found;
                });
        assertEquals(List.of(Map.of("trace_id", caller.traceId())), rows);
    }

    private static String describe(List<ReceivedSpan> spans) {
        return spans.stream().map(span -> "\n  " + span.service() + " " + span.kind() + " " + span.name() + " "
                + span.spanId() + " <- " + span.parentSpanId()).collect(Collectors.joining());
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}

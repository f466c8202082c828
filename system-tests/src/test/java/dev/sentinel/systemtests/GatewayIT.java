package dev.sentinel.systemtests;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemMessages;
import dev.sentinel.systemtests.support.Gateway;
import dev.sentinel.systemtests.support.Scrape;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The nginx gateway of {@code deploy/gateway/} in front of the packaged services: one origin
 * whose paths reach the right service, which forwards the client address and request id the way
 * the services trust them, refuses big bodies, answers its own failures as problem+json with the
 * catalog's codes, and passes the cookie-mode session through.
 */
@SystemTest
class GatewayIT {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String HTTP_REQUESTS = "http_server_requests_seconds_count";
    /** Not an address anyone here has: a client that claims it must not be believed. */
    private static final String SPOOFED = "203.0.113.7";
    private static final String SPOOFED_NETWORK = "203.0.113.0/24";
    private static final String LOOPBACK_NETWORK = "127.0.0.0/24";

    @Test
    void eachPathReachesItsService(Sentinel sentinel) {
        Gateway gateway = sentinel.gateway();
        String token = sentinel.signInAsAdmin().bearer();

        served(sentinel, Service.AUTH, "/v1/auth/me",
                () -> gateway.given().get("/v1/auth/me").then().statusCode(401).contentType(PROBLEM_JSON)
                        .body("code", equalTo(ErrorCode.AUTH_UNAUTHENTICATED.name())).extract().response());
        List<Object> kids = sentinel.auth().get("/.well-known/jwks.json").then().extract().jsonPath().getList("keys.kid");
        served(sentinel, Service.AUTH, "/.well-known/jwks.json",
                () -> gateway.given().get("/.well-known/jwks.json").then().statusCode(200)
                        .body("keys.kid", equalTo(kids)).extract().response());
        served(sentinel, Service.ACCOUNT, "/v1/account/limits",
                () -> gateway.given().header("Authorization", token).get("/v1/account/limits")
                        .then().statusCode(200).body("monthlyCapCents", notNullValue()).extract().response());
        // Per-account admin views are account-service's, not admin-audit's (docs/decisions.md).
        // Refused before routing, the request is counted under no route template: count them all.
        served(sentinel, Service.ACCOUNT, null,
                () -> gateway.given().get("/v1/admin/accounts/{id}/limits", UUID.randomUUID())
                        .then().statusCode(401).contentType(PROBLEM_JSON).extract().response());
        served(sentinel, Service.NOTIFICATION, "/v1/notifications/dead-letters",
                () -> gateway.given().get("/v1/notifications/dead-letters")
                        .then().statusCode(401).contentType(PROBLEM_JSON).extract().response());
        // Whatever admin-audit serves under /v1/admin/, the request is counted there.
        served(sentinel, Service.ADMIN_AUDIT, null,
                () -> gateway.given().header("Authorization", token).get("/v1/admin/gateway-probe")
                        .then().contentType(PROBLEM_JSON).extract().response());
    }

    @Test
    void pathsNoServiceOffersAreProblemsFromTheGateway(Sentinel sentinel) {
        Gateway gateway = sentinel.gateway();
        // /q/* (metrics, health) and auth's internal API stay off the public origin.
        for (String path : List.of("/", "/nothing/here", "/q/metrics", "/q/health/ready", "/v1/auth/internal/users")) {
            String requestId = "gw-404-" + UUID.randomUUID();
            gateway.given().header("X-Request-Id", requestId).get(path)
                    .then().statusCode(404).contentType(PROBLEM_JSON)
                    .header("X-Request-Id", requestId)
                    .body("code", equalTo(ErrorCode.SYS_NOT_FOUND.name()))
                    .body("status", equalTo(404))
                    .body("type", equalTo(ErrorCode.SYS_NOT_FOUND.typeUri()))
                    .body("title", equalTo(ProblemMessages.title(ErrorCode.SYS_NOT_FOUND, Locale.ENGLISH)))
                    .body("traceId", equalTo(requestId));
        }
        gateway.given().header("Accept-Language", "ar, en;q=0.5").get("/nothing")
                .then().statusCode(404)
                .body("title", equalTo(ProblemMessages.title(ErrorCode.SYS_NOT_FOUND, Locale.forLanguageTag("ar"))));
    }

    @Test
    void theSecurityHeadersAreTheServicesOwnOnEveryAnswerOnce(Sentinel sentinel) {
        Gateway gateway = sentinel.gateway();
        Response direct = sentinel.auth().get("/v1/auth/me");
        for (Response viaGateway : List.of(gateway.given().get("/v1/auth/me"), gateway.given().get("/nothing"))) {
            for (String header : List.of("Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options",
                    "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id")) {
                assertEquals(1, viaGateway.headers().getValues(header).size(), header + " once");
                if (!header.equals("X-Request-Id")) {
                    assertEquals(direct.header(header), viaGateway.header(header), header);
                }
            }
            assertTrue(viaGateway.header("Server") == null || !viaGateway.header("Server").matches(".*\\d.*"),
                    "no nginx version in Server: " + viaGateway.header("Server"));
        }
    }

    @Test
    void aRequestIdIsKeptWhenValidAndMadeOtherwise(Sentinel sentinel) {
        Gateway gateway = sentinel.gateway();
        String mine = "gw-rid-" + UUID.randomUUID();
        gateway.given().header("X-Request-Id", mine).get("/v1/auth/me")
                .then().statusCode(401).header("X-Request-Id", mine);
        // An id that could forge a log line or a header is replaced by nginx's own.
        Response replaced = gateway.given().header("X-Request-Id", "evil\" id with spaces").get("/v1/auth/me");
        assertTrue(replaced.header("X-Request-Id").matches("[0-9a-f]{32}"), replaced.header("X-Request-Id"));
        String made = gateway.given().get("/v1/auth/me").header("X-Request-Id");
        assertTrue(made.matches("[0-9a-f]{32}"), made);
        // The service got the same id the client sees: it is in the access log next to the upstream.
        assertTrue(accessLogHas(gateway, "rid=" + mine + " upstream=127.0.0.1:"), "access log names " + mine);
    }

    /**
     * The gateway replaces (not appends to) a client's X-Forwarded-For: the services take the first
     * address of the header when the direct peer is a trusted proxy, so a client must not choose it.
     * The session auth records carries the network of the address it took.
     */
    @Test
    void theServiceSeesTheClientTheGatewaySawNotTheOneItClaims(Sentinel sentinel) {
        Gateway gateway = sentinel.gateway();
        Credentials user = Users.newCredentials("gw-xff");
        gateway.given().header("X-Forwarded-For", SPOOFED)
                .body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/register").then().statusCode(202);
        gateway.given().queryParam("token", Users.token(Users.verificationLink(user.email())))
                .get("/v1/auth/verify-email").then().statusCode(200);

        String viaGateway = gateway.given().header("X-Forwarded-For", SPOOFED)
                .body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/login").then().statusCode(200).extract().path("accessToken");
        gateway.given().header("Authorization", "Bearer " + viaGateway).get("/v1/auth/sessions")
                .then().statusCode(200)
                .body("network", everyItem(equalTo(LOOPBACK_NETWORK)));

        // The control: straight to auth from 127.0.0.1 (a trusted proxy), the same header IS
        // believed, so the check above would see a gateway that passed it on.
        String direct = sentinel.auth().header("X-Forwarded-For", SPOOFED)
                .body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/login").then().statusCode(200).extract().path("accessToken");
        sentinel.auth().header("Authorization", "Bearer " + direct).get("/v1/auth/sessions")
                .then().statusCode(200)
                .body("network", hasItem(SPOOFED_NETWORK))
                .body("findAll { it.current }.network", equalTo(List.of(SPOOFED_NETWORK)));
    }

    @Test
    void aBodyOver64KbIsA413ProblemAndNeverReachesTheService(Sentinel sentinel) {
        Gateway gateway = sentinel.gateway();
        String big = "{\"email\":\"" + "a".repeat(70 * 1024) + "@sentinel.test\",\"password\":\"x\"}";
        long logins = requests(sentinel, Service.AUTH, "/v1/auth/login");
        String requestId = "gw-413-" + UUID.randomUUID();
        gateway.given().header("X-Request-Id", requestId).body(big).post("/v1/auth/login")
                .then().statusCode(413).contentType(PROBLEM_JSON)
                .header("X-Frame-Options", "DENY")
                .body("code", equalTo(ErrorCode.VAL_BODY_TOO_LARGE.name()))
                .body("status", equalTo(413))
                .body("type", equalTo(ErrorCode.VAL_BODY_TOO_LARGE.typeUri()))
                .body("title", equalTo(ProblemMessages.title(ErrorCode.VAL_BODY_TOO_LARGE, Locale.ENGLISH)))
                .body("traceId", equalTo(requestId));
        assertEquals(logins, requests(sentinel, Service.AUTH, "/v1/auth/login"), "auth saw the big body");
        // Just under the limit is the service's to judge (400/401, not 413).
        String fits = "{\"email\":\"" + "a".repeat(60 * 1024) + "@sentinel.test\",\"password\":\"x\"}";
        gateway.given().body(fits).post("/v1/auth/login").then().statusCode(not(equalTo(413)));
    }

    @Test
    void anUpstreamThatIsDownIsA503ProblemWhileTheOthersServe(Sentinel sentinel) {
        try (Gateway authDown = sentinel.startGateway("gateway-auth-down",
                Map.of(Service.AUTH, "127.0.0.1:" + Sentinel.closedPort()))) {
            for (int attempt = 0; attempt < 2; attempt++) {   // refused, then "no live upstream"
                String requestId = "gw-503-" + UUID.randomUUID();
                authDown.given().header("X-Request-Id", requestId).body(Map.of("email", "x@sentinel.test", "password", "x"))
                        .post("/v1/auth/login")
                        .then().statusCode(503).contentType(PROBLEM_JSON)
                        .header("Retry-After", "5")
                        .header("X-Request-Id", requestId)
                        .header("Content-Security-Policy", notNullValue())
                        .body("code", equalTo(ErrorCode.SYS_UNAVAILABLE.name()))
                        .body("status", equalTo(ErrorCode.SYS_UNAVAILABLE.status()))
                        .body("type", equalTo(ErrorCode.SYS_UNAVAILABLE.typeUri()))
                        .body("title", equalTo(ProblemMessages.title(ErrorCode.SYS_UNAVAILABLE, Locale.ENGLISH)))
                        .body("detail", notNullValue())
                        .body("traceId", equalTo(requestId));
            }
            authDown.given().header("Accept-Language", "ar").get("/.well-known/jwks.json")
                    .then().statusCode(503)
                    .body("title", equalTo(ProblemMessages.title(ErrorCode.SYS_UNAVAILABLE, Locale.forLanguageTag("ar"))));
            authDown.given().get("/v1/account/limits").then().statusCode(401).contentType(PROBLEM_JSON)
                    .body("code", equalTo(ErrorCode.AUTH_UNAUTHENTICATED.name()));
        }
    }

    /**
     * An upstream that accepts the request and never answers: after the gateway's upstream timeout
     * (shortened to 2 s here) the client gets the catalog's 503 problem, not nginx's 504 page, with
     * no Retry-After (the request may have been carried out); the access log keeps the real 504.
     */
    @Test
    void anUpstreamThatHangsIsA503ProblemAfterTheTimeout(Sentinel sentinel) {
        try (FakeUpstream hanging = FakeUpstream.start(false);
             Gateway gateway = sentinel.startGateway("gateway-auth-hangs",
                     Map.of(Service.AUTH, hanging.address()), Duration.ofSeconds(2))) {
            String requestId = "gw-504-" + UUID.randomUUID();
            long started = System.nanoTime();
            gateway.given().header("X-Request-Id", requestId).body(Map.of("email", "x@sentinel.test", "password", "x"))
                    .post("/v1/auth/login")
                    .then().statusCode(503).contentType(PROBLEM_JSON)
                    .header("Retry-After", nullValue())
                    .header("X-Request-Id", requestId)
                    .header("Content-Security-Policy", notNullValue())
                    .body("code", equalTo(ErrorCode.SYS_UNAVAILABLE.name()))
                    .body("status", equalTo(ErrorCode.SYS_UNAVAILABLE.status()))
                    .body("type", equalTo(ErrorCode.SYS_UNAVAILABLE.typeUri()))
                    .body("title", equalTo(ProblemMessages.title(ErrorCode.SYS_UNAVAILABLE, Locale.ENGLISH)))
                    .body("detail", containsString("may or may not have been carried out"))
                    .body("traceId", equalTo(requestId));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(Duration.ofMillis(1900)) >= 0 && took.compareTo(Duration.ofSeconds(15)) < 0,
                    "answered after the upstream timeout, not before and not much later: " + took);
            assertEquals(1, hanging.accepted(), "the request reached the hanging upstream once (never retried)");
            assertTrue(accessLogLine(gateway, requestId).contains("upstream_status=504"),
                    "the access log keeps nginx's 504: " + accessLogLine(gateway, requestId));
        }
    }

    /**
     * An upstream that takes the connection and closes it without an answer (nginx's 502, unlike
     * a closed port it is reached): the catalog's 503 problem with Retry-After, every time.
     */
    @Test
    void anUpstreamThatHangsUpIsA503Problem(Sentinel sentinel) {
        try (FakeUpstream closing = FakeUpstream.start(true);
             Gateway gateway = sentinel.startGateway("gateway-auth-hangs-up", Map.of(Service.AUTH, closing.address()))) {
            for (int attempt = 0; attempt < 2; attempt++) {
                String requestId = "gw-502-" + UUID.randomUUID();
                gateway.given().header("X-Request-Id", requestId).get("/.well-known/jwks.json")
                        .then().statusCode(503).contentType(PROBLEM_JSON)
                        .header("Retry-After", "5")
                        .header("X-Request-Id", requestId)
                        .body("code", equalTo(ErrorCode.SYS_UNAVAILABLE.name()))
                        .body("status", equalTo(503))
                        .body("type", equalTo(ErrorCode.SYS_UNAVAILABLE.typeUri()))
                        .body("detail", equalTo("The service behind this path could not be reached."))
                        .body("traceId", equalTo(requestId));
                assertTrue(accessLogLine(gateway, requestId).contains("upstream_status=502"),
                        "the access log keeps nginx's 502: " + accessLogLine(gateway, requestId));
            }
            assertTrue(closing.accepted() >= 1, "the requests reached the upstream that hangs up");
        }
    }

    /**
     * A browser's session through the one origin: the cookie-mode login sets the refresh cookie
     * on /v1/auth (HttpOnly, Secure, SameSite=Strict) and the CSRF cookie; refresh works with the
     * cookies and the CSRF header, and is refused without the header.
     */
    @Test
    void aCookieModeSessionWorksThroughTheGateway(Sentinel sentinel) {
        Gateway gateway = sentinel.gateway();
        Credentials user = Users.registerAndVerify(sentinel, "gw-cookie");
        Response login = gateway.given()
                .body(Map.of("email", user.email(), "password", user.password(), "tokenDelivery", "cookie"))
                .post("/v1/auth/login").then().statusCode(200)
                .body("refreshToken", equalTo(null)).extract().response();
        List<String> setCookies = login.headers().getValues("Set-Cookie");
        String refreshCookie = setCookies.stream().filter(c -> c.startsWith("sentinel_refresh=")).findFirst()
                .orElseThrow(() -> new AssertionError("no refresh cookie in " + setCookies));
        assertThat(refreshCookie, "(?i).*;\\s*Path=/v1/auth(;.*|$)");
        assertThat(refreshCookie, "(?i).*;\\s*HttpOnly(;.*|$)");
        assertThat(refreshCookie, "(?i).*;\\s*Secure(;.*|$)");
        assertThat(refreshCookie, "(?i).*;\\s*SameSite=Strict(;.*|$)");
        String csrf = login.jsonPath().getString("csrfToken");
        assertEquals(csrf, login.getCookie("sentinel_csrf"));

        Supplier<RequestSpecification> withCookies = () -> gateway.given()
                .cookie("sentinel_refresh", login.getCookie("sentinel_refresh"))
                .cookie("sentinel_csrf", csrf);
        withCookies.get().contentType(ContentType.JSON).body("{}").post("/v1/auth/refresh")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_REFRESH_INVALID.name()));
        Response refreshed = withCookies.get().header("X-CSRF-Token", csrf).body("{}").post("/v1/auth/refresh")
                .then().statusCode(200).body("accessToken", notNullValue()).extract().response();
        assertTrue(refreshed.getCookie("sentinel_refresh") != null
                && !refreshed.getCookie("sentinel_refresh").equals(login.getCookie("sentinel_refresh")),
                "refresh rotates the cookie: " + refreshed.headers().getValues("Set-Cookie"));
    }

    /**
     * Runs {@code call} and checks {@code service} counted exactly one more request on the route
     * {@code uri} (null: on any route but its own /q/*).
     */
    private static void served(Sentinel sentinel, Service service, String uri, Supplier<Response> call) {
        long before = requests(sentinel, service, uri);
        call.get();
        assertEquals(before + 1, requests(sentinel, service, uri), service + " did not serve " + uri);
    }

    /** Requests {@code service} has answered on the route {@code uri} (null: on any but its own /q/*). */
    private static long requests(Sentinel sentinel, Service service, String uri) {
        return Math.round(Scrape.sum(sentinel.metrics(service), HTTP_REQUESTS, labels -> uri == null
                ? !labels.getOrDefault("uri", "").startsWith("/q/")
                : uri.equals(labels.get("uri"))));
    }

    private static boolean accessLogHas(Gateway gateway, String text) {
        try {
            return java.nio.file.Files.readString(gateway.accessLog()).contains(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The access log line of the request {@code requestId} (waiting briefly: nginx writes it after the answer). */
    private static String accessLogLine(Gateway gateway, String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try {
                for (String line : java.nio.file.Files.readAllLines(gateway.accessLog())) {
                    if (line.contains("rid=" + requestId + " ")) {
                        return line;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no access log line with rid=" + requestId);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * A TCP server on a free port of 127.0.0.1 standing in for a broken service: it accepts every
     * connection and then either closes it at once ({@code hangUp}) or holds it open without ever
     * answering. Counts the connections it accepted.
     */
    private static final class FakeUpstream implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final AtomicInteger accepted = new AtomicInteger();

        private FakeUpstream(ServerSocket server) {
            this.server = server;
        }

        static FakeUpstream start(boolean hangUp) {
            try {
                FakeUpstream upstream = new FakeUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
                Thread acceptor = new Thread(() -> upstream.serve(hangUp), "fake-upstream");
                acceptor.setDaemon(true);
                acceptor.start();
                return upstream;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void serve(boolean hangUp) {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    if (hangUp) {
                        socket.close();
                    } else {
                        held.add(socket);
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket socket : held) {
                    socket.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void assertThat(String value, String regex) {
        assertTrue(value.matches(regex), value + " does not match " + regex);
    }
}

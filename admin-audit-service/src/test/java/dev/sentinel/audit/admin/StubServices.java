package dev.sentinel.audit.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sentinel.contracts.testing.FaultProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test-owned stand-ins for auth-service's internal user API and account-service's admin reads,
 * on ports of their own, answering as those services do (JSON, problem+json 404s) for the users
 * a test registers, so the facade's own behaviour — who may call, what it passes on (the
 * acting administrator, the SERVICE token), how it composes and maps answers — can be shown at
 * the module's edge. The real services behind the same API: system-tests' AdminConsoleIT.
 * Every call is recorded. {@link #cutAccount()} closes account's port (account gone).
 */
public class StubServices implements QuarkusTestResourceLifecycleManager {

    public static final String SERVICE_TOKEN = "stub-service-token";
    static final UUID SESSION = UUID.fromString("5e551011-0000-4000-8000-000000000001");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a stand-in was asked. */
    public record Call(String service, String method, String path, String actingAdmin, String authorization, String body) {
    }

    private static final Set<UUID> USERS = ConcurrentHashMap.newKeySet();
    /** Each known user's roles as auth holds them ({@code POST roles} replaces them); USER when not set. */
    private static final Map<UUID, Set<String>> ROLES = new ConcurrentHashMap<>();
    /** Users whose 2FA was reset ({@code POST reset-2fa}); everyone else has 2FA on. */
    private static final Set<UUID> MFA_OFF = ConcurrentHashMap.newKeySet();
    /** Users that have an account at account-service (a user without one gets its 404). */
    private static final Set<UUID> ACCOUNTS = ConcurrentHashMap.newKeySet();
    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean ACCOUNT_CUT = new AtomicBoolean();
    /** Users auth's search finds (by email substring), with their account's plan ({@code null}: no account). */
    private static final List<Searchable> SEARCHABLE = new CopyOnWriteArrayList<>();
    /** The system property the proxy in front of account follows ({@link FaultProxy#controlledBy}). */
    public static final String ACCOUNT_PROXY = "admin-audit.test.account-proxy";
    private static HttpServer auth;
    private static HttpServer account;
    private static FaultProxy accountProxy;

    private record Searchable(UUID id, String email, Instant createdAt, String plan) {
    }

    @Override
    public Map<String, String> start() {
        auth = server(StubServices::auth);
        account = server(StubServices::account);
        accountProxy = FaultProxy.start("127.0.0.1", account.getAddress().getPort(), FaultProxy.Mode.FORWARD)
                .controlledBy(ACCOUNT_PROXY);
        return Map.of("quarkus.rest-client.auth-service.url", url(auth),
                "quarkus.rest-client.account-service.url", "http://" + accountProxy.address());
    }

    /**
     * A user auth's search finds (its email {@code local@example.com}, created at {@code createdAt}),
     * with an account on {@code plan} at account-service, or none when {@code plan} is null.
     */
    static UUID searchable(String local, Instant createdAt, String plan) {
        UUID id = UUID.randomUUID();
        USERS.add(id);
        SEARCHABLE.add(new Searchable(id, local + "@example.com", createdAt, plan));
        return id;
    }

    /** auth's search over {@link #SEARCHABLE}: the query filter, the sort, keyset-like paging (the cursor is the last id). */
    private static String search(Map<String, String> params) throws IOException {
        String query = params.getOrDefault("query", "").toLowerCase(java.util.Locale.ROOT);
        String sort = params.getOrDefault("sort", "-createdAt");
        java.util.Comparator<Searchable> order = sort.endsWith("email")
                ? java.util.Comparator.comparing((Searchable u) -> u.email().toLowerCase(java.util.Locale.ROOT))
                : java.util.Comparator.comparing(Searchable::createdAt);
        order = order.thenComparing(Searchable::id);
        if (sort.startsWith("-")) {
            order = order.reversed();
        }
        List<Searchable> all = SEARCHABLE.stream().filter(u -> u.email().contains(query)).sorted(order).toList();
        int from = 0;
        if (params.containsKey("cursor")) {
            UUID after = UUID.fromString(params.get("cursor"));
            from = all.stream().map(Searchable::id).toList().indexOf(after) + 1;
        }
        int limit = Integer.parseInt(params.getOrDefault("limit", "20"));
        List<Searchable> page = all.subList(from, Math.min(all.size(), from + limit));
        List<Map<String, Object>> items = page.stream().map(u -> Map.<String, Object>of("id", u.id().toString(),
                "email", u.email(), "emailVerified", true, "roles", List.of("USER"), "status", "ACTIVE",
                "mfaEnabled", false, "createdAt", u.createdAt().toString())).toList();
        Map<String, Object> answer = new java.util.HashMap<>();
        answer.put("items", items);
        answer.put("nextCursor", from + limit < all.size() ? page.get(page.size() - 1).id().toString() : null);
        answer.put("total", "true".equals(params.get("count")) ? all.size() : null);
        return JSON.writeValueAsString(answer);
    }

    private static Map<String, String> params(HttpExchange exchange) {
        Map<String, String> params = new java.util.HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                params.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** A user auth knows, with an account at account-service when {@code withAccount}. */
    static UUID newUser(boolean withAccount) {
        UUID id = UUID.randomUUID();
        USERS.add(id);
        if (withAccount) {
            ACCOUNTS.add(id);
        }
        return id;
    }

    /** A user auth knows as an ACTIVE ADMIN (counted by auth's {@code role=ADMIN&count=true} search). */
    public static UUID newAdmin() {
        UUID id = newUser(false);
        ROLES.put(id, Set.of("ADMIN"));
        return id;
    }

    /** A user auth knows (USER role, 2FA on), without an account. */
    public static UUID newUser() {
        return newUser(false);
    }

    /** From now on only these users are ADMINs (every other ADMIN becomes a USER). */
    public static void onlyAdmins(UUID... admins) {
        Set<UUID> keep = Set.of(admins);
        ROLES.replaceAll((id, roles) -> roles.contains("ADMIN") && !keep.contains(id) ? Set.of("USER") : roles);
    }

    public static Set<String> roles(UUID user) {
        return ROLES.getOrDefault(user, Set.of("USER"));
    }

    public static boolean mfaEnabled(UUID user) {
        return !MFA_OFF.contains(user);
    }

    public static List<Call> calls(String service, String pathPart) {
        return CALLS.stream().filter(c -> c.service().equals(service) && c.path().contains(pathPart)).toList();
    }

    /** account-service is gone from now on: its port is closed. */
    static void cutAccount() {
        ACCOUNT_CUT.set(true);
        account.stop(0);
    }

    private static void auth(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        record(exchange, "auth", method, path);
        if (path.equals("/v1/auth/token")) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    "admin-audit-service:admin-audit-test-client-secret".getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                problem(exchange, 401, "AUTH_INVALID_CREDENTIALS");
                return;
            }
            json(exchange, 200, "{\"access_token\":\"" + SERVICE_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":900}");
            return;
        }
        if (path.equals("/v1/auth/internal/users") && method.equals("GET")) {
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.contains("role=ADMIN")) {
                long total = ROLES.values().stream().filter(roles -> roles.contains("ADMIN")).count();
                json(exchange, 200, "{\"items\":[],\"total\":" + total + ",\"nextCursor\":null}");
            } else {
                json(exchange, 200, search(params(exchange)));
            }
            return;
        }
        String[] parts = path.split("/"); // "", v1, auth, internal, users, {id}, ...
        if (parts.length < 6 || !path.startsWith("/v1/auth/internal/users/")) {
            problem(exchange, 404, "SYS_NOT_FOUND");
            return;
        }
        UUID id = UUID.fromString(parts[5]);
        String rest = String.join("/", List.of(parts).subList(6, parts.length));
        if (!USERS.contains(id)) {
            problem(exchange, 404, "BIZ_USER_NOT_FOUND");
            return;
        }
        switch (method + " " + rest) {
            case "GET " -> json(exchange, 200, "{\"id\":\"" + id + "\",\"email\":\"" + id.toString().substring(0, 8)
                    + "@example.com\",\"emailVerified\":true,\"roles\":" + JSON.writeValueAsString(roles(id))
                    + ",\"status\":\"ACTIVE\",\"mfaEnabled\":" + mfaEnabled(id) + ",\"createdAt\":\"2026-01-02T03:04:05Z\",\"lockout\":{\"locked\":false,"
                    + "\"failures\":2,\"retryAfterSeconds\":0},\"recoveryCodesLeft\":7}");
            case "GET sessions" -> json(exchange, 200, "[{\"id\":\"" + SESSION + "\",\"device\":\"Firefox on Linux\","
                    + "\"network\":\"198.18.7.0/24\",\"createdAt\":\"2026-01-02T03:04:05Z\","
                    + "\"lastUsedAt\":\"2026-01-03T03:04:05Z\"}]");
            case "POST sessions/revoke" -> {
                String body = CALLS.get(CALLS.size() - 1).body();
                if (body.contains("\"sessionId\":\"") && !body.contains(SESSION.toString())) {
                    problem(exchange, 404, "SYS_NOT_FOUND");
                } else {
                    json(exchange, 200, "{\"revoked\":" + (body.contains(SESSION.toString()) ? 1 : 2) + "}");
                }
            }
            case "POST roles" -> {
                Set<String> roles = new java.util.TreeSet<>();
                JSON.readTree(CALLS.get(CALLS.size() - 1).body()).get("roles").forEach(role -> roles.add(role.asText()));
                ROLES.put(id, Set.copyOf(roles));
                json(exchange, 200, "{\"id\":\"" + id + "\",\"roles\":" + JSON.writeValueAsString(roles) + "}");
            }
            case "POST reset-2fa" -> {
                // auth takes this only from an administrator's own token, never the SERVICE token
                if (SERVICE_TOKEN_BEARER.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    problem(exchange, 403, "AUTH_FORBIDDEN");
                } else if (!MFA_OFF.add(id)) {
                    problem(exchange, 409, "BIZ_MFA_NOT_ENABLED");
                } else {
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                }
            }
            default -> problem(exchange, 404, "SYS_NOT_FOUND");
        }
    }

    private static void account(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        record(exchange, "account", exchange.getRequestMethod(), path);
        if (!(SERVICE_TOKEN_BEARER.equals(exchange.getRequestHeaders().getFirst("Authorization")))) {
            problem(exchange, 401, "AUTH_INVALID_TOKEN");
            return;
        }
        if (path.equals("/v1/admin/accounts/plans/lookup")) {
            List<Map<String, Object>> items = new java.util.ArrayList<>();
            for (var asked : JSON.readTree(CALLS.get(CALLS.size() - 1).body()).get("userIds")) {
                UUID user = UUID.fromString(asked.asText());
                SEARCHABLE.stream().filter(u -> u.id().equals(user) && u.plan() != null).findFirst().ifPresent(u ->
                        items.add(Map.of("userId", user.toString(), "plan", u.plan(), "since", "2026-01-05T00:00:00Z")));
            }
            json(exchange, 200, JSON.writeValueAsString(Map.of("defaultPlan", "FREE", "items", items)));
            return;
        }
        String[] parts = path.split("/"); // "", v1, admin, accounts, {id}, plan|limits
        UUID id = UUID.fromString(parts[4]);
        if (!ACCOUNTS.contains(id)) {
            problem(exchange, 404, "BIZ_USER_NOT_FOUND");
            return;
        }
        switch (parts[5]) {
            case "plan" -> json(exchange, 200,
                    "{\"plan\":\"PRO\",\"since\":\"2026-01-05T00:00:00Z\",\"maxMonthlyCapCents\":1000000}");
            case "limits" -> json(exchange, 200, "{\"monthlyCapCents\":50000,\"maxMonthlyCapCents\":1000000,"
                    + "\"warnThresholdPercent\":80,\"spentCents\":1234,\"reservedCents\":100,\"remainingCents\":48666,"
                    + "\"periodStart\":\"2026-11-01T00:00:00Z\",\"periodEnd\":\"2026-12-01T00:00:00Z\"}");
            default -> problem(exchange, 404, "SYS_NOT_FOUND");
        }
    }

    private static final String SERVICE_TOKEN_BEARER = "Bearer " + SERVICE_TOKEN;

    private static void record(HttpExchange exchange, String service, String method, String path) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        CALLS.add(new Call(service, method, query == null ? path : path + "?" + query,
                exchange.getRequestHeaders().getFirst("X-Acting-Admin"),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
    }

    private static void problem(HttpExchange exchange, int status, String code) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        send(exchange, status, "{\"type\":\"about:blank\",\"title\":\"stub\",\"status\":" + status + ",\"code\":\""
                + code + "\",\"detail\":\"" + code + " (stand-in)\"}");
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static HttpServer server(Handler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.createContext("/", exchange -> {
                try {
                    handler.handle(exchange);
                } catch (RuntimeException e) {
                    problem(exchange, 500, "SYS_INTERNAL");
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void stop() {
        accountProxy.close();
        auth.stop(0);
        if (!ACCOUNT_CUT.get()) {
            account.stop(0);
        }
    }
}

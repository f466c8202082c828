package dev.sentinel.systemtests.support;

import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.testing.TestJwt;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The whole suite running for the tests of this JVM: the four packaged services as processes
 * of their own in the prod profile, against the real PostgreSQL, Redis, Kafka and mail server
 * of {@code deploy/local/sentinel infra}, each on a free port, with the suite's own databases
 * and consumer groups and secrets made for this run. Started once by {@link SentinelSuite};
 * tests get it as a parameter (see {@link SystemTest}).
 */
public final class Sentinel implements AutoCloseable {

    /** The suite's consumer groups: never the ones 'sentinel up' or the modules' tests use. */
    public static final String ACCOUNT_GROUP = "account-service-e2e";
    public static final String NOTIFICATION_GROUP = "notification-service-e2e";
    public static final String AUDIT_GROUP = "admin-audit-service-e2e";
    public static final String ADMIN_EMAIL = "admin@e2e.sentinel.test";
    /** The client_credentials client admin-audit-service signs in to auth-service as. */
    public static final String ADMIN_AUDIT_CLIENT = "admin-audit-service";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<Service, ServiceProcess> processes;
    /** What the services were started with (each adds its DB_NAME). */
    private final Map<String, String> environment;
    private final String adminPassword;
    private final Path root;
    private final Path logs;
    private final Thread killOnExit;
    /** Every gateway started for this run, stopped with the services. */
    private final List<Gateway> gateways = new CopyOnWriteArrayList<>();
    /** Where the services export their spans (OTLP/HTTP), for the whole run. */
    private final OtlpReceiver traces;
    private Gateway gateway;

    private Sentinel(Map<Service, ServiceProcess> processes, Map<String, String> environment, String adminPassword,
            Path root, Path logs, OtlpReceiver traces) {
        this.processes = processes;
        this.traces = traces;
        this.environment = Map.copyOf(environment);
        this.adminPassword = adminPassword;
        this.root = root;
        this.logs = logs;
        this.killOnExit = new Thread(() -> {
            gateways.forEach(Gateway::kill);
            processes.values().forEach(ServiceProcess::kill);
        }, "e2e-kill-services");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Base URL of a service, e.g. {@code http://127.0.0.1:41234}. */
    public String url(Service service) {
        return processes.get(service).baseUrl();
    }

    /** A rest-assured request to a service, JSON in and out. */
    public RequestSpecification given(Service service) {
        return RestAssured.given().baseUri(url(service)).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public RequestSpecification auth() {
        return given(Service.AUTH);
    }

    public RequestSpecification account() {
        return given(Service.ACCOUNT);
    }

    public RequestSpecification adminAudit() {
        return given(Service.ADMIN_AUDIT);
    }

    public RequestSpecification notification() {
        return given(Service.NOTIFICATION);
    }

    /** Where a service's output goes: {@code system-tests/target/e2e-logs/<module>.log}. */
    public Path log(Service service) {
        return processes.get(service).log;
    }

    /** The spans the four services exported so far (they export every span of the run). */
    public OtlpReceiver traces() {
        return traces;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The repository's root folder (README, deploy/). */
    public Path root() {
        return root;
    }

    /**
     * The gateway of {@code deploy/gateway/} in front of this run's four services, on a free port;
     * started the first time a test asks for it and kept for the rest of the run.
     */
    public synchronized Gateway gateway() {
        if (gateway == null) {
            gateway = startGateway("gateway", Map.of());
        }
        return gateway;
    }

    /**
     * Another gateway, on a free port and in {@code target/e2e-logs/<name>/}, with some upstreams
     * replaced (e.g. a closed port, to see an upstream that is down); the others are this run's
     * services. Stopped with the suite, or earlier by {@link Gateway#close()}.
     */
    public Gateway startGateway(String name, Map<Service, String> replacedUpstreams) {
        return startGateway(name, replacedUpstreams, null);
    }

    /**
     * As {@link #startGateway(String, Map)}, with the time an upstream may take to answer
     * shortened to {@code upstreamTimeout} (whole seconds), to see a hanging upstream time out.
     */
    public Gateway startGateway(String name, Map<Service, String> replacedUpstreams, Duration upstreamTimeout) {
        Map<Service, String> upstreams = new EnumMap<>(Service.class);
        processes.forEach((service, process) -> upstreams.put(service, "127.0.0.1:" + process.port));
        upstreams.putAll(replacedUpstreams);
        Gateway started = Gateway.start(root, logs.resolve(name), freePort(), upstreams, upstreamTimeout);
        gateways.add(started);
        return started;
    }

    /** A setting the services were started with (e.g. AUDIT_CHECKPOINT_MIRROR_DIR), or null. */
    public String setting(String name) {
        return environment.get(name);
    }

    /**
     * Another admin-audit-service on {@code database} with {@code checkpointMirror} as its mirror
     * (a restored backup, say), reading security-events in a group of its own from the end, making
     * no checkpoint of its own for an hour; returns once it is ready.
     */
    public ExtraService startAdminAuditOn(String database, Path checkpointMirror) {
        String group = "admin-audit-extra-" + System.nanoTime();
        ConsumerGroups.startAtEnd(group, Topics.SECURITY_EVENTS);
        Map<String, String> env = new HashMap<>(environment);
        env.put("DB_NAME", database);
        env.put("AUDIT_EVENTS_GROUP", group);
        env.put("AUDIT_CHECKPOINT_MIRROR_DIR", checkpointMirror.toString());
        env.put("AUDIT_CHECKPOINT_EVERY", "1h");
        env.put("AUDIT_CHECKPOINT_EVERY_ROWS", "1000000");
        ServiceProcess process = ServiceProcess.start(Service.ADMIN_AUDIT,
                root.resolve(Service.ADMIN_AUDIT.module()).resolve("target/quarkus-app/quarkus-run.jar"), freePort(),
                logs.resolve("admin-audit-on-" + database + ".log"), env);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (!process.ready()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not ready within " + READY_TIMEOUT + ":\n" + process.tail());
                }
                sleep(250);
            }
        } catch (RuntimeException e) {
            process.stop();
            throw e;
        }
        return new ExtraService(process);
    }

    /**
     * One more instance of {@code service}'s packaged jar on {@code port}, with this run's
     * environment changed by {@code changes} (the service's own suite database unless DB_NAME is
     * among them), its output in {@code target/e2e-logs/<name>.log}; returns once it is ready.
     * Closing it and starting again on the same port is a restart with new settings, as an
     * operator's rollout is (a key rotation, say): whoever points at that port follows.
     */
    public ExtraService startExtra(Service service, String name, int port, Map<String, String> changes) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("DB_NAME", service.database());
        env.putAll(changes);
        ServiceProcess process = ServiceProcess.start(service,
                root.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar"), port,
                logs.resolve(name + ".log"), env);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (!process.ready()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " not ready within " + READY_TIMEOUT + ":\n" + process.tail());
                }
                sleep(250);
            }
        } catch (RuntimeException e) {
            process.stop();
            throw e;
        }
        return new ExtraService(process);
    }

    /** How a start of a packaged service ended: its exit code (null: still running when stopped) and its output. */
    public record Exit(Integer code, String output) {
    }

    /**
     * Starts one more instance of {@code service}'s packaged jar on a free port, with this run's
     * environment changed by {@code changes}, for a start that must fail: waits up to
     * {@code timeout} for it to exit, stops it otherwise, and returns how it ended. Its output is
     * in {@code target/e2e-logs/<name>.log}.
     */
    public Exit startExpectingExit(Service service, String name, Map<String, String> changes, Duration timeout) {
        return startExpectingExit(service, name, changes, java.util.Set.of(), timeout);
    }

    /** As {@link #startExpectingExit(Service, String, Map, Duration)}, with the variables {@code unset} removed. */
    public Exit startExpectingExit(Service service, String name, Map<String, String> changes,
            java.util.Set<String> unset, Duration timeout) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("DB_NAME", service.database());
        env.putAll(changes);
        env.keySet().removeAll(unset);
        Path log = logs.resolve(name + ".log");
        ServiceProcess process = ServiceProcess.start(service,
                root.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar"), freePort(), log, env);
        Integer code = process.awaitExit(timeout);
        if (code == null) {
            process.stop();
        }
        try {
            return new Exit(code, Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a service serves at {@code /q/metrics} right now (Prometheus text). */
    public String metrics(Service service) {
        return RestAssured.given().baseUri(url(service)).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
    }

    /** A port nothing listens on (for a while): an upstream that is down. */
    public static int closedPort() {
        return freePort();
    }

    /** Signs in with a password; fails unless auth answers 200 with tokens. */
    public SignedIn signIn(String email, String password) {
        JsonPath body = auth().body(Map.of("email", email, "password", password))
                .when().post("/v1/auth/login")
                .then().statusCode(200).extract().jsonPath();
        return new SignedIn(body.getString("accessToken"), body.getString("refreshToken"), body.getString("sessionId"));
    }

    /** The administrator auth-service seeded at start from ADMIN_EMAIL / ADMIN_PASSWORD. */
    public SignedIn signInAsAdmin() {
        return signIn(ADMIN_EMAIL, adminPassword);
    }

    /**
     * Starts the suite: wipes its databases, moves its consumer groups to the end of the shared
     * topics, then starts the four services in parallel and waits until all are ready. If one
     * does not get ready, all are stopped and the failure carries that service's log tail.
     */
    static Sentinel start() {
        long started = System.nanoTime();
        Path root = Path.of(System.getProperty("sentinel.e2e.root", "..")).toAbsolutePath().normalize();
        Path logs = Path.of(System.getProperty("sentinel.e2e.logs", "target/e2e-logs")).toAbsolutePath();
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Databases.recreate(Service.values());
        ConsumerGroups.startAtEnd(ACCOUNT_GROUP, Topics.SECURITY_EVENTS);
        ConsumerGroups.startAtEnd(NOTIFICATION_GROUP, Topics.EMAIL_REQUESTS);
        ConsumerGroups.startAtEnd(AUDIT_GROUP, Topics.SECURITY_EVENTS);

        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, freePort());
        }
        String authUrl = "http://127.0.0.1:" + ports.get(Service.AUTH);
        String adminPassword = password();
        Map<String, String> env = environment(authUrl, adminPassword);
        // Every span goes to the run's in-process collector, through the standard OTLP settings.
        OtlpReceiver traces = OtlpReceiver.start();
        env.put("OTEL_TRACES_EXPORTER", "otlp");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        // Exported within a second of ending (the SDK's default waits 5 s).
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "1s");
        // admin-audit-service reads plans and spend from account-service for the user detail.
        env.put("ACCOUNT_URL", "http://127.0.0.1:" + ports.get(Service.ACCOUNT));
        // The audit log's checkpoint mirror starts empty with its database.
        env.put("AUDIT_CHECKPOINT_MIRROR_DIR", logs.resolve("audit-checkpoints-" + System.currentTimeMillis()).toString());

        Map<Service, ServiceProcess> processes = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            Map<String, String> own = new HashMap<>(env);
            own.put("DB_NAME", service.database());
            processes.put(service, ServiceProcess.start(service,
                    root.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar"),
                    ports.get(service), logs.resolve(service.module() + ".log"), own));
        }
        Sentinel sentinel = new Sentinel(processes, env, adminPassword, root, logs, traces);
        try {
            sentinel.awaitReady();
        } catch (RuntimeException | Error e) {
            sentinel.close();
            throw e;
        }
        System.out.printf("Sentinel system tests: four services ready in %.1f s (%s); logs in %s%n",
                (System.nanoTime() - started) / 1e9, processes.values().stream()
                        .map(p -> p.service.module() + " " + p.baseUrl()).toList(), logs);
        return sentinel;
    }

    /**
     * What every service gets (each takes what it reads): the prod profile with secrets made for
     * this run, cheap Argon2, no CAPTCHA, no per-IP throttling of this one client, readable
     * logs, the suite's databases and groups. The signing key is {@link TestJwt}'s key of this
     * JVM under TestJwt's issuer, so a test may also mint tokens every service accepts (a
     * SERVICE caller, say) or forge ones they must refuse.
     */
    private static Map<String, String> environment(String authUrl, String adminPassword) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "prod");
        env.put("LOG_JSON", "false");
        // Our own code logs at DEBUG, so SecretsNeverLoggedIT sees everything it could ever write.
        env.put("QUARKUS_LOG_CATEGORY__DEV_SENTINEL__LEVEL", "DEBUG");
        env.put("JWT_JWK_CURRENT", TestJwt.privateJwk());
        env.put("JWT_ISSUER", TestJwt.ISSUER);
        env.put("JWT_AUDIENCE", TestJwt.AUDIENCE);
        env.put("JWKS_URL", authUrl + "/.well-known/jwks.json");
        env.put("REFRESH_TOKEN_KEY", randomBase64(32));
        env.put("ENCRYPTION_KEYS", "{\"v1\":\"" + randomBase64(32) + "\"}");
        env.put("ENCRYPTION_KEY_CURRENT", "v1");
        env.put("AUDIT_CHAIN_KEY", randomBase64(32));
        env.put("ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("ADMIN_PASSWORD", adminPassword);
        env.put("CAPTCHA_PROVIDER", "disabled");
        env.put("ARGON2_ITERATIONS", "1");
        env.put("ARGON2_MEMORY_KIB", "1024");
        env.put("ARGON2_PARALLELISM", "1");
        env.put("RATE_LIMIT_PER_IP", "100000");
        env.put("SECURITY_EVENTS_GROUP", ACCOUNT_GROUP);
        env.put("EMAIL_REQUESTS_GROUP", NOTIFICATION_GROUP);
        env.put("AUDIT_EVENTS_GROUP", AUDIT_GROUP);
        env.put("AUDIT_KEK", randomBase64(32));
        env.put("AUDIT_SIGNING_KEY", randomBase64(32));
        env.put("PUBLIC_BASE_URL", authUrl);
        // admin-audit-service calls auth-service as a client_credentials client of this run.
        String clientSecret = randomBase64(32);
        env.put("AUTH_URL", authUrl);
        env.put("ADMIN_AUDIT_CLIENT_ID", ADMIN_AUDIT_CLIENT);
        env.put("ADMIN_AUDIT_CLIENT_SECRET", clientSecret);
        env.put("SERVICE_CLIENTS", ADMIN_AUDIT_CLIENT + ":" + sha256Hex(clientSecret));
        return env;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        List<ServiceProcess> pending = new ArrayList<>(processes.values());
        while (!pending.isEmpty()) {
            pending.removeIf(ServiceProcess::ready);
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder failure = new StringBuilder("not ready within " + READY_TIMEOUT + ":");
                pending.forEach(p -> failure.append("\n--- ").append(p.service.module()).append(" ---\n").append(p.tail()));
                throw new IllegalStateException(failure.toString());
            }
            sleep(250);
        }
    }

    /** Stops every service: SIGTERM, then SIGKILL after a grace period. Runs once, at the end of the JVM's tests. */
    @Override
    public synchronized void close() {
        gateways.forEach(Gateway::close);
        processes.values().parallelStream().forEach(ServiceProcess::stop);
        traces.close();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing left for it to do
        }
    }

    /** A signed-in session as auth's login answers it. */
    public record SignedIn(String accessToken, String refreshToken, String sessionId) {

        /** The {@code Authorization} header value. */
        public String bearer() {
            return "Bearer " + accessToken;
        }

        /** The access token's claims (its payload, not checked: auth signed it for this test). */
        public JsonPath claims() {
            return JsonPath.from(new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** 24 letters and digits, a dash and 4 more (like deploy/local's admin password): passes the policy. */
    private static String password() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder password = new StringBuilder("Aa2");
        while (password.length() < 24) {
            password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        password.append('-');
        for (int i = 0; i < 4; i++) {
            password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static String randomBase64(int bytes) {
        byte[] key = new byte[bytes];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String sha256Hex(String secret) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A port free right now, for an instance a test starts itself ({@link #startExtra}). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.testing.KafkaTopics;
import dev.sentinel.contracts.testing.LocalInfra;
import dev.sentinel.contracts.testing.Mailbox;
import dev.sentinel.contracts.testing.PrometheusText;
import dev.sentinel.notification.support.Deliveries;
import dev.sentinel.notification.support.EmailRequests;
import dev.sentinel.notification.support.LoopbackServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The "consumer restarted in the middle of a batch": the packaged service
 * ({@code target/quarkus-app/quarkus-run.jar}, prod profile) runs as an OS process of its own
 * against the real Kafka, PostgreSQL and SMTP server, is stopped while a batch of 200 requests
 * is half consumed and half sent, and a second process takes over with the same consumer
 * group and topics — once after SIGTERM (a rollout: nothing lost, nothing sent twice) and once
 * after SIGKILL (a crash: nothing lost; only a mail whose outcome the dead process had not
 * recorded may go out again, after its lease). The first process sends through
 * {@link SlowSmtp}, so that it is surely in the middle of a send round when it is stopped;
 * the second one talks to the SMTP server directly. Run by failsafe in {@code verify}; each
 * process's output is in {@code target/restart-it/}.
 */
class ConsumerRestartIT {

    private static final int MAILS = 200;
    private static final int RECIPIENTS = 50;
    private static final Path JAR = Path.of(System.getProperty("sentinel.it.service-jar",
            "target/quarkus-app/quarkus-run.jar"));
    private static final Path LOGS = Path.of(System.getProperty("sentinel.it.logs", "target/restart-it"));
    private static final String DUPLICATES = "sentinel_mail_requests_duplicate_total";
    /** The surefire tests' migrations are not in the jar: the first process starts from an empty schema. */
    private static boolean schemaCleaned;

    private static Vertx vertx;
    private static Pool pool;
    private static Deliveries deliveries;
    /** Writes envelopes as the services do (ISO-8601 time). */
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final List<ServiceProcess> processes = new ArrayList<>();
    private SlowSmtp slowSmtp;

    @BeforeAll
    static void connect() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built in the package phase");
        Files.createDirectories(LOGS);
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().connectingTo("postgresql://postgres@127.0.0.1:5432/notification_test").using(vertx)
                .build();
        deliveries = new Deliveries(pool);
    }

    @AfterEach
    void killWhatIsLeft() {
        processes.forEach(ServiceProcess::kill);
        if (slowSmtp != null) {
            slowSmtp.close();
        }
    }

    @AfterAll
    static void disconnect() {
        if (pool != null) {
            pool.closeAndAwait();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
    }

    /**
     * The sender claims up to 50 mails a round and records their outcomes at the end of it.
     * Through the slow server (0.3 s per answer) a round of 50 takes some 20 s, longer than
     * the rest of the shutdown (the Kafka consumers leave their group in a few seconds), and
     * the stop comes early in such a round. Were the shutdown not to wait for it, the mails
     * it had sent would stay claimed and unmarked, to be sent again when their lease ends.
     */
    @Test
    void aServiceStoppedWithSigtermInTheMiddleOfABatchSendsEveryMailExactlyOnce() {
        Run run = new Run("sigterm", List.of());
        ServiceProcess first = start(run, 1, slowSmtp(Duration.ofMillis(300)));
        Map<UUID, String> expected = publish(run);
        Set<UUID> ids = expected.keySet();
        // Every request recorded first. Seen once: stopped with 160 of 200 recorded, the
        // service went on taking rounds while its consumer drained and exited with all 200
        // sent (each once), so the stop was no longer in the middle of the batch.
        Deliveries.waitUntil(Duration.ofSeconds(60),
                () -> deliveries.recorded(ids) == MAILS && deliveries.count(ids, "SENT") > 0
                        && claimedButUnrecorded(ids).size() >= 20,
                "every request recorded, a first round sent and a round of 20 or more in flight");
        sleep(Duration.ofMillis(1500)); // its first sends are through

        long recordedAtSignal = deliveries.recorded(ids);
        long sentAtSignal = deliveries.count(ids, "SENT");
        Set<UUID> inFlight = claimedButUnrecorded(ids);
        first.stop();
        long sent = deliveries.count(ids, "SENT");
        System.out.printf("FIGURE sigterm: at SIGTERM %d of %d recorded, %d sent, %d in the round in flight; "
                + "exited in %d ms with %d recorded, %d sent%n", recordedAtSignal, MAILS, sentAtSignal,
                inFlight.size(), first.stoppedInMillis, deliveries.recorded(ids), sent);
        // The graceful stop starts no new round: what is sent after the signal is at most the
        // round that was in flight. (Whether mails were still waiting then depends on how fast
        // this machine was; the FIGURE line says. Seen once under load: 150 sent and the last
        // 50 in flight at the signal, so nothing was left to hold back.)
        assertTrue(sent <= sentAtSignal + inFlight.size(), "a round was started after SIGTERM: " + sent
                + " sent, " + sentAtSignal + " at the signal with " + inFlight.size() + " in flight");
        assertEquals(Set.of(), claimedButUnrecorded(ids),
                "a graceful stop records the outcome of every mail it claimed (see " + first.log + ")");
        assertEquals(inFlight.size(), deliveries.count(inFlight, "SENT"), "the round in flight was finished");
        long redelivered = recordedPastCommittedOffsets(run, expected);

        ServiceProcess second = start(run, 2, Map.of());
        Deliveries.waitUntil(Duration.ofSeconds(90), () -> deliveries.count(ids, "SENT") == MAILS, "all sent");
        Map<String, Integer> arrived = arrivals(expected);
        assertEquals(ids.stream().map(UUID::toString).collect(Collectors.toSet()), arrived.keySet(), "none lost");
        assertEquals(Map.of(), twice(arrived), "none sent twice");
        assertRedeliveriesDropped(second, redelivered);
    }

    /**
     * A crash records nothing more: the records it consumed after its group's last offset
     * commit are read again by the next process (and must be dropped as duplicates), and the
     * mails of its send round in flight come back after their lease (made short here: a batch
     * of 4 sent at once × send timeout 5 s gives a 10 s lease). It is killed in the one window
     * in which a mail goes out twice: the server has taken mails that the sender has not
     * marked yet (the relay withholds the server's answers, and the send timeout is far off).
     * The consumer — one instead of three here, so it is slower than the sender's first
     * rounds — is still in the middle of the batch then. Consumer sessions are short too, so
     * the dead process's group members are dropped within seconds, not 45.
     */
    @Test
    void aServiceKilledInTheMiddleOfABatchLosesNothingAndResendsOnlyMailsItHadNotRecorded() {
        Run run = new Run("sigkill", List.of(
                "-Dnotification.sender.batch-size=4",
                "-Dnotification.sender.send-timeout=PT5S",
                "-Dnotification.sender.lease=PT5S",
                "-Dmp.messaging.incoming.email-requests.session.timeout.ms=6000",
                "-Dmp.messaging.incoming.email-requests.heartbeat.interval.ms=1000"));
        Map<String, String> env = new HashMap<>(slowSmtp(Duration.ofMillis(100)));
        env.put("EMAIL_REQUESTS_CONCURRENCY", "1");
        ServiceProcess first = start(run, 1, env);
        Map<UUID, String> expected = publish(run);
        Set<UUID> ids = expected.keySet();
        Deliveries.waitUntil(Duration.ofSeconds(60),
                () -> deliveries.recorded(ids) >= 40 && deliveries.count(ids, "SENT") > 0,
                "40 requests recorded and a first round sent");
        slowSmtp.withholdAcceptances();
        // Well within the 5 s send timeout, so the round cannot end (and record) before the kill.
        Deliveries.waitUntil(Duration.ofSeconds(2), () -> slowSmtp.withheld() > 0, "a mail taken, unacknowledged");

        first.kill();
        long recorded = deliveries.recorded(ids);
        long sent = deliveries.count(ids, "SENT");
        Set<UUID> inFlight = claimedButUnrecorded(ids);
        Set<UUID> takenUnmarked = inMailboxes(inFlight, expected);
        System.out.printf("FIGURE sigkill: killed with %d of %d recorded, %d sent, %d claimed but not recorded "
                + "of which %d taken by the server%n", recorded, MAILS, sent, inFlight.size(), takenUnmarked.size());
        assertTrue(recorded < MAILS, "the consumer was killed in the middle of the batch");
        assertTrue(takenUnmarked.size() > 0, "the sender was killed with mails taken by the server and not marked");
        long redelivered = recordedPastCommittedOffsets(run, expected);
        assertTrue(redelivered > 0, "the killed consumer had recorded requests past its last offset commit");

        ServiceProcess second = start(run, 2, Map.of("EMAIL_REQUESTS_CONCURRENCY", "1"));
        Deliveries.waitUntil(Duration.ofSeconds(90), () -> deliveries.count(ids, "SENT") == MAILS, "all sent");
        Map<String, Integer> arrived = arrivals(expected);
        assertEquals(ids.stream().map(UUID::toString).collect(Collectors.toSet()), arrived.keySet(), "none lost");
        assertEquals(takenUnmarked.stream().map(UUID::toString).collect(Collectors.toSet()), twice(arrived).keySet(),
                "exactly the mails taken by the server but not marked at the kill come twice (after their lease)");
        assertTrue(arrived.values().stream().allMatch(n -> n <= 2), "none more than twice: " + twice(arrived));
        assertRedeliveriesDropped(second, redelivered);
    }

    /** Topics, group and recipients of one test, and the settings its processes share. */
    private record Run(String name, String input, String dlq, String group, List<String> recipients,
            List<String> settings) {

        Run(String name, List<String> settings) {
            this(name, KafkaTopics.create("email-requests.restart-it", 3),
                    KafkaTopics.create("email-requests.dlq.restart-it", 1),
                    "notification-restart-it-" + UUID.randomUUID(), recipients(name), settings);
        }

        private static List<String> recipients(String name) {
            List<String> recipients = new ArrayList<>();
            for (int r = 0; r < RECIPIENTS; r++) {
                recipients.add(EmailRequests.recipient(name + r));
            }
            return recipients;
        }
    }

    /** Starts {@link SlowSmtp} for this test; answers the environment that points a process at it. */
    private Map<String, String> slowSmtp(Duration answerDelay) {
        slowSmtp = new SlowSmtp(3025, answerDelay);
        return Map.of("SMTP_PORT", String.valueOf(slowSmtp.port()));
    }

    private ServiceProcess start(Run run, int number, Map<String, String> moreEnv) {
        List<String> settings = new ArrayList<>(run.settings());
        synchronized (ConsumerRestartIT.class) {
            if (!schemaCleaned) {
                settings.add("-Dquarkus.flyway.clean-at-start=true");
                settings.add("-Dquarkus.flyway.clean-disabled=false");
                schemaCleaned = true;
            }
        }
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_NAME", "notification_test",
                "EMAIL_REQUESTS_TOPIC", run.input(),
                "EMAIL_REQUESTS_DLQ_TOPIC", run.dlq(),
                "EMAIL_REQUESTS_GROUP", run.group(),
                "LOG_JSON", "false",
                "PUBLIC_BASE_URL", "https://app.sentinel.test"));
        env.putAll(moreEnv);
        ServiceProcess process = new ServiceProcess(LOGS.resolve(run.name() + "-" + number + ".log"), settings, env);
        processes.add(process);
        process.awaitReady(Duration.ofSeconds(60));
        return process;
    }

    /** 200 requests, four to each recipient (under the per-recipient limit); answers event id → recipient. */
    private Map<UUID, String> publish(Run run) {
        Map<UUID, String> expected = new LinkedHashMap<>();
        try (EmailRequests requests = new EmailRequests(run.input(), json)) {
            for (int i = 0; i < MAILS; i++) {
                String recipient = run.recipients().get(i % RECIPIENTS);
                expected.put(requests.publishNoWait("mfa-enabled", recipient, "en", Map.of()).id(), recipient);
            }
            requests.flush();
        }
        return expected;
    }

    /** Mails of these events a sender has claimed and not marked yet (once it is gone: sent or not, nobody knows). */
    private Set<UUID> claimedButUnrecorded(Set<UUID> ids) {
        Set<UUID> claimed = new HashSet<>();
        for (Row row : pool.preparedQuery("select event_id from delivery where event_id = any($1) "
                        + "and status = 'PENDING' and claimed_until is not null")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).await().atMost(Duration.ofSeconds(10))) {
            claimed.add(row.getUUID(0));
        }
        return claimed;
    }

    /** Which of these events' mails the SMTP server holds, read over IMAP. */
    private static Set<UUID> inMailboxes(Set<UUID> ids, Map<UUID, String> expected) {
        Set<UUID> found = new HashSet<>();
        for (String recipient : ids.stream().map(expected::get).collect(Collectors.toSet())) {
            for (Mailbox.Received mail : Mailbox.read(recipient)) {
                UUID id = UUID.fromString(mail.eventId());
                if (ids.contains(id)) {
                    found.add(id);
                }
            }
        }
        return found;
    }

    /**
     * How many records the stopped process recorded after the offsets its group committed:
     * the next process reads them again and must drop each one as a duplicate.
     */
    private long recordedPastCommittedOffsets(Run run, Map<UUID, String> expected) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.KAFKA))) {
            committed = admin.listConsumerGroupOffsets(run.group()).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("committed offsets of " + run.group(), e);
        }
        Set<UUID> recorded = new HashSet<>();
        for (Row row : pool.preparedQuery("select event_id from delivery where event_id = any($1)")
                .execute(Tuple.of(expected.keySet().toArray(UUID[]::new))).await().atMost(Duration.ofSeconds(10))) {
            recorded.add(row.getUUID(0));
        }
        long past = 0;
        for (ConsumerRecord<String, String> record : KafkaTopics.read(run.input(), MAILS, Duration.ofSeconds(30),
                Duration.ZERO)) {
            OffsetAndMetadata offset = committed.get(new TopicPartition(record.topic(), record.partition()));
            UUID id = UUID.fromString(KafkaTopics.header(record, CloudEventHeaders.ID));
            if (recorded.contains(id) && (offset == null || record.offset() >= offset.offset())) {
                past++;
            }
        }
        System.out.printf("FIGURE %s: %d records recorded past the committed offsets %s%n", run.name(), past,
                committed.entrySet().stream().map(e -> e.getKey().partition() + "=" + e.getValue().offset()).toList());
        return past;
    }

    private void assertRedeliveriesDropped(ServiceProcess second, long redelivered) {
        // More may come: a rebalance while the second process's consumers join re-reads records too.
        Deliveries.waitUntil(Duration.ofSeconds(30), () -> second.metric(DUPLICATES) >= redelivered,
                "the second process dropped the " + redelivered + " records read again as duplicates");
        System.out.printf("FIGURE second process dropped %.0f redelivered records (%d expected at least)%n",
                second.metric(DUPLICATES), redelivered);
    }

    /** How often each event's mail arrived, read over IMAP; fails on a mail nobody asked for. */
    private static Map<String, Integer> arrivals(Map<UUID, String> expected) {
        Map<String, Set<String>> byRecipient = new HashMap<>();
        expected.forEach((id, recipient) -> byRecipient.computeIfAbsent(recipient, r -> new HashSet<>())
                .add(id.toString()));
        Map<String, Integer> arrived = new HashMap<>();
        byRecipient.forEach((recipient, ids) -> {
            for (Mailbox.Received mail : Mailbox.await(recipient, ids.size(), Duration.ofSeconds(30), Duration.ZERO)) {
                assertTrue(ids.contains(mail.eventId()), "a mail nobody asked for: " + mail.eventId());
                arrived.merge(mail.eventId(), 1, Integer::sum);
            }
        });
        return arrived;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Integer> twice(Map<String, Integer> arrived) {
        return arrived.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * A TCP relay to the local SMTP server that holds every answer of the server back for a
     * while: a send waits for five or six answers, so 0.1 s per answer makes it take about
     * half a second, 0.3 s about one and a half. Once {@link #withholdAcceptances()} is
     * called it no longer passes on the server's answer to the end of a mail's data: the
     * server has taken the mail (it is in the mailbox), the sender never learns it.
     */
    private static final class SlowSmtp implements AutoCloseable {

        private static final byte[] END_OF_DATA = "\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);

        private final ServerSocket server;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private final Duration answerDelay;
        private volatile boolean withholding;
        private final AtomicInteger withheld = new AtomicInteger();

        SlowSmtp(int targetPort, Duration answerDelay) {
            this.answerDelay = answerDelay;
            // A refused connect to the target closes that one client: it fails that one send.
            server = LoopbackServer.start("slow-smtp", client -> {
                sockets.add(client);
                Socket smtp = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(smtp);
                Connection connection = new Connection();
                LoopbackServer.daemon("slow-smtp-commands", () -> commands(client, smtp, connection));
                LoopbackServer.daemon("slow-smtp-answers", () -> answers(smtp, client, connection));
            });
        }

        int port() {
            return server.getLocalPort();
        }

        /** From now on, mails the server takes are not acknowledged to the sender. */
        void withholdAcceptances() {
            withholding = true;
        }

        /** How many acknowledgements of a taken mail were withheld so far. */
        int withheld() {
            return withheld.get();
        }

        /** Per connection: whether the sender has just finished a mail's data (the last bytes it sent). */
        private static final class Connection {
            final byte[] tail = new byte[END_OF_DATA.length];
            volatile boolean dataEnded;
        }

        private void commands(Socket from, Socket to, Connection connection) {
            byte[] buffer = new byte[8192];
            try (from; to) {
                int n;
                while ((n = from.getInputStream().read(buffer)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(connection.tail, 1, connection.tail, 0, connection.tail.length - 1);
                        connection.tail[connection.tail.length - 1] = buffer[i];
                    }
                    connection.dataEnded = Arrays.equals(connection.tail, END_OF_DATA);
                    to.getOutputStream().write(buffer, 0, n);
                    to.getOutputStream().flush();
                }
            } catch (IOException gone) {
                // either side went away (the service was killed, or the test ended)
            }
        }

        private void answers(Socket from, Socket to, Connection connection) {
            byte[] buffer = new byte[8192];
            try (from; to) {
                int n;
                while ((n = from.getInputStream().read(buffer)) >= 0) {
                    Thread.sleep(answerDelay.toMillis());
                    if (withholding && connection.dataEnded) {
                        withheld.incrementAndGet();
                        while (!to.isClosed()) {
                            Thread.sleep(100); // until the sender is killed or the test ends
                        }
                        return;
                    }
                    connection.dataEnded = false;
                    to.getOutputStream().write(buffer, 0, n);
                    to.getOutputStream().flush();
                }
            } catch (IOException | InterruptedException gone) {
                // either side went away (the service was killed, or the test ended)
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** {@code java -jar quarkus-run.jar} on a free port, its output in a file. */
    private static final class ServiceProcess {

        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        /** Every service still running; killed when the test JVM ends, even if it never reached @AfterEach. */
        private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
        }

        final Path log;
        final int port;
        final Process process;
        long stoppedInMillis = -1;

        ServiceProcess(Path log, List<String> settings, Map<String, String> env) {
            this.log = log;
            this.port = freePort();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                    "-Dquarkus.http.port=" + port));
            command.addAll(settings);
            command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RUNNING.add(process);
        }

        void awaitReady(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("the service exited with " + process.exitValue() + " before it was ready:\n" + tail());
                }
                try {
                    HttpResponse<String> ready = get("/q/health/ready");
                    if (ready.statusCode() == 200 && ready.body().contains("\"UP\"")) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                sleep(Duration.ofMillis(200));
            }
            fail("the service was not ready within " + timeout + ":\n" + tail());
        }

        /** SIGTERM, as Kubernetes sends in a rollout, and waits for the process to exit. */
        void stop() {
            long started = System.nanoTime();
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    fail("the service did not exit within 60 s of SIGTERM:\n" + tail());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            stoppedInMillis = (System.nanoTime() - started) / 1_000_000;
        }

        /** SIGKILL (a crash, or an out-of-memory kill), and waits for the process to be gone. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RUNNING.remove(process);
        }

        /** A counter's value from {@code /q/metrics}, summed over its series; 0 before it is first counted. */
        double metric(String name) {
            try {
                return PrometheusText.sum(get("/q/metrics").body(), name, "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private HttpResponse<String> get(String path) throws IOException {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build();
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
                        + "\n(whole output: " + log.toAbsolutePath() + ")";
            } catch (IOException e) {
                return "(no output at " + log + ")";
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

package dev.sentinel.systemtests;

import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.systemtests.support.ConsumerGroups;
import dev.sentinel.systemtests.support.Databases;
import dev.sentinel.systemtests.support.Eventually;
import dev.sentinel.systemtests.support.ExtraService;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/local/sentinel backup} of the running suite's four databases and its audit
 * checkpoint mirror, then
 * <ul>
 * <li>{@code sentinel restore --into} scratch databases beside them: the restored copies hold
 * the user, the charge and the audit row, and an admin-audit-service started on the restored
 * log and checkpoints verifies it (signed checkpoints included);</li>
 * <li>the path after a disaster: {@code sentinel restore DIR} over a site's databases and
 * checkpoint mirror (a site of the test's own: {@code *_e2e_dr}, never the suite's or the
 * developer's), then auth-, account- and admin-audit-service started on them as
 * {@code sentinel up} would: the user signs in, the charge is there (and its idempotency key
 * still holds), the audit log verifies.</li>
 * </ul>
 * The suite's databases are never written; the scratch ones are dropped at the end.
 */
@SystemTest
class BackupRestoreIT {

    private static final String INTO = "_e2e_restored";
    private static final Duration INGEST_TIMEOUT = Duration.ofSeconds(60);
    /** The suite's admin-audit-service cuts a checkpoint every minute (AUDIT_CHECKPOINT_EVERY's default). */
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(150);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a backup must bring back: a user, their charge, and the audit row of their sign-in under a checkpoint. */
    private record Fixture(Credentials user, String userId, String chargeKey, String traceId, long seq) {
    }

    private static Fixture aUserWithAChargeAndACheckpointedSignIn(Sentinel sentinel) {
        Credentials user = Users.registerAndVerify(sentinel, "backup");
        String traceId = HexFormat.of().formatHex(bytes(16));
        Response login = sentinel.auth().header("traceparent", "00-" + traceId + "-" + HexFormat.of().formatHex(bytes(8)) + "-01")
                .body(Map.of("email", user.email(), "password", user.password())).post("/v1/auth/login");
        login.then().statusCode(200);
        String bearer = "Bearer " + login.path("accessToken");
        String userId = sentinel.auth().header("Authorization", bearer).get("/v1/auth/me").then().statusCode(200)
                .extract().path("id");
        String chargeKey = UUID.randomUUID().toString();
        Eventually.await(Duration.ofSeconds(60), "a charge of 100 cents accepted", () -> {
            Response charge = sentinel.account().header("Authorization", bearer)
                    .body(Map.of("amountCents", 100, "idempotencyKey", chargeKey)).post("/v1/account/spend");
            return charge.statusCode() == 200 ? charge : null;
        });
        long seq = Eventually.await(INGEST_TIMEOUT, "the login's audit row", () -> {
            List<Map<String, Object>> rows = Databases.query(Service.ADMIN_AUDIT,
                    "select seq from audit_log where type = ? and trace_id = ?", EventType.AUTH_LOGIN_SUCCEEDED.wireName(), traceId);
            return rows.isEmpty() ? null : ((Number) rows.get(0).get("seq")).longValue();
        });
        Path mirror = Path.of(sentinel.setting("AUDIT_CHECKPOINT_MIRROR_DIR"));
        Eventually.await(CHECKPOINT_TIMEOUT, "a mirrored checkpoint over audit row " + seq,
                () -> mirroredCheckpointOver(mirror, seq) ? Boolean.TRUE : null);
        return new Fixture(user, userId, chargeKey, traceId, seq);
    }

    @Test
    void aBackupRestoresBesideTheLiveDatabasesWithTheUserTheChargeAndAnAuditLogThatVerifies(Sentinel sentinel)
            throws Exception {
        Fixture fixture = aUserWithAChargeAndACheckpointedSignIn(sentinel);
        String userId = fixture.userId();
        String chargeKey = fixture.chargeKey();
        String traceId = fixture.traceId();
        long seq = fixture.seq();

        Path backup = Path.of("target/e2e-logs/backup-" + System.currentTimeMillis()).toAbsolutePath();
        String backedUp = sentinelCommand(sentinel, Map.of(), "backup", backup.toString());
        assertTrue(backedUp.matches("(?s).*backup +auth_e2e account_e2e audit_e2e notification_e2e and [1-9][0-9]* checkpoint.*"),
                backedUp);
        List<String> scratch = new ArrayList<>();
        for (Service service : Service.values()) {
            scratch.add(service.database().replace("_e2e", "") + INTO);
        }
        try {
            String restored = sentinelCommand(sentinel, Map.of(), "restore", backup.toString(), "--into", INTO);
            assertTrue(restored.contains("restore      " + String.join(" ", scratch) + " from " + backup), restored);

            assertEquals(List.of(Map.of("email_verified", true)), Databases.query("auth" + INTO,
                    "select email_verified from app_user where id = ?::uuid", userId));
            assertEquals(List.of(Map.of("kind", "CHARGE", "amount_cents", 100L)), Databases.query("account" + INTO,
                    "select kind, amount_cents from spend_request where account_id = ? and idempotency_key = ?",
                    userId, chargeKey));
            assertEquals(1, Databases.query("audit" + INTO, "select seq from audit_log where seq = ? and trace_id = ?",
                    seq, traceId).size(), "the login's audit row in the restored log");

            String admin = sentinel.signInAsAdmin().bearer();
            try (ExtraService audit = sentinel.startAdminAuditOn("audit" + INTO, backup.resolve("audit-checkpoints"))) {
                audit.given().header("Authorization", admin).get("/v1/admin/audit-logs/verify")
                        .then().statusCode(200)
                        .body("valid", equalTo(true))
                        .body("checkpointsChecked", greaterThan(0))
                        .body("treeSize", greaterThan((int) seq));
                audit.given().header("Authorization", admin).get("/v1/admin/audit-logs/{seq}", seq)
                        .then().statusCode(200)
                        .body("traceId", equalTo(traceId))
                        .body("subject", equalTo(userId));
            }
        } finally {
            Databases.drop(scratch.toArray(String[]::new));
        }
    }

    @Test
    void afterADisasterTheBackupRestoredOverASitesDatabasesServesTheUserTheChargeAndAVerifyingLog(Sentinel sentinel)
            throws Exception {
        Fixture fixture = aUserWithAChargeAndACheckpointedSignIn(sentinel);
        Path backup = Path.of("target/e2e-logs/backup-dr-" + System.currentTimeMillis()).toAbsolutePath();
        sentinelCommand(sentinel, Map.of(), "backup", backup.toString());

        // The site that was lost: its databases and its checkpoint mirror, none of them there any more.
        String site = "_e2e_dr";
        Path siteMirror = Path.of("target/e2e-logs/dr-checkpoints-" + System.currentTimeMillis()).toAbsolutePath();
        List<String> databases = new ArrayList<>();
        for (Service service : Service.values()) {
            databases.add(service.database().replace("_e2e", "") + site);
        }
        Databases.drop(databases.toArray(String[]::new));
        try {
            // README, Backup and restore: `sentinel down`, `sentinel restore DIR`, `sentinel up`.
            String restored = sentinelCommand(sentinel, Map.of("SENTINEL_DB_SUFFIX", site,
                    "AUDIT_CHECKPOINT_MIRROR_DIR", siteMirror.toString()), "restore", backup.toString());
            assertTrue(restored.matches("(?s).*restore +" + String.join(" ", databases)
                    + " and [1-9][0-9]* checkpoint file\\(s\\) from " + Pattern.quote(backup.toString()) + ".*"), restored);
            assertTrue(mirroredCheckpointOver(siteMirror, fixture.seq()), "the restored mirror has the checkpoint");

            String eventsGroup = "dr-" + System.nanoTime();
            ConsumerGroups.startAtEnd(eventsGroup + "-account", Topics.SECURITY_EVENTS);
            ConsumerGroups.startAtEnd(eventsGroup + "-audit", Topics.SECURITY_EVENTS);
            try (ExtraService auth = sentinel.startExtra(Service.AUTH, "dr-auth", Sentinel.freePort(),
                         Map.of("DB_NAME", "auth" + site));
                 ExtraService account = sentinel.startExtra(Service.ACCOUNT, "dr-account", Sentinel.freePort(),
                         Map.of("DB_NAME", "account" + site, "SECURITY_EVENTS_GROUP", eventsGroup + "-account"));
                 ExtraService audit = sentinel.startExtra(Service.ADMIN_AUDIT, "dr-admin-audit", Sentinel.freePort(),
                         Map.of("DB_NAME", "audit" + site, "AUDIT_EVENTS_GROUP", eventsGroup + "-audit",
                                 "AUDIT_CHECKPOINT_MIRROR_DIR", siteMirror.toString()))) {
                String bearer = "Bearer " + auth.given()
                        .body(Map.of("email", fixture.user().email(), "password", fixture.user().password()))
                        .post("/v1/auth/login").then().statusCode(200).extract().path("accessToken");
                auth.given().header("Authorization", bearer).get("/v1/auth/me").then().statusCode(200)
                        .body("id", equalTo(fixture.userId()));

                account.given().header("Authorization", bearer).get("/v1/account/limits")
                        .then().statusCode(200).body("spentCents", equalTo(100));
                // The restored charge still owns its idempotency key: sent again, it is not taken twice.
                account.given().header("Authorization", bearer)
                        .body(Map.of("amountCents", 100, "idempotencyKey", fixture.chargeKey()))
                        .post("/v1/account/spend").then().statusCode(200);
                account.given().header("Authorization", bearer).get("/v1/account/limits")
                        .then().statusCode(200).body("spentCents", equalTo(100));

                String admin = "Bearer " + auth.given()
                        .body(Map.of("email", Sentinel.ADMIN_EMAIL, "password", sentinel.adminPassword()))
                        .post("/v1/auth/login").then().statusCode(200).extract().path("accessToken");
                audit.given().header("Authorization", admin).get("/v1/admin/audit-logs/verify")
                        .then().statusCode(200)
                        .body("valid", equalTo(true))
                        .body("checkpointsChecked", greaterThan(0))
                        .body("treeSize", greaterThan((int) fixture.seq()));
                audit.given().header("Authorization", admin).get("/v1/admin/audit-logs/{seq}", fixture.seq())
                        .then().statusCode(200)
                        .body("traceId", equalTo(fixture.traceId()))
                        .body("subject", equalTo(fixture.userId()));
            }
        } finally {
            Databases.drop(databases.toArray(String[]::new));
        }
    }

    /** A {@code checkpoint-<size>} file in the mirror covering row {@code seq} (size > seq). */
    private static boolean mirroredCheckpointOver(Path mirror, long seq) {
        if (!Files.isDirectory(mirror)) {
            return false;
        }
        try (Stream<Path> files = Files.list(mirror)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("checkpoint-[0-9]+"))
                    .anyMatch(n -> Long.parseLong(n.substring("checkpoint-".length())) > seq);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs {@code deploy/local/sentinel ARGS} on the suite's databases ({@code *_e2e} on the local
     * PostgreSQL) and its checkpoint mirror, from a scratch state folder, with {@code overrides}
     * of those settings (another site's databases and mirror); fails unless it exits 0.
     */
    private static String sentinelCommand(Sentinel sentinel, Map<String, String> overrides, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", sentinel.root().resolve("deploy/local/sentinel").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SENTINEL_STATE_DIR", Path.of("target/e2e-logs/backup-state").toAbsolutePath().toString());
        builder.environment().put("SENTINEL_DB_SUFFIX", "_e2e");
        builder.environment().put("PG_PORT", "5432");
        builder.environment().put("AUDIT_CHECKPOINT_MIRROR_DIR", sentinel.setting("AUDIT_CHECKPOINT_MIRROR_DIR"));
        builder.environment().putAll(overrides);
        Process process = builder.start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            process.destroyForcibly();
        }
        assertTrue(exited && process.exitValue() == 0, "sentinel " + String.join(" ", args) + " failed:\n" + output);
        return output;
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}

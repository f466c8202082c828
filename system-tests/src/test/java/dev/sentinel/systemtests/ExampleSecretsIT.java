package dev.sentinel.systemtests;

import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Sentinel.Exit;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A packaged service in the prod profile refuses to start when a secret is one of the example
 * values the repository ships (the {@code %test.} values of its application.properties, read
 * here from the source, so the test follows them): it exits non-zero, naming each variable and
 * never its value (shared-contracts {@code ExampleSecretsGuard}); without a required secret it
 * exits naming that variable. The control is the running
 * suite: the same environment with secrets of its own starts all four services.
 *
 * <p>auth-service and admin-audit-service are the two that ship example secrets; account- and
 * notification-service read none (their only secrets, DB_PASSWORD and SMTP_PASSWORD, have no
 * example value), and run the same guard.
 */
@SystemTest
class ExampleSecretsIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void authServiceRefusesTheTestAdminPasswordAndRefreshKey(Sentinel sentinel) {
        Properties shipped = applicationProperties(sentinel, Service.AUTH);
        String adminPassword = shipped.getProperty("%test.auth.admin.password");
        String refreshKey = shipped.getProperty("%test.auth.refresh.derivation-key");
        Exit exit = sentinel.startExpectingExit(Service.AUTH, "example-secrets-auth", Map.of(
                "ADMIN_PASSWORD", adminPassword,
                "REFRESH_TOKEN_KEY", refreshKey,
                // Were it to start after all, it must not touch the suite's administrator.
                "ADMIN_EMAIL", "example-secrets@e2e.sentinel.test"), EXIT_TIMEOUT);

        refusedNaming(exit, "ADMIN_PASSWORD (auth.admin.password)", "REFRESH_TOKEN_KEY (auth.refresh.derivation-key)");
        assertFalse(exit.output().contains(adminPassword), "the log shows the example admin password");
        assertFalse(exit.output().contains(refreshKey), "the log shows the example refresh key");
    }

    @Test
    void adminAuditServiceRefusesTheTestSigningKeyAndClientSecret(Sentinel sentinel) {
        Properties shipped = applicationProperties(sentinel, Service.ADMIN_AUDIT);
        String signingKey = shipped.getProperty("%test.audit.signing-key");
        String clientSecret = shipped.getProperty("%test.admin.auth.client-secret");
        Exit exit = sentinel.startExpectingExit(Service.ADMIN_AUDIT, "example-secrets-admin-audit", Map.of(
                "AUDIT_SIGNING_KEY", signingKey,
                "ADMIN_AUDIT_CLIENT_SECRET", clientSecret,
                // Were it to start after all: its own group and mirror, no checkpoint soon.
                "AUDIT_EVENTS_GROUP", "example-secrets-it",
                "AUDIT_CHECKPOINT_EVERY", "1h",
                "AUDIT_CHECKPOINT_EVERY_ROWS", "1000000",
                "AUDIT_CHECKPOINT_MIRROR_DIR", "target/e2e-logs/example-secrets-checkpoints"), EXIT_TIMEOUT);

        refusedNaming(exit, "AUDIT_SIGNING_KEY (audit.signing-key)", "ADMIN_AUDIT_CLIENT_SECRET (admin.auth.client-secret)");
        assertFalse(exit.output().contains(signingKey), "the log shows the example signing key");
        assertFalse(exit.output().contains(clientSecret), "the log shows the example client secret");
    }

    /** A missing required secret is Quarkus' own start-up error, which names the variable. */
    @Test
    void authServiceRefusesToStartWithoutItsRefreshKey(Sentinel sentinel) {
        Exit exit = sentinel.startExpectingExit(Service.AUTH, "missing-secret-auth",
                Map.of("ADMIN_EMAIL", "missing-secret@e2e.sentinel.test"), Set.of("REFRESH_TOKEN_KEY"), EXIT_TIMEOUT);
        assertNotNull(exit.code(), "still running after " + EXIT_TIMEOUT + ":\n" + exit.output());
        assertNotEquals(0, exit.code(), "exited 0:\n" + exit.output());
        assertTrue(exit.output().contains("REFRESH_TOKEN_KEY"), "the error does not name REFRESH_TOKEN_KEY:\n" + exit.output());
        assertFalse(exit.output().contains("Listening on"), "it served requests:\n" + exit.output());
    }

    private static void refusedNaming(Exit exit, String... settings) {
        assertNotNull(exit.code(), "still running after " + EXIT_TIMEOUT + ":\n" + exit.output());
        assertNotEquals(0, exit.code(), "exited 0:\n" + exit.output());
        assertTrue(exit.output().contains("Refusing to start: "), exit.output());
        for (String setting : settings) {
            assertTrue(exit.output().contains(setting), "the refusal does not name " + setting + ":\n" + exit.output());
        }
        assertFalse(exit.output().contains("Listening on"), "it served requests:\n" + exit.output());
    }

    private static Properties applicationProperties(Sentinel sentinel, Service service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(
                sentinel.root().resolve(service.module()).resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}

package dev.sentinel.contracts.security;

import dev.sentinel.contracts.security.ExampleSecrets.Finding;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ExampleSecrets} over a real SmallRye Config in the prod profile, built the way a service's
 * is: an {@code application.properties} (ordinal 250) whose secrets read environment variables and
 * whose {@code %test.} values are the repository's examples, and the environment (300).
 */
class ExampleSecretsTest {

    private static final String TEST_KEY_V1 = "dGVzdC1rZXktdjEtLTMyLWJ5dGVzLWV4YWN0bHkhISE=";
    private static final String TEST_CLIENT_HASH = "8360c704cab68b764dde84fd798078e37aa54d6ae0f9417cfe21de752de2142f";
    private static final String TEST_ADMIN_PASSWORD = "Test-Admin-Passphrase-2026";

    /** Like auth-service's and admin-audit-service's application.properties. */
    private static final Map<String, String> APPLICATION_PROPERTIES = Map.ofEntries(
            Map.entry("auth.admin.password", "${ADMIN_PASSWORD:}"),
            Map.entry("%test.auth.admin.password", TEST_ADMIN_PASSWORD),
            Map.entry("auth.encryption.keys", "${ENCRYPTION_KEYS}"),
            Map.entry("%test.auth.encryption.keys", "{\"v1\":\"" + TEST_KEY_V1 + "\",\"v2\":\"dGVzdC1rZXktdjItLTMyLWJ5dGVzLWV4YWN0bHkhISE=\"}"),
            Map.entry("auth.encryption.current", "${ENCRYPTION_KEY_CURRENT}"),
            Map.entry("%test.auth.encryption.current", "v2"),
            Map.entry("auth.service-clients", "${SERVICE_CLIENTS:}"),
            Map.entry("%test.auth.service-clients", "billing-worker:" + TEST_CLIENT_HASH),
            Map.entry("auth.refresh.derivation-key", "${REFRESH_TOKEN_KEY}"),
            Map.entry("%test.auth.refresh.derivation-key", "dGVzdC1vbmx5LXJlZnJlc2gtZGVyaXZhdGlvbi1rZXktMzJieXRlcw=="),
            // Not secrets: a test value of a non-secret setting, even when equal in prod.
            Map.entry("audit.checkpoint.mirror-dir", "${AUDIT_CHECKPOINT_MIRROR_DIR:}"),
            Map.entry("%test.audit.checkpoint.mirror-dir", "target/audit-checkpoints"),
            Map.entry("mp.messaging.incoming.events.key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer"),
            Map.entry("%dev.mp.messaging.incoming.events.key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer"),
            // A secret given in the file itself (no variable): named by its property.
            Map.entry("admin.auth.signing-key", "fresh-but-committed-value-0123456789"),
            Map.entry("%dev.admin.auth.signing-key", "dev-only-signing-key-0123456789abcdef"));

    /** Secrets of an operator's own: random-looking, none of them an example. */
    private static final Map<String, String> OWN_SECRETS = Map.of(
            "ADMIN_PASSWORD", "Kq7-operator-chosen-passphrase",
            "ENCRYPTION_KEYS", "{\"v1\":\"q2Fv8yR0c1m9Xb3LzT6wYp4sNe7uKj5hGd2aVf8iOl0=\"}",
            "ENCRYPTION_KEY_CURRENT", "v2",
            "SERVICE_CLIENTS", "admin-audit-service:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "REFRESH_TOKEN_KEY", "c3VwZXItc2VjcmV0LXJlZnJlc2gta2V5LW9mLW91cnMh",
            "AUDIT_CHECKPOINT_MIRROR_DIR", "target/audit-checkpoints");

    @Test
    void ownSecretsPassAndNonSecretSettingsAtTheirTestValueDoNotCount() {
        assertEquals(List.of(), ExampleSecrets.find(config(OWN_SECRETS)));
        assertNull(ExampleSecrets.refusal(List.of()));
    }

    @Test
    void aSecretEqualToItsTestValueIsFoundByItsVariable() {
        assertEquals(List.of(new Finding("ADMIN_PASSWORD", "auth.admin.password")),
                ExampleSecrets.find(config(with("ADMIN_PASSWORD", TEST_ADMIN_PASSWORD))));
    }

    @Test
    void aSecretContainingAPieceOfAnExampleIsFound() {
        // One test key among keys of one's own; the test client beside a real one.
        assertEquals(List.of(new Finding("ENCRYPTION_KEYS", "auth.encryption.keys")), ExampleSecrets.find(config(with(
                "ENCRYPTION_KEYS", "{\"v0\":\"q2Fv8yR0c1m9Xb3LzT6wYp4sNe7uKj5hGd2aVf8iOl0=\",\"v1\":\"" + TEST_KEY_V1 + "\"}"))));
        assertEquals(List.of(new Finding("SERVICE_CLIENTS", "auth.service-clients")), ExampleSecrets.find(config(with(
                "SERVICE_CLIENTS", "admin-audit-service:abc,billing-worker:" + TEST_CLIENT_HASH))));
    }

    @Test
    void aSecretWithoutAVariableIsNamedByItsPropertyAndEveryFindingIsReported() {
        Map<String, String> env = with("ADMIN_PASSWORD", TEST_ADMIN_PASSWORD);
        env.put("admin.auth.signing-key", "dev-only-signing-key-0123456789abcdef");
        List<Finding> findings = ExampleSecrets.find(config(env));
        assertEquals(2, findings.size(), findings.toString());
        assertTrue(findings.contains(new Finding("admin.auth.signing-key", "admin.auth.signing-key")), findings.toString());
    }

    @Test
    void theRefusalNamesTheSettingsAndNeverTheValues() {
        Map<String, String> env = with("ADMIN_PASSWORD", TEST_ADMIN_PASSWORD);
        env.put("REFRESH_TOKEN_KEY", "dGVzdC1vbmx5LXJlZnJlc2gtZGVyaXZhdGlvbi1rZXktMzJieXRlcw==");
        String refusal = ExampleSecrets.refusal(ExampleSecrets.find(config(env)));
        assertTrue(refusal.contains("ADMIN_PASSWORD (auth.admin.password)"), refusal);
        assertTrue(refusal.contains("REFRESH_TOKEN_KEY (auth.refresh.derivation-key)"), refusal);
        assertTrue(refusal.contains("example value"), refusal);
        assertFalse(refusal.contains(TEST_ADMIN_PASSWORD), refusal);
        assertFalse(refusal.contains("dGVzdC1vbmx5"), refusal);
    }

    @Test
    void shortExamplesNeverCount() {
        assertFalse(ExampleSecrets.isExample("v2", "v2"));
        assertFalse(ExampleSecrets.isExample("my-v2-is-long-enough-x", "v2"));
        assertTrue(ExampleSecrets.isExample(TEST_ADMIN_PASSWORD, TEST_ADMIN_PASSWORD));
    }

    @Test
    void anUnsetRequiredSecretIsLeftToQuarkusOwnCheck() {
        Map<String, String> env = new java.util.HashMap<>(OWN_SECRETS);
        env.remove("REFRESH_TOKEN_KEY");
        assertEquals(List.of(), ExampleSecrets.find(config(env)));
    }

    private static Map<String, String> with(String variable, String value) {
        Map<String, String> env = new java.util.HashMap<>(OWN_SECRETS);
        env.put(variable, value);
        return env;
    }

    private static SmallRyeConfig config(Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withProfile("prod")
                .withSources(new PropertiesConfigSource(APPLICATION_PROPERTIES, "application.properties", 250))
                .withSources(new EnvConfigSource(env, 300))
                .build();
    }
}

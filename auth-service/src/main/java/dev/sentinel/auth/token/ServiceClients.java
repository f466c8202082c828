package dev.sentinel.auth.token;

import dev.sentinel.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The machine clients the operator configured for the client_credentials grant. Secrets are
 * configured only as SHA-256 (they are long random strings, so a fast hash is enough) and
 * compared in constant time.
 */
@ApplicationScoped
public class ServiceClients {

    private final Map<String, byte[]> secretHashes = new HashMap<>();

    public ServiceClients(AuthConfig config) {
        config.serviceClients().filter(s -> !s.isBlank()).ifPresent(list -> {
            for (String entry : list.split(",")) {
                String[] parts = entry.trim().split(":");
                if (parts.length != 2 || !parts[1].matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalStateException("SERVICE_CLIENTS must be id:sha256hex pairs separated by commas");
                }
                secretHashes.put(parts[0], HexFormat.of().parseHex(parts[1]));
            }
        });
    }

    /** Whether {@code secret} is the secret of client {@code id}. Unknown ids cost the same. */
    public boolean authenticate(String id, String secret) {
        byte[] expected = secretHashes.getOrDefault(id == null ? "" : id, new byte[32]);
        byte[] actual = sha256(secret == null ? "" : secret);
        return MessageDigest.isEqual(expected, actual) && secretHashes.containsKey(id);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.sentinel.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the audit log: its secrets and when and where checkpoints are signed. */
@ConfigMapping(prefix = "audit")
public interface AuditConfig {

    /**
     * env AUDIT_KEK: base64 of the 32-byte AES key that wraps every subject's data key.
     * Losing it makes every personal field unreadable (proofs stay valid).
     */
    String kek();

    /** env AUDIT_SIGNING_KEY: base64 of the 32-byte Ed25519 private key (RFC 8032 seed) that signs checkpoints. */
    String signingKey();

    /**
     * env AUDIT_SIGNING_KEY_PREVIOUS: the C2SP verifier keys ({@code <name>+<key ID hex>+<base64>},
     * as {@code /public-key} served them) of signing keys rotated out, comma-separated; public keys
     * only. Their checkpoints still verify and {@code /public-key} keeps listing them
     * (docs/key-rotation.md).
     */
    Optional<List<String>> signingKeyPrevious();

    Checkpoint checkpoint();

    Retention retention();

    interface Retention {

        /**
         * env AUDIT_RETENTION: rows whose event time is older than this lose their payload
         * (README, "Retention"); leaf hashes, tree nodes and checkpoints stay.
         */
        @WithDefault("P400D")
        Duration after();

        /** env AUDIT_RETENTION_EVERY: how often the purge runs (each run at most 100 batches of 1,000 rows). */
        @WithDefault("1h")
        Duration every();
    }

    interface Checkpoint {

        /** The checkpoint origin line, also the signing key's name (a schema-less URL, C2SP). */
        @WithDefault("sentinel.local/audit")
        String origin();

        /** Sign a checkpoint once this many rows were appended since the last one... */
        @WithDefault("1000")
        int everyRows();

        /** ...or this often when the tree grew, whichever comes first. */
        @WithDefault("60s")
        Duration every();

        /** env AUDIT_CHECKPOINT_MIRROR_DIR: every checkpoint is also written here, outside the database. */
        String mirrorDir();
    }
}

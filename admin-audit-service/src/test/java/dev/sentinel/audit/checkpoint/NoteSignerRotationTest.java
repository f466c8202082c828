package dev.sentinel.audit.checkpoint;

import dev.sentinel.audit.config.AuditConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rotation of the audit signing key (docs/key-rotation.md §3): after the switch from key A to key
 * B with A's verifier key in AUDIT_SIGNING_KEY_PREVIOUS, B signs new checkpoints, checkpoints
 * signed by A still verify, both keys are published (B first), and a key nobody configured
 * verifies nothing.
 */
class NoteSignerRotationTest {

    private static final String ORIGIN = "sentinel.test/audit";
    private static final byte[] ROOT = new byte[32];

    @Test
    void oldCheckpointsStillVerifyAndNewOnesUseTheNewKey() {
        String seedA = seed();
        String seedB = seed();
        NoteSigner beforeRotation = signer(seedA);
        String checkpointByA = beforeRotation.sign(10, ROOT);
        String verifierKeyA = beforeRotation.verifierKey();

        NoteSigner afterRotation = signer(seedB, verifierKeyA);
        String checkpointByB = afterRotation.sign(20, ROOT);

        assertTrue(afterRotation.verifies(checkpointByA), "a checkpoint signed by the previous key still verifies");
        assertTrue(afterRotation.verifies(checkpointByB));
        assertEquals(keyIdOf(afterRotation.verifierKey()), keyIdOf(signatureKeyId(checkpointByB)),
                "the new checkpoint is signed by the new key");
        assertEquals(List.of(afterRotation.verifierKey(), verifierKeyA), afterRotation.verifierKeys());
        assertFalse(beforeRotation.verifies(checkpointByB), "the old key does not vouch for the new one's checkpoints");
    }

    @Test
    void withoutThePreviousKeyOrWithAnAlteredNoteNothingVerifies() {
        String checkpointByA = signer(seed()).sign(10, ROOT);
        NoteSigner onlyB = signer(seed());
        assertFalse(onlyB.verifies(checkpointByA), "a key dropped from the configuration verifies nothing");

        NoteSigner a = signer(seed());
        String note = a.sign(10, ROOT);
        assertFalse(a.verifies(note.replaceFirst("\n10\n", "\n11\n")), "a changed tree size");
        assertFalse(a.verifies("not a note"));
        assertFalse(a.verifies(note.substring(0, note.indexOf('\u2014'))), "no signature line");
    }

    @Test
    void aPreviousKeyThatIsNotAVerifierKeyIsRefusedByName() {
        String verifierKey = signer(seed()).verifierKey();
        String wrongId = verifierKey.replaceFirst("\\+[0-9a-f]{8}\\+", "+00000000+");
        for (String bad : List.of("garbage", seed(), wrongId)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> signer(seed(), bad));
            assertTrue(refused.getMessage().contains("AUDIT_SIGNING_KEY_PREVIOUS"));
            assertFalse(refused.getMessage().contains(bad), "the message never repeats the value");
        }
    }

    /** The key ID hex of a verifier key {@code name+id+key}. */
    private static String keyIdOf(String verifierKey) {
        return verifierKey.split("\\+", 3)[1];
    }

    /** A verifier-key-shaped string whose key ID is the one in the note's signature line. */
    private static String signatureKeyId(String note) {
        String line = note.substring(note.indexOf('\u2014'));
        byte[] signed = Base64.getDecoder().decode(line.split(" ")[2].trim());
        return "x+" + java.util.HexFormat.of().formatHex(signed, 0, 4) + "+x";
    }

    private static String seed() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return Base64.getEncoder().encodeToString(seed);
    }

    private static NoteSigner signer(String seed, String... previous) {
        AuditConfig.Checkpoint checkpoint = proxy(AuditConfig.Checkpoint.class, Map.of("origin", ORIGIN));
        AuditConfig config = proxy(AuditConfig.class, Map.of(
                "signingKey", seed,
                "signingKeyPrevious", previous.length == 0 ? Optional.empty() : Optional.of(List.of(previous)),
                "checkpoint", checkpoint));
        return new NoteSigner(config);
    }

    /** A configuration answering only the settings NoteSigner reads. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (!answers.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return answers.get(method.getName());
        });
    }
}

package dev.sentinel.audit.checkpoint;

import dev.sentinel.audit.config.Secrets;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.interfaces.EdECPublicKey;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signing key is the RFC 8032 key of its seed, and bad key material is refused by variable name. */
class NoteSignerTest {

    @Test
    void theSeedGivesTheRfc8032PublicKey() {
        // RFC 8032 §7.1, TEST 1.
        KeyPair pair = NoteSigner.fromSeed(HexFormat.of().parseHex(
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                HexFormat.of().formatHex(NoteSigner.rawPublicKey((EdECPublicKey) pair.getPublic())));
    }

    @Test
    void missingOrMalformedKeysNameTheirVariable() {
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> Secrets.key32("", "AUDIT_SIGNING_KEY"));
        assertTrue(missing.getMessage().contains("AUDIT_SIGNING_KEY"));
        IllegalStateException shortKey = assertThrows(IllegalStateException.class, () -> Secrets.key32("dGVzdC1zaG9ydA==", "AUDIT_KEK"));
        assertTrue(shortKey.getMessage().contains("AUDIT_KEK"));
        IllegalStateException notBase64 = assertThrows(IllegalStateException.class, () -> Secrets.key32("%%%", "AUDIT_KEK"));
        assertTrue(notBase64.getMessage().contains("AUDIT_KEK"));
    }
}

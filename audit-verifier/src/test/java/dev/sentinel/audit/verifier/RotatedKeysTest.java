package dev.sentinel.audit.verifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After an audit signing key rotation {@code /public-key} lists the current key and the ones
 * rotated out, one per line (docs/key-rotation.md): the verifier takes that file as it is and
 * checks each checkpoint against the key that signed it.
 */
class RotatedKeysTest {

    private static final byte[] ROOT = new byte[32];

    @Test
    void aKeyFileOfSeveralLinesVerifiesNotesOfEitherKey(@TempDir Path dir) throws Exception {
        ExportFixture old = new ExportFixture(dir.resolve("a"), 1);
        ExportFixture current = new ExportFixture(dir.resolve("b"), 2);
        List<NoteKey> both = NoteKey.parseAll(current.verifierKey() + old.verifierKey());
        assertEquals(2, both.size());

        assertEquals(7, SignedNote.verify(bytes(old.sign(7, ROOT)), both).treeSize(), "a checkpoint of the old key");
        assertEquals(9, SignedNote.verify(bytes(current.sign(9, ROOT)), both).treeSize(), "one of the current key");
        Json.Bad unknown = assertThrows(Json.Bad.class,
                () -> SignedNote.verify(bytes(old.sign(7, ROOT)), NoteKey.parseAll(current.verifierKey())));
        assertTrue(unknown.getMessage().startsWith("not signed by"), unknown.getMessage());
    }

    @Test
    void aBadSignatureOfAListedKeyIsRefusedEvenBesideAGoodOne(@TempDir Path dir) throws Exception {
        ExportFixture old = new ExportFixture(dir.resolve("a"), 1);
        ExportFixture current = new ExportFixture(dir.resolve("b"), 2);
        String byOld = old.sign(5, ROOT);
        String byCurrent = current.sign(5, ROOT);
        String body = byOld.substring(0, byOld.indexOf("\n\n") + 2);
        String oldLine = byOld.substring(byOld.indexOf("\n\n") + 2, byOld.length() - 1);
        String currentLine = byCurrent.substring(byCurrent.indexOf("\n\n") + 2, byCurrent.length() - 1);
        // Change one base64 character of the old key's signature (past its key id).
        int at = oldLine.length() - 10;
        String forged = oldLine.substring(0, at) + (oldLine.charAt(at) == 'A' ? 'B' : 'A') + oldLine.substring(at + 1);
        byte[] note = bytes(body + forged + "\n" + currentLine + "\n");

        List<NoteKey> both = NoteKey.parseAll(current.verifierKey() + old.verifierKey());
        Json.Bad bad = assertThrows(Json.Bad.class, () -> SignedNote.verify(note, both));
        assertTrue(bad.getMessage().contains("does not verify"), bad.getMessage());
        // Trusting only the current key, the old key's line is someone else's and passed over.
        assertEquals(5, SignedNote.verify(note, NoteKey.parseAll(current.verifierKey())).treeSize());
    }

    @Test
    void anEmptyOrOverlongKeyFileIsRefused(@TempDir Path dir) {
        assertThrows(Json.Bad.class, () -> NoteKey.parseAll("\n"));
        String key = new ExportFixture(dir, 3).verifierKey();
        assertThrows(Json.Bad.class, () -> NoteKey.parseAll(key.repeat(NoteKey.MAX_KEYS + 1)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.sentinel.audit.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;

/**
 * A checkpoint as a C2SP signed note ({@code c2sp.org/signed-note} around {@code c2sp.org/tlog-checkpoint}):
 * <pre>
 * &lt;origin&gt;\n&lt;tree size&gt;\n&lt;base64 root hash&gt;\n[extension lines\n]
 * \n
 * — &lt;key name&gt; base64(4-byte key ID ‖ 64-byte Ed25519 signature of the text above the blank line)\n
 * [more signature lines]
 * </pre>
 * {@link #verify} finds the line of the given key (by name and key ID) and checks its signature; lines of
 * other keys are passed over, as the spec says. The origin must be the key's name (admin-audit-service
 * signs with its origin as the key name).
 */
public record SignedNote(String origin, long treeSize, byte[] rootHash) {

    static final int MAX_NOTE = 64 * 1024;

    /** Parses {@code note} and checks it is signed by {@code key}; throws with the reason otherwise. */
    public static SignedNote verify(byte[] note, NoteKey key) throws Json.Bad {
        if (note.length > MAX_NOTE) {
            throw new Json.Bad("longer than " + MAX_NOTE + " bytes");
        }
        String text = Lines.utf8(note);
        if (text == null) {
            throw new Json.Bad("not UTF-8");
        }
        int split = text.lastIndexOf("\n\n");
        if (split < 0 || !text.endsWith("\n")) {
            throw new Json.Bad("not a signed note (no blank line before the signatures, or no final newline)");
        }
        String body = text.substring(0, split + 1);
        String[] lines = body.split("\n", -1);
        // body ends in \n: the last element is empty
        if (lines.length < 4) {
            throw new Json.Bad("a checkpoint has an origin, a tree size and a root hash");
        }
        String origin = lines[0];
        if (!NoteKey.validName(origin)) {
            throw new Json.Bad("bad origin line");
        }
        if (!origin.equals(key.name())) {
            throw new Json.Bad("origin \"" + origin + "\" is not the key's name \"" + key.name() + "\"");
        }
        long size = Numbers.size(lines[1]);
        if (size < 0) {
            throw new Json.Bad("bad tree size line");
        }
        byte[] root = Base64s.decode(lines[2]);
        if (root == null || root.length != 32) {
            throw new Json.Bad("the root hash line is not base64 of 32 bytes");
        }
        for (int i = 3; i < lines.length - 1; i++) {
            if (lines[i].isEmpty()) {
                throw new Json.Bad("empty line inside the checkpoint text");
            }
        }
        String[] signatures = text.substring(split + 2).split("\n", -1);
        boolean found = false;
        for (int i = 0; i < signatures.length - 1; i++) {
            String line = signatures[i];
            if (!line.startsWith("\u2014 ")) {
                throw new Json.Bad("signature line " + (i + 1) + " does not start with an em dash and a space");
            }
            String[] parts = line.substring(2).split(" ", -1);
            if (parts.length != 2) {
                throw new Json.Bad("signature line " + (i + 1) + " is not '— <name> <base64>'");
            }
            byte[] signed = Base64s.decode(parts[1]);
            if (signed == null || signed.length < 5) {
                throw new Json.Bad("signature line " + (i + 1) + " is not base64 of a key id and a signature");
            }
            if (!parts[0].equals(key.name()) || !Arrays.equals(Arrays.copyOf(signed, 4), key.keyId())) {
                continue; // another key's signature: not ours to check
            }
            if (signed.length != 4 + 64 || !ed25519(key, body, Arrays.copyOfRange(signed, 4, signed.length))) {
                throw new Json.Bad("the signature of " + key.describe() + " does not verify");
            }
            found = true;
        }
        if (signatures.length < 2 || !signatures[signatures.length - 1].isEmpty()) {
            throw new Json.Bad("no signature lines");
        }
        if (!found) {
            throw new Json.Bad("not signed by " + key.describe());
        }
        return new SignedNote(origin, size, root);
    }

    private static boolean ed25519(NoteKey key, String body, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key.jdkKey());
            verifier.update(body.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

package dev.sentinel.audit.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A C2SP signed-note verifier key ({@code c2sp.org/signed-note}): {@code <name>+<key ID hex>+base64(0x01 ‖ 32-byte
 * Ed25519 public key)}, the form admin-audit-service serves at {@code GET /v1/admin/audit-logs/public-key}. The key
 * ID is the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key); a key whose ID does not match is refused.
 */
public record NoteKey(String name, byte[] keyId, byte[] publicKey) {

    static final byte ED25519 = 0x01;
    /** The X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410). */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** Keys one file may list (the current one and those rotated out, newest first). */
    static final int MAX_KEYS = 16;

    /**
     * Parses a file of verifier keys, one per line, as {@code GET /v1/admin/audit-logs/public-key}
     * serves them after a rotation (the current key first, then the rotated-out ones).
     */
    public static List<NoteKey> parseAll(String text) throws Json.Bad {
        List<NoteKey> keys = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                if (keys.size() == MAX_KEYS) {
                    throw new Json.Bad("more than " + MAX_KEYS + " keys");
                }
                keys.add(parse(line));
            }
        }
        if (keys.isEmpty()) {
            throw new Json.Bad("no key in the file");
        }
        return List.copyOf(keys);
    }

    /** Parses a verifier key (one line; a final newline is allowed). */
    public static NoteKey parse(String text) throws Json.Bad {
        String line = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        String[] parts = line.split("\\+", 3); // base64 may hold "+" too
        if (parts.length != 3) {
            throw new Json.Bad("a verifier key is <name>+<key id>+<base64 key>");
        }
        String name = parts[0];
        if (!validName(name)) {
            throw new Json.Bad("bad key name");
        }
        if (!parts[1].matches("[0-9a-f]{8}")) {
            throw new Json.Bad("the key id is not 8 lower-case hex digits");
        }
        byte[] typed = Base64s.decode(parts[2]);
        if (typed == null || typed.length != 33 || typed[0] != ED25519) {
            throw new Json.Bad("the key is not base64 of 0x01 and a 32-byte Ed25519 public key");
        }
        byte[] key = Arrays.copyOfRange(typed, 1, 33);
        byte[] id = HexFormat.of().parseHex(parts[1]);
        if (!MessageDigest.isEqual(id, keyId(name, key))) {
            throw new Json.Bad("the key id does not match the name and key");
        }
        return new NoteKey(name, id, key);
    }

    /** Key names (and checkpoint origins): non-empty, no whitespace, no '+', printable. */
    static boolean validName(String name) {
        return !name.isEmpty() && name.length() <= 256
                && name.chars().allMatch(c -> c > 0x20 && c != 0x7F && c != '+' && !Character.isWhitespace(c));
    }

    /** The signed-note key ID of an Ed25519 key: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]. */
    public static byte[] keyId(String name, byte[] publicKey) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0x0A);
            digest.update(ED25519);
            return Arrays.copyOf(digest.digest(publicKey), 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The verifier key of {@code name}'s 32-byte Ed25519 {@code publicKey}, its key ID computed. */
    public static NoteKey of(String name, byte[] publicKey) {
        return new NoteKey(name, keyId(name, publicKey), publicKey.clone());
    }

    /** The JDK public key (Ed25519 from Java 15 on). */
    public PublicKey jdkKey() {
        try {
            byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
            System.arraycopy(publicKey, 0, encoded, X509_PREFIX.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /** The key as a verifier key line: {@code <name>+<key ID hex>+base64(0x01 ‖ public key)}, what {@link #parse} reads. */
    public String text() {
        byte[] typed = new byte[33];
        typed[0] = ED25519;
        System.arraycopy(publicKey, 0, typed, 1, 32);
        return describe() + "+" + Base64.getEncoder().encodeToString(typed);
    }

    public String describe() {
        return name + "+" + HexFormat.of().formatHex(keyId);
    }
}

package dev.sentinel.audit.checkpoint;

import dev.sentinel.audit.config.AuditConfig;
import dev.sentinel.audit.config.Secrets;
import dev.sentinel.audit.verifier.NoteKey;
import dev.sentinel.audit.verifier.SignedNote;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Signs checkpoints as C2SP signed notes with the Ed25519 key of {@code AUDIT_SIGNING_KEY}.
 * The checkpoint text (c2sp.org/tlog-checkpoint) is the origin line, the tree size in decimal
 * and the base64 root hash, each ending in a newline; the note appends a blank line and
 * {@code — <key name> base64(key ID ‖ signature)}, where the key name is the origin and the
 * key ID is the first four bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)
 * (c2sp.org/signed-note). The verifier key is published as {@code <name>+<key ID hex>+base64(0x01 ‖ public key)}.
 * <p>
 * Rotation (docs/key-rotation.md): the verifier keys of rotated-out keys
 * ({@code AUDIT_SIGNING_KEY_PREVIOUS}, public keys only) are still published after the current
 * one, and a note verifies when a signature line's key name and key ID pick a known key whose
 * signature checks out; lines of unknown keys are skipped, as c2sp.org/signed-note asks.
 */
@Startup
@ApplicationScoped
public class NoteSigner {

    private final String name;
    private final PrivateKey privateKey;
    private final byte[] publicKey;
    private final byte[] keyId;
    /** Every key a note may be signed with: the current one first, then the rotated-out ones. */
    private final List<NoteKey> verifierKeys;

    /** Parses one of {@code variable}'s verifier keys, as /public-key serves them; the key ID must match. */
    private static NoteKey previousKey(String text, String variable) {
        try {
            return NoteKey.parse(text.trim());
        } catch (Exception malformed) {
            throw new IllegalStateException(variable + " must list C2SP Ed25519 verifier keys"
                    + " (<name>+<key ID hex>+<base64>, as /public-key serves them), comma-separated");
        }
    }

    public NoteSigner(AuditConfig config) {
        this.name = config.checkpoint().origin();
        if (name.isBlank() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '+')) {
            throw new IllegalStateException("AUDIT_CHECKPOINT_ORIGIN must be non-empty, without spaces or '+'");
        }
        KeyPair pair = fromSeed(Secrets.key32(config.signingKey(), "AUDIT_SIGNING_KEY"));
        this.privateKey = pair.getPrivate();
        this.publicKey = rawPublicKey((EdECPublicKey) pair.getPublic());
        NoteKey current = NoteKey.of(name, publicKey);
        this.keyId = current.keyId();
        List<NoteKey> keys = new ArrayList<>();
        keys.add(current);
        for (String previous : config.signingKeyPrevious().orElse(List.of())) {
            if (!previous.isBlank()) {
                NoteKey key = previousKey(previous, "AUDIT_SIGNING_KEY_PREVIOUS");
                if (keys.stream().noneMatch(known -> known.text().equals(key.text()))) {
                    keys.add(key);
                }
            }
        }
        this.verifierKeys = List.copyOf(keys);
    }

    /** The checkpoint body for a tree: origin, size, base64 root (c2sp.org/tlog-checkpoint). */
    public String checkpointText(long treeSize, byte[] rootHash) {
        return name + "\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
    }

    /** The whole signed note of a checkpoint. */
    public String sign(long treeSize, byte[] rootHash) {
        String text = checkpointText(treeSize, rootHash);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] signature = signer.sign();
            byte[] line = ByteBuffer.allocate(4 + signature.length).put(keyId).put(signature).array();
            return text + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(line) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** The C2SP verifier key: {@code <name>+<key ID hex>+base64(0x01 ‖ 32-byte public key)}. */
    public String verifierKey() {
        return verifierKeys.get(0).text();
    }

    /** The verifier keys of the current key and then of every rotated-out one still trusted. */
    public List<String> verifierKeys() {
        return verifierKeys.stream().map(NoteKey::text).toList();
    }

    /**
     * The checkpoint {@code note} vouches for (origin, tree size, root), when it is a signed note
     * whose signatures by the current key or a rotated-out one (picked by key name and key ID)
     * verify over its text: the offline verifier's own check ({@link SignedNote#verify}), so the
     * service and audit-verify.jar agree on what a valid checkpoint is. Null for any other note.
     */
    public SignedNote vouchedFor(String note) {
        try {
            return SignedNote.verify(note.getBytes(StandardCharsets.UTF_8), verifierKeys);
        } catch (Exception notVouched) {
            return null;
        }
    }

    /** True when {@link #vouchedFor} finds the note signed by a published key; a malformed note is false. */
    public boolean verifies(String note) {
        return vouchedFor(note) != null;
    }

    /** The RFC 8032 key pair of a 32-byte seed (the JDK derives the public key from the random bytes it draws). */
    static KeyPair fromSeed(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    if (bytes.length != seed.length) {
                        throw new IllegalStateException("unexpected key generation request");
                    }
                    System.arraycopy(seed, 0, bytes, 0, seed.length);
                }
            });
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /** The 32-byte RFC 8032 public key: the tail of its X.509 (SubjectPublicKeyInfo) encoding. */
    static byte[] rawPublicKey(EdECPublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != 44) {
            throw new IllegalStateException("unexpected Ed25519 public key encoding");
        }
        return Arrays.copyOfRange(encoded, 12, 44);
    }
}

package dev.sentinel.audit.checkpoint;

import dev.sentinel.audit.config.AuditConfig;
import dev.sentinel.audit.config.Secrets;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs checkpoints as C2SP signed notes with the Ed25519 key of {@code AUDIT_SIGNING_KEY}.
 * The checkpoint text (c2sp.org/tlog-checkpoint) is the origin line, the tree size in decimal
 * and the base64 root hash, each ending in a newline; the note appends a blank line and
 * {@code — <key name> base64(key ID ‖ signature)}, where the key name is the origin and the
 * key ID is the first four bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)
 * (c2sp.org/signed-note). The verifier key is published as {@code <name>+<key ID hex>+base64(0x01 ‖ public key)}.
 */
@Startup
@ApplicationScoped
public class NoteSigner {

    private static final byte ED25519 = 0x01;

    private final String name;
    private final PrivateKey privateKey;
    private final byte[] publicKey;
    private final byte[] keyId;

    public NoteSigner(AuditConfig config) {
        this.name = config.checkpoint().origin();
        if (name.isBlank() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '+')) {
            throw new IllegalStateException("AUDIT_CHECKPOINT_ORIGIN must be non-empty, without spaces or '+'");
        }
        KeyPair pair = fromSeed(Secrets.key32(config.signingKey(), "AUDIT_SIGNING_KEY"));
        this.privateKey = pair.getPrivate();
        this.publicKey = rawPublicKey((EdECPublicKey) pair.getPublic());
        this.keyId = keyId(name, publicKey);
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
        byte[] typed = ByteBuffer.allocate(33).put(ED25519).put(publicKey).array();
        return name + "+" + HexFormat.of().formatHex(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
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

    static byte[] keyId(String name, byte[] publicKey) {
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
}

package dev.sentinel.audit.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.audit.config.AuditConfig;
import dev.sentinel.audit.config.Secrets;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Encryption of personal fields (ip, userAgent, emails in data) under a per-subject AES-256
 * key, itself wrapped under the key-encryption key {@code AUDIT_KEK}. Every ciphertext is
 * {@code 0x01 ‖ 12-byte nonce ‖ AES-GCM(ciphertext ‖ 16-byte tag)}, bound by its associated
 * data to the event and the field, so a ciphertext moved to another row or field fails.
 * Deleting a subject's wrapped key erases these fields and leaves the leaves (which cover the
 * ciphertext) intact.
 */
@Startup
@ApplicationScoped
public class PersonalData {

    /** Prefix of an encrypted string value inside {@code data}. */
    public static final String ENCRYPTED_PREFIX = "enc:v1:";

    private static final byte VERSION = 0x01;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey kek;
    private final SecureRandom random = new SecureRandom();

    public PersonalData(AuditConfig config) {
        this.kek = new SecretKeySpec(Secrets.key32(config.kek(), "AUDIT_KEK"), "AES");
    }

    /** Whose key protects an event's fields: its subject, or the event itself when it has none. */
    public static String owner(String subject, String eventId) {
        return subject != null ? subject : "event:" + eventId;
    }

    /** A fresh data key for {@code owner}, wrapped under the KEK. */
    public byte[] newWrappedKey(String owner) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return seal(kek, key, ("audit-subject-key|" + owner).getBytes(StandardCharsets.UTF_8));
    }

    public SecretKey unwrap(String owner, byte[] wrapped) {
        return new SecretKeySpec(open(kek, wrapped, ("audit-subject-key|" + owner).getBytes(StandardCharsets.UTF_8)), "AES");
    }

    public byte[] encrypt(SecretKey key, String eventId, String field, String plaintext) {
        return plaintext == null ? null : seal(key, plaintext.getBytes(StandardCharsets.UTF_8), aad(eventId, field));
    }

    public String decrypt(SecretKey key, String eventId, String field, byte[] ciphertext) {
        return ciphertext == null ? null : new String(open(key, ciphertext, aad(eventId, field)), StandardCharsets.UTF_8);
    }

    /** Whether a field of {@code data} holds an email ({@code email}, {@code oldEmail}, {@code newEmail}, ...). */
    public static boolean isEmailField(String name) {
        return name.equals("email") || name.endsWith("Email");
    }

    /**
     * Replaces every textual email field of {@code data} (at any depth) by what {@code seal}
     * answers for its JSON pointer and plain value. Mutates {@code data}.
     */
    public static void rewriteEmails(JsonNode data, BiFunction<String, String, String> seal) {
        rewrite(data, "", seal);
    }

    private static void rewrite(JsonNode node, String pointer, BiFunction<String, String, String> seal) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                fields.add(it.next());
            }
            for (Map.Entry<String, JsonNode> field : fields) {
                String path = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                if (isEmailField(field.getKey()) && field.getValue().isTextual()) {
                    object.put(field.getKey(), seal.apply(path, field.getValue().textValue()));
                } else {
                    rewrite(field.getValue(), path, seal);
                }
            }
        } else if (node != null && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rewrite(node.get(i), pointer + "/" + i, seal);
            }
        }
    }

    /** The encrypted form of an email inside data. */
    public String sealEmail(SecretKey key, String eventId, String pointer, String email) {
        return ENCRYPTED_PREFIX + Base64.getEncoder().encodeToString(encrypt(key, eventId, "data" + pointer, email));
    }

    /** The plain email of an encrypted value inside data, or null when it cannot be opened (erased, not ours). */
    public String openEmail(SecretKey key, String eventId, String pointer, String sealed) {
        if (key == null || sealed == null || !sealed.startsWith(ENCRYPTED_PREFIX)) {
            return null;
        }
        try {
            return decrypt(key, eventId, "data" + pointer, Base64.getDecoder().decode(sealed.substring(ENCRYPTED_PREFIX.length())));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] aad(String eventId, String field) {
        return ("audit-field|" + eventId + "|" + field).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] seal(SecretKey key, byte[] plaintext, byte[] aad) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private static byte[] open(SecretKey key, byte[] sealed, byte[] aad) {
        if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalArgumentException("not a sealed value of version 1");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the sealed value does not open with this key", e);
        }
    }
}

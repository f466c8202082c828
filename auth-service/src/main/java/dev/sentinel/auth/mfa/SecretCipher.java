package dev.sentinel.auth.mfa;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * AES-256-GCM for secrets at rest, under versioned keys: {@code version:base64(nonce||ct||tag)}
 * with a fresh 96-bit nonce per encryption and the owner's id as associated data, so a
 * ciphertext copied to another user's row does not decrypt. Rotation: add a key, make it
 * current; old ciphertexts still decrypt and are re-encrypted when next used.
 */
public final class SecretCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys;
    private final String current;

    public SecretCipher(Map<String, byte[]> keys, String current) {
        if (!keys.containsKey(current)) {
            throw new IllegalStateException("ENCRYPTION_KEY_CURRENT names no key in ENCRYPTION_KEYS");
        }
        keys.forEach((version, key) -> {
            if (key.length != 32 || version.contains(":")) {
                throw new IllegalStateException("ENCRYPTION_KEYS: key " + version + " must be 32 bytes, base64");
            }
        });
        this.keys = Map.copyOf(keys.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> new SecretKeySpec(e.getValue(), "AES"))));
        this.current = current;
    }

    /** Parses {@code {"v1":"<base64>", ...}}. */
    public static SecretCipher fromConfig(String keysJson, String current) {
        try {
            Map<String, String> encoded = new ObjectMapper().readValue(keysJson, new TypeReference<>() { });
            Map<String, byte[]> keys = new java.util.HashMap<>();
            encoded.forEach((version, key) -> keys.put(version, Base64.getDecoder().decode(key)));
            return new SecretCipher(keys, current);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("ENCRYPTION_KEYS must be a JSON object of base64 keys", e);
        }
    }

    public String currentVersion() {
        return current;
    }

    /** Every configured key version (the current one and those that only decrypt). */
    public Set<String> versions() {
        return keys.keySet();
    }

    /** The key version a stored value was encrypted under. */
    public static String versionOf(String stored) {
        return stored.substring(0, stored.indexOf(':'));
    }

    public String encrypt(String plaintext, String owner) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return current + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String decrypt(String stored, String owner) {
        int colon = stored.indexOf(':');
        SecretKeySpec key = colon < 0 ? null : keys.get(stored.substring(0, colon));
        if (key == null) {
            throw new IllegalStateException("No key for the stored secret's version; was a key removed too early?");
        }
        try {
            byte[] data = Base64.getDecoder().decode(stored.substring(colon + 1));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The stored secret does not decrypt", e);
        }
    }
}

package dev.sentinel.auth.session;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Derives a rotated refresh token's successor from the token itself with a server-side
 * HMAC key. A repeat of the same token inside the grace window (two tabs refreshing at
 * once) can then be given the very successor the first request got, although only hashes
 * of tokens are stored. Without the key, a successor cannot be predicted.
 */
public final class RefreshTokens {

    private final byte[] key;

    public RefreshTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalStateException("REFRESH_TOKEN_KEY must be at least 32 bytes (base64)");
        }
        this.key = key.clone();
    }

    public String successorOf(String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] successor = mac.doFinal(("sentinel-refresh-successor:" + token).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(successor);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RefreshTokens fromBase64(String base64Key) {
        try {
            return new RefreshTokens(Base64.getDecoder().decode(base64Key.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("REFRESH_TOKEN_KEY must be base64", e);
        }
    }
}

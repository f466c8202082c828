package dev.sentinel.audit.admin;

import dev.sentinel.contracts.problem.ProblemException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * The admin console's page cursor: auth-service's keyset cursor, bound to the search it came
 * from (filters and sort) and sealed with an HMAC. A cursor someone edited or made up, or one
 * from another search, is a 400 here and never reaches auth. The key is derived from this
 * service's client secret, so every replica accepts every other replica's cursors.
 * Form: {@code base64url(auth cursor) "." base64url(HMAC-SHA256(key, search "\n" auth cursor))}.
 */
final class UserCursor {

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private final byte[] key;

    UserCursor(String clientSecret) {
        this.key = hmac(clientSecret.getBytes(StandardCharsets.UTF_8),
                "sentinel admin-console user cursor v1".getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor we hand out for auth's {@code next}; null stays null (last page). */
    String seal(String search, String authCursor) {
        if (authCursor == null) {
            return null;
        }
        return ENCODE.encodeToString(authCursor.getBytes(StandardCharsets.UTF_8)) + "." + ENCODE.encodeToString(mac(search, authCursor));
    }

    /** auth's cursor inside one of ours; a 400 problem if it is not one we made for this search. */
    String open(String search, String cursor) {
        if (cursor == null) {
            return null;
        }
        int dot = cursor.indexOf('.');
        try {
            if (cursor.length() > 2048 || dot <= 0) {
                throw new IllegalArgumentException();
            }
            String authCursor = new String(DECODE.decode(cursor.substring(0, dot)), StandardCharsets.UTF_8);
            byte[] given = DECODE.decode(cursor.substring(dot + 1));
            if (MessageDigest.isEqual(mac(search, authCursor), given)) {
                return authCursor;
            }
        } catch (IllegalArgumentException malformed) {
            // falls through to the 400
        }
        throw ProblemException.invalidField("The cursor is not valid for this search.", "cursor",
                List.of("is not a cursor of this search; start again without one"));
    }

    private byte[] mac(String search, String authCursor) {
        return hmac(key, (search + "\n" + authCursor).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

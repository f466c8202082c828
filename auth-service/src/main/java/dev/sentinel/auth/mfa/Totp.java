package dev.sentinel.auth.mfa;

import com.warrenstrange.googleauth.GoogleAuthenticator;
import com.warrenstrange.googleauth.GoogleAuthenticatorConfig;
import com.warrenstrange.googleauth.HmacHashFunction;
import com.warrenstrange.googleauth.KeyRepresentation;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * RFC 6238 TOTP through googleauth: HMAC-SHA1, 30-second steps, base32 secrets. A code is
 * checked against the previous, current and next step (clock drift); the step that matched
 * is returned so the caller can refuse its replay.
 */
public final class Totp {

    public static final long STEP_MILLIS = 30_000;

    private final GoogleAuthenticator authenticator;
    private final int digits;

    public Totp(int digits) {
        this.digits = digits;
        this.authenticator = new GoogleAuthenticator(new GoogleAuthenticatorConfig.GoogleAuthenticatorConfigBuilder()
                .setTimeStepSizeInMillis(STEP_MILLIS)
                .setWindowSize(3)
                .setCodeDigits(digits)
                .setHmacHashFunction(HmacHashFunction.HmacSHA1)
                .setKeyRepresentation(KeyRepresentation.BASE32)
                .build());
    }

    /** A new random secret, base32 (160 bits). */
    public String newSecret() {
        return authenticator.createCredentials().getKey();
    }

    /** The code for a secret at a time, zero-padded. */
    public String codeAt(String base32Secret, long epochMillis) {
        int code = authenticator.getTotpPassword(base32Secret, epochMillis);
        return String.format("%0" + digits + "d", code);
    }

    /** The step the code belongs to (previous, current or next), or empty if none matches. */
    public OptionalLong matchingStep(String base32Secret, String code, long nowMillis) {
        if (code == null || code.length() != digits || !code.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        long step = nowMillis / STEP_MILLIS;
        OptionalLong matched = OptionalLong.empty();
        for (long candidate = step - 1; candidate <= step + 1; candidate++) {
            // Every candidate is computed and compared in constant time, match or not.
            String expected = codeAt(base32Secret, candidate * STEP_MILLIS);
            if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    code.getBytes(StandardCharsets.US_ASCII)) && matched.isEmpty()) {
                matched = OptionalLong.of(candidate);
            }
        }
        return matched;
    }

    /** The otpauth:// URI authenticator apps read from the QR code. */
    public static String otpauthUri(String issuer, String account, String base32Secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + base32Secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=6&period=30";
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

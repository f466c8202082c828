package dev.sentinel.auth.password;

import com.nulabinc.zxcvbn.Zxcvbn;
import dev.sentinel.auth.user.EmailAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a new password must be: 10–128 characters (configurable), not common or easily
 * guessed (zxcvbn score, which knows tens of thousands of common passwords, names and
 * patterns), and not containing the email's local part. Plain Java; CPU-bound, so callers
 * run it on the hashing pool, not on an event loop.
 */
public final class PasswordPolicy {

    private final int minLength;
    private final int maxLength;
    private final int minStrength;
    private final Zxcvbn zxcvbn = new Zxcvbn();

    public PasswordPolicy(int minLength, int maxLength, int minStrength) {
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.minStrength = minStrength;
    }

    /** The reasons {@code password} is refused for the account {@code email}; empty if accepted. */
    public List<String> problems(String password, String email) {
        List<String> problems = new ArrayList<>();
        if (password == null || password.isEmpty()) {
            problems.add("must not be empty");
            return problems;
        }
        int length = password.codePointCount(0, password.length());
        if (length < minLength) {
            problems.add("must be at least " + minLength + " characters");
        }
        if (length > maxLength) {
            problems.add("must be at most " + maxLength + " characters");
            return problems;
        }
        String local = email == null ? null : EmailAddress.localPart(email);
        if (local != null && local.length() >= 3 && password.toLowerCase(Locale.ROOT).contains(local)) {
            problems.add("must not contain your email address");
        }
        if (length >= minLength && zxcvbn.measure(password, local == null ? List.of() : List.of(local)).getScore()
                < minStrength) {
            problems.add("is too common or easy to guess");
        }
        return problems;
    }
}

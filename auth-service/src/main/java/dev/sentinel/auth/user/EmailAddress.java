package dev.sentinel.auth.user;

import dev.sentinel.auth.token.OpaqueTokens;
import dev.sentinel.contracts.problem.ProblemException;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How an email address is accepted and stored: trimmed, the domain lower-cased (the local
 * part keeps its case, but one address is one account whatever its case), at most 254
 * characters, one {@code @}, a dotted domain, no spaces or control characters.
 */
public final class EmailAddress {

    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    private EmailAddress() {
    }

    /** The normalised address, or empty if it is not one we accept. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String email = raw.trim();
        int at = email.lastIndexOf('@');
        if (email.length() > 254 || at <= 0 || at != email.indexOf('@')) {
            return Optional.empty();
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!LOCAL.matcher(local).matches() || local.startsWith(".") || local.endsWith(".") || local.contains("..")
                || !DOMAIN.matcher(domain).matches()) {
            return Optional.empty();
        }
        return Optional.of(local + "@" + domain);
    }

    /** The normalised address, or a 400 field problem naming {@code email}. */
    public static String required(String raw) {
        return normalise(raw).orElseThrow(() -> ProblemException.invalidField("Some fields are invalid.", "email",
                List.of("must be a valid email address")));
    }

    /**
     * The key under which counters about an address (rate limits, lockout, CAPTCHA) are kept:
     * a hash of the normalised address, case-insensitive, so Redis never holds an address and
     * every spelling of one address meets the same counter.
     */
    public static String counterKey(String normalised) {
        return OpaqueTokens.hash(normalised.toLowerCase(Locale.ROOT));
    }

    /** The part before the {@code @}, lower-cased (the password must not contain it). */
    public static String localPart(String normalised) {
        return normalised.substring(0, normalised.indexOf('@')).toLowerCase(Locale.ROOT);
    }
}

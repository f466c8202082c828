package dev.sentinel.auth.password;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the cost out of a stored PHC string ({@code $argon2id$v=19$m=65536,t=3,p=2$salt$hash}),
 * so a hash made with any other cost — weaker or stronger — is re-made at the next good
 * login. (argon2-jvm's own check only upgrades weaker hashes.)
 */
public final class StoredHash {

    private static final Pattern PHC = Pattern.compile("^\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$.+");

    private StoredHash() {
    }

    /** True unless {@code hash} is an Argon2id hash with exactly this cost. */
    public static boolean needsRehash(String hash, int iterations, int memoryKib, int parallelism) {
        Matcher m = hash == null ? null : PHC.matcher(hash);
        if (m == null || !m.matches()) {
            return true;
        }
        return Integer.parseInt(m.group(1)) != memoryKib || Integer.parseInt(m.group(2)) != iterations
                || Integer.parseInt(m.group(3)) != parallelism;
    }
}

package dev.sentinel.contracts.web;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules for {@code X-Request-Id}: a caller's id is kept when it is short and made of
 * safe characters (so it cannot forge log lines or headers); otherwise we make our own.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The id to use for a request that carried {@code offered} (may be null). */
    public static String accept(String offered) {
        if (offered != null && SAFE.matcher(offered).matches()) {
            return offered;
        }
        return UUID.randomUUID().toString();
    }
}

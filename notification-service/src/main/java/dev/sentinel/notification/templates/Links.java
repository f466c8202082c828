package dev.sentinel.notification.templates;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds the action link of a mail from the configured public base URL; the request only supplies a token. */
public final class Links {

    private Links() {
    }

    /** {@code base} + {@code path}, plus {@code ?token=} with the token URL-encoded when there is one. */
    public static String build(String base, String path, String token) {
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String link = root + path;
        return token == null ? link : link + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}

package dev.sentinel.audit.read;

import dev.sentinel.contracts.problem.ProblemException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Page sizes and the checkpoint list's cursor: plain rules, no Quarkus. A cursor is opaque to
 * clients; a bad one is a 400 naming the field, never a 500.
 */
public final class PageCursor {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");
    private static final String CHECKPOINT = "cp1:";
    private static final Pattern CHECKPOINT_CURSOR = Pattern.compile("cp1:[1-9][0-9]{0,17}");

    private PageCursor() {
    }

    /** {@code limit} as given: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    public static int limit(String limit) {
        return limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /** A page size as given: 1 to {@code max}, {@code defaultLimit} when absent; else a 400 naming {@code limit}. */
    public static int limit(String limit, int defaultLimit, int max) {
        if (limit == null) {
            return defaultLimit;
        }
        int value = LIMIT.matcher(limit).matches() ? Integer.parseInt(limit) : -1;
        if (value < 1 || value > max) {
            throw ProblemException.invalidField("Bad limit.", "limit", List.of("must be a whole number from 1 to " + max));
        }
        return value;
    }

    /** The cursor after the checkpoint of {@code treeSize} rows. */
    public static String checkpoint(long treeSize) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CHECKPOINT + treeSize).getBytes(StandardCharsets.US_ASCII));
    }

    /** The tree size a checkpoint cursor continues below. */
    public static long checkpointBefore(String cursor) {
        String text = null;
        try {
            if (cursor.length() <= 40) {
                text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            }
        } catch (IllegalArgumentException e) {
            text = null;
        }
        if (text == null || !CHECKPOINT_CURSOR.matcher(text).matches()) {
            throw badCursor();
        }
        return Long.parseLong(text.substring(CHECKPOINT.length()));
    }

    static ProblemException badCursor() {
        return ProblemException.invalidField("Bad cursor.", "cursor", List.of("must be the nextCursor of an earlier page of the same query"));
    }
}

package dev.sentinel.audit.approval;

import dev.sentinel.audit.read.PageCursor;
import dev.sentinel.contracts.problem.ProblemException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The approval list's query rules, plain Java: status filter, page size and the keyset cursor
 * (base64url of {@code ap1:<status>:<seq>}: the last row's seq, bound to the status filter it
 * was made for). A bad value is a 400 naming the field, never a 500. The cursor is not sealed:
 * it holds only a position in a list every caller of it may read whole.
 */
public final class ApprovalCursor {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    public static final Set<String> STATUSES = Set.of(Approval.PENDING, Approval.APPROVING, Approval.GRANTED,
            Approval.REJECTED, Approval.EXPIRED);

    private static final Pattern CURSOR = Pattern.compile("ap1:([A-Z]{0,9}):([1-9][0-9]{0,17})");

    private ApprovalCursor() {
    }

    /** The status filter: one of {@link #STATUSES}, or null for every approval. */
    public static String status(String status) {
        if (status == null || STATUSES.contains(status)) {
            return status;
        }
        throw ProblemException.invalidField("Bad status.", "status",
                List.of("must be one of PENDING, APPROVING, GRANTED, REJECTED, EXPIRED"));
    }

    public static int limit(String limit) {
        return PageCursor.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
    }

    public static String after(String status, long seq) {
        String text = "ap1:" + (status == null ? "" : status) + ":" + seq;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The seq a page continues below: {@link Long#MAX_VALUE} without a cursor. */
    public static long before(String status, String cursor) {
        if (cursor == null) {
            return Long.MAX_VALUE;
        }
        String text = null;
        try {
            if (cursor.length() <= 48) {
                text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            }
        } catch (IllegalArgumentException malformed) {
            text = null;
        }
        Matcher matcher = text == null ? null : CURSOR.matcher(text);
        if (matcher == null || !matcher.matches() || !matcher.group(1).equals(status == null ? "" : status)) {
            throw ProblemException.invalidField("Bad cursor.", "cursor",
                    List.of("must be the nextCursor of an earlier page with the same status"));
        }
        return Long.parseLong(matcher.group(2));
    }
}

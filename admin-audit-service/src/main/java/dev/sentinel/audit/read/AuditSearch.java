package dev.sentinel.audit.read;

import dev.sentinel.audit.crypto.BlindIndex;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.Problem;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A search of the audit log as the caller asked it, checked: the filters (each an equality on
 * an indexed column, {@code from} inclusive and {@code to} exclusive on the event time), the
 * page size, and whether to count. Pages run newest first on (time, seq); the cursor is the
 * last row's position, tagged with a keyed hash over the position and the filters, so a cursor
 * that was edited, forged or moved to another query is refused. Plain rules; no Quarkus.
 */
public record AuditSearch(String actor, String subject, List<String> types, String outcome, String ip, String traceId,
        Instant from, Instant to, int limit, boolean count) {

    /** Where a page ends: the event time in microseconds since the epoch and the seq. */
    public record Position(long timeMicros, long seq) {
    }

    private static final int MAX_TYPES = 32;
    private static final int CURSOR_BYTES = 8 + 8 + 16;

    /** Checks the query parameters; every bad one is named in one 400 problem. */
    public static AuditSearch parse(String actor, String subject, List<String> types, String outcome, String ip,
            String traceId, String from, String to, String limit, String count) {
        List<Problem.FieldError> errors = new ArrayList<>();
        actor = text("actor", actor, 128, errors);
        subject = text("subject", subject, 128, errors);
        outcome = text("outcome", outcome, 64, errors);
        traceId = text("traceId", traceId, 64, errors);
        TreeSet<String> typeSet = new TreeSet<>();
        if (types != null) {
            if (types.size() > MAX_TYPES) {
                errors.add(new Problem.FieldError("type", "at most " + MAX_TYPES + " types"));
            }
            for (String type : types) {
                try {
                    typeSet.add(EventType.fromWireName(type).wireName());
                } catch (IllegalArgumentException e) {
                    errors.add(new Problem.FieldError("type", "must be an event type (e.g. auth.login_failed)"));
                }
            }
        }
        String canonicalIp = null;
        if (ip != null) {
            canonicalIp = BlindIndex.canonicalIp(ip);
            if (canonicalIp == null) {
                errors.add(new Problem.FieldError("ip", "must be an IPv4 or IPv6 address"));
            }
        }
        Instant fromTime = time("from", from, errors);
        Instant toTime = time("to", to, errors);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            errors.add(new Problem.FieldError("to", "must be after from"));
        }
        int pageSize = PageCursor.DEFAULT_LIMIT;
        try {
            pageSize = PageCursor.limit(limit);
        } catch (ProblemException e) {
            errors.addAll(e.fieldErrors());
        }
        boolean counted = false;
        if (count != null) {
            if (count.equals("true") || count.equals("false")) {
                counted = count.equals("true");
            } else {
                errors.add(new Problem.FieldError("count", "must be true or false"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ErrorCode.VAL_INVALID_FIELDS, "Bad search parameters.", errors, Map.of(), null);
        }
        return new AuditSearch(actor, subject, List.copyOf(typeSet), outcome, canonicalIp, traceId, fromTime, toTime,
                pageSize, counted);
    }

    /** The filters in one unambiguous text (each value length-prefixed): what a cursor is bound to. */
    public String fingerprint() {
        StringBuilder text = new StringBuilder("audit-search|v1");
        for (String value : new String[] {actor, subject, String.join(",", types), outcome, ip, traceId,
                from == null ? null : Long.toString(micros(from)), to == null ? null : Long.toString(micros(to))}) {
            text.append('|').append(value == null ? "-" : value.length() + ":" + value);
        }
        return text.toString();
    }

    /** The SQL condition of the filters (no cursor), with its parameters from {@code $first} on. */
    public Where where(byte[] ipIndex, int first) {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        add(conditions, parameters, first, "actor = $", actor);
        add(conditions, parameters, first, "subject = $", subject);
        add(conditions, parameters, first, "type = any($", types.isEmpty() ? null : types.toArray(String[]::new));
        add(conditions, parameters, first, "outcome = $", outcome);
        add(conditions, parameters, first, "ip_index = $", ipIndex == null ? null : io.vertx.core.buffer.Buffer.buffer(ipIndex));
        add(conditions, parameters, first, "trace_id = $", traceId);
        add(conditions, parameters, first, "time >= $", from == null ? null : utc(from));
        add(conditions, parameters, first, "time < $", to == null ? null : utc(to));
        return new Where(conditions.isEmpty() ? "true" : String.join(" and ", conditions), parameters);
    }

    /** A condition and its positional parameters. */
    public record Where(String sql, List<Object> parameters) {
    }

    private static void add(List<String> conditions, List<Object> parameters, int first, String sql, Object value) {
        if (value != null) {
            parameters.add(value);
            // sql ends with '$': append the positional parameter's number ($1, $2, ...).
            String condition = sql + (first + parameters.size() - 1);
            conditions.add(sql.endsWith("any($") ? condition + ")" : condition);
        }
    }

    /** The cursor after {@code position} for this search. */
    public String cursor(Position position, Function<String, byte[]> tag) {
        byte[] mac = tag.apply(fingerprint() + "|" + position.timeMicros() + "|" + position.seq());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                ByteBuffer.allocate(CURSOR_BYTES).putLong(position.timeMicros()).putLong(position.seq()).put(mac).array());
    }

    /** The position a cursor of this search continues after; a 400 when it is not one this service made for these filters. */
    public Position position(String cursor, java.util.function.BiPredicate<String, byte[]> tagMatches) {
        byte[] raw;
        try {
            raw = cursor.length() > 64 ? null : Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != CURSOR_BYTES) {
            throw PageCursor.badCursor();
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw);
        long micros = buffer.getLong();
        long seq = buffer.getLong();
        byte[] tag = new byte[16];
        buffer.get(tag);
        if (seq < 0 || !tagMatches.test(fingerprint() + "|" + micros + "|" + seq, tag)) {
            throw PageCursor.badCursor();
        }
        return new Position(micros, seq);
    }

    public static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    public static OffsetDateTime utcMicros(long micros) {
        return utc(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
    }

    private static String text(String field, String value, int max, List<Problem.FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > max || value.chars().anyMatch(c -> Character.isISOControl(c))
                || !value.codePoints().allMatch(Character::isDefined)) {
            errors.add(new Problem.FieldError(field, "must be 1 to " + max + " printable characters"));
            return null;
        }
        return value;
    }

    private static Instant time(String field, String value, List<Problem.FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(value);
            if (time.getYear() < 1 || time.getYear() > 9999) {
                throw new DateTimeParseException("year out of range", value, 0);
            }
            return time.toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "must be an RFC 3339 time with offset, e.g. 2026-01-31T12:00:00Z"));
            return null;
        }
    }
}

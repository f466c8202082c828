package dev.sentinel.auth.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.Problem;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.StorableText;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A user search as admins ask it: filters, one sort key (ascending or descending, ties
 * broken by id) and keyset pagination with an opaque cursor (the last row's sort value and
 * id), so pages stay stable while users sign up. Plain Java: it only builds the query.
 */
public record UserSearch(String emailContains, String status, String role, Boolean mfa, Boolean verified,
        Instant createdFrom, Instant createdTo, Sort sort, boolean descending, int limit, Cursor after) {

    public enum Sort {
        CREATED_AT("createdAt", "created_at"), EMAIL("email", "lower(email)");

        final String name;
        final String column;

        Sort(String name, String column) {
            this.name = name;
            this.column = column;
        }
    }

    /** Where the previous page ended. */
    public record Cursor(String value, UUID id) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The largest page; the admin console asks for up to this many. */
    public static final int MAX_LIMIT = 200;

    /**
     * Parses the query parameters; anything malformed is a 400 naming the parameter, including
     * text PostgreSQL would refuse (a NUL) and a cursor whose value its sort cannot compare.
     */
    public static UserSearch parse(String query, String status, String role, String sort, Integer limit, String cursor) {
        return parse(query, status, role, null, null, null, null, sort, limit, cursor);
    }

    /**
     * With the console's other filters: {@code mfa} and {@code verified} ({@code true} or
     * {@code false}), {@code createdFrom} (inclusive) and {@code createdTo} (exclusive), RFC 3339
     * times with an offset, the first before the second.
     */
    public static UserSearch parse(String query, String status, String role, String mfa, String verified,
            String createdFrom, String createdTo, String sort, Integer limit, String cursor) {
        String field = null;
        Boolean mfaOn = null;
        Boolean verifiedOn = null;
        Instant from = null;
        Instant to = null;
        if (mfa != null) {
            mfaOn = flag(mfa);
            if (mfaOn == null) {
                field = "mfa";
            }
        }
        if (verified != null) {
            verifiedOn = flag(verified);
            if (verifiedOn == null) {
                field = "verified";
            }
        }
        if (createdFrom != null) {
            from = instant(createdFrom);
            if (from == null) {
                field = "createdFrom";
            }
        }
        if (createdTo != null) {
            to = instant(createdTo);
            if (to == null || from != null && !from.isBefore(to)) {
                field = "createdTo";
            }
        }
        if (query != null && (query.length() > 254 || !StorableText.Validator.allows(query))) {
            field = "query";
        }
        if (status != null && !List.of("ACTIVE", "LOCKED").contains(status)) {
            field = "status";
        }
        if (role != null && !Roles.ALL.contains(role)) {
            field = "role";
        }
        String sortValue = sort == null ? "-createdAt" : sort;
        Sort key = null;
        for (Sort candidate : Sort.values()) {
            if (sortValue.equals(candidate.name) || sortValue.equals("-" + candidate.name)) {
                key = candidate;
            }
        }
        if (key == null) {
            field = "sort";
        }
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            field = "limit";
        }
        Cursor after = null;
        if (cursor != null && field == null) {
            after = decode(cursor);
            if (after == null || !StorableText.Validator.allows(after.value())
                    || key == Sort.CREATED_AT && !isInstant(after.value())) {
                field = "cursor";
            }
        }
        if (field != null) {
            throw new ProblemException(ErrorCode.VAL_INVALID_FIELDS, "Invalid search parameter.",
                    List.of(new Problem.FieldError(field, "is not valid")), Map.of(), null);
        }
        return new UserSearch(query == null || query.isBlank() ? null : query.trim(), status, role, mfaOn, verifiedOn,
                from, to, key, sortValue.startsWith("-"), size, after);
    }

    /**
     * The SQL {@code where} clause (without the cursor) over app_user; parameters named :q,
     * :status, :role, :mfa, :verified, :createdFrom, :createdTo.
     */
    public String filterSql() {
        StringBuilder where = new StringBuilder("true");
        if (emailContains != null) {
            where.append(" and lower(email) like :q escape '\\'");
        }
        if (status != null) {
            where.append(" and status = :status");
        }
        if (role != null) {
            where.append(" and (',' || roles || ',') like :role");
            if (!role.equals(Roles.USER)) {
                // Implied already; spelled out so the staff index (V5__user_search.sql) applies.
                where.append(" and roles <> '").append(Roles.USER).append("'");
            }
        }
        if (mfa != null) {
            where.append(" and mfa_enabled = :mfa");
        }
        if (verified != null) {
            where.append(" and email_verified = :verified");
        }
        if (createdFrom != null) {
            where.append(" and created_at >= :createdFrom");
        }
        if (createdTo != null) {
            where.append(" and created_at < :createdTo");
        }
        return where.toString();
    }

    /** The whole page query: filters, the cursor, the order, one row more than the page. */
    public String pageSql() {
        String column = sort.column;
        String cast = sort == Sort.CREATED_AT ? "cast(:cv as timestamptz)" : ":cv";
        String op = descending ? "<" : ">";
        String dir = descending ? " desc" : "";
        String where = filterSql();
        if (after != null) {
            where += " and (" + column + " " + op + " " + cast + " or (" + column + " = " + cast + " and id " + op
                    + " :cid))";
        }
        return "select * from app_user where " + where + " order by " + column + dir + ", id" + dir + " limit "
                + (limit + 1);
    }

    /** The LIKE pattern for the email filter, with the user's % and _ taken literally. */
    public String likePattern() {
        return "%" + emailContains.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    public static String encode(String value, UUID id) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    JSON.writeValueAsBytes(Map.of("v", value, "id", id.toString())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Cursor decode(String cursor) {
        try {
            Map<?, ?> map = JSON.readValue(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8),
                    Map.class);
            String value = (String) map.get("v");
            UUID id = UUID.fromString((String) map.get("id"));
            return value == null ? null : new Cursor(value, id);
        } catch (Exception malformed) {
            return null;
        }
    }

    private static Boolean flag(String value) {
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** An RFC 3339 time with an offset ({@code Z} or {@code +02:00}), or null. */
    private static Instant instant(String value) {
        try {
            return value.length() <= 40 ? java.time.OffsetDateTime.parse(value).toInstant() : null;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static boolean isInstant(String value) {
        try {
            Instant.parse(value);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** The sort value of a row, as the cursor keeps it. */
    public static String sortValue(Sort sort, String email, Instant createdAt) {
        return sort == Sort.EMAIL ? email.toLowerCase(Locale.ROOT) : createdAt.toString();
    }
}

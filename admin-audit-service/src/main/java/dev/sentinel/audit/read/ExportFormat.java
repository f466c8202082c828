package dev.sentinel.audit.read;

import dev.sentinel.contracts.problem.ProblemException;

import java.util.List;

/**
 * The two export formats and how one row is written in each. CSV is RFC 4180 (comma, CRLF,
 * every cell holding a comma, quote, CR or LF quoted, quotes doubled), and a cell that begins
 * with {@code = + - @}, tab or CR gets a leading apostrophe so no spreadsheet reads it as a
 * formula (OWASP CSV injection). Plain rules; no Quarkus.
 */
public enum ExportFormat {
    CSV("text/csv; charset=utf-8", "csv"),
    JSONL("application/x-ndjson", "jsonl");

    /** The CSV columns, in order. */
    public static final List<String> CSV_COLUMNS = List.of("seq", "leafHash", "id", "type", "time", "source", "subject",
            "actor", "outcome", "ip", "userAgent", "traceId", "data", "personalDataErased", "purged");

    private final String mediaType;
    private final String extension;

    ExportFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /**
     * Whether an {@code Accept} header lets this format be sent: absent or blank, or naming this
     * type, its {@code type/*} or {@code *}{@code /*} with a q above 0 (RFC 9110 §12.5.1). Entries that
     * do not parse are skipped, so a header of nothing but garbage accepts nothing.
     */
    public boolean acceptedBy(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        String type = mediaType.split(";")[0].trim();
        String major = type.substring(0, type.indexOf('/'));
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String name = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (!(name.equals("*/*") || name.equals(major + "/*") || name.equals(type)) || !positive(parts)) {
                continue;
            }
            return true;
        }
        return false;
    }

    private static boolean positive(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String[] pair = parameters[i].split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("q")) {
                try {
                    return Double.parseDouble(pair[1].trim()) > 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return true;
    }

    public String fileName() {
        return "audit-log." + extension;
    }

    public static ExportFormat parse(String format) {
        if ("csv".equals(format)) {
            return CSV;
        }
        if ("jsonl".equals(format)) {
            return JSONL;
        }
        throw ProblemException.invalidField("Bad format.", "format", List.of("must be csv or jsonl"));
    }

    /** One CSV record of these cells, CRLF-terminated. */
    public static String csvRecord(List<String> cells) {
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(csvCell(cells.get(i)));
        }
        return line.append("\r\n").toString();
    }

    /** One cell: neutralised, then quoted when RFC 4180 needs it; null is the empty cell. */
    public static String csvCell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String cell = neutralised(value);
        boolean quote = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\r') >= 0 || cell.indexOf('\n') >= 0;
        return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    /** A value a spreadsheet would take for a formula, with an apostrophe before it. */
    static String neutralised(String value) {
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }
}

package dev.sentinel.audit.tree;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One audit row as stored, which is what its leaf covers: personal fields ({@code ip},
 * {@code userAgent}, emails inside {@code data}) are already ciphertext here.
 *
 * @param time the event time in the fixed form {@link #TIME} (UTC, microseconds), as PostgreSQL keeps it
 * @param data the exact JSON text stored, or null
 */
public record AuditRow(long seq, String id, String type, String time, String source, String subject,
        String actor, String outcome, byte[] ip, byte[] userAgent, String traceId, String data) {

    /** The one text form of a row's time, in Java and in SQL ({@code to_char(..., 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')}). */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The SQL expression that reads a row's time in the {@link #TIME} form. */
    public static final String SQL_TIME = "to_char(time at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

    public static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /** The leaf hash: SHA-256(0x00 ‖ {@link LeafCodec#canonical canonical bytes}). */
    public byte[] leafHash() {
        return Merkle.leafHash(LeafCodec.canonical(this));
    }
}

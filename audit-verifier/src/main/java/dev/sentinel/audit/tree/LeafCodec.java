package dev.sentinel.audit.tree;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The canonical bytes of a row, version 1 (the module README specifies them for the offline
 * verifier): the ASCII magic {@code SAL1}, then twelve fields in this order — seq, id, type,
 * time, source, subject, actor, outcome, ip, userAgent, traceId, data — each written as
 * {@code 0x00} when absent, or {@code 0x01}, its length as a 4-byte big-endian unsigned
 * integer, and its bytes. seq is its 8-byte big-endian value; ip and userAgent are their
 * ciphertext bytes; every other field is its UTF-8 text.
 */
public final class LeafCodec {

    static final byte[] MAGIC = "SAL1".getBytes(StandardCharsets.US_ASCII);

    private LeafCodec() {
    }

    public static byte[] canonical(AuditRow row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(MAGIC);
        field(out, ByteBuffer.allocate(8).putLong(row.seq()).array());
        field(out, row.id());
        field(out, row.type());
        field(out, row.time());
        field(out, row.source());
        field(out, row.subject());
        field(out, row.actor());
        field(out, row.outcome());
        field(out, row.ip());
        field(out, row.userAgent());
        field(out, row.traceId());
        field(out, row.data());
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        field(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(ByteArrayOutputStream out, byte[] value) {
        if (value == null) {
            out.write(0x00);
            return;
        }
        out.write(0x01);
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
    }
}

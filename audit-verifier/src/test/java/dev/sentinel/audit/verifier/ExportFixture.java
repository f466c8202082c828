package dev.sentinel.audit.verifier;

import dev.sentinel.audit.tree.AuditRow;
import dev.sentinel.audit.tree.Frontier;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Writes an export in the form admin-audit-service writes it (the same field order, nulls written, emails in
 * {@code data} sealed as {@code enc:v1:…}), a checkpoint note signed with a test Ed25519 key, and its verifier
 * key — without the service, for the fuzz test and the benchmark. It records the byte ranges whose content the
 * leaves do not cover (opened ip, user agent and email texts; a purged row's id, type, time and source).
 */
final class ExportFixture {

    static final String ORIGIN = "sentinel.test/audit";

    final Path export;
    final Path note;
    final Path key;
    /** [start, end) byte ranges of the export an edit of which no offline check can see. */
    final List<long[]> uncovered = new ArrayList<>();
    final List<Long> lineStarts = new ArrayList<>();
    long rows;

    private final KeyPair pair;

    ExportFixture(Path dir, long seed) {
        this.export = dir.resolve("rows.jsonl");
        this.note = dir.resolve("note.txt");
        this.key = dir.resolve("key.txt");
        this.pair = keyPair(seed);
    }

    /** Writes {@code count} rows and a checkpoint of {@code signed} of them. */
    ExportFixture write(long count, long signed, Random random) throws IOException {
        Frontier frontier = Frontier.empty();
        byte[] signedRoot = null;
        long position = 0;
        try (BufferedWriter out = Files.newBufferedWriter(export, StandardCharsets.UTF_8)) {
            for (long seq = 0; seq < count; seq++) {
                if (seq == signed) {
                    signedRoot = frontier.root();
                }
                Line line = line(seq, random);
                lineStarts.add(position);
                for (long[] span : line.uncovered) {
                    uncovered.add(new long[] {position + span[0], position + span[1]});
                }
                out.write(line.text);
                out.write('\n');
                position += line.text.getBytes(StandardCharsets.UTF_8).length + 1;
                frontier.append(line.leaf);
            }
        }
        if (signedRoot == null) {
            signedRoot = frontier.root();
        }
        rows = count;
        Files.writeString(note, sign(signed, signedRoot), StandardCharsets.UTF_8);
        Files.writeString(key, verifierKey(), StandardCharsets.UTF_8);
        return this;
    }

    private record Line(String text, byte[] leaf, List<long[]> uncovered) {
    }

    /** One line, built from pieces so the uncovered values' byte ranges are known. */
    private Line line(long seq, Random random) {
        boolean purged = seq % 11 == 5;
        boolean personal = seq % 3 != 0;
        String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        String type = seq % 2 == 0 ? "auth.login_succeeded" : "account.plan_changed";
        String time = String.format("2026-11-%02dT10:%02d:%02d.%06dZ", 1 + seq % 28, seq % 60, (seq / 60) % 60, seq % 1_000_000);
        String source = seq % 2 == 0 ? "auth-service" : "account-service";
        String subject = "user-" + (seq % 97);
        byte[] ip = personal ? bytes(random, 41) : null;
        byte[] userAgent = personal ? bytes(random, 60) : null;
        String sealedEmail = "enc:v1:" + Base64.getEncoder().encodeToString(bytes(random, 45));
        String data = personal ? "{\"email\":\"" + sealedEmail + "\",\"method\":\"password\",\"n\":" + seq + "}"
                : "{\"plan\":\"PRO\",\"caps\":[1,2.5,true,null]}";
        Builder b = new Builder();
        b.raw("{\"seq\":" + seq + ",\"leafHash\":\"");
        byte[] leaf;
        if (purged) {
            leaf = new AuditRow(seq, id, type, time, source, subject, subject, "success", ip, userAgent, null, data).leafHash();
            b.raw(HexFormat.of().formatHex(leaf) + "\",\"id\":\"").open(id).raw("\",\"type\":\"").open(type)
                    .raw("\",\"time\":\"").open(time).raw("\",\"source\":\"").open(source)
                    .raw("\",\"subject\":null,\"actor\":null,\"outcome\":null,\"ip\":null,\"userAgent\":null,\"traceId\":null,"
                            + "\"data\":null,\"personalDataErased\":false,\"purged\":true,\"sealed\":{\"ip\":null,\"userAgent\":null,\"data\":null}}");
            return new Line(b.text.toString(), leaf, b.spans);
        }
        String traceId = seq % 4 == 0 ? null : "ab".repeat(16);
        leaf = new AuditRow(seq, id, type, time, source, subject, subject, "success", ip, userAgent, traceId, data).leafHash();
        b.raw(HexFormat.of().formatHex(leaf) + "\",\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"time\":\"" + time
                + "\",\"source\":\"" + source + "\",\"subject\":\"" + subject + "\",\"actor\":\"" + subject
                + "\",\"outcome\":\"success\",\"ip\":");
        if (personal) {
            b.raw("\"").open("203.0.113." + (seq % 250)).raw("\",\"userAgent\":\"").open("Mozilla/5.0 (\u00e9 test " + seq + ")")
                    .raw("\",");
        } else {
            b.raw("null,\"userAgent\":null,");
        }
        b.raw("\"traceId\":" + (traceId == null ? "null" : "\"" + traceId + "\"") + ",\"data\":");
        if (personal) {
            b.raw("{\"email\":\"").open("u" + seq + "@example.test").raw("\",\"method\":\"password\",\"n\":" + seq + "}");
        } else {
            b.raw("{\"plan\":\"PRO\",\"caps\":[1,2.5,true,null]}");
        }
        b.raw(",\"personalDataErased\":false,\"purged\":false,\"sealed\":{\"ip\":"
                + (ip == null ? "null" : "\"" + Base64.getEncoder().encodeToString(ip) + "\"") + ",\"userAgent\":"
                + (userAgent == null ? "null" : "\"" + Base64.getEncoder().encodeToString(userAgent) + "\"") + ",\"data\":\""
                + data.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}");
        return new Line(b.text.toString(), leaf, b.spans);
    }

    /** A line's text with the byte ranges of its uncovered values. */
    private static final class Builder {
        final StringBuilder text = new StringBuilder();
        final List<long[]> spans = new ArrayList<>();
        long bytes;

        Builder raw(String part) {
            text.append(part);
            bytes += part.getBytes(StandardCharsets.UTF_8).length;
            return this;
        }

        Builder open(String value) {
            long start = bytes;
            raw(value);
            spans.add(new long[] {start, bytes});
            return this;
        }
    }

    boolean isUncovered(long position) {
        for (long[] span : uncovered) {
            if (position >= span[0] && position < span[1]) {
                return true;
            }
        }
        return false;
    }

    String sign(long size, byte[] root) {
        String text = ORIGIN + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(pair.getPrivate());
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] signature = signer.sign();
            byte[] line = ByteBuffer.allocate(68).put(NoteKey.keyId(ORIGIN, raw())).put(signature).array();
            return text + "\n\u2014 " + ORIGIN + " " + Base64.getEncoder().encodeToString(line) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String verifierKey() {
        byte[] typed = new byte[33];
        typed[0] = 1;
        System.arraycopy(raw(), 0, typed, 1, 32);
        return ORIGIN + "+" + HexFormat.of().formatHex(NoteKey.keyId(ORIGIN, raw())) + "+" + Base64.getEncoder().encodeToString(typed) + "\n";
    }

    private byte[] raw() {
        byte[] encoded = pair.getPublic().getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A key pair from a seed (the JDK derives the key from the 32 random bytes it draws). */
    static KeyPair keyPair(long seed) {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] out) {
                    System.arraycopy(bytes, 0, out, 0, Math.min(out.length, bytes.length));
                }
            });
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

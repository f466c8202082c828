package dev.sentinel.audit.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a file line by line in bounded memory: every line must end in {@code \n} and be valid
 * UTF-8 of at most {@link #MAX_LINE} bytes; only the current line is held.
 */
final class Lines {

    /** Far above any row: ingest bounds an event to 256 KB, and a line holds its data twice plus base64. */
    static final int MAX_LINE = 4 * 1024 * 1024;

    /** A line that breaks the rules, with its 1-based number. */
    static final class BadLine extends Exception {
        final long line;

        BadLine(long line, String message) {
            super(message);
            this.line = line;
        }
    }

    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkAt;
    private int chunkEnd;
    private byte[] line = new byte[4096];
    private long number;
    private long bytes;

    Lines(InputStream in) {
        this.in = in;
    }

    /** The next line without its {@code \n}, or null at the end of the file. */
    String next() throws IOException, BadLine {
        int length = 0;
        while (true) {
            if (chunkAt == chunkEnd) {
                chunkEnd = in.read(chunk);
                chunkAt = 0;
                if (chunkEnd <= 0) {
                    chunkEnd = 0;
                    if (length > 0) {
                        throw new BadLine(number + 1, "the last line does not end in a newline (a cut file?)");
                    }
                    return null;
                }
            }
            int start = chunkAt;
            int newline = -1;
            for (int i = chunkAt; i < chunkEnd; i++) {
                if (chunk[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline < 0 ? chunkEnd : newline;
            int add = end - start;
            if (length + add > MAX_LINE) {
                throw new BadLine(number + 1, "longer than " + MAX_LINE + " bytes");
            }
            if (length + add > line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(line.length * 2, length + add)));
            }
            System.arraycopy(chunk, start, line, length, add);
            length += add;
            chunkAt = newline < 0 ? chunkEnd : newline + 1;
            if (newline >= 0) {
                number++;
                bytes += length + 1;
                String text = utf8(line, length);
                if (text == null) {
                    throw new BadLine(number, "not valid UTF-8");
                }
                if (line.length > 1 << 20) {
                    line = new byte[4096]; // give back the memory of one huge line
                }
                return text;
            }
        }
    }

    long number() {
        return number;
    }

    long bytes() {
        return bytes;
    }

    /** The text of a small file, or "" when it is not UTF-8 (which the caller then refuses as malformed). */
    static String utf8OrEmpty(byte[] bytes) {
        String text = utf8(bytes);
        return text == null ? "" : text;
    }

    static String utf8(byte[] bytes) {
        return utf8(bytes, bytes.length);
    }

    /** Strict UTF-8 (no malformed or overlong sequences, no lone surrogates), or null. */
    static String utf8(byte[] bytes, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

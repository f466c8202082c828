package dev.sentinel.contracts.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes no well-behaved HTTP client would (over-long lines, huge headers, garbage) to a
 * local server and reads what comes back until the server closes the connection.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Writes {@code request} to 127.0.0.1:{@code port}; reads the answer until close (at most 10 s). */
    public static Answer send(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException refusedMidway) {
                // The server may answer and close before it has read all we send: read the answer.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean closed;
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException reset) {
                closed = false; // reset, not closed cleanly
            }
            return Answer.parse(received.toString(StandardCharsets.UTF_8), closed);
        }
    }

    /** The status, headers (names in lower case) and body of an answer, and whether the server closed the connection cleanly (end of stream, no reset). */
    public record Answer(int status, Map<String, String> headers, String body, boolean closed, String raw) {

        static Answer parse(String raw, boolean closed) {
            int end = raw.indexOf("\r\n\r\n");
            if (end < 0) {
                return new Answer(-1, Map.of(), "", closed, raw);
            }
            String[] lines = raw.substring(0, end).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            return new Answer(Integer.parseInt(statusLine[1]), headers, raw.substring(end + 4), closed, raw);
        }
    }
}

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The local mail capture, readable in a browser: a page on 127.0.0.1 that lists what the SMTP
 * capture (GreenMail) received for an address, newest first, with each mail's text and its
 * links clickable; and {@code /latest.txt?to=ADDRESS&wait=SECONDS} for scripts and the README
 * walkthrough (the newest mail's text, waiting for one to arrive).
 *
 * It reads over GreenMail's IMAP (login = the address, any password) with the Jakarta Mail that
 * GreenMail's standalone jar bundles; GreenMail's own HTTP API serves raw MIME and a page whose
 * viewer loads from a CDN this machine cannot reach. `deploy/local/sentinel up` runs it as
 *
 *   java -cp greenmail-standalone.jar deploy/local/MailView.java HTTP_PORT IMAP_PORT
 */
public class MailView {

    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>\"'&]{1,64}@[^\\s@<>\"'&]{1,190}");
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+");
    private static final int MAX_MAILS = 50;
    private static final int MAX_WAIT_SECONDS = 60;

    record Mail(String from, String subject, String date, String text) {
    }

    private static int imapPort;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: MailView HTTP_PORT IMAP_PORT");
            System.exit(2);
        }
        imapPort = Integer.parseInt(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 16);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", MailView::handle);
        server.start();
        System.out.println("mail view on http://127.0.0.1:" + args[0] + "/ (IMAP 127.0.0.1:" + imapPort + ")");
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String to = query.getOrDefault("to", "");
            if (!to.isEmpty() && !ADDRESS.matcher(to).matches()) {
                send(exchange, 400, "text/plain", "not an email address: use ?to=someone@example.test\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/" -> send(exchange, 200, "text/html", page(to, to.isEmpty() ? List.of() : mails(to)));
                case "/latest.txt" -> latest(exchange, to, query.getOrDefault("wait", "0"));
                default -> send(exchange, 404, "text/plain", "not found\n");
            }
        } catch (IllegalArgumentException e) {
            send(exchange, 400, "text/plain", "malformed query\n");
        } catch (MessagingException e) {
            send(exchange, 503, "text/plain", "the mail capture (IMAP 127.0.0.1:" + imapPort + ") does not answer: "
                    + e.getMessage() + "\n");
        }
    }

    private static void latest(HttpExchange exchange, String to, String wait) throws IOException, MessagingException {
        if (to.isEmpty() || !wait.matches("\\d{1,2}") || Integer.parseInt(wait) > MAX_WAIT_SECONDS) {
            send(exchange, 400, "text/plain", "use /latest.txt?to=ADDRESS&wait=SECONDS (0-" + MAX_WAIT_SECONDS + ")\n");
            return;
        }
        long deadline = System.nanoTime() + Integer.parseInt(wait) * 1_000_000_000L;
        List<Mail> mails = mails(to);
        while (mails.isEmpty() && System.nanoTime() < deadline) {
            sleep();
            mails = mails(to);
        }
        if (mails.isEmpty()) {
            send(exchange, 404, "text/plain", "no mail for " + to + "\n");
            return;
        }
        Mail newest = mails.get(0);
        send(exchange, 200, "text/plain", "Subject: " + newest.subject() + "\n\n" + newest.text());
    }

    /** The address's mails, newest first (at most {@link #MAX_MAILS}), lines ending in LF (a script's grep would keep a CR in a link). */
    private static List<Mail> mails(String address) throws MessagingException, IOException {
        Properties props = new Properties();
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", String.valueOf(imapPort));
        props.put("mail.imap.connectiontimeout", "3000");
        props.put("mail.imap.timeout", "5000");
        try (Store store = Session.getInstance(props).getStore("imap")) {
            store.connect(address, "any");
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                Message[] all = inbox.getMessages();
                List<Mail> mails = new ArrayList<>();
                for (int i = all.length - 1; i >= 0 && mails.size() < MAX_MAILS; i--) {
                    Message m = all[i];
                    mails.add(new Mail(m.getFrom() == null ? "" : m.getFrom()[0].toString(),
                            m.getSubject() == null ? "" : m.getSubject(),
                            m.getSentDate() == null ? "" : m.getSentDate().toInstant().toString(),
                            text(m).replace("\r\n", "\n")));
                }
                return mails;
            } finally {
                inbox.close(false);
            }
        }
    }

    /** The plain-text part, else the HTML part without its tags. */
    private static String text(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/plain")) {
            return (String) part.getContent();
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multi = (Multipart) part.getContent();
            String html = null;
            for (int i = 0; i < multi.getCount(); i++) {
                Part child = multi.getBodyPart(i);
                if (child.isMimeType("text/plain") || child.isMimeType("multipart/*")) {
                    String text = text(child);
                    if (!text.isEmpty()) {
                        return text;
                    }
                } else if (child.isMimeType("text/html")) {
                    html = (String) child.getContent();
                }
            }
            return html == null ? "" : html.replaceAll("<[^>]*>", " ").replaceAll("[ \\t]+", " ");
        }
        return part.isMimeType("text/html") ? ((String) part.getContent()).replaceAll("<[^>]*>", " ") : "";
    }

    private static String page(String to, List<Mail> mails) {
        StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Sentinel local mail</title><style>body{font-family:sans-serif;margin:2em;max-width:60em}"
                + "article{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0}"
                + "pre{white-space:pre-wrap}small{color:#666}</style></head><body><h1>Local mail</h1>"
                + "<form><label>Recipient <input name=\"to\" size=\"40\" value=\"" + escape(to)
                + "\" placeholder=\"someone@example.test\"></label> <button>Show</button></form>");
        if (!to.isEmpty()) {
            html.append("<p>").append(mails.size()).append(" mail(s) for ").append(escape(to)).append(", newest first.</p>");
        }
        for (Mail mail : mails) {
            html.append("<article><h2>").append(escape(mail.subject())).append("</h2><small>from ")
                    .append(escape(mail.from())).append(" · ").append(escape(mail.date())).append("</small><pre>")
                    .append(URL.matcher(escape(mail.text())).replaceAll("<a href=\"$0\">$0</a>"))
                    .append("</pre></article>");
        }
        return html.append("</body></html>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).trim());
                }
            }
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.sentinel.contracts.testing;

import jakarta.mail.BodyPart;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;

import org.eclipse.angus.mail.imap.IMAPFolder;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Reads what the local mail server received for an address, over IMAP on 127.0.0.1:3143 (login = the
 * address, any password). Used by notification-service's tests and by the system tests.
 */
public final class Mailbox {

    public static final String EVENT_ID_HEADER = "X-Sentinel-Event-Id";

    /** One received mail. */
    public record Received(String eventId, String subject, String html, String text) {
    }

    private Mailbox() {
    }

    /** How many mails the address has (cheap: no message is fetched). */
    public static int count(String address) {
        try (Store store = connect(address)) {
            Folder inbox = store.getFolder("INBOX");
            return inbox.exists() ? inbox.getMessageCount() : 0;
        } catch (MessagingException e) {
            throw new IllegalStateException("IMAP count failed for " + address, e);
        }
    }

    private static Store connect(String address) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "5000");
        props.put("mail.imap.timeout", "5000");
        Store store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", 3143, address, "any");
        return store;
    }

    public static List<Received> read(String address) {
        try (Store store = connect(address)) {
            Folder inbox = store.getFolder("INBOX");
            if (!inbox.exists()) {
                return List.of();
            }
            inbox.open(Folder.READ_ONLY);
            try {
                List<Received> received = new ArrayList<>();
                Message[] messages = inbox.getMessages();
                FetchProfile whole = new FetchProfile();
                whole.add(IMAPFolder.FetchProfileItem.MESSAGE);
                inbox.fetch(messages, whole);
                for (Message message : messages) {
                    String[] ids = message.getHeader(EVENT_ID_HEADER);
                    Parts parts = new Parts();
                    parts.collect(message);
                    received.add(new Received(ids == null ? null : ids[0], message.getSubject(), parts.html, parts.text));
                }
                return received;
            } finally {
                inbox.close(false);
            }
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("IMAP read failed for " + address, e);
        }
    }

    /** Waits until at least {@code count} mails are in, then {@code settle} more for any extra one. */
    public static List<Received> await(String address, int count, Duration timeout, Duration settle) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (countOrNone(address) < count && System.nanoTime() < deadline) {
            sleep(200);
        }
        if (!settle.isZero()) {
            sleep(settle.toMillis());
        }
        return read(address);
    }

    /**
     * Waits until a mail to {@code address} matches {@code which} and answers the newest one that
     * does; fails after {@code timeout}, naming what the mailbox held.
     */
    public static Received awaitNewest(String address, Predicate<Received> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> held = List.of();
        while (true) {
            try {
                held = read(address);
            } catch (IllegalStateException serverAway) {
                // the server may be restarting after an outage test: try again
            }
            for (int i = held.size() - 1; i >= 0; i--) {
                if (which.test(held.get(i))) {
                    return held.get(i);
                }
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("no matching mail within " + timeout + "; the mailbox held "
                        + held.stream().map(Received::subject).toList());
            }
            sleep(200);
        }
    }

    /** The count, or -1 while the server does not answer (it may be restarting after an outage test). */
    private static int countOrNone(String address) {
        try {
            return count(address);
        } catch (IllegalStateException serverAway) {
            return -1;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class Parts {
        String html;
        String text;

        void collect(Part part) throws MessagingException, IOException {
            if (part.isMimeType("text/html")) {
                html = (String) part.getContent();
            } else if (part.isMimeType("text/plain")) {
                text = (String) part.getContent();
            } else if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart body = multipart.getBodyPart(i);
                    collect(body);
                }
            }
        }
    }
}

package dev.sentinel.notification.support;

import dev.sentinel.contracts.testing.DependencyOutageContract.Proxies;
import dev.sentinel.contracts.testing.FaultProxy.Mode;

/**
 * The local SMTP server behind the test JVM's proxy ({@link Proxies#smtp()}, issue 17): a test
 * profile points the mailer at {@link #port()}, and the test takes the server away with
 * {@link #refuse()} and gives it back with {@link #forward()} — the shared server on :3025,
 * which other builds and a running {@code sentinel up} use, is never stopped.
 */
public final class SmtpProxy {

    private SmtpProxy() {
    }

    /** The proxy's port, starting it forwarding on first use. */
    public static int port() {
        String address = Proxies.smtp();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The server is down: open connections are dropped, new ones closed at once. */
    public static void refuse() {
        Proxies.smtp(Mode.REFUSE);
    }

    /** The server is back. */
    public static void forward() {
        Proxies.smtp(Mode.FORWARD);
    }
}

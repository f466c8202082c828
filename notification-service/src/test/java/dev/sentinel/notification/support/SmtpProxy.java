package dev.sentinel.notification.support;

import dev.sentinel.contracts.testing.FaultProxy;
import dev.sentinel.contracts.testing.FaultProxy.Mode;

/**
 * The local SMTP server behind a test-owned {@link FaultProxy} (issue 17): a test profile
 * points the mailer at {@link #port()}, and the test takes the server away with
 * {@link #refuse()} and gives it back with {@link #forward()} — the shared server on :3025,
 * which other builds and a running {@code sentinel up} use, is never stopped.
 *
 * <p>Quarkus may load this class more than once (the profile, the test and the application
 * each in their own class loader). There is one proxy per JVM all the same: the first copy
 * to ask starts it and leaves its port in a system property, the rest read it; the switch
 * is a system property too ({@link FaultProxy#controlledBy}).
 */
public final class SmtpProxy {

    private static final String CONTROL = "sentinel.test.smtp-proxy";
    private static final String PORT = CONTROL + ".port";
    private static final int SMTP_PORT = 3025;

    private SmtpProxy() {
    }

    /** The proxy's port, starting it forwarding on first use. */
    public static int port() {
        // The system properties' own lock: one object for every class loader of the JVM.
        synchronized (System.getProperties()) {
            String port = System.getProperty(PORT);
            if (port == null) {
                System.clearProperty(CONTROL);
                System.clearProperty(CONTROL + ".applied");
                port = Integer.toString(FaultProxy.start("127.0.0.1", SMTP_PORT, Mode.FORWARD).controlledBy(CONTROL).port());
                System.setProperty(PORT, port);
            }
            return Integer.parseInt(port);
        }
    }

    /** The server is down: open connections are dropped, new ones closed at once. */
    public static void refuse() {
        FaultProxy.switchTo(CONTROL, Mode.REFUSE);
    }

    /** The server is back. */
    public static void forward() {
        FaultProxy.switchTo(CONTROL, Mode.FORWARD);
    }
}

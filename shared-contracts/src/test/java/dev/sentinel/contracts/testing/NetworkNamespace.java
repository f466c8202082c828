package dev.sentinel.contracts.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own, joined to this host by a veth pair on a random /30
 * of 10.231.0.0/16: {@link #hostAddress()} on this side, {@link #clientAddress()} inside. A
 * service under test listens on every address in tests, so a request sent from inside
 * ({@link #curl}) reaches it from a peer that is neither loopback nor a trusted proxy.
 * Traffic only ever goes to the host side of this pair. Needs root and {@code ip netns};
 * without them the calling test is skipped, saying why. {@link #close()} removes both ends.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final String NAME = "sentinel-test";
    private static final String HOST_LINK = "sntl-h0";
    private static final String CLIENT_LINK = "sntl-c0";

    private final String hostAddress;
    private final String clientAddress;

    private NetworkNamespace(String hostAddress, String clientAddress) {
        this.hostAddress = hostAddress;
        this.clientAddress = clientAddress;
    }

    /** Creates the namespace, or skips the test when this machine cannot. */
    public static NetworkNamespace create() {
        Result probe = run(List.of("ip", "netns", "list"));
        Assumptions.assumeTrue(probe.exit() == 0,
                "ip netns is unavailable here (needs root and iproute2): " + probe.output());
        Result curl = run(List.of("curl", "--version"));
        Assumptions.assumeTrue(curl.exit() == 0, "curl is not installed: " + curl.output());
        removeLeftovers();
        int base = ThreadLocalRandom.current().nextInt(1, 255 * 64) * 4; // a /30 in 10.231.0.0/16
        String host = "10.231." + (base >> 8) + "." + ((base & 0xff) + 1);
        String client = "10.231." + (base >> 8) + "." + ((base & 0xff) + 2);
        NetworkNamespace ns = new NetworkNamespace(host, client);
        try {
            must("ip", "netns", "add", NAME);
            must("ip", "link", "add", HOST_LINK, "type", "veth", "peer", "name", CLIENT_LINK);
            must("ip", "link", "set", CLIENT_LINK, "netns", NAME);
            must("ip", "addr", "add", host + "/30", "dev", HOST_LINK);
            must("ip", "link", "set", HOST_LINK, "up");
            must("ip", "netns", "exec", NAME, "ip", "addr", "add", client + "/30", "dev", CLIENT_LINK);
            must("ip", "netns", "exec", NAME, "ip", "link", "set", CLIENT_LINK, "up");
            must("ip", "netns", "exec", NAME, "ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The address of this host on the pair: where a service listening on 0.0.0.0 is reached. */
    public String hostAddress() {
        return hostAddress;
    }

    /** The address requests from inside the namespace come from. */
    public String clientAddress() {
        return clientAddress;
    }

    /**
     * Runs curl inside the namespace with {@code args} (the URL among them); returns its exit
     * code and output. {@code -s -S -m 10} are added, so it never hangs a test.
     */
    public Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", NAME, "curl", "-s", "-S", "-m", "10"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** {@code http://<host address>:<port><path>}. */
    public String url(int port, String path) {
        return "http://" + hostAddress + ":" + port + path;
    }

    @Override
    public void close() {
        removeLeftovers();
    }

    private static void removeLeftovers() {
        run(List.of("ip", "link", "del", HOST_LINK)); // takes its peer along
        run(List.of("ip", "netns", "del", NAME));
    }

    private static void must(String... command) {
        Result result = run(List.of(command));
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
        }
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /** A command's exit code and its output (stdout and stderr together). */
    public record Result(int exit, String output) {
    }
}

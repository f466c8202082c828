package dev.sentinel.systemtests;

import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.SystemTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "first five minutes" block, run as it is written: through the gateway, reading
 * the mail from the mail view ({@code deploy/local/MailView.java}) as a newcomer would, and
 * finding the sign-up in the audit log as the admin. If the README goes stale, this fails.
 */
@SystemTest
class ReadmeWalkthroughIT {

    private static final Pattern BLOCK = Pattern.compile(
            "<!-- walkthrough:[^>]*-->\\s*```sh\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void theReadmeWalkthroughWorksAsWritten(Sentinel sentinel) throws Exception {
        Matcher block = BLOCK.matcher(Files.readString(sentinel.root().resolve("README.md")));
        assertTrue(block.find(), "README.md has no walkthrough block");
        String script = block.group(1);

        int mailPort = freePort();
        Path mailLog = Files.createTempFile("mailview", ".log");
        Process mailView = new ProcessBuilder("java", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                sentinel.root().resolve("deploy/local/MailView.java").toString(), String.valueOf(mailPort), "3143")
                .redirectErrorStream(true).redirectOutput(mailLog.toFile()).start();
        try {
            awaitListening(mailPort, mailView, mailLog);
            Path output = Files.createTempFile("walkthrough", ".out");
            ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                    .directory(sentinel.root().toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            bash.environment().put("SENTINEL", sentinel.gateway().url());
            bash.environment().put("MAIL", "http://127.0.0.1:" + mailPort);
            bash.environment().put("ADMIN_EMAIL", Sentinel.ADMIN_EMAIL);
            bash.environment().put("ADMIN_PASSWORD", sentinel.adminPassword());
            Process run = bash.start();
            boolean finished = run.waitFor(120, TimeUnit.SECONDS);
            if (!finished) {
                run.destroyForcibly();
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(finished, "the walkthrough did not finish in 120 s:\n" + printed);
            assertEquals(0, run.exitValue(), "the walkthrough failed:\n" + printed);

            List<String> lines = printed.lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"emailVerified\":true") && !l.contains("\"email\"")),
                    "the verification link verified: " + printed);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"emailVerified\":true") && l.contains("@example.test")),
                    "me shows the verified address: " + printed);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"user.registered\"") && l.contains("\"seq\"")),
                    "the audit log shows the sign-up: " + printed);
        } finally {
            mailView.destroy();
            mailView.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the mail view exited:\n" + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the mail view does not listen on " + port + ":\n" + Files.readString(log));
    }
}

package dev.sentinel.contracts.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real infrastructure that {@code deploy/local/sentinel infra} runs for the tests, and
 * the switch tests use to take a piece of it away for a while (a broker outage).
 */
public final class LocalInfra {

    public static final String KAFKA = "127.0.0.1:9092";
    public static final String REDIS = "127.0.0.1:6379";

    private LocalInfra() {
    }

    /** Runs {@code deploy/local/sentinel stop|start NAME} and fails the test if it fails. */
    public static void sentinel(String command, String name) {
        Path script = repoRoot().resolve("deploy/local/sentinel");
        try {
            // Output goes through this JVM's System.out (the surefire channel), never straight
            // to the inherited descriptor.
            // A file, not a pipe: a server started in the background keeps no pipe of ours open.
            Path log = Files.createTempFile("sentinel-" + command + "-" + name, ".log");
            Process process = new ProcessBuilder(script.toString(), command, name)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(180, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            System.out.print(output);
            if (!finished || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("sentinel " + command + " " + name + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("deploy/local/sentinel"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("deploy/local/sentinel not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}

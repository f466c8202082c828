package dev.sentinel.systemtests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The npm tools and the browser that {@code deploy/local/sentinel test} installs (pinned, in the
 * state folder: {@code deploy/local/lib/test.sh} {@code ensure_redocly}, {@code ensure_playwright},
 * {@code ensure_chromium}), and a runner for {@code system-tests/browser/browser.cjs}: headless
 * Debian Chromium driven by playwright-core, which never downloads a browser.
 */
public final class NodeTools {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Debian's package; the script launches it by this path. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private NodeTools() {
    }

    /** The state folder ({@code SENTINEL_STATE_DIR}, else {@code deploy/local/.state}). */
    public static Path state(Path root) {
        String state = System.getenv("SENTINEL_STATE_DIR");
        return state == null || state.isBlank() ? root.resolve("deploy/local/.state") : Path.of(state);
    }

    /** Redocly CLI's binary. */
    public static Path redocly(Path root) {
        return installed(state(root).resolve("node/redocly/node_modules/.bin/redocly"), "Redocly CLI");
    }

    /** The playwright-core package folder (what {@code require} loads). */
    public static Path playwrightCore(Path root) {
        Path dir = state(root).resolve("node/playwright/node_modules/playwright-core");
        installed(dir.resolve("package.json"), "playwright-core");
        installed(CHROMIUM, "Chromium (Debian package chromium)");
        return dir;
    }

    private static Path installed(Path path, String what) {
        if (!Files.exists(path)) {
            throw new AssertionError(what + " is not installed at " + path
                    + ": run deploy/local/sentinel test (it installs it)");
        }
        return path;
    }

    /**
     * Runs {@code node browser.cjs args...}. Each JSON line it prints goes to {@code onEvent}; a
     * non-null answer is written back as one line on its stdin. Returns the final
     * {@code {"event":"result"}} object; fails on {@code {"event":"error"}}, a non-zero exit or
     * after {@code timeout}. Its stderr goes to {@code log}.
     */
    public static JsonNode browser(Path root, Path log, Duration timeout, Function<JsonNode, String> onEvent,
            String... args) {
        List<String> command = new ArrayList<>(List.of("node", root.resolve("system-tests/browser/browser.cjs").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PLAYWRIGHT_CORE", playwrightCore(root).toString());
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        env.put("CHROMIUM", CHROMIUM.toString());
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            // The script has its own watchdog (shorter than ours); this guards against a hung node.
            Thread killer = new Thread(() -> {
                try {
                    if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly();
                    }
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "browser-watchdog");
            killer.setDaemon(true);
            killer.start();
            JsonNode result = null;
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode event;
                try {
                    event = JSON.readTree(line);
                } catch (IOException notJson) {
                    throw new AssertionError("browser.cjs printed a line that is not JSON: " + line);
                }
                String kind = event.path("event").asText();
                if ("error".equals(kind)) {
                    throw new AssertionError("browser.cjs failed: " + event.path("message").asText()
                            + "\n(stderr in " + log + ")");
                }
                if ("result".equals(kind)) {
                    result = event;
                    continue;
                }
                String answer = onEvent.apply(event);
                if (answer != null) {
                    in.write(answer + "\n");
                    in.flush();
                }
            }
            if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("browser.cjs did not end within " + timeout);
            }
            killer.interrupt();
            if (process.exitValue() != 0 || result == null) {
                throw new AssertionError("browser.cjs exited with " + process.exitValue() + " and no result"
                        + " (stderr in " + log + ")");
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }
}

package dev.sentinel.contracts.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the shared HTTP edge logs (requests it refused, with their client address)
 * while a test runs, from the service running in the same JVM. Close it to stop listening.
 */
public final class EdgeLog extends Handler implements AutoCloseable {

    private static final String CATEGORY = "dev.sentinel.contracts.web.HttpEdge";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(CATEGORY);

    private EdgeLog() {
    }

    public static EdgeLog listen() {
        EdgeLog log = new EdgeLog();
        log.logger.addHandler(log);
        return log;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}

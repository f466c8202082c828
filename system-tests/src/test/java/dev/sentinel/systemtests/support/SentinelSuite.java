package dev.sentinel.systemtests.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the {@link Sentinel} suite the first time a {@link SystemTest} class runs in this JVM
 * and keeps it for every later one; JUnit closes it (stops the services) when the whole run
 * ends, passed or failed. A start that failed is not tried again: every later class fails
 * at once with the same cause. Resolves {@link Sentinel} parameters.
 */
public final class SentinelSuite implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SentinelSuite.class);

    private static Sentinel running;
    private static RuntimeException failedStart;

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Sentinel.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context);
    }

    private static synchronized Sentinel running(ExtensionContext context) {
        if (failedStart != null) {
            throw new IllegalStateException("The system-test suite did not start (first failure follows)", failedStart);
        }
        if (running == null) {
            try {
                running = Sentinel.start();
            } catch (RuntimeException e) {
                failedStart = e;
                throw e;
            }
            // The root store is closed after the last test class of the run.
            context.getRoot().getStore(NAMESPACE).put(Sentinel.class, running);
        }
        return running;
    }
}

package dev.sentinel.auth.web;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * Runs CPU-heavy work (password hashing, ES256 signing) on a worker executor and resumes on
 * the caller's Vert.x context, so the event loop is never held and reactive database work
 * can continue after it. A full executor fails the Uni with its RejectedExecutionException.
 */
public final class OffEventLoop {

    private OffEventLoop() {
    }

    public static <T> Uni<T> run(Executor executor, Callable<T> work) {
        Context caller = Vertx.currentContext();
        return Uni.createFrom().emitter(emitter -> executor.execute(() -> {
            try {
                T result = work.call();
                resume(caller, () -> emitter.complete(result));
            } catch (Exception e) {
                resume(caller, () -> emitter.fail(e));
            }
        }));
    }

    private static void resume(Context caller, Runnable action) {
        if (caller != null) {
            caller.runOnContext(ignored -> action.run());
        } else {
            action.run();
        }
    }
}

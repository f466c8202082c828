package dev.sentinel.contracts.web;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Detaches the {@code Uni} a {@link CompletesOnHangUp} method returns from its subscriber's
 * cancellation: the work is subscribed on its own, on the request's thread and Vert.x context
 * (so the reactive session of the request is the one it uses), and the outcome is handed to
 * the caller if the caller is still there.
 */
@CompletesOnHangUp
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class CompletesOnHangUpInterceptor {

    @AroundInvoke
    Object detach(InvocationContext invocation) throws Exception {
        Object result = invocation.proceed();
        return result instanceof Uni<?> work ? toCompletion(work) : result;
    }

    /** {@code work}, run to its end whatever happens to the subscription of the returned Uni. */
    static <T> Uni<T> toCompletion(Uni<T> work) {
        return Uni.createFrom().emitter(emitter -> work.subscribe().with(emitter::complete, emitter::fail));
    }
}

package dev.sentinel.contracts.web;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource (class or method): the work a request started runs to its end even when the
 * client hangs up. Without it, a closed connection cancels the request's {@code Uni} and
 * Hibernate Reactive's session is closed under a query still in flight ("Session is closed",
 * "HR000090: Live transaction detected while closing the connection"): a transaction must
 * commit or roll back on its own terms, not be cut off by a vanished client. The answer to a
 * client that is gone is simply dropped. See {@link CompletesOnHangUpInterceptor}.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface CompletesOnHangUp {
}

package dev.sentinel.systemtests.support;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a system test: a class named {@code *IT} that drives the running suite. Its test
 * methods (and constructor, or {@code @BeforeAll} methods) may take a {@link Sentinel}
 * parameter; the four services are started once for all such classes of the JVM.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SentinelSuite.class)
public @interface SystemTest {
}

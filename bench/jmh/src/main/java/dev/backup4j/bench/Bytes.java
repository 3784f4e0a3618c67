package dev.backup4j.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bytes of input one invocation of a {@code @Benchmark} method processes; {@link Report} turns JMH's ops/s into
 * MB/s (10^6 bytes per second) with it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Bytes {
    long value();
}

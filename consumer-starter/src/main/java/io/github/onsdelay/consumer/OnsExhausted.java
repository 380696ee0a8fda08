package io.github.onsdelay.consumer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks the method, on the same bean as an {@link OnsListener}, that runs once when a message of that
 * listener is exhausted: its retries are used up, or its body could not be read. It takes one
 * {@link Exhaustion} and returns nothing; it may block. It takes precedence over an {@link ExhaustionHandler}
 * bean.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface OnsExhausted {

    /** Groups whose listeners on this bean it serves; every listener of the bean when empty. */
    String[] groups() default {};

}

package org.nabla.autograph;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts a method, or every method of a class, out of AutoGraph (TensorFlow's
 * {@code tf.autograph.experimental.do_not_convert}): given to {@link AutoGraph} or called from converted code, it
 * runs as written, so its Java control flow runs once while tracing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface DoNotConvert {}

/**
 * AutoGraph for Java: {@link org.nabla.autograph.AutoGraph} rewrites the bytecode of a traced method or lambda (the
 * JDK's ClassFile API) so that {@code if}, {@code while}, {@code do}/{@code while} and {@code for} on
 * {@code Tensor.booleanValue()} (with {@code &&}, {@code ||}, {@code ?:}, break, continue and return) become Cond and
 * While nodes, and a {@code switch} on {@code Tensor.intValue()} a Case node, when traced, and run as written
 * eagerly. Internals: {@code ConvertedMethods} finds and loads the converted code, {@code ConvertedClass} and
 * {@code Converter} write it (reading javac's patterns with {@code CodeShapes} over a {@code MethodBody}),
 * {@code AutoGraphRuntime} runs each converted construct ({@code Loops} the loops, {@code LoopReturns} the returns
 * inside them).
 */
package org.nabla.autograph;

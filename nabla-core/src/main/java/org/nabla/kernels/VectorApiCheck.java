package org.nabla.kernels;

/**
 * Checks, before any kernel class is loaded, that the JVM was started with the Vector API's incubator module, so a
 * missing flag is reported as what it is rather than as a {@code NoClassDefFoundError} out of {@code ServiceLoader}.
 */
final class VectorApiCheck {
    static final String MODULE = "jdk.incubator.vector";

    /** What to do, for every way a program is started; the same text as docs/use-as-library.md. */
    static final String MESSAGE = "Nabla's CPU kernels use the Java Vector API, the incubator module " + MODULE
            + ", which this JVM was started without. Add --add-modules " + MODULE + " to the java command line"
            + " (java --add-modules " + MODULE + " -cp ... Main; Maven Surefire: <argLine>--add-modules " + MODULE
            + "</argLine>; exec:java: MAVEN_OPTS=\"--add-modules " + MODULE + "\" or a line in .mvn/jvm.config;"
            + " an IDE: the run configuration's VM options). See docs/use-as-library.md in Nabla's repository.";

    private VectorApiCheck() {}

    /** Throws {@link IllegalStateException} naming the flag when the module is not in the boot layer. */
    static void requireVectorApi() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) throw new IllegalStateException(MESSAGE);
    }
}

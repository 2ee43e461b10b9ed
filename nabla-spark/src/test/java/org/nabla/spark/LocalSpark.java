package org.nabla.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: one local-mode session for the whole test JVM (starting one takes seconds), with 2 task slots
 * and up to 4 attempts per task ({@code local[2,4]}), so a failed barrier stage is retried as on a cluster.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,4]")
                    .appName("nabla-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "localhost")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }
}

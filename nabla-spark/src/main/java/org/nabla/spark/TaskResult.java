package org.nabla.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What a barrier task sends back to the driver: the chief's final weights as checkpoint bytes (null from the other
 * tasks, whose weights are the same), its per-epoch metrics and the epoch it started from.
 *
 * @param replica      the task's partition (0: the chief)
 * @param weights      {@code Checkpoint.toBytes} of the model's weights keyed as {@link EpochCheckpoints#keyed}
 * @param exampleShape one example's shape (the driver builds its model with it when the factory did not)
 * @param epochs       the metrics of each epoch this attempt trained, in order
 * @param initialEpoch the epoch this attempt started at (0, or the epoch of the checkpoint it resumed)
 * @param stageAttempt Spark's attempt number of the barrier stage that ran the task
 */
record TaskResult(int replica, byte[] weights, int[] exampleShape, List<Map<String, Double>> epochs, int initialEpoch,
                  int stageAttempt) implements Serializable {
    /**
     * The result as bytes, the record type of the shuffle that carries it to the driver (bytes, so that whatever
     * serializer the application configures for shuffles, Kryo included, moves it unchanged).
     */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the result of worker " + replica, e);
        }
        return bytes.toByteArray();
    }

    /** The result {@link #toBytes} wrote; only this module's tasks produce these bytes. */
    static TaskResult fromBytes(byte[] b) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(
                    "org.nabla.spark.TaskResult;java.util.*;java.lang.*;[B;[I;!*"));
            return (TaskResult) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("a worker's result did not arrive intact: " + e.getMessage(), e);
        }
    }
}

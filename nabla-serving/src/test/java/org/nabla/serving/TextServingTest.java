package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.layers.TextVectorization;
import org.nabla.nn.saving.SavedModel;
import org.nabla.ops.TensorSpec;

/** A saved model that takes raw text (a string input through TextVectorization) served over REST. */
class TextServingTest {
    @TempDir Path tmp;

    @Test
    void stringInstancesAndInputsReachTheModel() throws Exception {
        TextVectorization text = new TextVectorization().outputSequenceLength(3).vocabulary(List.of("free", "cruise"));
        SavedModel.save(tmp.resolve("text"), in -> new Tensor[] {Ops.cast(text.call(in[0]), DType.FLOAT32)},
                List.of(TensorSpec.of(DType.STRING, Shape.of(-1))), List.of("text"), List.of("ids"), Map.of());
        try (ServedModel model = ServedModel.open("text", tmp.resolve("text"));
             ModelServer server = ModelServer.start(model, ServingOptions.defaults().withPort(0)
                     .withBatch(8, Duration.ofMillis(2)))) {
            Http.Answer meta = Http.get(server.port(), "/v1/models/text/metadata");
            assertTrue(meta.body().contains("DT_STRING"), meta.body());
            Http.Answer row = Http.post(server.port(), "/v1/models/text:predict",
                    "{\"instances\": [\"A FREE cruise!\", \"cruise ship\"]}");
            assertEquals(200, row.status(), row.body());
            assertEquals(List.of(List.of(1.0, 2.0, 3.0), List.of(3.0, 1.0, 0.0)), row.json().get("predictions"));
            Http.Answer col = Http.post(server.port(), "/v1/models/text:predict", "{\"inputs\": [\"free free\"]}");
            assertEquals(200, col.status(), col.body());
            assertEquals(List.of(List.of(2.0, 2.0, 0.0)), col.json().get("outputs"));
            Http.Answer bad = Http.post(server.port(), "/v1/models/text:predict", "{\"instances\": [3]}");
            assertEquals(400, bad.status(), bad.body());
            assertTrue(bad.body().contains("expected a string"), bad.body());
        }
    }
}

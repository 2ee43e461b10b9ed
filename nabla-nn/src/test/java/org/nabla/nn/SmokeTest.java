package org.nabla.nn;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;

class SmokeTest {
    @Test
    void mlpTrains() {
        Sequential m = ReferenceModels.mlp(1);
        System.out.println(m.summary());
        Tensor x = Ops.randomUniform(new int[] {256, 28, 28, 1}, DType.FLOAT32, 0, 1, 1);
        Tensor y = Ops.cast(Ops.randomUniform(new int[] {256}, DType.INT32, 0, 10, 2), DType.INT32);
        History h = m.fit(x, y, FitOptions.epochs(2).batchSize(32).verbose(2));
        System.out.println(h);
        System.out.println(m.evaluate(x, y, 64));
        System.out.println(m.predict(x).shape());
    }
}

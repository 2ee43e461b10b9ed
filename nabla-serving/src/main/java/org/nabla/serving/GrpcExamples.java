package org.nabla.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nabla.serving.tfproto.Class;
import org.nabla.serving.tfproto.ClassificationResult;
import org.nabla.serving.tfproto.Classifications;
import org.nabla.serving.tfproto.Example;
import org.nabla.serving.tfproto.Feature;
import org.nabla.serving.tfproto.Input;
import org.nabla.serving.tfproto.Regression;
import org.nabla.serving.tfproto.RegressionResult;

/**
 * The gRPC Classify and Regress messages: tf.Examples (and the context features they share; an example's own feature
 * wins) read into input rows, each model input from the float or int64 feature of its name, reshaped to the input's
 * shape after the batch; and the answers, built as {@link ExampleRequests} builds the REST ones.
 */
final class GrpcExamples {
    private GrpcExamples() { }

    /** The examples of {@code input} as rows of the model's inputs. */
    static Rows rows(Input input, List<ServedModel.Port> ports, int maxRows) {
        List<Example> examples;
        Map<String, Feature> context;
        switch (input.getKindCase()) {
            case EXAMPLE_LIST -> {
                examples = input.getExampleList().getExamplesList();
                context = Map.of();
            }
            case EXAMPLE_LIST_WITH_CONTEXT -> {
                examples = input.getExampleListWithContext().getExamplesList();
                context = input.getExampleListWithContext().getContext().getFeatures().getFeatureMap();
            }
            default -> throw ServingException.badRequest("Input is empty: give example_list or "
                    + "example_list_with_context");
        }
        if (examples.isEmpty()) throw ServingException.badRequest("the request holds no examples");
        if (examples.size() > maxRows) throw ServingException.badRequest("the request holds " + examples.size()
                + " examples, more than the limit of " + maxRows + " (--max-batch-size)");
        double[][] data = new double[ports.size()][];
        int[][] sample = new int[ports.size()][];
        for (int i = 0; i < ports.size(); i++) {
            ServedModel.Port port = ports.get(i);
            int[] dims = port.spec().shape().dims();
            List<double[]> values = new ArrayList<>();
            for (Example e : examples) {
                Feature f = e.getFeatures().getFeatureMap().get(port.name());
                if (f == null) f = context.get(port.name());
                if (f == null) throw ServingException.badRequest("an example lacks feature '" + port.name() + "' ("
                        + port.spec() + "), in it or in the context");
                values.add(values(f, port));
            }
            sample[i] = sampleDims(java.util.Arrays.copyOfRange(dims, 1, dims.length), values.get(0).length, port);
            int size = values.get(0).length;
            data[i] = new double[examples.size() * size];
            for (int r = 0; r < values.size(); r++) {
                if (values.get(r).length != size) throw ServingException.badRequest("feature '" + port.name()
                        + "' has " + values.get(r).length + " values in example " + r + ", " + size + " in example 0");
                System.arraycopy(values.get(r), 0, data[i], r * size, size);
            }
        }
        return new Rows(examples.size(), data, sample);
    }

    /** Every class of every example: label (the {@code classes} output, else the index) and score. */
    static ClassificationResult classification(Rows out, ServedModel model, int scores) {
        int classes = -1;
        for (int i = 0; i < model.outputs().size(); i++) if (model.outputs().get(i).name().equals("classes")) classes = i;
        int k = out.rowSize(scores);
        if (classes >= 0 && out.rowSize(classes) != k) classes = -1;
        ClassificationResult.Builder b = ClassificationResult.newBuilder();
        for (int r = 0; r < out.count(); r++) {
            Classifications.Builder c = Classifications.newBuilder();
            for (int j = 0; j < k; j++) {
                String label = classes < 0 ? Integer.toString(j) : ExampleRequests.label(out.numbers(classes)[r * k + j]);
                c.addClasses(Class.newBuilder().setLabel(label).setScore((float) out.numbers(scores)[r * k + j]));
            }
            b.addClassifications(c);
        }
        return b.build();
    }

    /** One value per example. */
    static RegressionResult regression(Rows out, int t) {
        RegressionResult.Builder b = RegressionResult.newBuilder();
        for (int r = 0; r < out.count(); r++) b.addRegressions(Regression.newBuilder().setValue((float) out.numbers(t)[r]));
        return b.build();
    }

    private static double[] values(Feature f, ServedModel.Port port) {
        return switch (f.getKindCase()) {
            case FLOAT_LIST -> f.getFloatList().getValueList().stream().mapToDouble(Float::doubleValue).toArray();
            case INT64_LIST -> f.getInt64List().getValueList().stream().mapToDouble(Long::doubleValue).toArray();
            case BYTES_LIST -> throw ServingException.badRequest("feature '" + port.name() + "' is a bytes_list; "
                    + "the model's input is " + port.spec() + " (string features are not served)");
            default -> throw ServingException.badRequest("feature '" + port.name() + "' holds no list");
        };
    }

    /** The input's dims after the batch for {@code n} values per example; one unknown dim is inferred. */
    private static int[] sampleDims(int[] dims, int n, ServedModel.Port port) {
        int[] out = dims.clone();
        long known = 1;
        int unknown = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 0) known *= out[i];
            else if (unknown < 0) unknown = i;
            else throw ServingException.badRequest("input '" + port.name() + "' has several unknown dims ("
                    + port.spec() + "); a feature list cannot be reshaped into it");
        }
        if (unknown >= 0 && known > 0 && n % known == 0) out[unknown] = (int) (n / known);
        else if (unknown >= 0 || known != n) throw ServingException.badRequest("feature '" + port.name() + "' has "
                + n + " values per example; input " + port.spec() + " takes " + known);
        return out;
    }
}

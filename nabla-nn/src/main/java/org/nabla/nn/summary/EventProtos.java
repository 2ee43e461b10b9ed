package org.nabla.nn.summary;

import java.util.Map;

/**
 * The messages of an event file, encoded by field number from TensorFlow's public definitions (event.proto,
 * summary.proto, histogram.proto, tensor.proto, tensor_shape.proto and the hparams plugin's protos). Only the fields
 * Nabla writes are here; src/test/proto/tensorboard_events.proto declares the same subset for the tests that decode
 * these bytes with the protobuf library.
 */
final class EventProtos {
    private EventProtos() {}

    /** The version string TensorBoard expects in the first event of a file. */
    static final String FILE_VERSION = "brain.Event:2";

    // Event
    private static final int EVENT_WALL_TIME = 1, EVENT_STEP = 2, EVENT_FILE_VERSION = 3, EVENT_GRAPH_DEF = 4,
            EVENT_SUMMARY = 5;
    // Summary { repeated Value value = 1; } and Summary.Value
    private static final int SUMMARY_VALUE = 1;
    private static final int VALUE_TAG = 1, VALUE_SIMPLE_VALUE = 2, VALUE_IMAGE = 4, VALUE_HISTO = 5,
            VALUE_TENSOR = 8, VALUE_METADATA = 9;
    // Summary.Image
    private static final int IMAGE_HEIGHT = 1, IMAGE_WIDTH = 2, IMAGE_COLORSPACE = 3, IMAGE_ENCODED = 4;
    // HistogramProto
    private static final int HISTO_MIN = 1, HISTO_MAX = 2, HISTO_NUM = 3, HISTO_SUM = 4, HISTO_SUM_SQUARES = 5,
            HISTO_BUCKET_LIMIT = 6, HISTO_BUCKET = 7;
    // SummaryMetadata and SummaryMetadata.PluginData
    private static final int METADATA_PLUGIN_DATA = 1, PLUGIN_NAME = 1, PLUGIN_CONTENT = 2;
    // TensorProto (dtype DT_STRING = 7) and TensorShapeProto (no dim: a scalar)
    private static final int TENSOR_DTYPE = 1, TENSOR_SHAPE = 2, TENSOR_STRING_VAL = 8, DT_STRING = 7;

    static byte[] fileVersionEvent(double wallTime) {
        return new ProtoWriter().doubleField(EVENT_WALL_TIME, wallTime).string(EVENT_FILE_VERSION, FILE_VERSION)
                .toByteArray();
    }

    static byte[] summaryEvent(double wallTime, long step, ProtoWriter value) {
        return new ProtoWriter().doubleField(EVENT_WALL_TIME, wallTime).varint(EVENT_STEP, step)
                .message(EVENT_SUMMARY, new ProtoWriter().message(SUMMARY_VALUE, value)).toByteArray();
    }

    static byte[] graphEvent(double wallTime, byte[] graphDef) {
        return new ProtoWriter().doubleField(EVENT_WALL_TIME, wallTime).bytes(EVENT_GRAPH_DEF, graphDef)
                .toByteArray();
    }

    static ProtoWriter scalar(String tag, float value) {
        return new ProtoWriter().string(VALUE_TAG, tag).floatField(VALUE_SIMPLE_VALUE, value);
    }

    static ProtoWriter histogram(String tag, Histogram h) {
        ProtoWriter histo = new ProtoWriter().doubleField(HISTO_MIN, h.min()).doubleField(HISTO_MAX, h.max())
                .doubleField(HISTO_NUM, h.count()).doubleField(HISTO_SUM, h.sum())
                .doubleField(HISTO_SUM_SQUARES, h.sumSquares()).packedDoubles(HISTO_BUCKET_LIMIT, h.bucketLimits())
                .packedDoubles(HISTO_BUCKET, h.bucketCounts());
        return new ProtoWriter().string(VALUE_TAG, tag).message(VALUE_HISTO, histo);
    }

    static ProtoWriter image(String tag, int height, int width, int channels, byte[] png) {
        ProtoWriter image = new ProtoWriter().varint(IMAGE_HEIGHT, height).varint(IMAGE_WIDTH, width)
                .varint(IMAGE_COLORSPACE, channels).bytes(IMAGE_ENCODED, png);
        return new ProtoWriter().string(VALUE_TAG, tag).message(VALUE_IMAGE, image);
    }

    /** Text: a scalar string tensor for the "text" plugin, which renders it as Markdown. */
    static ProtoWriter text(String tag, String markdown) {
        return new ProtoWriter().string(VALUE_TAG, tag).message(VALUE_METADATA, pluginMetadata("text", new byte[0]))
                .message(VALUE_TENSOR, stringTensor(markdown));
    }

    /** A value for a plugin that reads only its metadata's content (as the hparams plugin does). */
    static ProtoWriter pluginValue(String tag, String plugin, byte[] content) {
        return new ProtoWriter().string(VALUE_TAG, tag).message(VALUE_METADATA, pluginMetadata(plugin, content))
                .message(VALUE_TENSOR, stringTensor(""));
    }

    private static ProtoWriter pluginMetadata(String plugin, byte[] content) {
        ProtoWriter data = new ProtoWriter().string(PLUGIN_NAME, plugin);
        if (content.length > 0) data.bytes(PLUGIN_CONTENT, content);
        return new ProtoWriter().message(METADATA_PLUGIN_DATA, data);
    }

    private static ProtoWriter stringTensor(String s) {
        return new ProtoWriter().varint(TENSOR_DTYPE, DT_STRING).message(TENSOR_SHAPE, new ProtoWriter())
                .string(TENSOR_STRING_VAL, s);
    }

    // hparams plugin: HParamsPluginData { int32 version = 1; SessionStartInfo session_start_info = 3; }
    // SessionStartInfo { map<string, google.protobuf.Value> hparams = 1; double start_time_secs = 5; }
    // google.protobuf.Value { double number_value = 2; string string_value = 3; bool bool_value = 4; }

    /** The hparams plugin's session start: the run's hyperparameters (numbers, strings or booleans). */
    static byte[] hparamsSessionStart(Map<String, Object> hparams, double startTimeSecs) {
        ProtoWriter start = new ProtoWriter();
        for (Map.Entry<String, Object> e : hparams.entrySet()) {
            ProtoWriter value = new ProtoWriter();
            switch (e.getValue()) {
                case Number n -> value.doubleField(2, n.doubleValue());
                case Boolean b -> value.varint(4, b ? 1 : 0);
                case String s -> value.string(3, s);
                case null, default -> throw new IllegalArgumentException("hparam '" + e.getKey()
                        + "' must be a number, a string or a boolean, got " + e.getValue());
            }
            start.message(1, new ProtoWriter().string(1, e.getKey()).message(2, value));
        }
        start.doubleField(5, startTimeSecs);
        return new ProtoWriter().varint(1, 0).message(3, start).toByteArray();
    }
}

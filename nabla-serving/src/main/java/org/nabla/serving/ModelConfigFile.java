package org.nabla.serving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TensorFlow Serving's model configuration file ({@code --model_config_file}): protobuf text with a
 * {@code model_config_list} of {@code config} entries, each with {@code name}, {@code base_path},
 * {@code model_platform} and an optional {@code model_version_policy} ({@code latest { num_versions: N }},
 * {@code all { }}, {@code specific { versions: 1 versions: 2 }}) and {@code version_labels { key: 'stable' value: 1 }}
 * entries. A relative base path is taken from the file's folder. Fields this server does not implement (logging) are
 * refused with their line, not ignored.
 */
public final class ModelConfigFile {
    private ModelConfigFile() { }

    /** Reads the models of config file {@code file}. */
    public static List<ModelConfig> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    /** The models in config text {@code text}; {@code source} names it in errors, relative paths start at {@code dir}. */
    static List<ModelConfig> parse(String text, String source, Path dir) {
        TextProto.Message root = TextProto.parse(text, source);
        onlyFields(root, source, "model_config_list");
        List<TextProto.Field> lists = root.all("model_config_list");
        if (lists.size() != 1) throw new IllegalArgumentException(source + ": expected one model_config_list { ... }, "
                + "found " + lists.size());
        TextProto.Message list = message(lists.get(0), source);
        onlyFields(list, source, "config");
        List<ModelConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (TextProto.Field f : list.all("config")) {
            ModelConfig c = config(message(f, source), source, dir, f.line());
            if (!names.add(c.name())) throw new IllegalArgumentException(source + ":" + f.line() + ": model '"
                    + c.name() + "' is configured twice");
            out.add(c);
        }
        if (out.isEmpty()) throw new IllegalArgumentException(source + ": model_config_list names no model");
        return out;
    }

    private static ModelConfig config(TextProto.Message m, String source, Path dir, int line) {
        onlyFields(m, source, "name", "base_path", "model_platform", "model_version_policy", "version_labels");
        String name = string(m, "name", source, line);
        Path base = Path.of(string(m, "base_path", source, line));
        if (!base.isAbsolute() && dir != null) base = dir.resolve(base);
        List<TextProto.Field> platform = m.all("model_platform");
        if (!platform.isEmpty() && !(platform.get(0).value() instanceof String)) {
            throw new IllegalArgumentException(source + ":" + platform.get(0).line() + ": model_platform is a string");
        }
        List<TextProto.Field> policies = m.all("model_version_policy");
        VersionPolicy policy = policies.isEmpty() ? VersionPolicy.latest()
                : policy(message(policies.get(0), source), source, policies.get(0).line());
        Map<String, Long> labels = new LinkedHashMap<>();
        for (TextProto.Field f : m.all("version_labels")) {
            TextProto.Message entry = message(f, source);
            onlyFields(entry, source, "key", "value");
            String label = string(entry, "key", source, f.line());
            List<TextProto.Field> value = entry.all("value");
            if (value.isEmpty()) throw new IllegalArgumentException(source + ":" + f.line() + ": version label '"
                    + label + "' lacks 'value' (its version)");
            if (labels.put(label, number(value.get(0), source)) != null) throw new IllegalArgumentException(source
                    + ":" + f.line() + ": version label '" + label + "' is given twice");
        }
        try {
            return new ModelConfig(name, base.normalize(), policy, labels);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ":" + line + ": " + e.getMessage(), e);
        }
    }

    private static VersionPolicy policy(TextProto.Message m, String source, int line) {
        onlyFields(m, source, "latest", "all", "specific");
        if (m.fields().size() != 1) throw new IllegalArgumentException(source + ":" + line + ": model_version_policy "
                + "takes exactly one of latest, all, specific");
        TextProto.Field f = m.fields().get(0);
        TextProto.Message body = message(f, source);
        try {
            return switch (f.name()) {
                case "latest" -> {
                    onlyFields(body, source, "num_versions");
                    List<TextProto.Field> n = body.all("num_versions");
                    yield new VersionPolicy.Latest(n.isEmpty() ? 1 : Math.toIntExact(number(n.get(0), source)));
                }
                case "all" -> {
                    onlyFields(body, source);
                    yield new VersionPolicy.All();
                }
                default -> {
                    onlyFields(body, source, "versions");
                    Set<Long> versions = new LinkedHashSet<>();
                    for (TextProto.Field v : body.all("versions")) versions.add(number(v, source));
                    yield new VersionPolicy.Specific(versions);
                }
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(source)) throw e;
            throw new IllegalArgumentException(source + ":" + f.line() + ": " + e.getMessage(), e);
        }
    }

    private static void onlyFields(TextProto.Message m, String source, String... allowed) {
        for (TextProto.Field f : m.fields()) {
            if (!List.of(allowed).contains(f.name())) throw new IllegalArgumentException(source + ":" + f.line()
                    + ": field '" + f.name() + "' is not supported here" + (allowed.length == 0 ? ""
                    : " (expected " + String.join(", ", allowed) + ")"));
        }
    }

    private static TextProto.Message message(TextProto.Field f, String source) {
        if (f.value() instanceof TextProto.Message m) return m;
        throw new IllegalArgumentException(source + ":" + f.line() + ": '" + f.name() + "' must be a message { ... }");
    }

    private static String string(TextProto.Message m, String field, String source, int line) {
        List<TextProto.Field> fs = m.all(field);
        if (fs.isEmpty()) throw new IllegalArgumentException(source + ":" + line + ": config lacks '" + field + "'");
        if (!(fs.get(0).value() instanceof String s)) throw new IllegalArgumentException(source + ":"
                + fs.get(0).line() + ": '" + field + "' must be a quoted string");
        return s;
    }

    private static long number(TextProto.Field f, String source) {
        if (f.value() instanceof Long l) return l;
        throw new IllegalArgumentException(source + ":" + f.line() + ": '" + f.name() + "' must be an integer");
    }
}

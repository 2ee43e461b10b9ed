package org.nabla.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** TensorFlow Serving's model config text format, as its documentation writes it. */
class ModelConfigFileTest {
    private static final Path DIR = Path.of("/srv/models");

    @Test
    void readsTheDocumentedFormat() {
        String text = """
                # two models, as in TensorFlow Serving's serving_config guide
                model_config_list {
                  config {
                    name: 'mnist'
                    base_path: '/models/mnist'
                    model_platform: 'tensorflow'
                    model_version_policy { specific { versions: 42 versions: 43 } }
                    version_labels { key: 'stable' value: 42 }
                    version_labels { key: 'canary' value: 43 }
                  }
                  config: {
                    name: "fashion", base_path: "fashion"   # relative: from the config file's folder
                    model_platform: "tensorflow"
                    model_version_policy: { latest: { num_versions: 2 } }
                  }
                  config { name: 'all' base_path: '/m/all' model_version_policy { all {} } }
                  config { name: 'plain' base_path: '/m/plain' }
                }
                """;
        List<ModelConfig> models = ModelConfigFile.parse(text, "models.config", DIR);
        assertEquals(List.of("mnist", "fashion", "all", "plain"), models.stream().map(ModelConfig::name).toList());
        assertEquals(Path.of("/models/mnist"), models.get(0).basePath());
        assertEquals(new VersionPolicy.Specific(Set.of(42L, 43L)), models.get(0).policy());
        assertEquals(java.util.Map.of("stable", 42L, "canary", 43L), models.get(0).versionLabels());
        assertEquals(java.util.Map.of(), models.get(1).versionLabels());
        assertEquals(DIR.resolve("fashion"), models.get(1).basePath());
        assertEquals(new VersionPolicy.Latest(2), models.get(1).policy());
        assertEquals(new VersionPolicy.All(), models.get(2).policy());
        assertEquals(new VersionPolicy.Latest(1), models.get(3).policy());
    }

    @Test
    void policiesChooseFromTheVersionsOnDisk() {
        TreeSet<Long> onDisk = new TreeSet<>(List.of(1L, 2L, 5L, 10L));
        assertEquals(Set.of(10L), VersionPolicy.latest().select(onDisk));
        assertEquals(Set.of(5L, 10L), new VersionPolicy.Latest(2).select(onDisk));
        assertEquals(onDisk, new VersionPolicy.All().select(onDisk));
        assertEquals(Set.of(2L), new VersionPolicy.Specific(Set.of(2L, 3L)).select(onDisk));
        assertEquals(Set.of(), VersionPolicy.latest().select(new TreeSet<>()));
    }

    @Test
    void mistakesNameTheFileAndLine() {
        assertError("model_config_list {\n config {\n  name: 'a'\n  base_path: '/a'\n  logging_config { }\n }\n}",
                "models.config:5: field 'logging_config' is not supported here");
        assertError("model_config_list {\n config {\n  name: 'a'\n  base_path: '/a'\n  version_labels { key: 'x' }\n }\n}",
                "models.config:5: version label 'x' lacks 'value'");
        assertError("model_config_list { config { name: 'a' base_path: '/a' version_labels { key: 'x' value: 1 } "
                + "version_labels { key: 'x' value: 2 } } }", "version label 'x' is given twice");
        assertError("model_config_list { config { name: 'a' base_path: '/a' version_labels { key: 'x y' value: 1 } } }",
                "version label 'x y'");
        assertError("model_config_list {\n config {\n  base_path: '/a'\n }\n}", "models.config:2: config lacks 'name'");
        assertError("model_config_list {\n config { name: 'a' base_path: '/a'\n", "missing '}'");
        assertError("model_config_list { config { name: 'a' base_path: '/a' model_version_policy { latest {} all {} } } }",
                "takes exactly one of latest, all, specific");
        assertError("model_config_list { config { name: 'a' base_path: '/a' model_version_policy { latest { "
                + "num_versions: 0 } } } }", "must be >= 1");
        assertError("model_config_list { config { name: 'a b' base_path: '/a' } }", "model name 'a b'");
        assertError("model_config_list { config { name: 'a' base_path: '/a' } config { name: 'a' base_path: '/b' } }",
                "model 'a' is configured twice");
        assertError("model_config_list { config { name: 'a' base_path: 'unterminated } }", "unterminated string");
        assertError("model_config_list { }", "names no model");
        assertError("models { }", "field 'models' is not supported here (expected model_config_list)");
    }

    private static void assertError(String text, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelConfigFile.parse(text, "models.config", DIR));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}

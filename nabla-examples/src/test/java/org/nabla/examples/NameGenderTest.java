package org.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.data.datasets.FirstNames;

/** The recurrent names example on the real lists (skipped with a message when they are not installed). */
class NameGenderTest {
    @Test
    void aGruLearnsGenderFromTheLettersOfANameInTwoEpochs() throws Exception {
        assumeTrue(FirstNames.available(), "the first-name lists are not in " + FirstNames.dir()
                + "; scripts/setup-datasets.sh names installs them");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        double accuracy;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            accuracy = NameGender.run(out, NameGender.split(FirstNames.load()), 2, List.of("Olivia"));
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(accuracy > 0.72, text);   // the majority class is 57%
        assertTrue(text.contains("Olivia") && text.contains("test accuracy"), text);
    }
}

package org.nabla.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing reference.py's output: results, missing values, and the version lines that name the reference. */
class ReferenceTest {
    @Test
    void resultsAreNamedWithTheVersionsReported() {
        Map<String, Reference.Value> out = new LinkedHashMap<>();
        for (String line : new String[] {"version numpy 2.4.6", "sgemm_256 201.5", "some warning text",
                "conv2d n/a torch not importable (ImportError)"}) {
            Reference.parseLine(line, out);
        }
        Reference.nameVersions(out);
        assertEquals(201.5, out.get("sgemm_256").value());
        assertEquals("numpy 2.4.6", out.get("sgemm_256").name());
        assertTrue(Double.isNaN(out.get("conv2d").value()));
        assertEquals("torch", out.get("conv2d").name()); // no torch version line: the plain name stays
        assertEquals("torch not importable (ImportError)", out.get("conv2d").note());
    }
}

package org.nabla.autograph;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A block of the method to emit: elements [from, to), what its jumps out of it mean (join keys fall through, exit
 * keys return an exit code), the locals it hands back, and how it may end.
 */
record Region(int from, int to, Set<Integer> joinKeys, Map<Integer, Integer> exitByKey,
              List<Construct.Local> outputs, List<Construct.Local> prologue, boolean topLevel,
              boolean valueRegion, boolean allowReturn, int line, boolean inLoop) {}

package org.nabla.ops;

/** One declared attribute of an op: name, kind, and default (null when the caller must give it). */
public record AttrDef(String name, AttrType type, Object defaultValue) {}

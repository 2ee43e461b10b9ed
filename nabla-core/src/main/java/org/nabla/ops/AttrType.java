package org.nabla.ops;

/** The kinds of value an op attribute can hold. */
public enum AttrType {
    INT(Integer.class), LONG(Long.class), FLOAT(Double.class), BOOL(Boolean.class), STRING(String.class),
    DTYPE(org.nabla.DType.class), INTS(int[].class), FLOATS(double[].class), SHAPE(org.nabla.Shape.class),
    /** A concrete tensor value (Const's value). */
    TENSOR(org.nabla.Tensor.class),
    /** A sub-graph (the branches and bodies of control-flow ops). */
    GRAPH(org.nabla.ops.GraphFunction.class),
    /** Several sub-graphs (the branches of Case). */
    GRAPHS(org.nabla.ops.GraphFunction[].class);

    private final Class<?> javaType;

    AttrType(Class<?> javaType) { this.javaType = javaType; }

    /** The Java class values of this kind are stored as (floats are stored as Double, float lists as double[]). */
    public Class<?> javaType() { return javaType; }
}

package org.nabla.onnx;

import java.util.List;
import java.util.Objects;
import org.nabla.DType;
import org.nabla.Tensor;

/**
 * A value of an ONNX graph: a tensor, a sequence of tensors or an optional value. Sequences and optionals are
 * structure known when the model is imported (a Java list, present or absent): their tensors may be computed at run
 * time, but how many there are and whether an optional holds one is fixed by the import (docs/onnx.md says why).
 */
public sealed interface OnnxValue {
    /** Whether any tensor inside is symbolic (computed at run time, in a graph being built). */
    boolean isSymbolic();

    /** "a tensor", "a sequence", "an optional": for messages. */
    String kind();

    /** The tensor this value is, or an error naming {@code what} and the kind it is instead. */
    default Tensor tensor(String what) {
        if (this instanceof TensorValue t) return t.tensor();
        throw new OnnxException(what + " is " + kind() + ", expected a tensor");
    }

    /** Wraps a tensor. */
    static OnnxValue of(Tensor t) { return new TensorValue(t); }

    /** A tensor value. */
    record TensorValue(Tensor tensor) implements OnnxValue {
        /** Rejects null. */
        public TensorValue { Objects.requireNonNull(tensor, "tensor"); }

        @Override public boolean isSymbolic() { return tensor.isSymbolic(); }

        @Override public String kind() { return "a tensor"; }
    }

    /**
     * A sequence of tensors of one element type (their shapes may differ); {@code elementType} is what an empty
     * sequence still carries.
     */
    record SequenceValue(DType elementType, List<Tensor> elements) implements OnnxValue {
        /** Copies the list; every element must have the element type. */
        public SequenceValue {
            Objects.requireNonNull(elementType, "elementType");
            elements = List.copyOf(elements);
            for (Tensor t : elements) {
                if (t.dtype() != elementType) {
                    throw new OnnxException("a sequence of " + elementType + " cannot hold a " + t.dtype() + " tensor");
                }
            }
        }

        @Override public boolean isSymbolic() { return elements.stream().anyMatch(Tensor::isSymbolic); }

        @Override public String kind() { return "a sequence"; }
    }

    /** An optional value: {@code element} is the value it holds, or null for none. */
    record OptionalValue(OnnxValue element) implements OnnxValue {
        /** An optional holding nothing. */
        public static final OptionalValue NONE = new OptionalValue(null);

        /** Whether it holds a value. */
        public boolean hasElement() { return element != null; }

        @Override public boolean isSymbolic() { return element != null && element.isSymbolic(); }

        @Override public String kind() { return "an optional"; }
    }
}

package org.nabla.autograph;

import java.lang.constant.ClassDesc;

/** What the emitters of converted constructs share: the method being converted and the runtime's descriptors. */
abstract class ConstructEmitter {
    static final ClassDesc TENSOR = Converter.TENSOR;
    static final ClassDesc RUNTIME = Converter.RUNTIME;
    static final ClassDesc OBJECTS = Converter.OBJECTS;

    final Converter cv;
    final ConvertedClass cls;
    final MethodBody body;
    final CodeShapes shapes;

    ConstructEmitter(Converter cv) {
        this.cv = cv;
        this.cls = cv.cls;
        this.body = cv.body;
        this.shapes = cv.shapes;
    }
}

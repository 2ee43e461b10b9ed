package org.nabla.autograph;

/**
 * Loads a converted class beside the original when it cannot be a hidden nestmate (the original class is in a module
 * that nabla-autograph has no full access to): an ordinary class of a child of the original's loader.
 */
final class SiblingLoader extends ClassLoader {
    SiblingLoader(ClassLoader parent) {
        super(parent != null ? parent : ClassLoader.getSystemClassLoader());
    }

    Class<?> define(String simpleName, String packageName, byte[] bytes) {
        String name = packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
        return defineClass(name, bytes, 0, bytes.length);
    }
}

/**
 * Small helpers around libtorch: copies between Java arrays and tensors, {@code FloatArray} (what mert4j hands to Java
 * callers), device names, the CPU thread pools and where JavaCPP unpacks the native libraries.
 *
 * <p>May use: no other mert4j package: everything else may use it.
 */
package org.mert4j.tensor;

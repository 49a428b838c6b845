/**
 * Downstream probes with MARBLE's recipe: task files and manifests, feature extractors (MERT layers, MFCC and other
 * baselines) and their cache, probe training, metrics.
 *
 * <p>May use: {@code audio}, {@code dsp}, {@code io}, {@code model}, {@code optim}, {@code tensor}. Never {@code pretrain}.
 */
package org.mert4j.probe;

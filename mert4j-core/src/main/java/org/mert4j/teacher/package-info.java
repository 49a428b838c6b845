/**
 * Acoustic teachers: what turns a clip into the frame labels MERT learns to predict (k-means on MFCC or HuBERT features,
 * EnCodec or RVQ-VAE codes), label sets on disk and the manifests they are made from (docs/pretraining.md, "Objective").
 *
 * <p>May use: {@code audio}, {@code dsp}, {@code io}, {@code model}, {@code teacher.encodec}, {@code teacher.rvq}, {@code tensor}.
 * Never {@code pretrain}.
 */
package org.mert4j.teacher;

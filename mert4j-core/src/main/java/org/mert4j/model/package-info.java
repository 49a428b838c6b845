/**
 * The MERT encoder: its configuration, the plain modules (docs/model.md), the CPU inference plan built from them when a
 * model is loaded ({@code CpuEncoder}), checkpoint loading and export, and the embedding protocol behind {@code MertModel},
 * the entry point for Java users.
 *
 * <p>May use: {@code audio}, {@code dsp} (the CQT and spectrogram input fronts), {@code hub} (model ids), {@code io}, {@code nn},
 * {@code nn.cpu}, {@code tensor}. Never {@code pretrain}, {@code probe} or
 * {@code teacher}: they build on the model, not the other way round.
 */
package org.mert4j.model;

/**
 * MERT pretraining (docs/pretraining.md): configuration, batches from a manifest and its labels, the objective, the trainer,
 * checkpoints, distributed gradient synchronisation and export to a model folder.
 *
 * <p>May use: {@code dsp}, {@code io}, {@code model}, {@code nn}, {@code optim}, {@code teacher}, {@code tensor}. Nothing in
 * {@code mert4j-core} uses it.
 */
package org.mert4j.pretrain;

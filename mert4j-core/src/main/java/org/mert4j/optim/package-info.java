/**
 * Optimisers and learning-rate schedules (AdamW, fused on libtorch's kernel where it can), shared by pretraining and
 * the probes.
 *
 * <p>May use: no other mert4j package.
 */
package org.mert4j.optim;

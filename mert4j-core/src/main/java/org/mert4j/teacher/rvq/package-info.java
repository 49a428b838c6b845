/**
 * Residual vector quantisation and mert4j's own RVQ-VAE teacher (training, save, load); {@code CodeTeacher}, what any
 * code-producing teacher offers.
 *
 * <p>May use: {@code io}, {@code tensor}.
 */
package org.mert4j.teacher.rvq;

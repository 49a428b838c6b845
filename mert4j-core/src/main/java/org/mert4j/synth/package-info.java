/**
 * General MIDI rendering with a SoundFont: synthetic probe tasks and pretraining corpora with known labels.
 *
 * <p>May use: {@code audio}, {@code io}, {@code probe} (for the task files it writes).
 */
package org.mert4j.synth;

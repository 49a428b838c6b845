/**
 * Datasets as their publishers ship them, turned into task folders for {@code mert probe} (task.yaml and a JSONL
 * manifest pointing at the audio where it lies) with the splits the MARBLE benchmark uses: GTZAN genre and beat,
 * NSynth instrument and pitch, GiantSteps key, MagnaTagATune top-50 tags, EmoMusic. Each importer names its
 * sources; split lists a dataset does not ship are committed under {@code resources/org/mert4j/datasets}.
 *
 * <p>May use: {@code io}, {@code probe} (task types, splits, key names).
 */
package org.mert4j.datasets;

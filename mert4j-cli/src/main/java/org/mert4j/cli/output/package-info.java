/**
 * What {@code mert embed} writes: one {@code Embedding} per input, through an {@code OutputWriter} (npy,
 * safetensors) or into one JSON Lines file, laid out as {@code OutputLayout} says, with the {@code mert-embed.json}
 * record that later runs are checked against ({@code EmbeddingRecords}).
 *
 * <p>May use: {@code cli.jobs} (the input a result came from), {@code cli.options} (usage errors), {@code io},
 * {@code model}, {@code tensor}. Never {@code cli} or {@code cli.commands}.
 */
package org.mert4j.cli.output;

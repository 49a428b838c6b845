/**
 * What {@code mert bench} measures with: FLOP counts, memory readings, timing statistics and its table.
 *
 * <p>May use: {@code model}.
 */
package org.mert4j.cli.bench;

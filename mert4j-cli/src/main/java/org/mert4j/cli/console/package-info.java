/**
 * What the commands print to the terminal besides their results: progress and download bars, the summary line of
 * a run, counts with their nouns, and the version.
 *
 * <p>May use: {@code hub} (the download listener). Never {@code cli} or {@code cli.commands}.
 */
package org.mert4j.cli.console;

/**
 * The {@code mert} command line (picocli): one class per command, and the output writers. The system properties that
 * turn CPU inference paths off for timings are read here, when a command opens its model ({@code ModelSource}).
 *
 * <p>May use: any package of mert4j-core and mert4j-index, {@code serve} (which {@code mert serve} starts), and
 * {@code cli.bench}.
 */
package org.mert4j.cli;

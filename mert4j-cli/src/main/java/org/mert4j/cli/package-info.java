/**
 * The {@code mert} command line: {@code Main}, picocli's root command, which lists every command, and the error
 * handler that turns an exception into one line on stderr and an exit status. The commands, their options and
 * what they print or write are in the packages below this one.
 *
 * <p>May use: {@code cli.commands}, {@code cli.console} (the version), {@code cli.options}, {@code hub}, {@code io},
 * {@code model} (the exceptions the error handler sorts) and {@code tensor} (the native libraries).
 */
package org.mert4j.cli;

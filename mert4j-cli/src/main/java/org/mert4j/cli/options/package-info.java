/**
 * What the commands declare and parse: the option mixins ({@code ModelOptions}, {@code DeviceOptions},
 * {@code VerboseOption}), the converters of option values, {@code ModelSource} (what {@code --model} names, and how
 * it is opened), and what a command answers with: {@code UsageException} and the {@code ExitCode}s. The system
 * properties that turn CPU inference paths off for timings are read here, when a command opens its model
 * ({@code ModelSource}).
 *
 * <p>May use: {@code cli.console} (the download bar), {@code hub}, {@code model}. Never {@code cli} or
 * {@code cli.commands}.
 */
package org.mert4j.cli.options;

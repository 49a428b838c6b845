/**
 * One class per command and subcommand of {@code mert} (picocli), and the helpers only commands use: the checks
 * {@code mert pretrain} runs before it starts ({@code PretrainPreflight}) and the results table of
 * {@code mert probe} ({@code MarbleTable}).
 *
 * <p>May use: any package of mert4j-core and mert4j-index, {@code serve} (which {@code mert serve} starts),
 * {@code cli.bench}, {@code cli.charts}, {@code cli.console}, {@code cli.jobs}, {@code cli.options} and
 * {@code cli.output}. Never {@code cli}: {@code Main} lists the commands, not the other way round.
 */
package org.mert4j.cli.commands;

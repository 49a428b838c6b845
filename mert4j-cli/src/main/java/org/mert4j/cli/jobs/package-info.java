/**
 * A command's run over many audio files ({@code FileJobRunner}): the inputs ({@code Inputs}, {@code InputFile}),
 * the failed ones in {@code failures.tsv} ({@code FailureLog}), and the lock that keeps a second process out of
 * the folder a command writes into ({@code OutputLock}).
 *
 * <p>May use: {@code audio}, {@code io}, {@code cli.console}, {@code cli.options}. Never {@code cli} or
 * {@code cli.commands}.
 */
package org.mert4j.cli.jobs;

/**
 * The PNG line charts of {@code mert plot} and {@code mert probe}, drawn by JFreeChart.
 *
 * <p>May use: {@code io}. Never {@code cli} or {@code cli.commands}.
 */
package org.mert4j.cli.charts;

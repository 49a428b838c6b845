package org.mert4j.cli.output;

/**
 * How {@code mert embed}'s outputs lie on disk, as {@code --out}, {@code --format} and the number of inputs
 * imply: one output file, a folder with one output per input, or one JSON Lines file for all inputs.
 */
public enum OutputLayout { ONE_FILE, FOLDER, JSONL }

package org.mert4j.spark;

/** What the input column of {@link MertEmbedder} holds. */
public enum InputKind {
    /** A string path as Spark sees it: local, {@code file:}, {@code hdfs://}, {@code s3a://}, ... */
    PATH,
    /** The bytes of an audio file ({@code binary}), e.g. the {@code content} column of Spark's binaryFile source. */
    BINARY
}

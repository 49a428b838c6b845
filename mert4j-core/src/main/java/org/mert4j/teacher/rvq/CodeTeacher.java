package org.mert4j.teacher.rvq;

/**
 * A frozen acoustic teacher that turns mono audio at its sample rate into residual-VQ codes: the
 * pretraining targets of MERT's acoustic head. Implementations are safe to call from several threads.
 */
public interface CodeTeacher extends AutoCloseable {

    /** Codes {@code [K][frames]} of a mono clip at {@link #sampleRate()}; frames = ceil(samples / hop). */
    int[][] codes(float[] mono);

    int numCodebooks();

    int codebookSize();

    /** Code frames per second (75 for the 24 kHz EnCodec). */
    double frameRate();

    /** The sample rate the teacher expects its input at. */
    int sampleRate();

    /** Samples per code frame. */
    int hopLength();

    @Override
    void close();
}

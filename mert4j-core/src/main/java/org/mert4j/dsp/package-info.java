/**
 * Signal features computed with libtorch: STFT power, mel spectrograms, Kaldi MFCC, CQT and chroma, each checked against
 * its reference implementation (torchaudio, librosa, nnAudio).
 *
 * <p>May use: {@code tensor}.
 */
package org.mert4j.dsp;

/**
 * Audio in: decoding with FFmpeg (whole files or streamed), mono mixing, torchaudio-exact resampling and the Hugging Face
 * waveform normalisation (docs/model.md, "Preprocessing").
 *
 * <p>May use: FFmpeg and the JDK; no other mert4j package.
 */
package org.mert4j.audio;

package org.mert4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.mert4j.audio.AudioDecoder;
import org.mert4j.audio.Resampler;
import org.mert4j.io.Npy;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;
import org.mert4j.testing.Wav;

class FeaturesCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cqt,24000,336", "mfcc,16000,39", "logmel,24000,128", "chroma,24000,12"})
    void writesTheFeatureOfTheDecodedResampledAudio(String kind, int rate, int bins) throws Exception {
        Path wav = Wav.write(dir.resolve("a.wav"), 1.0, 44100, 3);
        Path out = dir.resolve(kind + ".npy");
        Cli.Result r = Cli.run("features", kind, wav.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        FloatArray written = Npy.readFloats(out);
        float[] samples = Resampler.resample(AudioDecoder.decode(wav).mono(), 44100, rate);
        float[] expected = Tensors.toFloats(FeaturesCommand.compute(
                FeaturesCommand.Kind.valueOf(kind.toUpperCase()), samples, rate));
        assertEquals(bins, written.shape()[1]);
        assertArrayEquals(expected, written.data(), 0f);
        long frames = kind.equals("mfcc") ? 1 + (rate - 400) / 160 : rate / (kind.equals("chroma") ? 512 : 320) + 1;
        assertEquals(frames, written.shape()[0]);
    }

    @Test
    void tooShortForMfccFailsNamingTheFile() throws Exception {
        Path wav = Wav.write(dir.resolve("short.wav"), 0.01, 16000, 1);
        Cli.Result r = Cli.run("features", "mfcc", wav.toString(), "--out", dir.resolve("x.npy").toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("short.wav") && r.err().contains("got 160"), r.err());
    }

    @Test
    void unknownFeatureIsAUsageError() {
        Cli.Result r = Cli.run("features", "spectrum", "a.wav", "--out", "x.npy");
        assertEquals(2, r.exitCode(), r.toString());
    }

    @Test
    void helpExplainsTheDefaultRates() {
        Cli.Result r = Cli.run("features", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("16000 for mfcc") && r.out().contains("mert features cqt"), r.out());
    }
}

package org.mert4j.model;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.audio.Preprocess;
import org.mert4j.tensor.FloatArray;
import org.mert4j.tensor.Tensors;

/**
 * Turns a waveform at the model's rate into features (SPEC 1.5): cut into windows, normalise each
 * window if the preprocessor says so (each window is one clip to the model, as the Hugging Face
 * feature extractor would see it), run the encoder on batches of equal-length windows, then keep the
 * requested layers and pool. Thread-safe: the encoder is only read.
 */
public final class Embedder {
    private final MertEncoder encoder;
    private final Device device;
    private final boolean normalize;

    public Embedder(MertEncoder encoder, Device device, boolean normalize) {
        this.encoder = encoder;
        this.device = device;
        this.normalize = normalize;
    }

    /**
     * @param wave mono samples at the model's sample rate
     * @return MEAN: [layers, H]; NONE: [layers, T, H] (windows concatenated in time)
     */
    public FloatArray embed(float[] wave, EmbedOptions options) {
        MertConfig c = encoder.config();
        int[] layers = options.resolveLayers(c.numHiddenLayers() + 1);
        int h = c.hiddenSize();
        List<WindowPlan.Window> windows = new ArrayList<>();
        for (WindowPlan.Window w : WindowPlan.split(wave.length, c.sampleRate(), options.windowSeconds())) {
            if (c.framesFor(w.length()) > 0) {
                windows.add(w); // only a final remnant can be shorter than one frame
            }
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException(wave.length + " samples (" + String.format("%.4f", wave.length
                    / (double) c.sampleRate()) + " s at " + c.sampleRate() + " Hz) are too short: one frame needs "
                    + c.receptiveField() + " samples");
        }
        double[] sum = new double[layers.length * h];
        List<float[]> frames = new ArrayList<>();
        long totalFrames = 0;
        int i = 0;
        while (i < windows.size()) {
            int j = i + 1;
            while (j < windows.size() && j - i < options.batchSize() && windows.get(j).length() == windows.get(i).length()) {
                j++;
            }
            List<WindowPlan.Window> batch = windows.subList(i, j);
            if (options.pool() == EmbedOptions.Pool.MEAN) {
                float[] means = runBatch(wave, batch, layers, true); // [b, layers, H]
                for (int b = 0; b < batch.size(); b++) {
                    for (int k = 0; k < sum.length; k++) {
                        sum[k] += means[b * sum.length + k];
                    }
                }
            } else {
                float[] all = runBatch(wave, batch, layers, false); // [b, layers, T, H]
                long t = c.framesFor(batch.get(0).length());
                int per = (int) (layers.length * t * h);
                for (int b = 0; b < batch.size(); b++) {
                    float[] one = new float[per];
                    System.arraycopy(all, b * per, one, 0, per);
                    frames.add(one);
                    totalFrames += t;
                }
            }
            i = j;
        }
        if (options.pool() == EmbedOptions.Pool.MEAN) {
            float[] out = new float[sum.length];
            for (int k = 0; k < sum.length; k++) {
                out[k] = (float) (sum[k] / windows.size());
            }
            return new FloatArray(out, new long[] {layers.length, h});
        }
        return concatFrames(frames, layers.length, totalFrames, h);
    }

    /** Encoder on a batch of equal-length windows: per window either time-means [layers, H] or frames [layers, T, H]. */
    private float[] runBatch(float[] wave, List<WindowPlan.Window> batch, int[] layers, boolean mean) {
        int len = (int) batch.get(0).length();
        float[] input = new float[batch.size() * len];
        for (int b = 0; b < batch.size(); b++) {
            float[] w = new float[len];
            System.arraycopy(wave, (int) batch.get(b).start(), w, 0, len);
            if (normalize) {
                w = Preprocess.normalize(w);
            }
            System.arraycopy(w, 0, input, b * len, len);
        }
        try (PointerScope scope = new PointerScope(); InferenceMode guard = new InferenceMode()) {
            Tensor x = Tensors.fromFloats(input, batch.size(), len).to(device, torch.ScalarType.Float);
            List<Tensor> states = encoder.forward(x);
            TensorVector picked = new TensorVector();
            for (int l : layers) {
                Tensor s = states.get(l); // [B, T, H]
                picked.push_back(mean ? s.mean(1) : s);
            }
            // [layers, B, ...] -> [B, layers, ...]
            return Tensors.toFloats(torch.stack(picked, 0).transpose(0, 1));
        }
    }

    private static FloatArray concatFrames(List<float[]> windows, int numLayers, long totalFrames, int h) {
        long n = numLayers * totalFrames * h;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame features of " + totalFrames + " frames x " + numLayers
                    + " layers exceed 2^31 values: pool them (--pool mean) or keep fewer layers");
        }
        float[] out = new float[(int) n];
        long offset = 0; // frames written so far
        for (float[] w : windows) {
            int t = w.length / (numLayers * h);
            for (int l = 0; l < numLayers; l++) {
                System.arraycopy(w, l * t * h, out, (int) ((l * totalFrames + offset) * h), t * h);
            }
            offset += t;
        }
        return new FloatArray(out, new long[] {numLayers, totalFrames, h});
    }
}

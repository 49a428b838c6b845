package org.mert4j.dsp;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.Tensors;

/**
 * Constant-Q transform magnitude exactly as nnAudio's {@code CQT1992v2} with "librosa" normalisation: the
 * padded signal correlated with stride hop against each kernel of {@link CqtKernels}, scaled by
 * sqrt(kernel length), magnitude of the complex result. Holds the kernel bank on one device.
 *
 * <p>Kernels are mostly zeros (the longest is 50,459 taps of a 65,536 buffer at the MERT settings, the shortest
 * 401), so the bins are grouped into runs of similar length and each run only reads the stretch of the
 * signal its kernels cover: every frame of that stretch is multiplied with the run's kernels in one matrix
 * product. This does the work of the direct convolution restricted to the non-zero taps (about 8 multiply-adds
 * per kernel tap and frame fewer than the full-width convolution) with BLAS / cuBLAS speed, and stays exact.
 */
public final class Cqt {
    /** Most float values of framed signal one matrix product may read (bounds the temporary copy). */
    private static final long CHUNK_VALUES = 1L << 23;

    private final CqtConfig config;
    private final CqtKernels kernels;
    private final Device device;
    private final List<BinRun> runs = new ArrayList<>();

    /** Bins [firstBin, firstBin + count) read the buffer stretch [offset, offset + span). */
    private record BinRun(int firstBin, int count, int offset, int span, Tensor weight) {}

    public Cqt(CqtConfig config) {
        this(config, new Device("cpu"));
    }

    public Cqt(CqtConfig config, Device device) {
        this.config = config;
        this.kernels = new CqtKernels(config);
        this.device = device;
        int runLength = Math.max(1, config.binsPerOctave() / 4);
        for (int first = 0; first < config.nBins(); first += runLength) {
            runs.add(run(first, Math.min(runLength, config.nBins() - first)));
        }
    }

    private BinRun run(int first, int count) {
        int lo = Integer.MAX_VALUE;
        int hi = 0;
        for (int k = first; k < first + count; k++) {
            lo = Math.min(lo, kernels.start(k));
            hi = Math.max(hi, kernels.start(k) + kernels.length(k));
        }
        int span = hi - lo;
        // columns: real parts of the run's kernels, then minus the imaginary parts (nnAudio's sign)
        float[] w = new float[span * 2 * count];
        for (int j = 0; j < count; j++) {
            int k = first + j;
            float[][] reIm = kernels.kernel(k, Math.sqrt((float) kernels.length(k)));
            int at = kernels.start(k) - lo;
            for (int i = 0; i < reIm[0].length; i++) {
                w[(at + i) * 2 * count + j] = reIm[0][i];
                w[(at + i) * 2 * count + count + j] = -reIm[1][i];
            }
        }
        Tensor weight = Tensors.fromFloats(w, span, 2L * count).to(device, torch.ScalarType.Float);
        weight.retainReference();
        return new BinRun(first, count, lo, span, weight);
    }

    public CqtConfig config() {
        return config;
    }

    public CqtKernels kernels() {
        return kernels;
    }

    /** Bin centre frequencies in Hz, fmin * 2^(k / binsPerOctave). */
    public double[] frequencies() {
        return kernels.frequencies();
    }

    /**
     * [B, N] float32 waveforms at the configured rate -> [B, nBins, floor(N / hop) + 1] magnitudes, on this
     * module's device.
     *
     * @throws IllegalArgumentException for another shape or dtype, or NaN in the input
     */
    public Tensor forward(Tensor wave) {
        Tensor x = Signals.requireBatch(wave, "CQT").to(device, torch.ScalarType.Float);
        long batch = x.size(0);
        long frames = config.frames(x.size(1));
        Tensor out = x.new_empty(batch, config.nBins(), frames);
        try (PointerScope scope = new PointerScope()) {
            Tensor padded = Signals.padBoth(x, kernels.bufferLength() / 2, config.padMode());
            for (BinRun r : runs) {
                long chunk = Math.max(1, CHUNK_VALUES / (batch * r.span()));
                for (long t0 = 0; t0 < frames; t0 += chunk) {
                    try (PointerScope step = new PointerScope()) {
                        long tc = Math.min(chunk, frames - t0);
                        Tensor f = Signals.frames(padded, r.offset() + t0 * config.hopLength(), r.span(),
                                config.hopLength(), tc);
                        Tensor y = f.matmul(r.weight()); // [B, tc, 2 count]
                        Tensor re = y.narrow(2, 0, r.count());
                        Tensor im = y.narrow(2, r.count(), r.count());
                        Tensor mag = re.mul(re).add(im.mul(im)).sqrt().transpose(1, 2);
                        out.narrow(1, r.firstBin(), r.count()).narrow(2, t0, tc).copy_(mag);
                    }
                }
            }
        }
        return out;
    }

    /** One-off transform of [B, N] on the input's device (builds the kernel bank each call). */
    public static Tensor cqt(Tensor wave, CqtConfig config) {
        return new Cqt(config, wave.device()).forward(wave);
    }
}

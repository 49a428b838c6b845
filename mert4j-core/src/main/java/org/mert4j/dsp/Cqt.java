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
 * 401), so bins are grouped into runs of similar length and each run only reads the stretch of the signal its
 * kernels cover. Within a run the strided correlation is computed polyphase: the stretch viewed as rows of
 * {@code hop} samples (a zero-copy view) times the kernels cut into hop-long blocks gives, in one matrix product,
 * every block's contribution to every frame; frame t is the sum of row t+q's block q over q. That is the exact
 * arithmetic of the direct convolution on the non-zero taps only, at matrix-multiply speed, with no framed copy
 * of the signal.
 */
public final class Cqt {
    /** Most float values one run's matrix product may write at a time (bounds the temporary). */
    private static final long CHUNK_VALUES = 1L << 23;

    private final CqtConfig config;
    private final CqtKernels kernels;
    private final Device device;
    private final List<BinRun> runs = new ArrayList<>();

    /**
     * Bins [firstBin, firstBin + count) read the buffer stretch [offset, offset + blocks * hop); weight is
     * [hop, blocks * 2 count]: column q * 2 count + j holds taps [q hop, (q+1) hop) of column j.
     */
    private record BinRun(int firstBin, int count, int offset, int blocks, Tensor weight) {}

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
        int hop = config.hopLength();
        int blocks = (hi - lo + hop - 1) / hop;
        int cols = 2 * count;
        // kernel columns: real parts, then minus the imaginary parts (nnAudio's sign), cut into hop-long blocks
        float[] w = new float[hop * blocks * cols];
        for (int j = 0; j < count; j++) {
            int k = first + j;
            float[][] reIm = kernels.kernel(k, Math.sqrt((float) kernels.length(k)));
            int at = kernels.start(k) - lo;
            for (int i = 0; i < reIm[0].length; i++) {
                int tap = at + i;
                int base = (tap % hop) * blocks * cols + (tap / hop) * cols;
                w[base + j] = reIm[0][i];
                w[base + count + j] = -reIm[1][i];
            }
        }
        Tensor weight = Tensors.fromFloats(w, hop, (long) blocks * cols).to(device, torch.ScalarType.Float);
        weight.retainReference();
        return new BinRun(first, count, lo, blocks, weight);
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
        long hop = config.hopLength();
        try (PointerScope scope = new PointerScope()) {
            long half = kernels.bufferLength() / 2;
            // one hop of extra zeros on the right: a run's last block may reach past the kernel buffer
            Tensor padded = torch.constant_pad_nd(Signals.padBoth(x, half, config.padMode()), 0, hop).contiguous();
            for (BinRun r : runs) {
                long cols = 2L * r.count();
                long rowValues = (long) r.blocks() * cols;
                long chunk = Math.max(1, CHUNK_VALUES / (batch * rowValues) - r.blocks());
                for (long t0 = 0; t0 < frames; t0 += chunk) {
                    try (PointerScope step = new PointerScope()) {
                        long tc = Math.min(chunk, frames - t0);
                        long rows = tc + r.blocks() - 1;
                        Tensor stretch = Signals.frames(padded, r.offset() + t0 * hop, hop, hop, rows);
                        Tensor g = stretch.matmul(r.weight()).contiguous(); // [B, rows, blocks * cols]
                        // frame t = sum over q of g[t + q, q * cols + j]
                        Tensor y = g.as_strided(new long[] {batch, tc, r.blocks(), cols},
                                new long[] {rows * rowValues, rowValues, rowValues + cols, 1}).sum(2);
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

package org.mert4j.pretrain;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.dsp.Cqt;
import org.mert4j.dsp.CqtConfig;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertEncoder;
import org.mert4j.nn.Linear;
import org.mert4j.tensor.Tensors;

/**
 * MERT's pretraining objective, whole (docs/pretraining.md, "Objective"): the encoder run with masked
 * frames, the acoustic head (per codebook, cosine similarity of a chunk of {@code final_proj} to learned
 * label embeddings over a temperature, cross-entropy), the musical head (a Linear regressing the CQT of
 * the clean clip), the feature penalty, the CQT target they are compared with, and how the parts are
 * weighted and normalised. Parameter names follow the MERT checkpoints: {@code final_proj},
 * {@code label_embs_concat}, {@code cqt_proj} beside the encoder under {@code mert}.
 *
 * <p>{@link #forward} returns sums with their counts; {@link #terms} divides them by counts summed over
 * every micro-batch and rank, so that data-parallel ranks and gradient accumulation get exactly the
 * gradient of one big batch.
 */
public final class MertPretrainModel extends Module {
    private final MertEncoder encoder;
    private final Linear finalProj; // cosine head (MERT's); null with the linear head
    private final Tensor labelEmbeddings;
    private final Linear labelHead; // linear head; null with the cosine head
    private final Linear cqtProj;
    private final int[] classes;
    private final Objective objective;

    /** @param classes number of classes of each label stream (K codebooks) */
    public MertPretrainModel(MertConfig encoderConfig, int[] classes, Objective objective) {
        if (!encoderConfig.hasMaskedSpecEmbed()) {
            throw new IllegalArgumentException("pretraining needs masked_spec_embed: set mask_time_prob > 0 in the encoder config");
        }
        if (classes.length == 0) {
            throw new IllegalArgumentException("pretraining needs at least one label stream");
        }
        this.encoder = register_module("mert", new MertEncoder(encoderConfig));
        this.classes = classes.clone();
        this.objective = objective;
        int finalDim = objective.acoustic().finalDim();
        int hidden = encoderConfig.transformer().hiddenSize();
        int total = 0;
        for (int c : classes) {
            total += c;
        }
        if (objective.linearHead()) {
            // one Linear gives every stream's logits: the first classes[0] columns are stream 0's, and so on
            this.labelHead = register_module("label_head", new Linear(hidden, total, true));
            this.finalProj = null;
            this.labelEmbeddings = null;
        } else {
            this.labelHead = null;
            this.finalProj = register_module("final_proj", new Linear(hidden, finalDim * classes.length, true));
            // fairseq initialises the label embeddings uniformly in [0, 1)
            this.labelEmbeddings = new Tensor(register_parameter("label_embs_concat",
                    torch.empty(total, finalDim).uniform_(0, 1, new GeneratorOptional())));
        }
        this.cqtProj = register_module("cqt_proj",
                new Linear(encoderConfig.transformer().hiddenSize(), objective.cqt().bins(), true));
    }

    public MertEncoder encoder() {
        return encoder;
    }

    public int[] classes() {
        return classes.clone();
    }

    // ---- the musical teacher's target ----

    /**
     * The CQT the musical head regresses: nnAudio's CQT1992v2 magnitude from 32.7 Hz, {@code bins} bins,
     * bins / 7 per octave (7 octaves), one frame per encoder frame (hop = the conv front's stride).
     */
    public static CqtConfig cqtTargetConfig(MertConfig encoder, int bins) {
        return CqtConfig.mert(encoder.sampleRate(), encoder.totalStride(), bins);
    }

    /**
     * [B][frames][bins] target of clean clips [B][N] (all the same length), from {@code cqt} of
     * {@link #cqtTargetConfig}: the magnitude (MERT), or with {@code log} its logarithm
     * log(|C| + 1e-4) standardised per clip (zero mean, unit variance over frames and bins), a target
     * whose scale does not depend on how loud the audio is.
     */
    public static float[][][] cqtTarget(Cqt cqt, float[][] clean, int frames, boolean log) {
        int b = clean.length;
        int n = clean[0].length;
        float[] flat = new float[b * n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(clean[i], 0, flat, i * n, n);
        }
        int bins = cqt.config().nBins();
        float[] values;
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
            Tensor spec = cqt.forward(Tensors.fromFloats(flat, b, n)); // [B, bins, T']
            values = Tensors.toFloats(spec.narrow(2, 0, frames).transpose(1, 2).contiguous());
        }
        float[][][] out = new float[b][frames][bins];
        for (int i = 0; i < b; i++) {
            if (log) {
                standardisedLog(values, i * frames * bins, frames * bins);
            }
            for (int t = 0; t < frames; t++) {
                System.arraycopy(values, (i * frames + t) * bins, out[i][t], 0, bins);
            }
        }
        return out;
    }

    private static void standardisedLog(float[] v, int from, int count) {
        double sum = 0;
        double sumSq = 0;
        for (int k = from; k < from + count; k++) {
            double l = Math.log(v[k] + 1e-4);
            v[k] = (float) l;
            sum += l;
            sumSq += l * l;
        }
        double mean = sum / count;
        double std = Math.sqrt(Math.max(0, sumSq / count - mean * mean)) + 1e-5;
        for (int k = from; k < from + count; k++) {
            v[k] = (float) ((v[k] - mean) / std);
        }
    }

    // ---- loss sums of one micro-batch ----

    /**
     * Loss parts of one micro-batch before normalisation.
     * @param maskedCe      sum over codebooks and masked frames of the cross-entropy
     * @param unmaskedCe    the same over unmasked frames (zero unless {@code objective.unmasked_weight} > 0)
     * @param cqtSum        sum over the scored frames (masked, or all with {@code cqt_frames: all}) and bins of the
     *                      squared CQT error (zero without target)
     * @param penaltySum    sum of the squared conv features
     * @param correct       per codebook, masked frames whose arg-max class is the label
     */
    public record Sums(Tensor maskedCe, Tensor unmaskedCe, Tensor cqtSum, Tensor penaltySum, long[] correct) {}

    public Sums forward(PretrainBatch batch, Device device) {
        int b = batch.size();
        int n = batch.samples();
        long frames = encoder.config().framesFor(n);
        if (frames != batch.frames()) {
            throw new IllegalArgumentException("batch has " + batch.frames() + " mask frames but " + n
                    + " samples give " + frames + " encoder frames");
        }
        if (batch.labels().length != classes.length) {
            throw new IllegalArgumentException("batch has " + batch.labels().length + " label streams, the model "
                    + classes.length);
        }
        if (batch.cqt() != null && batch.cqt()[0][0].length != objective.cqt().bins()) {
            throw new IllegalArgumentException("batch CQT target has " + batch.cqt()[0][0].length + " bins, the model "
                    + objective.cqt().bins());
        }
        Tensor wave = Tensors.fromFloats(flatten(batch.waves()), b, n).to(device, torch.ScalarType.Float);
        Tensor maskBool = Tensors.fromFloats(maskValues(batch.masks()), b, frames).to(device, torch.ScalarType.Bool);
        MertEncoder.MaskedOutput out = encoder.forward(wave, maskBool, objective.front().featureGradMult(),
                objective.front().projectionGradMult());
        // fairseq takes the penalty after the gradient scaling: the conv front feels a tenth of it too
        Tensor penaltySum = out.convFeatures().to(torch.ScalarType.Float).pow(new Scalar(2.0)).sum();
        Tensor last = out.last();
        last = last.reshape(-1, last.size(2));

        long[] maskedIdx = frameIndices(batch.masks(), true);
        Tensor masked = last.index_select(0, Tensors.fromLongs(maskedIdx, maskedIdx.length).to(device, torch.ScalarType.Long));
        long[] correct = new long[classes.length];
        Tensor maskedCe = crossEntropy(masked, batch, true, maskedIdx.length, correct, device);
        Tensor unmaskedCe;
        if (objective.acoustic().unmaskedWeight() > 0) {
            long[] unmaskedIdx = frameIndices(batch.masks(), false);
            Tensor unmasked = last.index_select(0,
                    Tensors.fromLongs(unmaskedIdx, unmaskedIdx.length).to(device, torch.ScalarType.Long));
            unmaskedCe = crossEntropy(unmasked, batch, false, unmaskedIdx.length, null, device);
        } else {
            unmaskedCe = zero(device);
        }
        Tensor cqtSum;
        if (batch.cqt() != null && objective.cqt().weight() > 0) {
            boolean all = scoresCqtOnAllFrames();
            Tensor hidden = all ? last : masked;
            int count = all ? b * (int) frames : maskedIdx.length;
            Tensor target = Tensors.fromFloats(cqtRows(batch.cqt(), batch.masks(), all, count), count,
                    objective.cqt().bins()).to(device, torch.ScalarType.Float);
            cqtSum = cqtProj.forward(hidden).to(torch.ScalarType.Float).sub(target).pow(new Scalar(2.0)).sum();
        } else {
            cqtSum = zero(device);
        }
        return new Sums(maskedCe, unmaskedCe, cqtSum, penaltySum, correct);
    }

    /**
     * Sum over codebooks and the given frames of the cross-entropy of the label among all classes, the
     * logits being cos(P_k o_t, e_k,c) / logit_temp; counts arg-max hits into {@code correct} if given.
     */
    private Tensor crossEntropy(Tensor hidden, PretrainBatch batch, boolean masked, int count, long[] correct,
                                Device device) {
        int finalDim = objective.acoustic().finalDim();
        Tensor proj = labelHead != null ? labelHead.forward(hidden) : finalProj.forward(hidden); // [S, C] or [S, D*K]
        Tensor sum = null;
        int offset = 0;
        for (int k = 0; k < classes.length; k++) {
            Tensor logits; // [S, C_k]
            if (labelHead != null) {
                logits = proj.narrow(1, offset, classes[k]).to(torch.ScalarType.Float);
            } else {
                Tensor pk = unit(proj.narrow(1, (long) k * finalDim, finalDim).to(torch.ScalarType.Float));
                Tensor ek = unit(labelEmbeddings.narrow(0, offset, classes[k]).to(torch.ScalarType.Float));
                logits = torch.matmul(pk, ek.t()).div(new Scalar(objective.acoustic().logitTemp()));
            }
            long[] target = frameLabels(batch.labels()[k], batch.masks(), masked, count, classes[k]);
            Tensor t = Tensors.fromLongs(target, target.length).to(device, torch.ScalarType.Long);
            Tensor nll = torch.log_softmax(logits, 1, new ScalarTypeOptional()).gather(1, t.unsqueeze(1)).sum().neg();
            sum = sum == null ? nll : sum.add(nll);
            if (correct != null) {
                correct[k] = logits.argmax(new LongOptional(1), false).eq(t).sum().item_long();
            }
            offset += classes[k];
        }
        return sum;
    }

    // ---- normalisation and weights ----

    /** Counts of one update, summed over its micro-batches and over ranks. */
    public record Counts(long masked, long unmasked, long featureValues) {
        public static Counts of(PretrainBatch b, int featureChannels) {
            long masked = 0;
            for (boolean[] row : b.masks()) {
                for (boolean v : row) {
                    masked += v ? 1 : 0;
                }
            }
            long frames = (long) b.size() * b.frames();
            return new Counts(masked, frames - masked, frames * featureChannels);
        }

        public Counts plus(Counts o) {
            return new Counts(masked + o.masked, unmasked + o.unmasked, featureValues + o.featureValues);
        }
    }

    /** The weighted loss terms of one micro-batch; their sum over micro-batches and ranks is the loss. */
    public record Terms(Tensor acoustic, Tensor cqt, Tensor penalty) {
        public Tensor total() {
            return acoustic.add(cqt).add(penalty);
        }
    }

    /**
     * As the HuBERT criterion MERT trains with: cross-entropy weighted by {@code acoustic_weight} (masked)
     * and {@code unmasked_weight}, divided by the frames those weights score; the CQT error's mean over
     * the frames it scores (masked, or all with {@code cqt_frames: all}) and bins times {@code cqt_weight}; the mean squared conv feature times
     * {@code feature_penalty}.
     */
    public Terms terms(Sums s, Counts global) {
        Objective.Acoustic a = objective.acoustic();
        double scored = (a.weight() > 0 ? global.masked() : 0) + (a.unmaskedWeight() > 0 ? global.unmasked() : 0);
        scored = Math.max(1, scored);
        Tensor acoustic = s.maskedCe().mul(new Scalar(a.weight() / scored));
        if (a.unmaskedWeight() > 0) {
            acoustic = acoustic.add(s.unmaskedCe().mul(new Scalar(a.unmaskedWeight() / scored)));
        }
        long cqtFrames = scoresCqtOnAllFrames() ? global.masked() + global.unmasked() : global.masked();
        Objective.CqtLoss c = objective.cqt();
        Tensor cqt = s.cqtSum().mul(new Scalar(c.weight() / ((double) Math.max(1, cqtFrames) * c.bins())));
        Tensor penalty = s.penaltySum().mul(new Scalar(objective.front().featurePenalty()
                / Math.max(1, global.featureValues())));
        return new Terms(acoustic, cqt, penalty);
    }

    // ---- helpers ----

    private static Tensor zero(Device device) {
        return torch.zeros(1).sum().to(device, torch.ScalarType.Float);
    }

    private static Tensor unit(Tensor x) {
        return x.div(x.norm(new ScalarOptional(new Scalar(2.0)), new long[] {1}, true).clamp_min(new Scalar(1e-8)));
    }

    private static float[] flatten(float[][] rows) {
        int n = rows[0].length;
        float[] out = new float[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException("clips of a batch must have equal lengths");
            }
            System.arraycopy(rows[i], 0, out, i * n, n);
        }
        return out;
    }

    /** Flat indices b * T + t of the frames whose mask is {@code masked}. */
    private static long[] frameIndices(boolean[][] masks, boolean masked) {
        int t = masks[0].length;
        int count = 0;
        for (boolean[] m : masks) {
            for (boolean v : m) {
                count += v == masked ? 1 : 0;
            }
        }
        long[] idx = new long[count];
        int k = 0;
        for (int b = 0; b < masks.length; b++) {
            for (int f = 0; f < t; f++) {
                if (masks[b][f] == masked) {
                    idx[k++] = (long) b * t + f;
                }
            }
        }
        return idx;
    }

    private static float[] maskValues(boolean[][] masks) {
        int t = masks[0].length;
        float[] m = new float[masks.length * t];
        for (int b = 0; b < masks.length; b++) {
            for (int f = 0; f < t; f++) {
                m[b * t + f] = masks[b][f] ? 1f : 0f;
            }
        }
        return m;
    }

    private static long[] frameLabels(int[][] labels, boolean[][] masks, boolean masked, int count, int classes) {
        long[] out = new long[count];
        int k = 0;
        for (int b = 0; b < masks.length; b++) {
            for (int f = 0; f < masks[b].length; f++) {
                if (masks[b][f] == masked) {
                    int label = labels[b][f];
                    if (label < 0 || label >= classes) {
                        throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
                    }
                    out[k++] = label;
                }
            }
        }
        return out;
    }

    /** CQT target rows of the masked frames, or of every frame, in flat frame order. */
    private float[] cqtRows(float[][][] cqt, boolean[][] masks, boolean all, int count) {
        int bins = objective.cqt().bins();
        float[] out = new float[count * bins];
        int k = 0;
        for (int b = 0; b < masks.length; b++) {
            for (int f = 0; f < masks[b].length; f++) {
                if (all || masks[b][f]) {
                    System.arraycopy(cqt[b][f], 0, out, k++ * bins, bins);
                }
            }
        }
        return out;
    }

    private boolean scoresCqtOnAllFrames() {
        return objective.cqt().frames() == CqtFrames.ALL;
    }
}

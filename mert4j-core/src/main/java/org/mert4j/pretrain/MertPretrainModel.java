package org.mert4j.pretrain;

import java.util.List;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertEncoder;
import org.mert4j.nn.Linear;
import org.mert4j.tensor.Tensors;

/**
 * The MERT pretraining model (SPEC 2.2): the encoder with masked frames replaced by
 * {@code masked_spec_embed}, an acoustic head predicting each teacher codebook's label by cosine
 * similarity to learned label embeddings (temperature 0.1), and a musical head regressing the CQT.
 * Losses are returned as sums with their counts, so that data-parallel ranks can divide by the
 * global counts and get exactly the gradient of one big batch.
 */
public final class MertPretrainModel extends Module {
    private final MertEncoder encoder;
    private final Linear finalProj;
    private final Tensor labelEmbeddings;
    private final Linear cqtProj;
    private final int[] classes;
    private final int finalDim;
    private final double logitTemp;
    private final double featureGradMult;
    private final int cqtBins;

    /** @param classes number of classes of each label stream (K codebooks) */
    public MertPretrainModel(MertConfig encoderConfig, int[] classes, PretrainConfig.Objective objective) {
        if (!encoderConfig.hasMaskedSpecEmbed()) {
            throw new IllegalArgumentException("pretraining needs masked_spec_embed: set mask_time_prob > 0 in the encoder config");
        }
        if (classes.length == 0) {
            throw new IllegalArgumentException("pretraining needs at least one label stream");
        }
        this.encoder = register_module("mert", new MertEncoder(encoderConfig));
        this.classes = classes.clone();
        this.finalDim = objective.finalDim();
        this.finalProj = register_module("final_proj",
                new Linear(encoderConfig.hiddenSize(), finalDim * classes.length, true));
        int total = 0;
        for (int c : classes) {
            total += c;
        }
        // fairseq initialises the label embeddings uniformly in [0, 1)
        this.labelEmbeddings = new Tensor(register_parameter("label_embs_concat",
                torch.empty(total, finalDim).uniform_(0, 1, new GeneratorOptional())));
        this.cqtBins = objective.cqtBins();
        this.cqtProj = register_module("cqt_proj", new Linear(encoderConfig.hiddenSize(), cqtBins, true));
        this.logitTemp = objective.logitTemp();
        this.featureGradMult = objective.featureGradMult();
    }

    public MertEncoder encoder() {
        return encoder;
    }

    public int[] classes() {
        return classes.clone();
    }

    /**
     * Per-batch loss parts before normalisation.
     * @param acousticSum   sum over codebooks and masked frames of the cross-entropy
     * @param cqtSum        sum over masked frames and bins of the squared CQT error (0 without target)
     * @param penaltySum    sum of the squared conv features
     * @param correct       per codebook, masked frames whose arg-max class is the label
     * @param maskedFrames  masked frames in the batch
     * @param featureValues number of conv feature values
     */
    public record Sums(Tensor acousticSum, Tensor cqtSum, Tensor penaltySum, long[] correct, long maskedFrames,
                       long featureValues) {}

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
        Tensor wave = Tensors.fromFloats(flatten(batch.waves()), b, n).to(device, torch.ScalarType.Float);
        Tensor features = encoder.featureExtractor().forward(wave); // [B, T, C]
        Tensor penaltySum = features.pow(new Scalar(2.0)).sum();
        long featureValues = features.numel();
        features = scaleGradient(features, featureGradMult);
        Tensor x = encoder.featureProjection().forward(features); // [B, T, H]

        long[] maskedIdx = maskedIndices(batch.masks());
        Tensor idx = Tensors.fromLongs(maskedIdx, maskedIdx.length).to(device, torch.ScalarType.Long);
        Tensor maskBool = maskTensor(batch.masks()).to(device, torch.ScalarType.Bool);
        x = torch.where(maskBool.unsqueeze(-1), encoder.maskedSpecEmbed().to(x.scalar_type()), x);

        List<Tensor> states = encoder.transformer().forward(x);
        Tensor last = states.get(states.size() - 1);
        long h = last.size(2);
        Tensor lastMasked = last.reshape(-1, h).index_select(0, idx); // [M, H]

        Tensor proj = finalProj.forward(lastMasked); // [M, D*K]
        Tensor acoustic = null;
        long[] correct = new long[classes.length];
        int offset = 0;
        for (int k = 0; k < classes.length; k++) {
            Tensor pk = unit(proj.narrow(1, (long) k * finalDim, finalDim));
            Tensor ek = unit(labelEmbeddings.narrow(0, offset, classes[k]));
            Tensor logits = torch.matmul(pk, ek.t()).div(new Scalar(logitTemp)); // [M, C_k]
            long[] target = maskedLabels(batch.labels()[k], batch.masks(), maskedIdx.length, classes[k]);
            Tensor t = Tensors.fromLongs(target, target.length).to(device, torch.ScalarType.Long);
            Tensor nll = torch.log_softmax(logits, 1, new ScalarTypeOptional()).gather(1, t.unsqueeze(1)).sum().neg();
            acoustic = acoustic == null ? nll : acoustic.add(nll);
            correct[k] = logits.argmax(new org.bytedeco.pytorch.LongOptional(1), false).eq(t).sum().item_long();
            offset += classes[k];
        }
        Tensor cqtSum;
        if (batch.cqt() != null) {
            Tensor target = Tensors.fromFloats(maskedCqt(batch.cqt(), batch.masks(), maskedIdx.length),
                    maskedIdx.length, cqtBins).to(device, torch.ScalarType.Float);
            cqtSum = cqtProj.forward(lastMasked).sub(target).pow(new Scalar(2.0)).sum();
        } else {
            cqtSum = torch.zeros(1).sum().to(device, torch.ScalarType.Float);
        }
        return new Sums(acoustic, cqtSum, penaltySum, correct, maskedIdx.length, featureValues);
    }

    /** y = x in the forward pass, gradient scaled by {@code mult} (fairseq's GradMultiply). */
    static Tensor scaleGradient(Tensor x, double mult) {
        if (mult == 1.0) {
            return x;
        }
        if (mult == 0.0) {
            return x.detach();
        }
        return x.mul(new Scalar(mult)).add(x.detach().mul(new Scalar(1.0 - mult)));
    }

    private static Tensor unit(Tensor x) {
        return x.div(x.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)), new long[] {1}, true)
                .clamp_min(new Scalar(1e-8)));
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

    private static long[] maskedIndices(boolean[][] masks) {
        int t = masks[0].length;
        int count = 0;
        for (boolean[] m : masks) {
            for (boolean v : m) {
                count += v ? 1 : 0;
            }
        }
        long[] idx = new long[count];
        int k = 0;
        for (int b = 0; b < masks.length; b++) {
            for (int f = 0; f < t; f++) {
                if (masks[b][f]) {
                    idx[k++] = (long) b * t + f;
                }
            }
        }
        return idx;
    }

    private static Tensor maskTensor(boolean[][] masks) {
        int t = masks[0].length;
        float[] m = new float[masks.length * t];
        for (int b = 0; b < masks.length; b++) {
            for (int f = 0; f < t; f++) {
                m[b * t + f] = masks[b][f] ? 1f : 0f;
            }
        }
        return Tensors.fromFloats(m, masks.length, t);
    }

    private static long[] maskedLabels(int[][] labels, boolean[][] masks, int count, int classes) {
        long[] out = new long[count];
        int k = 0;
        for (int b = 0; b < masks.length; b++) {
            for (int f = 0; f < masks[b].length; f++) {
                if (masks[b][f]) {
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

    private float[] maskedCqt(float[][][] cqt, boolean[][] masks, int count) {
        float[] out = new float[count * cqtBins];
        int k = 0;
        for (int b = 0; b < masks.length; b++) {
            for (int f = 0; f < masks[b].length; f++) {
                if (masks[b][f]) {
                    System.arraycopy(cqt[b][f], 0, out, k++ * cqtBins, cqtBins);
                }
            }
        }
        return out;
    }
}

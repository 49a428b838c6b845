package org.mert4j.model;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.nn.cpu.InferenceLinear;
import org.mert4j.nn.cpu.InferenceLinear.Kernel;
import org.mert4j.nn.cpu.OneDnnConv;
import org.mert4j.nn.cpu.OneDnnLinear;
import org.mert4j.nn.cpu.TimeMajorConvLayer;

/**
 * The CPU inference plan of a {@link MertEncoder}: the same maths as its forward pass, on kernels
 * chosen once when the plan is built (docs/performance.md says why each exists). fp32 Linears run
 * on oneDNN with q, k and v stacked and GELU fused; the conv front runs time-major with GroupNorm
 * folded into its first layer ({@link CpuConvFront}); the positional conv keeps its weight-norm weight;
 * with int8, FBGEMM packs replace the transformer's Linears and the later conv layers. Norms, the
 * residual structure and attention are the plain modules' own.
 *
 * <p>A snapshot: what it derives from the weights (stacked q/k/v, the weight-norm weight, int8 packs)
 * is computed when it is built, so weights changed afterwards need a new plan. It owns that memory
 * and frees it on {@link #close()}; it must not outlive the encoder it was built from. Inference only
 * (no dropout, no gradients: oneDNN's and FBGEMM's operators have no autograd formula); thread-safe.
 */
final class CpuEncoder implements WaveformEncoder, AutoCloseable {
    private final MertEncoder plain;
    private final CpuConvFront convFront;
    private final InferenceLinear projection;
    // null: the plain positional conv, channel-major
    private final TimeMajorConvLayer posConv;
    private final List<CpuTransformerLayer> layers;

    CpuEncoder(MertEncoder plain, CpuInferenceOptions options) {
        this.plain = plain;
        boolean oneDnn = options.oneDnn() && OneDnnLinear.available();
        Kernel fp32 = oneDnn ? Kernel.ONEDNN : Kernel.TORCH;
        Kernel transformerKernel = options.int8() ? Kernel.INT8 : fp32;
        try (NoGradGuard guard = new NoGradGuard()) {
            this.convFront = new CpuConvFront(plain.featureExtractor(), options);
            // the feature projection stays fp32: it is one Linear, and int8 there would cost fidelity
            this.projection = InferenceLinear.of(plain.featureProjection().projection, fp32);
            PositionalConvEmbedding pos = plain.transformer().posConv;
            this.posConv = options.oneDnn() && OneDnnConv.available()
                    ? TimeMajorConvLayer.keptWeightNorm(pos.conv, pos.act) : null;
            List<CpuTransformerLayer> built = new ArrayList<>();
            for (TransformerLayer layer : plain.transformer().layers) {
                built.add(new CpuTransformerLayer(layer, transformerKernel));
            }
            this.layers = List.copyOf(built);
        }
    }

    @Override
    public MertConfig config() {
        return plain.config();
    }

    /** As {@link MertEncoder#forward(Tensor)}, in eval mode. */
    @Override
    public List<Tensor> forward(Tensor wave) {
        MertEncoder.checkWaveforms(plain.config(), wave);
        Tensor features = convFront.forward(wave);
        Tensor x = projection.forward(plain.featureProjection().normalised(plain.withCqt(wave, features)));
        TransformerEncoder transformer = plain.transformer();
        Tensor h = x.add(positional(x));
        if (!transformer.preNorm) {
            h = transformer.layerNorm.forward(h);
        }
        List<Tensor> states = new ArrayList<>(layers.size() + 1);
        for (CpuTransformerLayer layer : layers) {
            states.add(h);
            h = layer.forward(h);
        }
        states.add(transformer.preNorm ? transformer.layerNorm.forward(h) : h);
        return states;
    }

    /** The conv front alone: [B, N] waveform -> [B, T, C] features. */
    Tensor convFeatures(Tensor wave) {
        return convFront.forward(wave);
    }

    private Tensor positional(Tensor x) {
        PositionalConvEmbedding pos = plain.transformer().posConv;
        if (posConv == null) {
            return pos.forward(x);
        }
        Tensor y = posConv.forward(x); // time-major in and out, the activation applied as oneDNN writes
        return pos.dropLast ? y.narrow(1, 0, y.size(1) - 1) : y;
    }

    @Override
    public void close() {
        convFront.close();
        projection.close();
        if (posConv != null) {
            posConv.close();
        }
        layers.forEach(CpuTransformerLayer::close);
    }
}

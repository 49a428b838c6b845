package org.mert4j.nn;

import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** y = x W^T + b. Parameters {@code weight} [out, in] and {@code bias} [out], as in PyTorch. */
public final class Linear extends Module implements LinearKernel {
    public final int inFeatures;
    public final int outFeatures;
    public final Tensor weight;
    public final Tensor bias;

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        // BERT-style init used by Hugging Face for Hubert: N(0, 0.02), zero bias
        this.weight = new Tensor(register_parameter("weight", torch.empty(outFeatures, inFeatures).normal_(0, 0.02, new GeneratorOptional())));
        this.bias = bias ? new Tensor(register_parameter("bias", torch.zeros(outFeatures))) : null;
    }

    /** [..., in] -> [..., out] */
    @Override
    public Tensor forward(Tensor x) {
        return bias == null ? torch.linear(x, weight) : torch.linear(x, weight, new TensorOptional(bias));
    }
}

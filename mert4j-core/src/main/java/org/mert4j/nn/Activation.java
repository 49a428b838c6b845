package org.mert4j.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The activations Hugging Face configs name ({@code hidden_act}, {@code feat_extract_activation}). */
public enum Activation {
    GELU, GELU_TANH, RELU, SILU;

    public static Activation of(String hfName) {
        return switch (hfName) {
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
            case "relu" -> RELU;
            case "silu", "swish" -> SILU;
            default -> throw new IllegalArgumentException("unsupported activation '" + hfName + "'");
        };
    }

    public Tensor apply(Tensor x) {
        return switch (this) {
            case GELU -> torch.gelu(x); // exact erf form, as MERT uses
            case GELU_TANH -> torch.gelu(x, "tanh");
            case RELU -> torch.relu(x);
            case SILU -> torch.silu(x);
        };
    }
}

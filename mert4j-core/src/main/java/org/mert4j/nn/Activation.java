package org.mert4j.nn;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The activations Hugging Face configs name ({@code hidden_act}, {@code feat_extract_activation}), one constant per
 * accepted name, so that a config is written back with the name it was read with.
 */
public enum Activation {
    /** Exact (erf) GELU, as MERT uses. */
    GELU("gelu"),
    /** GELU's tanh approximation. */
    GELU_NEW("gelu_new"),
    /** GELU's tanh approximation, under PyTorch's name. */
    GELU_PYTORCH_TANH("gelu_pytorch_tanh"),
    RELU("relu"),
    SILU("silu"),
    /** SiLU under its other name. */
    SWISH("swish");

    private final String hfName;

    Activation(String hfName) {
        this.hfName = hfName;
    }

    /** The activation a Hugging Face config names. */
    public static Activation of(String hfName) {
        for (Activation a : values()) {
            if (a.hfName.equals(hfName)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported activation '" + hfName + "'; supported: " + names());
    }

    /** Every name {@link #of} accepts. */
    public static List<String> names() {
        List<String> all = new ArrayList<>();
        for (Activation a : values()) {
            all.add(a.hfName);
        }
        return all;
    }

    /** The name a Hugging Face config gives this activation. */
    public String hfName() {
        return hfName;
    }

    public Tensor apply(Tensor x) {
        return switch (this) {
            case GELU -> torch.gelu(x);
            case GELU_NEW, GELU_PYTORCH_TANH -> torch.gelu(x, "tanh");
            case RELU -> torch.relu(x);
            case SILU, SWISH -> torch.silu(x);
        };
    }
}

package org.mert4j.nn;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The activations Hugging Face configs name ({@code hidden_act}, {@code feat_extract_activation}). */
public enum Activation {
    /** Exact (erf) GELU, as MERT uses. */
    GELU("gelu"),
    GELU_TANH("gelu_new", "gelu_pytorch_tanh"),
    RELU("relu"),
    SILU("silu", "swish");

    private final List<String> hfNames;

    Activation(String... hfNames) {
        this.hfNames = List.of(hfNames);
    }

    /** The activation a Hugging Face config names. */
    public static Activation of(String hfName) {
        for (Activation a : values()) {
            if (a.hfNames.contains(hfName)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported activation '" + hfName + "'; supported: " + names());
    }

    /** Every name {@link #of} accepts. */
    public static List<String> names() {
        List<String> all = new ArrayList<>();
        for (Activation a : values()) {
            all.addAll(a.hfNames);
        }
        return all;
    }

    public Tensor apply(Tensor x) {
        return switch (this) {
            case GELU -> torch.gelu(x);
            case GELU_TANH -> torch.gelu(x, "tanh");
            case RELU -> torch.relu(x);
            case SILU -> torch.silu(x);
        };
    }
}

package org.mert4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.io.CheckpointException;
import org.mert4j.tensor.Tensors;

/**
 * Copies a Hugging Face state dict into a {@link MertEncoder} (docs/model.md, "Checkpoints"). Accepts both weight-norm
 * namings of the positional conv ({@code weight_g/weight_v} and
 * {@code parametrizations.weight.original0/1}) and an already-fused {@code weight}; strips the
 * {@code hubert.} / {@code mert_model.} prefixes of task-head models. A missing, unexpected or
 * mis-shaped tensor is an error naming the key and the shapes. {@code masked_spec_embed} is only
 * used when masking in pretraining, so it may be absent from (or present in) either side; the CQT kernels that
 * MERT's code stores for {@code feature_extractor_cqt} are rebuilt from the config, so they are skipped.
 */
public final class WeightLoader {
    private static final String POS_CONV = "encoder.pos_conv_embed.conv.";
    private static final String MASK_EMBED = "masked_spec_embed";
    // the fixed kernel bank of MERT's CQT input front (nnAudio buffers): mert4j builds it from the config
    private static final String CQT_INPUT = "feature_extractor_cqt.";

    private WeightLoader() {}

    /** Loads {@code state} into {@code model}; {@code source} names the checkpoint in error messages. */
    public static void load(MertEncoder model, Map<String, Tensor> state, String source) {
        Map<String, Tensor> named = canonical(state);
        StringTensorDict params = model.named_parameters();
        Map<String, Tensor> targets = new LinkedHashMap<>();
        for (long i = 0; i < params.size(); i++) {
            // a new Tensor holds its own reference: the dictionary item is freed with the dictionary
            targets.put(params.get(i).key().getString(), new Tensor(params.get(i).value()));
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : targets.entrySet()) {
            Tensor src = named.get(e.getKey());
            if (src == null) {
                if (!e.getKey().equals(MASK_EMBED)) {
                    problems.add("missing tensor '" + e.getKey() + "' (expected shape "
                            + Tensors.shapeString(e.getValue()) + ")");
                }
                continue;
            }
            long[] want = Tensors.shape(e.getValue());
            long[] got = Tensors.shape(src);
            if (!Arrays.equals(want, got)) {
                problems.add("tensor '" + e.getKey() + "' has shape " + Arrays.toString(got) + ", the config needs "
                        + Arrays.toString(want));
            } else if (src.scalar_type().intern() != torch.ScalarType.Float) {
                problems.add("tensor '" + e.getKey() + "' has dtype " + src.scalar_type() + ", expected a float type");
            }
        }
        for (String k : named.keySet()) {
            boolean cqtBank = model.config().hasCqtInput() && k.startsWith(CQT_INPUT);
            if (!targets.containsKey(k) && !k.equals(MASK_EMBED) && !cqtBank) {
                problems.add("unexpected tensor '" + k + "' (shape " + Tensors.shapeString(named.get(k))
                        + ") that a " + model.config().transformer().numLayers() + "-layer MERT encoder does not have");
            }
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 12);
            throw new CheckpointException(source + ": checkpoint does not match config.json ("
                    + model.config() + "):\n  " + String.join("\n  ", problems.subList(0, shown))
                    + (problems.size() > shown ? "\n  ... and " + (problems.size() - shown) + " more" : ""));
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : targets.entrySet()) {
                Tensor src = named.get(e.getKey());
                if (src != null) {
                    e.getValue().copy_(src);
                }
            }
        }
    }

    /** Keys renamed to mert4j's parameter names; a fused positional-conv weight split into g and v. */
    static Map<String, Tensor> canonical(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String k = e.getKey();
            for (String prefix : new String[] {"hubert.", "mert_model."}) {
                if (k.startsWith(prefix)) {
                    k = k.substring(prefix.length());
                    break;
                }
            }
            k = k.replace("parametrizations.weight.original0", "weight_g")
                    .replace("parametrizations.weight.original1", "weight_v");
            if (out.containsKey(k)) {
                throw new CheckpointException("checkpoint has tensor '" + k + "' twice (under two names)");
            }
            out.put(k, e.getValue());
        }
        Tensor fused = out.remove(POS_CONV + "weight");
        if (fused != null) {
            if (out.containsKey(POS_CONV + "weight_g") || out.containsKey(POS_CONV + "weight_v")) {
                throw new CheckpointException("checkpoint has both a fused '" + POS_CONV + "weight' and weight_g/weight_v");
            }
            // v = w, g = ||w|| per kernel tap: then g * v / ||v|| == w exactly
            out.put(POS_CONV + "weight_v", fused);
            out.put(POS_CONV + "weight_g", fused.dim() == 3 ? torch.norm_except_dim(fused, 2, 2) : fused);
        }
        return out;
    }
}

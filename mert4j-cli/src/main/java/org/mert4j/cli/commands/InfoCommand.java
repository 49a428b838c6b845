package org.mert4j.cli.commands;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.ModelSource;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mert info}: what a model folder holds, checked by loading it. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Prints a model's architecture.",
            "",
            "Loads the model and prints: type, parameter count, hidden size, layers, attention heads, FFN size,"
                + " layer-norm placement, conv front norm, sample rate, frame rate, number of hidden states"
                + " returned (L+1) and whether inputs are normalised.",
            "Loading the weights also checks that the checkpoint is complete and matches config.json."},
        footer = {
            "",
            "Examples:",
            "  mert info --model MERT-v1-95M",
            "  mert info --model MERT-v1-330M --json",
            "  mert info --model preset:v1-95m",
            "",
            "Exit status: 0 ok, 2 the model cannot be loaded."})
public final class InfoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR|ID",
            description = "Hugging Face model folder, Hub model id (m-a-p/MERT-v1-95M, org/name@revision), or"
                    + " preset:NAME (v0, v1-95m, v1-330m, small, cpu, tiny).")
    private String model;

    @Option(names = "--json", description = "Print one JSON object instead of aligned text.")
    private boolean json;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        ModelSource source = ModelSource.parse(model, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        try (MertModel mert = source.open("cpu", spec.commandLine().getErr())) {
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(asJson(source, mert)));
            } else {
                Map<String, String> rows = rows(source, mert);
                int w = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
                rows.forEach((k, v) -> out.println(String.format(Locale.ROOT, "%-" + (w + 1) + "s  %s", k + ":", v)));
            }
            out.flush();
        }
        return ExitCode.OK;
    }

    static Map<String, String> rows(ModelSource source, MertModel mert) {
        MertConfig c = mert.config();
        Map<String, String> r = new LinkedHashMap<>();
        r.put("model", source.isPreset() ? source.text() + " (random weights)" : source.hubId() != null
                ? source.hubId() + " (" + source.dir() + ")" : source.dir().toString());
        r.put("model type", c.modelType());
        r.put("parameters", String.format(Locale.ROOT, "%,d", mert.parameterCount()));
        r.put("hidden size", String.valueOf(c.transformer().hiddenSize()));
        r.put("layers", String.valueOf(c.transformer().numLayers()));
        r.put("attention heads", String.valueOf(c.transformer().numHeads()));
        r.put("FFN size", String.valueOf(c.transformer().intermediateSize()));
        r.put("layer norm", layerNorm(c));
        r.put("conv front norm", c.convFront().norm().configName());
        r.put("sample rate", c.sampleRate() + " Hz");
        r.put("frame rate", number(c.frameRate()) + " Hz");
        r.put("hidden states", (c.numHiddenStates()) + " (L+1: transformer input and each layer's output)");
        r.put("do_normalize", String.valueOf(mert.preprocessor().doNormalize()));
        return r;
    }

    static ObjectNode asJson(ModelSource source, MertModel mert) {
        MertConfig c = mert.config();
        ObjectNode n = JSON.createObjectNode();
        n.put("model", source.isPreset() ? source.text() : source.dir().toString());
        if (source.hubId() != null) {
            n.put("hub_id", source.hubId());
        }
        n.put("random_weights", source.isPreset());
        n.put("model_type", c.modelType());
        n.put("parameters", mert.parameterCount());
        n.put("hidden_size", c.transformer().hiddenSize());
        n.put("num_hidden_layers", c.transformer().numLayers());
        n.put("num_attention_heads", c.transformer().numHeads());
        n.put("intermediate_size", c.transformer().intermediateSize());
        n.put("layer_norm", layerNorm(c));
        n.put("conv_front_norm", c.convFront().norm().configName());
        n.put("sample_rate", c.sampleRate());
        n.put("frame_rate_hz", c.frameRate());
        n.put("hidden_states", c.numHiddenStates());
        n.put("do_normalize", mert.preprocessor().doNormalize());
        return n;
    }

    private static String layerNorm(MertConfig c) {
        return c.transformer().preNorm() ? "pre-LN" : "post-LN";
    }

    /** 75 rather than 75.0; 50.5 stays as it is. */
    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}

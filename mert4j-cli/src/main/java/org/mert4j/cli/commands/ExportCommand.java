package org.mert4j.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;
import org.mert4j.pretrain.Checkpoints;
import org.mert4j.pretrain.PretrainConfig;
import org.mert4j.pretrain.PretrainExport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mert export}: a pretraining checkpoint as a Hugging Face model folder. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Writes the encoder of a pretraining run as a Hugging Face model folder: config.json (model_type"
                + " mert_model with the Hubert keys), preprocessor_config.json and model.safetensors with the"
                + " released key names. `mert embed` and the Python MERTModel both load it."},
        footer = {"", "Examples:", "  mert export runs/tiny --out models/tiny-mert",
            "  mert export runs/tiny --checkpoint runs/tiny/checkpoints/step-00000200 \\",
            "              --out models/tiny-200"})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Run folder of `mert pretrain`.")
    private Path run;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "A checkpoint folder (default: the newest).")
    private Path checkpoint;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Model folder to write.")
    private Path out;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() {
        Path config = run.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new UsageException(run + " is not a pretraining run folder (no config.json)");
        }
        Path ckpt = checkpoint != null ? checkpoint : new Checkpoints(run, 1).latestComplete(
                msg -> spec.commandLine().getErr().println("mert export: skipping " + msg))
                .orElseThrow(() -> new UsageException(run + " has no complete checkpoint"));
        long step = PretrainExport.export(PretrainConfig.read(config), ckpt, out);
        spec.commandLine().getErr().println("mert export: step " + step + " of " + run + " -> " + out);
        if (PretrainConfig.read(config).encoderConfig().hasSpectrogramFront()) {
            // its model_type names no transformers class, so Python refuses the folder instead of loading it wrong
            spec.commandLine().getErr().println("mert export: this model has the spectrogram input front, which"
                    + " transformers' Hubert and MERT's Python code do not have: the folder loads in mert4j"
                    + " (--model " + out + "), not in Python");
        }
        return ExitCode.OK;
    }
}

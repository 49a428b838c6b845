package org.mert4j.cli;

import org.mert4j.cli.commands.BenchCommand;
import org.mert4j.cli.commands.CorpusCommand;
import org.mert4j.cli.commands.EmbedCommand;
import org.mert4j.cli.commands.ExportCommand;
import org.mert4j.cli.commands.FeaturesCommand;
import org.mert4j.cli.commands.IndexCommand;
import org.mert4j.cli.commands.InfoCommand;
import org.mert4j.cli.commands.LabelsCommand;
import org.mert4j.cli.commands.ManifestCommand;
import org.mert4j.cli.commands.PlotCommand;
import org.mert4j.cli.commands.PretrainCommand;
import org.mert4j.cli.commands.ProbeCommand;
import org.mert4j.cli.commands.ServeCommand;
import org.mert4j.cli.commands.TasksCommand;
import org.mert4j.cli.commands.TeacherCommand;
import org.mert4j.cli.console.Version;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mert}: the command line of mert4j. */
@Command(name = "mert", mixinStandardHelpOptions = true, versionProvider = Version.class, usageHelpAutoWidth = true,
        subcommands = {EmbedCommand.class, InfoCommand.class, FeaturesCommand.class, ManifestCommand.class,
            LabelsCommand.class, TeacherCommand.class, PretrainCommand.class, ExportCommand.class, PlotCommand.class,
            ProbeCommand.class, TasksCommand.class, CorpusCommand.class, IndexCommand.class, ServeCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class},
        description = {"MERT music features on the JVM (Hugging Face MERT checkpoints on libtorch)."},
        footer = {
            "",
            "Examples:",
            "  mert info --model MERT-v1-95M",
            "  mert embed --model MERT-v1-95M --out feats/ music/",
            "  mert manifest music/ --out data/ --valid-percent 1",
            "  mert labels --teacher hubert-kmeans --teacher-model MERT-v0 --layer 6 --fit \\",
            "              --manifest data/train.tsv --out labels/hubert6",
            "  mert index build --embeddings feats/ --layer 6 --out feats.idx",
            "  mert serve --model MERT-v1-95M --index feats.idx --audio-root music/",
            "  mert embed --help",
            "",
            "Environment: JAVA_OPTS (JVM options, e.g. -Xmx8g), MERT_DEBUG=1 (stack traces on errors)."})
public final class Main implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        // the list of commands comes from the annotation, so this message never goes stale
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The configured command line, also used by tests to run {@code mert} in-process. */
    public static CommandLine commandLine() {
        ErrorHandler errors = new ErrorHandler();
        return new CommandLine(new Main())
                // @list.txt is mert's own list of inputs (paths relative to the list, line numbers in errors),
                // not picocli's file of arguments
                .setExpandAtFiles(false)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }

    public static void main(String[] args) {
        // before any native library loads: the same unpacked libtorch and FFmpeg as the Spark jar's
        org.mert4j.tensor.NativeLibraryCache.shareAcrossJars();
        String blas = org.mert4j.tensor.CpuThreads.blasWarning(System.getenv());
        if (blas != null) {
            System.err.println("mert: warning: " + blas);
        }
        System.exit(commandLine().execute(args));
    }
}

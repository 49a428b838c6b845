package org.mert4j.cli.commands;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.mert4j.cli.charts.LineChart;
import org.mert4j.cli.console.Counts;
import org.mert4j.cli.options.ExitCode;
import org.mert4j.cli.options.UsageException;
import org.mert4j.cli.options.VerboseOption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mert plot}: training curves of a run as a PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Draws the curves of RUN_DIR/metrics.jsonl to a PNG: loss and its parts (log scale), masked"
            + " accuracy per codebook (training and validation), validation loss and CQT error, gradient norm and"
            + " learning rate."},
        footer = {"", "Examples:", "  mert plot runs/tiny                 # writes runs/tiny/curves.png",
            "  mert plot runs/tiny --out tiny.png"})
public final class PlotCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Run folder of `mert pretrain`.")
    private Path run;

    @Option(names = {"-o", "--out"}, paramLabel = "PNG", description = "Image to write (default RUN_DIR/curves.png).")
    private Path out;

    @Mixin
    private VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        Path metrics = run.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) {
            throw new UsageException(metrics + " does not exist: is " + run + " a pretraining run folder?");
        }
        List<JsonNode> train = new ArrayList<>();
        List<JsonNode> valid = new ArrayList<>();
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (java.io.IOException e) {
                continue; // a line cut by a kill
            }
            (n.has("valid_loss") ? valid : train).add(n);
        }
        if (train.isEmpty()) {
            throw new UsageException(metrics + " has no training steps yet");
        }
        double[] steps = column(train, "step");
        LineChart loss = new LineChart("loss", "step", true).integerX().yLabel("loss (log)").line("total", steps, column(train, "loss"));
        for (String[] part : new String[][] {{"acoustic", "acoustic"}, {"cqt", "cqt"}, {"feature penalty", "penalty"}}) {
            double[] values = column(train, part[1]);
            // a term switched off (weight 0) is 0 throughout: on a log axis it would only squash the others
            if (Arrays.stream(values).anyMatch(v -> v > 0)) {
                loss.line(part[0], steps, values);
            }
        }
        if (!valid.isEmpty()) {
            loss.points("validation", column(valid, "step"), column(valid, "valid_loss"));
        }
        LineChart acc = new LineChart("masked accuracy", "step", false).integerX().yLabel("accuracy");
        int k = train.get(0).path("accuracy").size();
        for (int c = 0; c < k; c++) {
            acc.line("codebook " + c, steps, element(train, "accuracy", c));
        }
        if (!valid.isEmpty()) {
            for (int c = 0; c < k; c++) {
                acc.points("validation " + c, column(valid, "step"), element(valid, "valid_accuracy", c));
            }
        }
        List<LineChart> charts = new ArrayList<>(List.of(loss, acc));
        List<JsonNode> withCqt = valid.stream().filter(n -> n.has("valid_cqt_error")).toList();
        if (!withCqt.isEmpty()) {
            charts.add(new LineChart("validation CQT error (mean squared)", "step", false).integerX().yLabel("error")
                    .points("validation", column(withCqt, "step"), column(withCqt, "valid_cqt_error")));
        }
        LineChart grad = new LineChart("gradient norm (before clipping)", "step", true).integerX().yLabel("norm (log)")
                .line("|g|", steps, column(train, "grad_norm"));
        LineChart lr = new LineChart("learning rate", "step", false).integerX().yLabel("lr").line("lr", steps, column(train, "lr"));
        Path target = out != null ? out : run.resolve("curves.png");
        charts.add(grad);
        charts.add(lr);
        LineChart.writePng(target, charts, 2);
        spec.commandLine().getErr().println("mert plot: " + Counts.of(train.size(), "logged step") + " (up to step "
                + Math.round(steps[steps.length - 1]) + ") -> " + target);
        return ExitCode.OK;
    }

    private static double[] column(List<JsonNode> rows, String key) {
        return rows.stream().mapToDouble(n -> n.path(key).asDouble(Double.NaN)).toArray();
    }

    private static double[] element(List<JsonNode> rows, String key, int i) {
        return rows.stream().mapToDouble(n -> n.path(key).path(i).asDouble(Double.NaN)).toArray();
    }
}

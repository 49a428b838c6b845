package org.mert4j.cli.commands;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mert4j.cli.options.UsageException;
import org.mert4j.model.MertConfig;
import org.mert4j.pretrain.PretrainConfig;
import org.mert4j.teacher.LabelSet;
import org.mert4j.teacher.Manifest;

/**
 * What {@code mert pretrain} checks and says before training: the manifests and label folders exist and
 * belong together, rows without labels are reported (and too many of them stop the run), and the
 * resolved settings and learning-rate schedule are summed up.
 */
final class PretrainPreflight {
    private PretrainPreflight() {
    }

    /**
     * Checks the training (and validation) data; reports rows without labels to {@code report} (null: quiet).
     *
     * @throws UsageException naming the file when something is missing, or when more than {@code maxPercent}
     *                        of a manifest's rows have no labels
     */
    static void check(PretrainConfig c, double maxPercent, PrintWriter report) {
        checkSet("training", c.data().manifest(), c.data().labels(), maxPercent, report);
        if (c.data().validManifest() != null || c.data().validLabels() != null) {
            checkSet("validation", c.data().validManifest(), c.data().validLabels(), maxPercent, report);
        }
    }

    private static void checkSet(String what, String manifestPath, String labelDir, double maxPercent,
                                 PrintWriter report) {
        if (manifestPath == null || labelDir == null) {
            throw new UsageException("need a " + what + " manifest and its labels: --manifest and --labels (or"
                    + " data.manifest and data.labels in --config)");
        }
        Path manifestFile = Path.of(manifestPath);
        Path labels = Path.of(labelDir);
        if (!Files.isRegularFile(manifestFile)) {
            throw new UsageException(manifestFile + ": " + what + " manifest not found");
        }
        if (!Files.isDirectory(labels)) {
            throw new UsageException(labels + ": " + what + " label folder not found (make it with mert labels)");
        }
        Manifest m = Manifest.read(manifestFile);
        try (LabelSet set = LabelSet.open(labels, m)) {
            Map<Integer, String> missing = set.missing();
            if (missing.isEmpty()) {
                return;
            }
            int row = missing.keySet().iterator().next();
            String line = String.format(Locale.ROOT, "%d of %d %s rows have no labels (#FAILED in %s) and are left"
                    + " out; the first is row %d, %s: %s", missing.size(), m.size(), what, labels, row + 1,
                    m.get(row).path(), missing.get(row));
            double percent = 100.0 * missing.size() / Math.max(1, m.size());
            if (percent > maxPercent) {
                throw new UsageException(line + String.format(Locale.ROOT, ". That is %.0f%% of the rows, above"
                        + " --max-unlabelled %s%%: fix or remove those files and label again, or raise"
                        + " --max-unlabelled", percent, num(maxPercent)));
            }
            if (report != null) {
                report.println("mert pretrain: " + line);
                report.flush();
            }
        }
    }

    /** The resolved settings in a few lines, schedule first (what a run log needs to be read later). */
    static List<String> summary(PretrainConfig c, int world, int threads, Path out, String scheduleNote) {
        PretrainConfig.Optim o = c.optim();
        PretrainConfig.Run r = c.run();
        MertConfig enc = c.encoderConfig();
        int crop = (int) Math.round(c.data().cropSeconds() * enc.sampleRate());
        int clips = Math.max(1, c.data().maxTokens() / crop);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "schedule: updates 1-%d; learning rate warm-up from 0 to %.2e over %d"
                        + " updates, then linear decay to 0 at update %d%s", r.maxSteps(), o.lr(), o.warmupSteps(),
                o.totalSteps(), scheduleNote == null ? "" : " (" + scheduleNote + ")"));
        if (o.totalSteps() > r.maxSteps()) {
            lines.add(String.format(Locale.ROOT, "schedule: the run stops at update %d, before the decay ends (the"
                    + " learning rate is then still %.0f%% of its peak)", r.maxSteps(),
                    100.0 * new org.mert4j.optim.LrSchedule(o.lr(), o.warmupSteps(), o.totalSteps()).at(r.maxSteps())
                            / o.lr()));
        }
        lines.add(String.format(Locale.ROOT, "optimiser: AdamW betas %s/%s, eps %s, weight decay %s, gradient clip"
                        + " %s, %s, %d micro-batch(es) per update", num(o.beta1()), num(o.beta2()), num(o.eps()),
                num(o.weightDecay()), num(o.clipNorm()), o.precision(), o.gradAccum()));
        lines.add(String.format(Locale.ROOT, "model: %d layers, hidden %d, %d Hz; batches of %d clips of %s s per"
                        + " rank; %s, %d rank(s) x %d thread(s)", enc.transformer().numLayers(), enc.transformer().hiddenSize(),
                enc.sampleRate(), clips, num(c.data().cropSeconds()), r.device(), world, threads));
        lines.add(String.format(Locale.ROOT, "run folder %s: metrics every %d updates, checkpoint every %d (last %d"
                + " kept)", out, r.logEvery(), r.saveEvery(), r.keepLast()));
        return lines;
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }
}

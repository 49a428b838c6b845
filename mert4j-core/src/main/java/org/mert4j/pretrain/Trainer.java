package org.mert4j.pretrain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.optim.AdamW;
import org.mert4j.optim.LrSchedule;
import org.mert4j.io.AtomicFiles;
import org.mert4j.model.MertConfig;
import org.mert4j.model.PreprocessorConfig;
import org.mert4j.tensor.Devices;

/**
 * The pretraining loop: per update, fetch the micro-batches, agree on the global counts of masked
 * frames and feature values, forward and backward each micro-batch with losses divided by those
 * counts, sum gradients over ranks, clip, step AdamW on the warm-up/decay schedule; log, validate and
 * checkpoint. Every update re-seeds libtorch's generator from (seed, step), and the batch source is
 * deterministic in its position, so a run resumed from a checkpoint continues the same trajectory.
 */
public final class Trainer implements AutoCloseable {
    /** Receives progress (the command line draws it). */
    public interface Listener {
        default void onStart(long firstStep, long lastStep) {}

        default void onStep(StepMetrics m) {}

        default void onValidation(long step, double loss, double[] accuracy) {}

        default void onCheckpoint(long step, Path path) {}

        /** Something the user should know, e.g. a damaged checkpoint that resuming skipped. */
        default void onNotice(String message) {}
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PretrainConfig config;
    private final Path runDir;
    private final BatchSource train;
    private final BatchSource valid;
    private final GradientSync sync;
    private final Listener listener;
    private final Device device;
    private final MertPretrainModel model;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final Checkpoints checkpoints;
    private final Precision precision;
    private final int sampleRate;
    private final int featureChannels;
    private long step;
    private long skippedSteps;
    private int badInARow;

    public Trainer(PretrainConfig config, Path runDir, BatchSource train, BatchSource valid, GradientSync sync,
                   Listener listener) {
        this.config = config;
        this.runDir = runDir;
        this.train = train;
        this.valid = valid;
        this.sync = sync;
        this.listener = listener == null ? new Listener() { } : listener;
        this.device = Devices.parse(config.run().device());
        this.precision = new Precision(config.optim().precision(), device);
        MertConfig enc = config.encoderConfig();
        this.sampleRate = enc.sampleRate();
        this.featureChannels = enc.frontOutputDim();
        torch.manual_seed(config.data().seed()); // same initial weights on every rank
        this.model = new MertPretrainModel(enc, train.classes(), config.objective());
        model.to(device, false);
        PretrainConfig.Optim o = config.optim();
        this.optimizer = new AdamW(Checkpoints.namedParameters(model), o.beta1(), o.beta2(), o.eps(), o.weightDecay());
        this.schedule = new LrSchedule(o.lr(), o.warmupSteps(), o.totalSteps());
        this.checkpoints = new Checkpoints(runDir, config.run().keepLast());
    }

    public MertPretrainModel model() {
        return model;
    }

    public long step() {
        return step;
    }

    /**
     * Continues from the newest complete checkpoint of the run folder, if there is one; returns its step.
     * Newer checkpoints that are incomplete or damaged are skipped, each told to the listener.
     */
    public Optional<Long> resume() {
        Optional<Path> latest = checkpoints.latestComplete(listener::onNotice);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Checkpoints.Saved saved = Checkpoints.load(latest.get(), model, optimizer);
        step = saved.step();
        skippedSteps = saved.trainer().path("skipped_steps").asLong(0);
        precision.setLossScale(saved.trainer().path("loss_scale").asDouble(precision.lossScale()));
        JsonNode pos = saved.trainer().get("train_position");
        if (pos instanceof ObjectNode p) {
            train.seek(p);
        }
        if (sync.rank() == 0) {
            truncateMetrics(step);
        }
        return Optional.of(step);
    }

    /** Trains until {@code run.max_steps}; checkpoints every {@code run.save_every} steps and at the end. */
    public void train() {
        long last = config.run().maxSteps();
        listener.onStart(step + 1, last);
        while (step < last) {
            StepMetrics m = trainStep();
            if (sync.rank() == 0 && (step % config.run().logEvery() == 0 || step == last || m.skipped())) {
                appendMetrics(m);
            }
            listener.onStep(m);
            if (valid != null && config.run().validEvery() > 0 && step % config.run().validEvery() == 0) {
                validate();
            }
            if (step % config.run().saveEvery() == 0 || step == last) {
                save();
            }
        }
    }

    /** One update over {@code optim.grad_accum} micro-batches. */
    public StepMetrics trainStep() {
        long started = System.nanoTime();
        step++;
        torch.manual_seed(config.data().seed() * 1_000_003L + step);
        List<PretrainBatch> micro = new ArrayList<>();
        for (int i = 0; i < config.optim().gradAccum(); i++) {
            micro.add(train.next());
        }
        MertPretrainModel.Counts counts = new MertPretrainModel.Counts(0, 0, 0);
        long samples = 0;
        for (PretrainBatch b : micro) {
            counts = counts.plus(MertPretrainModel.Counts.of(b, featureChannels));
            samples += (long) b.size() * b.samples();
        }
        long[] global = {counts.masked(), counts.unmasked(), counts.featureValues(), samples};
        sync.sumLongs(global); // the loss is divided by counts over every rank
        counts = new MertPretrainModel.Counts(global[0], global[1], global[2]);
        samples = global[3];
        model.train(true);
        UpdateTotals totals = new UpdateTotals(train.classes().length);
        for (PretrainBatch b : micro) {
            try (PointerScope scope = new PointerScope()) {
                MertPretrainModel.Sums s;
                try (AutoCloseable autocast = precision.enter()) {
                    s = model.forward(b, device);
                } catch (Exception e) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                MertPretrainModel.Terms terms = model.terms(s, counts);
                totals.add(terms, s);
                Tensor loss = terms.total();
                (precision.lossScale() == 1.0 ? loss : loss.mul(new Scalar(precision.lossScale()))).backward();
            }
        }
        totals.sumOverRanks(sync);
        List<Tensor> grads = gradients();
        sync.sumGradients(grads);
        if (precision.lossScale() != 1.0) {
            optimizer.scaleGradients(1.0 / precision.lossScale());
        }
        double norm = optimizer.clipGradNorm(config.optim().clipNorm());
        double loss = totals.loss();
        double lr = schedule.at(step);
        boolean bad = !Double.isFinite(loss) || !Double.isFinite(norm);
        boolean overflow = bad && Double.isFinite(loss) && precision.lossScale() != 1.0;
        precision.update(!bad);
        if (overflow) {
            skippedSteps++; // an fp16 overflow: the loss scale was halved, not a divergence
        } else if (bad) {
            skippedSteps++;
            badInARow++;
            if (badInARow >= config.run().maxBadSteps()) {
                optimizer.zeroGrad();
                throw new TrainingDivergedException("loss or gradient was not finite in " + badInARow
                        + " updates in a row (last: step " + step + ", loss " + loss + ", grad norm " + norm
                        + "); lower optim.lr, set optim.clip_norm, or check the input audio and labels");
            }
        } else {
            badInARow = 0;
            optimizer.step(lr);
        }
        optimizer.zeroGrad();
        double seconds = (System.nanoTime() - started) / 1e9;
        double audioSeconds = samples / (double) sampleRate;
        return new StepMetrics(step, loss, totals.acoustic, totals.cqt, totals.penalty, totals.accuracy(counts.masked()),
                norm, lr, seconds, audioSeconds / seconds, skippedSteps, bad);
    }

    /** Weighted loss terms and masked-prediction hits of one update, summed over micro-batches, then ranks. */
    private static final class UpdateTotals {
        double acoustic;
        double cqt;
        double penalty;
        final double[] correct;

        UpdateTotals(int codebooks) {
            correct = new double[codebooks];
        }

        void add(MertPretrainModel.Terms terms, MertPretrainModel.Sums sums) {
            acoustic += terms.acoustic().item_double();
            cqt += terms.cqt().item_double();
            penalty += terms.penalty().item_double();
            for (int c = 0; c < correct.length; c++) {
                correct[c] += sums.correct()[c];
            }
        }

        void sumOverRanks(GradientSync sync) {
            double[] packed = new double[3 + correct.length];
            packed[0] = acoustic;
            packed[1] = cqt;
            packed[2] = penalty;
            System.arraycopy(correct, 0, packed, 3, correct.length);
            sync.sumDoubles(packed);
            acoustic = packed[0];
            cqt = packed[1];
            penalty = packed[2];
            System.arraycopy(packed, 3, correct, 0, correct.length);
        }

        double loss() {
            return acoustic + cqt + penalty;
        }

        double[] accuracy(long masked) {
            double[] acc = new double[correct.length];
            for (int c = 0; c < acc.length; c++) {
                acc[c] = masked == 0 ? 0 : correct[c] / masked;
            }
            return acc;
        }
    }

    /**
     * Mean loss, masked accuracy and CQT error over {@code run.valid_batches} batches of the validation source,
     * without updates.
     */
    public double validate() {
        model.train(false);
        int k = valid.classes().length;
        double lossSum = 0;
        double cqtSum = 0;
        double[] correct = new double[k];
        long masked = 0;
        int batches = Math.max(1, config.run().validBatches());
        try (NoGradGuard guard = new NoGradGuard()) {
            for (int i = 0; i < batches; i++) {
                PretrainBatch b = valid.next();
                MertPretrainModel.Counts counts = MertPretrainModel.Counts.of(b, featureChannels);
                try (PointerScope scope = new PointerScope()) {
                    MertPretrainModel.Sums s = model.forward(b, device);
                    MertPretrainModel.Terms terms = model.terms(s, counts);
                    lossSum += terms.total().item_double();
                    cqtSum += terms.cqt().item_double();
                    for (int c = 0; c < k; c++) {
                        correct[c] += s.correct()[c];
                    }
                }
                masked += counts.masked();
            }
        }
        double loss = lossSum / batches;
        double[] acc = new double[k];
        for (int c = 0; c < k; c++) {
            acc[c] = masked == 0 ? 0 : correct[c] / masked;
        }
        if (sync.rank() == 0) {
            ObjectNode line = JSON.createObjectNode();
            line.put("step", step);
            line.put("valid_loss", loss);
            var a = line.putArray("valid_accuracy");
            for (double v : acc) {
                a.add(v);
            }
            double cqtWeight = config.objective().cqt().weight();
            if (cqtWeight > 0) {
                // the mean squared CQT error itself, not weighted: comparable between runs of other weights
                line.put("valid_cqt_error", cqtSum / batches / cqtWeight);
            }
            appendLine(line);
        }
        listener.onValidation(step, loss, acc);
        model.train(true);
        return loss;
    }

    /** Writes a checkpoint (rank 0) after all ranks reached this step. */
    public void save() {
        sync.barrier();
        if (sync.rank() == 0) {
            ObjectNode state = JSON.createObjectNode();
            state.set("train_position", train.position());
            state.put("skipped_steps", skippedSteps);
            state.put("loss_scale", precision.lossScale());
            state.set("config", config.toJson());
            Path p = checkpoints.save(step, model, optimizer, state);
            listener.onCheckpoint(step, p);
        }
        sync.barrier();
    }

    /** Writes the encoder of the current model as a Hugging Face folder. */
    public void export(Path dir) {
        org.mert4j.model.HuggingFaceFolder.save(model.encoder(), new PreprocessorConfig(sampleRate, false), dir);
    }

    /** Gradient of every parameter; a parameter unused in this step (layer drop) gets a zero gradient. */
    private List<Tensor> gradients() {
        List<Tensor> out = new ArrayList<>();
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : Checkpoints.namedParameters(model).entrySet()) {
                Tensor p = e.getValue();
                Tensor g = p.grad();
                if (g == null || g.isNull() || !g.defined()) {
                    p.mutable_grad().put(torch.zeros_like(p));
                    g = p.grad();
                }
                out.add(g);
            }
        }
        return out;
    }

    // ---- metrics.jsonl ----

    private Path metricsFile() {
        return runDir.resolve("metrics.jsonl");
    }

    private void appendMetrics(StepMetrics m) {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", m.step());
        line.put("loss", m.loss());
        line.put("acoustic", m.acoustic());
        line.put("cqt", m.cqt());
        line.put("penalty", m.penalty());
        var acc = line.putArray("accuracy");
        for (double a : m.accuracy()) {
            acc.add(a);
        }
        line.put("grad_norm", m.gradNorm());
        line.put("lr", m.lr());
        line.put("step_seconds", m.stepSeconds());
        line.put("audio_hours_per_hour", m.audioHoursPerHour());
        line.put("skipped_steps", m.skippedSteps());
        // time the update loop waited for the background batch builders so far: ~0 when loading keeps up
        line.put("data_wait_seconds", train.waitSeconds());
        line.put("skipped", m.skipped());
        appendLine(line);
    }

    private void appendLine(ObjectNode line) {
        try {
            Files.createDirectories(runDir);
            Files.writeString(metricsFile(), JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(metricsFile() + ": cannot append metrics", e);
        }
    }

    /** After a resume, drops lines logged past the checkpoint (they will be logged again). */
    private void truncateMetrics(long lastStep) {
        Path f = metricsFile();
        if (!Files.exists(f)) {
            return;
        }
        try {
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                try {
                    JsonNode n = JSON.readTree(line);
                    if (n != null && n.path("step").asLong(Long.MAX_VALUE) <= lastStep) {
                        kept.append(line).append('\n');
                    }
                } catch (IOException partial) {
                    // a line cut by the kill: drop it
                }
            }
            AtomicFiles.write(f, out -> out.write(kept.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(f + ": cannot rewrite metrics on resume", e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}

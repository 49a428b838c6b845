package org.mert4j.cli;

import org.mert4j.testing.FakeDatasets;
import org.mert4j.testing.HubStandIn;
import org.mert4j.testing.Wav;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.model.MertConfig;
import org.mert4j.model.MertModel;

/**
 * Every {@code ./mert ...} command in the README's shell code blocks runs as written, in order, in a
 * sandbox folder that holds what the commands name: {@code music/}, {@code song.flac}, {@code @tracks.txt},
 * model folders (a random model of 12 layers where the README names MERT-v1-95M), {@code run.yaml}.
 * Commands added to the README are picked up automatically. Long work is shortened by the explicit rules
 * below (fewer steps, epochs, clips, a small preset); commands that cannot run here are listed in
 * {@link #SKIPPED} with the reason. Everything runs in one JVM started in the sandbox ({@link ReadmeRunner}).
 */
class ReadmeCommandsTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Commands (by their start) that cannot run in a test, and why; keep it short. The GPU, Spark and
     * comparison commands of the README are not {@code ./mert} lines.
     */
    static final Map<String, String> SKIPPED = Map.of(
            "./mert serve", "a server runs until it is stopped: ServeHttpTest, ServeShutdownTest (a real"
                    + " `mert serve` process) and ServeBrowserTest cover it");

    /** Option values that make a command long, and the short ones used here. */
    static final Map<String, UnaryOperator<String>> SHORTER = new LinkedHashMap<>();

    /** Options added, when not given, to commands that are long by default. */
    static final Map<String, List<String>> ADDED = new LinkedHashMap<>();

    static {
        SHORTER.put("--max-steps", v -> Integer.toString(Math.max(2, Integer.parseInt(v) / 100))); // 300 -> 3
        SHORTER.put("--steps", v -> "3");
        SHORTER.put("--epochs", v -> "2");
        SHORTER.put("--count", v -> "1");
        SHORTER.put("--hours", v -> "0.002");
        SHORTER.put("--clip", v -> "2");
        SHORTER.put("--repeat", v -> "1");
        SHORTER.put("--warmup", v -> "0");
        SHORTER.put("--model", v -> v.startsWith("preset:") ? "preset:tiny" : v); // random weights of a small shape
        SHORTER.put("--train-preset", v -> "tiny");
        ADDED.put("pretrain", List.of("--max-steps", "3"));
        ADDED.put("teacher train-rvq", List.of("--steps", "3", "--batch", "2"));
        ADDED.put("tasks make", List.of("--count", "1", "--seconds", "1"));
        ADDED.put("probe", List.of("--epochs", "2", "--lr", "1e-3"));
        ADDED.put("bench", List.of("--model", "preset:tiny", "--clip", "2", "--repeat", "1", "--warmup", "0"));
        ADDED.put("corpus", List.of("--hours", "0.002", "--min-seconds", "2", "--max-seconds", "3"));
    }

    /** The {@code ./mert} command lines of the shell code blocks of a Markdown text, continuations joined. */
    static List<String> commands(String markdown) {
        List<String> out = new ArrayList<>();
        boolean inShell = false;
        boolean inBlock = false;
        StringBuilder pending = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("```")) {
                inBlock = !inBlock;
                String lang = t.substring(3).strip();
                inShell = inBlock && (lang.isEmpty() || lang.equals("bash") || lang.equals("sh") || lang.equals("shell"));
                continue;
            }
            if (!inShell) {
                continue;
            }
            pending.append(t.endsWith("\\") ? t.substring(0, t.length() - 1) + " " : t);
            if (t.endsWith("\\")) {
                continue;
            }
            String full = pending.toString();
            pending.setLength(0);
            int at = full.indexOf("./mert ");
            if (at >= 0) {
                String cmd = full.substring(at);
                int comment = cmd.indexOf(" #");
                out.add((comment >= 0 ? cmd.substring(0, comment) : cmd).strip().replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    /** The arguments after {@code ./mert}, shortened by {@link #SHORTER} and {@link #ADDED}. */
    static List<String> shortened(String command) {
        List<String> args = new ArrayList<>(List.of(command.substring("./mert ".length()).split(" ")));
        for (int i = 0; i + 1 < args.size(); i++) {
            UnaryOperator<String> f = SHORTER.get(args.get(i));
            if (f != null) {
                args.set(i + 1, f.apply(args.get(i + 1)));
            }
        }
        String joined = String.join(" ", args);
        ADDED.forEach((sub, extra) -> {
            if (joined.startsWith(sub + " ")) {
                for (int i = 0; i < extra.size(); i += 2) {
                    if (!args.contains(extra.get(i))) {
                        args.add(extra.get(i));
                        args.add(extra.get(i + 1));
                    }
                }
            }
        });
        return args;
    }

    @Test
    void theReadmeCommandsAreFound() throws IOException {
        List<String> c = commands(Files.readString(REPO.resolve("README.md")));
        assertTrue(c.contains("./mert manifest music/ --out data/train.tsv --valid-percent 5"), c::toString);
        assertTrue(c.contains("./mert embed --model examples/cpu-mert --out out/example examples/audio"), c::toString);
        assertTrue(c.size() >= 20, c::toString);
        assertEquals(List.of("pretrain", "--out", "runs/tiny", "--resume", "--max-steps", "6"),
                shortened("./mert pretrain --out runs/tiny --resume --max-steps 600"));
    }

    @Test
    void everyReadmeCommandRunsAsWritten(@TempDir Path sandbox) throws Exception {
        List<String> commands = commands(Files.readString(REPO.resolve("README.md")));
        setUp(sandbox);
        List<String> run = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String c : commands) {
            if (SKIPPED.keySet().stream().noneMatch(c::startsWith)) {
                run.add(c);
                lines.add(JSON.writeValueAsString(shortened(c)));
            }
        }
        Path in = sandbox.resolve(".commands.jsonl");
        Path results = sandbox.resolve(".results.jsonl");
        Files.write(in, lines, StandardCharsets.UTF_8);
        // Hub ids in the README (m-a-p/MERT-v1-95M) come from a local stand-in serving the sandbox's model folder
        try (HubStandIn hub = HubStandIn.start().serve("m-a-p/MERT-v1-95M", sandbox.resolve("MERT-v1-95M"))) {
            ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "-cp", System.getProperty("java.class.path"), ReadmeRunner.class.getName(), in.toString(),
                    results.toString()).directory(sandbox.toFile()).redirectErrorStream(true)
                    .redirectOutput(sandbox.resolve(".runner.log").toFile());
            b.environment().put("HF_HUB_CACHE", sandbox.resolve(".hf-cache").toString());
            b.environment().put("HF_ENDPOINT", hub.endpoint());
            b.environment().remove("HF_HUB_OFFLINE");
            Process p = b.start();
            boolean finished = p.waitFor(8, TimeUnit.MINUTES);
            if (!finished) {
                p.destroyForcibly();
            }
        }
        List<String> got = Files.exists(results) ? Files.readAllLines(results) : List.of();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            if (i >= got.size()) {
                failures.add(run.get(i) + "\n    did not run (runner log: " + Files.readString(sandbox.resolve(".runner.log"))
                        + ")");
                break;
            }
            JsonNode r = JSON.readTree(got.get(i));
            System.out.printf("%5.1f s  exit %d  %s%n", r.get("seconds").asDouble(), r.get("exit").asInt(), run.get(i));
            if (r.get("exit").asInt() != 0) {
                failures.add(run.get(i) + "\n    ran as mert " + lines.get(i) + "\n    exit " + r.get("exit").asInt()
                        + "\n" + tail(r.get("err").asText()) + tail(r.get("out").asText()));
            }
        }
        // links out of the sandbox go before the temporary folder is deleted, so nothing follows them
        for (String link : List.of("examples", "encodec_24khz", "my-model", "path/to/MERT-v1-95M")) {
            Files.deleteIfExists(sandbox.resolve(link));
        }
        assertEquals(List.of(), failures);
    }

    private static String tail(String text) {
        String[] l = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(l, Math.max(0, l.length - 15), l.length)) + "\n";
    }

    /** The files and folders the README's commands name. */
    static void setUp(Path sandbox) throws IOException {
        Path audio = REPO.resolve("examples/audio");
        Files.createSymbolicLink(sandbox.resolve("examples"), REPO.resolve("examples"));
        for (int i = 0; i < 6; i++) {
            Wav.write(sandbox.resolve("music/clip" + i + ".wav"), 3.0, 24000, i);
        }
        Files.createDirectories(sandbox.resolve("music/rock"));
        Files.copy(audio.resolve("chords-24k.flac"), sandbox.resolve("music/rock/track-12.flac"));
        Files.copy(audio.resolve("chords-24k.flac"), sandbox.resolve("song.flac"));
        Files.copy(audio.resolve("chords-24k.flac"), sandbox.resolve("long.flac"));
        Files.copy(audio.resolve("arpeggio-44k-stereo.mp3"), sandbox.resolve("new-song.mp3"));
        Files.writeString(sandbox.resolve("tracks.txt"), "music/clip0.wav\nmusic/rock/track-12.flac\n");
        // a few GTZAN clips of each split, as the original archive lays them out (mert tasks import gtzan)
        List<String> gtzan = new ArrayList<>();
        for (String split : List.of("train", "valid", "test")) {
            gtzan.addAll(FakeDatasets.gtzanSplit(split, 3));
        }
        FakeDatasets.gtzan(sandbox.resolve("data/GTZAN"), true, gtzan, 2.0);

        // what the README calls MERT-v1-95M: the same 12 layers (so --layers 6,12 and --layer 6 exist), tiny widths
        ObjectNode config = MertConfig.preset("tiny").toJson();
        config.put("num_hidden_layers", 12);
        Path model = sandbox.resolve("MERT-v1-95M");
        try (MertModel m = MertModel.random(MertConfig.fromJson(config), 0, "cpu")) {
            m.save(model);
        }
        Files.createDirectories(sandbox.resolve("path/to"));
        Files.createSymbolicLink(sandbox.resolve("path/to/MERT-v1-95M"), model);
        Files.createSymbolicLink(sandbox.resolve("my-model"), model);
        Files.createSymbolicLink(sandbox.resolve("encodec_24khz"),
                REPO.resolve("mert4j-core/src/test/resources/teacher/encodec/noncausal"));
        // a pretraining config as a user would write one, with a small encoder so that it runs in seconds
        Files.writeString(sandbox.resolve("run.yaml"), String.join("\n",
                "encoder:",
                "  hidden_size: 32",
                "  num_hidden_layers: 2",
                "  num_attention_heads: 2",
                "  intermediate_size: 64",
                "  conv_dim: [32, 32, 32, 32, 32, 32, 32]",
                "  num_conv_pos_embeddings: 16",
                "  num_conv_pos_embedding_groups: 2",
                "data:",
                "  manifest: data/train.tsv",
                "  labels: data/labels-mfcc",
                "  crop_seconds: 1.0",
                "  min_seconds: 1.0",
                "  max_tokens: 48000",
                "objective:",
                "  final_dim: 16",
                "run:",
                "  max_steps: 2",
                "  save_every: 2",
                "  threads: 1",
                ""));
    }
}

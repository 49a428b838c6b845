package org.mert4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.index.VectorIndex;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.MertModel;
import org.mert4j.tensor.FloatArray;
import org.mert4j.testing.Wav;

/**
 * The catalogue job and the Dataset API in local[2] mode on the example audio, generated tones and bad
 * files, compared with in-process {@code MertModel.embed} (what {@code mert embed} writes).
 */
class EmbedJobTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path MODEL = EXAMPLES.resolve("tiny-mert");
    // same code, same libtorch kernels, same thread count on one machine: differences would be reduction-order
    // noise only; 1e-5 is the acceptance bound
    static final double TOLERANCE = 1e-5;

    static SparkSession spark;
    static MertModel reference;
    @TempDir
    static Path tmp;
    static Path generated;
    static Path manifest;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("mert4j-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        // the model travels as an application would ship it with --files
        for (String f : List.of("config.json", "preprocessor_config.json", "model.safetensors")) {
            spark.sparkContext().addFile(MODEL.resolve(f).toAbsolutePath().toString());
        }
        reference = MertModel.load(MODEL);
        generated = tmp.resolve("generated");
        Wav.write(generated.resolve("tone-3s.wav"), 3.0, 24000, 1);
        Wav.write(generated.resolve("deeper/tone-7s-16k.wav"), 7.2, 16000, 2);
        Wav.write(generated.resolve("tone-11s-44k.wav"), 11.0, 44100, 3);
        Files.writeString(generated.resolve("not-audio.wav"), "this is text, not a RIFF file");
        Files.write(generated.resolve("empty.flac"), new byte[0]);
        manifest = tmp.resolve("manifest.txt");
        Files.writeString(manifest, "# one file that does not exist\n" + tmp.resolve("missing.mp3") + "\n",
                StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (reference != null) {
            reference.close();
        }
    }

    private static EmbedJobOptions options(Path out, String... extra) {
        String[] base = {"--model", "sparkfiles:", "--out", out.toString(), "--manifest", manifest.toString(),
            EXAMPLES.resolve("audio").toAbsolutePath().toString(), generated.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return EmbedJobOptions.parse(all);
    }

    @Test
    void jobMatchesInProcessEmbeddingsRecordsBadFilesAndSkipsDoneFilesOnRerun() throws IOException {
        Path out = tmp.resolve("feats.parquet");
        EmbedProgress progress = EmbedProgress.register(spark.sparkContext());
        EmbedJob.Summary first = EmbedJob.run(spark, options(out), progress);
        assertEquals(new EmbedJob.Summary(8, 0, 5, 3), first);
        // what the Spark UI shows: the same counts, the audio of the good files, one model load for 2 task slots
        assertEquals(5, progress.embedded());
        assertEquals(3, progress.failed());
        assertEquals(1, progress.modelsLoaded());

        Map<String, Row> rows = byFileName(spark.read().parquet(out.toString()));
        assertEquals(8, rows.size());
        double audio = 0;
        int layers = reference.config().numHiddenStates();
        int hidden = reference.config().transformer().hiddenSize();
        double worst = 0;
        for (String good : List.of("arpeggio-44k-stereo.mp3", "chords-24k.flac", "tone-3s.wav", "tone-7s-16k.wav",
                "tone-11s-44k.wav")) {
            Row r = rows.get(good);
            assertNull(r.getAs(EmbeddingColumns.ERROR), good);
            Path file = Path.of(java.net.URI.create(r.getAs("path")));
            FloatArray expected = reference.embed(file, EmbedOptions.MARBLE);
            assertEquals(reference.loadAudio(file).length / (double) reference.sampleRate(),
                    (double) r.getAs(EmbeddingColumns.DURATION), 1e-9, good);
            audio += (double) r.getAs(EmbeddingColumns.DURATION);
            assertEquals(List.of(seq(layers)), List.of(ints(r.getList(r.fieldIndex(EmbeddingColumns.LAYERS)))));
            assertEquals(hidden, (int) r.getAs(EmbeddingColumns.HIDDEN_SIZE));
            float[] got = floats(r.getList(r.fieldIndex(EmbeddingColumns.EMBEDDING)));
            assertEquals(expected.data().length, got.length, good);
            worst = Math.max(worst, maxAbsDiff(expected.data(), got));
        }
        System.out.printf(Locale.ROOT, "Spark job vs MertModel.embed: max |difference| %.2e over 5 files%n", worst);
        assertTrue(worst <= TOLERANCE, "max difference " + worst);
        assertEquals(audio, progress.audioSeconds(), 1e-6);

        for (String bad : List.of("not-audio.wav", "empty.flac", "missing.mp3")) {
            Row r = rows.get(bad);
            assertNotNull(r.getAs(EmbeddingColumns.ERROR), bad);
            assertNull(r.getAs(EmbeddingColumns.EMBEDDING), bad);
            assertNull(r.getAs(EmbeddingColumns.DURATION), bad);
        }
        assertTrue(((String) rows.get("missing.mp3").getAs(EmbeddingColumns.ERROR)).contains("no such file"));

        // the Parquet output indexes for similarity search: layer 2 (the last) of each good file, stored as given
        Path idx = tmp.resolve("index");
        assertEquals(5, BuildIndex.build(spark, out.toString(), 2, idx, MODEL.toString()));
        try (VectorIndex index = VectorIndex.open(idx)) {
            assertEquals(2, index.metadata().layer());
            Path chords = EXAMPLES.resolve("audio/chords-24k.flac");
            float[] expected = reference.embed(chords, EmbedOptions.MARBLE).row(2);
            String key = index.resolve("chords-24k.flac");
            assertTrue(maxAbsDiff(expected, index.vector(key)) <= TOLERANCE);
            assertEquals(key, index.search(expected, 1).get(0).track());
        }

        // the same tracks as 3 shards built by the tasks: the same vectors, the same answers as one index
        Path sharded = tmp.resolve("index-sharded");
        assertEquals(5, BuildShardedIndex.build(spark, out.toString(), 2, sharded, 3, MODEL.toString()));
        try (VectorIndex one = VectorIndex.open(idx); VectorIndex shards = VectorIndex.open(sharded)) {
            assertEquals(org.mert4j.index.IndexParams.Kind.SHARDED, shards.metadata().kind());
            assertEquals(5, shards.size());
            java.util.Map<String, float[]> all = new java.util.HashMap<>();
            one.forEachVector(all::put);
            for (java.util.Map.Entry<String, float[]> e : all.entrySet()) {
                assertArrayEquals(e.getValue(), shards.vector(e.getKey()), 1e-6f, e.getKey());
                assertEquals(one.similarTo(e.getKey(), 4).stream().map(org.mert4j.index.Neighbour::track).toList(),
                        shards.similarTo(e.getKey(), 4).stream().map(org.mert4j.index.Neighbour::track).toList());
            }
            try (java.util.stream.Stream<Path> files = Files.list(sharded)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(BuildShardedIndex.BUILDING)));
            }
        }

        // -1 is the last hidden state, as in Python (the model folder says how many there are)
        Path last = tmp.resolve("index-last");
        assertEquals(5, BuildIndex.build(spark, out.toString(), -1, last, MODEL.toString()));
        try (VectorIndex index = VectorIndex.open(last)) {
            assertEquals(2, index.metadata().layer());
        }

        EmbedJob.Summary again = EmbedJob.run(spark, options(out));
        assertEquals(new EmbedJob.Summary(8, 8, 0, 0), again);
        assertEquals(8, spark.read().parquet(out.toString()).count());

        EmbedProgress retryProgress = EmbedProgress.register(spark.sparkContext());
        EmbedJob.Summary retry = EmbedJob.run(spark, options(out, "--retry-errors"), retryProgress);
        assertEquals(new EmbedJob.Summary(8, 5, 0, 3), retry);
        // the executor (this JVM) still holds the model: later tasks never load it again
        assertEquals(0, retryProgress.modelsLoaded());
        assertEquals(3, retryProgress.failed());
        assertEquals(11, spark.read().parquet(out.toString()).count());
    }

    @Test
    void embedderTakesBinaryAudioAndWritesOneColumnPerLayer() {
        Dataset<Row> files = spark.read().format("binaryFile").load(EXAMPLES.resolve("audio").toAbsolutePath().toString());
        Dataset<Row> feats = new MertEmbedder(MODEL.toAbsolutePath().toString())
                .inputColumn("content").layers(2, 0).layout(OutputLayout.LAYER_COLUMNS)
                .transform(files).drop("content");
        List<Row> rows = feats.collectAsList();
        assertEquals(2, rows.size());
        double worst = 0;
        for (Row r : rows) {
            assertNull(r.getAs(EmbeddingColumns.ERROR));
            Path file = Path.of(java.net.URI.create(r.getAs("path")));
            FloatArray expected = reference.embed(file, EmbedOptions.MARBLE);
            worst = Math.max(worst, maxAbsDiff(expected.row(2), floats(r.getList(r.fieldIndex("layer_2")))));
            worst = Math.max(worst, maxAbsDiff(expected.row(0), floats(r.getList(r.fieldIndex("layer_0")))));
        }
        assertTrue(worst <= TOLERANCE, "max difference " + worst);
    }

    /** Negative layers count from the last; audio with NaN gives an error row, never NaN features. */
    @Test
    void negativeLayersResolveAndNonFiniteAudioIsAnErrorRow() throws IOException {
        float[] nan = new float[48000];
        nan[30000] = Float.NaN;
        Path bad = Wav.writeFloat(tmp.resolve("nan/nan.wav"), nan, 24000);
        Path good = generated.resolve("tone-3s.wav");
        Dataset<Row> paths = spark.createDataset(List.of(bad.toString(), good.toString()),
                org.apache.spark.sql.Encoders.STRING()).toDF("path");
        Map<String, Row> rows = byFileName(new MertEmbedder(MODEL.toAbsolutePath().toString()).layers(-1, 0)
                .transform(paths));
        Row ok = rows.get("tone-3s.wav");
        assertNull(ok.getAs(EmbeddingColumns.ERROR));
        assertEquals(List.of(2, 0), List.of(ints(ok.getList(ok.fieldIndex(EmbeddingColumns.LAYERS)))));
        FloatArray expected = reference.embed(good, EmbedOptions.MARBLE);
        float[] got = floats(ok.getList(ok.fieldIndex(EmbeddingColumns.EMBEDDING)));
        assertTrue(maxAbsDiff(expected.row(2), java.util.Arrays.copyOf(got, expected.row(2).length)) <= TOLERANCE);
        Row nanRow = rows.get("nan.wav");
        assertTrue(((String) nanRow.getAs(EmbeddingColumns.ERROR)).contains("non-finite sample (NaN)"), nanRow.toString());
        assertNull(nanRow.getAs(EmbeddingColumns.EMBEDDING));
    }

    static Map<String, Row> byFileName(Dataset<Row> df) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : df.collectAsList()) {
            String p = r.getAs("path");
            m.put(p.substring(p.lastIndexOf('/') + 1), r);
        }
        return m;
    }

    static float[] floats(List<Object> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) list.get(i)).floatValue();
        }
        return f;
    }

    static Integer[] ints(List<Object> list) {
        return list.stream().map(o -> ((Number) o).intValue()).toArray(Integer[]::new);
    }

    static Integer[] seq(int n) {
        Integer[] s = new Integer[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return s;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}

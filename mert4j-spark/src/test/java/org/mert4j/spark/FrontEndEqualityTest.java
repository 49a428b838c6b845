package org.mert4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mert4j.cli.Main;
import org.mert4j.cli.options.ModelSource;
import org.mert4j.index.NpyEmbeddings;
import org.mert4j.io.Npy;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.EmbeddingInfo;
import org.mert4j.model.MertModel;
import org.mert4j.model.TrackKey;
import org.mert4j.probe.FeatureCache;
import org.mert4j.probe.MertFeatures;
import org.mert4j.probe.Task;
import org.mert4j.probe.TaskType;
import org.mert4j.serve.MertServer;
import org.mert4j.serve.ModelIdentity;
import org.mert4j.serve.ServeSettings;
import org.mert4j.tensor.FloatArray;

/**
 * The four front-ends of the embedding protocol give the same vectors, bit for bit, for the same file and
 * settings, name the tracks with the same keys and the model with the same fingerprint: {@code mert embed},
 * {@code mert serve} ({@code POST /v1/embed}), the Spark catalogue job and {@code mert probe}'s feature
 * extraction. 5 s windows (the default) are compared across embed, serve and Spark; the whole file at once
 * (probe's clip window, {@code --window none}) across embed, Spark and probe. Serve's batches hold one
 * window, as embed's default {@code --batch 1} and Spark's.
 */
class FrontEndEqualityTest {
    static final Path MODEL = Path.of("..", "examples", "tiny-mert").toAbsolutePath().normalize();
    static final Path AUDIO = Path.of("..", "examples", "audio").toAbsolutePath().normalize();

    @TempDir
    static Path tmp;
    static Path music;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        // one file in a sub-folder, so that keys carry a folder; an mp3 at 44.1 kHz stereo and a 24 kHz flac
        music = tmp.resolve("music");
        Files.createDirectories(music.resolve("chords"));
        Files.copy(AUDIO.resolve("arpeggio-44k-stereo.mp3"), music.resolve("arpeggio-44k-stereo.mp3"));
        Files.copy(AUDIO.resolve("chords-24k.flac"), music.resolve("chords/chords-24k.flac"));
        spark = SparkSession.builder().master("local[2]").appName("mert4j-front-ends")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void fiveSecondWindowsAreEqualInEmbedServeAndSpark() throws Exception {
        Path out = tmp.resolve("embed-5s");
        cli("embed", "--model", MODEL.toString(), "--out", out.toString(), music.toString());
        Map<String, float[]> embed = npyFolder(out);
        String embedFingerprint = EmbeddingInfo.read(out.resolve("mert-embed.json")).fingerprint();

        Path parquet = tmp.resolve("spark-5s.parquet");
        EmbedJob.Summary s = EmbedJob.run(spark, EmbedJobOptions.parse(new String[] {
            "--model", MODEL.toString(), "--out", parquet.toString(), music.toString()}));
        assertEquals(2, s.embedded(), s.toString());
        Map<String, float[]> sparkRows = parquetRows(parquet);
        String sparkFingerprint = EmbeddingInfo.read(parquet.resolve(JobRecord.FILE_NAME)).fingerprint();

        Map<String, float[]> served = new TreeMap<>();
        String serveFingerprint;
        try (MertModel mert = MertModel.load(MODEL)) {
            int[] all = EmbedOptions.MARBLE.resolveLayers(mert.config().numHiddenStates());
            ServeSettings settings = ServeSettings.builder().host("127.0.0.1").port(0).maxBatch(1).build();
            try (MertServer server = MertServer.start(settings, mert.config(),
                    new ModelIdentity(MODEL.toString(), cliFingerprint()), (w, pool) -> mert.encodeWindows(w, all, pool),
                    null, null, null)) {
                String base = "http://127.0.0.1:" + server.port();
                for (String key : embed.keySet()) {
                    served.put(key, embedding(post(base + "/v1/embed", audioOf(key))));
                }
                serveFingerprint = new ObjectMapper().readTree(get(base + "/v1/info")).get("model_fingerprint").asText();
            }
        }

        assertEquals(List.of("arpeggio-44k-stereo", "chords/chords-24k"), List.copyOf(embed.keySet()));
        assertEquals(embed.keySet(), sparkRows.keySet(), "track keys of mert embed and the Spark job");
        for (String key : embed.keySet()) {
            assertArrayEquals(embed.get(key), sparkRows.get(key), "Spark against mert embed: " + key);
            assertArrayEquals(embed.get(key), served.get(key), "mert serve against mert embed: " + key);
        }
        assertEquals(embedFingerprint, sparkFingerprint, "model id of mert embed and the Spark job");
        assertEquals(embedFingerprint, serveFingerprint, "model id of mert embed and mert serve");

        // the index of each keys its tracks as the outputs do
        List<String> indexKeys = new ArrayList<>();
        for (Path f : NpyEmbeddings.list(out)) {
            indexKeys.add(NpyEmbeddings.key(out, f));
        }
        assertEquals(List.copyOf(embed.keySet()), indexKeys);
        List<String> sparkIndexKeys = BuildIndex.vectors(spark, parquet.toString(), 2)
                .select(EmbeddingColumns.KEY).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(embed.keySet(), new java.util.TreeSet<>(sparkIndexKeys));
    }

    @Test
    void wholeFilesAreEqualInEmbedSparkAndProbe() throws Exception {
        Path out = tmp.resolve("embed-whole");
        cli("embed", "--model", MODEL.toString(), "--window", "none", "--out", out.toString(), music.toString());
        Map<String, float[]> embed = npyFolder(out);

        Dataset<Row> paths = spark.createDataset(embed.keySet().stream().map(k -> audioOf(k).toString()).toList(),
                org.apache.spark.sql.Encoders.STRING()).toDF("path");
        Map<String, float[]> sparkRows = new TreeMap<>();
        for (Row r : new MertEmbedder(MODEL.toString()).windowSeconds(0).inputColumn("path").transform(paths)
                .collectAsList()) {
            assertTrue(r.isNullAt(r.fieldIndex(EmbeddingColumns.ERROR)), () -> r.getString(r.fieldIndex("error")));
            sparkRows.put(TrackKey.of(music.relativize(Path.of(r.getString(0)))), BuildIndex.toFloats(r.getList(r.fieldIndex(EmbeddingColumns.EMBEDDING))));
        }

        Map<String, float[]> probed = new TreeMap<>();
        String probeFingerprint = cliFingerprint(); // what mert probe keys its feature cache by
        try (MertFeatures features = new MertFeatures(MertModel.load(MODEL), MODEL.toString(), probeFingerprint)) {
            for (String key : embed.keySet()) {
                Path audio = audioOf(key);
                Task clip = new Task("clip", TaskType.MULTICLASS, audio, audio, 0, "accuracy", List.of(), List.of());
                FloatArray f = FeatureCache.extract(audio, clip, features); // [1 window, layers, H]
                assertEquals(1, f.shape()[0]);
                probed.put(key, f.data());
            }
        }

        for (String key : embed.keySet()) {
            assertArrayEquals(embed.get(key), sparkRows.get(key), "Spark against mert embed: " + key);
            assertArrayEquals(embed.get(key), probed.get(key), "probe features against mert embed: " + key);
        }
        assertEquals(EmbeddingInfo.read(out.resolve("mert-embed.json")).fingerprint(), probeFingerprint);
    }

    /** The fingerprint the command line records for the model (mert embed, serve and probe all ask ModelSource). */
    static String cliFingerprint() {
        return ModelSource.parse(MODEL.toString(), new PrintWriter(new StringWriter())).fingerprint();
    }

    static void cli(String... args) {
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        assertEquals(0, code, err.toString());
    }

    static Path audioOf(String key) {
        return key.equals("arpeggio-44k-stereo") ? music.resolve("arpeggio-44k-stereo.mp3")
                : music.resolve(key + ".flac");
    }

    static Map<String, float[]> npyFolder(Path out) throws IOException {
        Map<String, float[]> m = new TreeMap<>();
        for (Path f : NpyEmbeddings.list(out)) {
            m.put(NpyEmbeddings.key(out, f), Npy.readFloats(f).data());
        }
        return m;
    }

    static Map<String, float[]> parquetRows(Path parquet) {
        Map<String, float[]> m = new TreeMap<>();
        for (Row r : spark.read().parquet(parquet.toString()).collectAsList()) {
            assertTrue(r.isNullAt(r.fieldIndex(EmbeddingColumns.ERROR)), () -> r.getString(r.fieldIndex("error")));
            m.put(r.getString(r.fieldIndex(EmbeddingColumns.KEY)),
                    BuildIndex.toFloats(r.getList(r.fieldIndex(EmbeddingColumns.EMBEDDING))));
        }
        return m;
    }

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static String post(String url, Path audio) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofFile(audio)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /**
     * The numbers of the answer's {@code embedding}, read as the floats they were written from: kept as their
     * decimal text, as going through double could round twice.
     */
    static float[] embedding(String json) throws IOException {
        JsonNode n = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
        assertTrue(n.has("embedding"), json.length() > 200 ? json.substring(0, 200) : json);
        List<Float> values = new ArrayList<>();
        collect(n.get("embedding"), values);
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i);
        }
        return f;
    }

    private static void collect(JsonNode n, List<Float> values) {
        if (n.isArray()) {
            n.forEach(e -> collect(e, values));
        } else {
            values.add(Float.parseFloat(n.asText()));
        }
    }
}

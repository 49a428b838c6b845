package org.mert4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The command line of {@link EmbedJob}. */
public record EmbedJobOptions(String model, String out, List<String> inputs, List<String> manifests, int[] layers,
        OutputLayout layout, String device, boolean int8, int torchThreads, int partitions, boolean retryErrors,
        boolean help) {

    static final String USAGE = String.join("\n",
            "Usage: spark-submit --class org.mert4j.spark.EmbedJob mert4j-spark-app.jar --model DIR --out PARQUET",
            "           [--manifest FILE]... [--layers 6,12] [--layer-columns] [--device cpu|cuda|gpu] [--int8]",
            "           [--torch-threads N] [--partitions N] [--retry-errors] [INPUT]...",
            "",
            "Embeds audio files with MERT (MARBLE protocol: 5 s windows, time-mean, averaged) into Parquet rows",
            "(path, duration_s, layers, hidden_size, embedding array<float>, error).",
            "",
            "  --model DIR        model folder readable by every executor, or sparkfiles: when config.json,",
            "                     preprocessor_config.json and the weights were shipped with --files,",
            "                     or sparkfiles:NAME for --archives model.zip#NAME, or a Hugging Face model id",
            "                     (m-a-p/MERT-v1-95M) that each executor resolves through its Hugging Face cache",
            "                     (HF_HOME or HF_HUB_CACHE in spark.executorEnv), downloading it once",
            "  --out PARQUET      output folder; files already in it are skipped (appended to, never rewritten)",
            "  INPUT              audio file, folder (searched recursively) or glob, on any file system Spark reads",
            "  --manifest FILE    text file of paths, one per line (# comments); may repeat",
            "  --layers LIST      hidden states to keep, e.g. 6,12 or -1 for the last (default all L+1,",
            "                     flattened [layers, hidden]); the layers column holds their indices",
            "  --layer-columns    one layer_N array<float> column per layer instead of one embedding column",
            "  --device D         cpu (default), cuda, cuda:N, or gpu for the GPU Spark assigns to each task",
            "  --int8             CPU only: int8 dynamic quantisation (faster; cosine 0.999 to fp32)",
            "  --torch-threads N  libtorch threads per executor (default: libtorch's, all cores)",
            "  --partitions N     tasks to split the files into (default 4 x default parallelism)",
            "  --retry-errors     embed again the files whose earlier row has an error",
            "",
            "Example:",
            "  spark-submit --class org.mert4j.spark.EmbedJob mert4j-spark-app.jar --model /opt/models/MERT-v1-95M \\",
            "      --out hdfs:///feats/mert.parquet --layers 6 hdfs:///music");

    public static EmbedJobOptions parse(String... args) {
        String model = null;
        String out = null;
        List<String> inputs = new ArrayList<>();
        List<String> manifests = new ArrayList<>();
        int[] layers = null;
        OutputLayout layout = OutputLayout.ARRAY;
        String device = "cpu";
        boolean int8 = false;
        int threads = 0;
        int partitions = 0;
        boolean retry = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return new EmbedJobOptions(null, null, List.of(), List.of(), null, layout, device, false, 0, 0,
                            false, true);
                }
                case "--model" -> model = value(args, ++i, a);
                case "--out" -> out = value(args, ++i, a);
                case "--manifest" -> manifests.add(value(args, ++i, a));
                case "--layers" -> layers = parseLayers(value(args, ++i, a));
                case "--layer-columns" -> layout = OutputLayout.LAYER_COLUMNS;
                case "--device" -> device = value(args, ++i, a).toLowerCase(Locale.ROOT);
                case "--int8" -> int8 = true;
                case "--torch-threads" -> threads = parseInt(value(args, ++i, a), a, 0);
                case "--partitions" -> partitions = parseInt(value(args, ++i, a), a, 1);
                case "--retry-errors" -> retry = true;
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    inputs.add(a);
                }
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("--model is required");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        if (inputs.isEmpty() && manifests.isEmpty()) {
            throw new IllegalArgumentException("no input: give audio files, folders or globs, or --manifest FILE");
        }
        if (int8 && !device.equals("cpu")) {
            throw new IllegalArgumentException("--int8 runs on the CPU only, not --device " + device);
        }
        if (layout == OutputLayout.LAYER_COLUMNS && layers == null) {
            throw new IllegalArgumentException("--layer-columns needs --layers");
        }
        if (layout == OutputLayout.LAYER_COLUMNS && Arrays.stream(layers).anyMatch(l -> l < 0)) {
            throw new IllegalArgumentException("--layer-columns names its columns layer_N before the model is loaded:"
                    + " give --layers as indices from 0 (without --layer-columns, -1 works and the layers column"
                    + " holds the index)");
        }
        return new EmbedJobOptions(model, out, List.copyOf(inputs), List.copyOf(manifests), layers, layout, device,
                int8, threads, partitions, retry, false);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int parseInt(String s, String option, int min) {
        try {
            int v = Integer.parseInt(s.strip());
            if (v < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": expected a number, got " + s);
        }
    }

    static int[] parseLayers(String s) {
        try {
            int[] l = Arrays.stream(s.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
            if (Arrays.stream(l).distinct().count() != l.length) {
                throw new IllegalArgumentException("--layers " + s + ": expected distinct indices (-1 = the last)");
            }
            return l;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--layers " + s + ": expected comma-separated numbers such as 6,12");
        }
    }
}

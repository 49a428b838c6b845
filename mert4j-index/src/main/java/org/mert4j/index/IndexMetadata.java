package org.mert4j.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.io.AtomicFiles;

/**
 * What an index was built from, stored beside the Lucene files as {@code mert-index.json}, so that a query
 * can embed new audio the same way.
 * @param model     the model folder the embeddings came from, or null when unknown
 * @param layer     the hidden-state index (0 = transformer input, L = last layer) that was indexed
 * @param dimension vector length (the model's hidden size)
 * @param count     number of tracks
 * @param source    the embeddings the index was built from (folder of .npy or Parquet)
 * @param params    which index and its settings: {@link IvfParams} (with the lists and probes the build chose)
 *                  or {@link HnswParams} (whose {@code searchWidth} is the default for queries)
 */
public record IndexMetadata(String model, int layer, int dimension, long count, String source, IndexParams params) {
    public static final String FILE_NAME = "mert-index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public IndexParams.Kind kind() {
        return params.kind();
    }

    /** The graph settings of an HNSW index, else null. */
    public HnswParams hnsw() {
        return params instanceof HnswParams h ? h : null;
    }

    /** The settings of an IVF index, else null. */
    public IvfParams ivf() {
        return params instanceof IvfParams i ? i : null;
    }

    IndexMetadata withCount(long n) {
        return new IndexMetadata(model, layer, dimension, n, source, params);
    }

    IndexMetadata withParams(IndexParams p) {
        return new IndexMetadata(model, layer, dimension, count, source, p);
    }

    public void write(Path indexDir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", "mert4j-index");
        n.put("version", 1);
        if (model != null) {
            n.put("model", model);
        }
        n.put("layer", layer);
        n.put("dimension", dimension);
        n.put("count", count);
        if (source != null) {
            n.put("source", source);
        }
        n.put("similarity", "cosine");
        n.put("kind", kind().label());
        if (params instanceof HnswParams hnsw) {
            n.put("hnsw_max_connections", hnsw.maxConnections());
            n.put("hnsw_beam_width", hnsw.beamWidth());
            n.put("hnsw_search_width", hnsw.searchWidth());
        } else if (params instanceof IvfParams ivf) {
            n.put("ivf_lists", ivf.lists());
            n.put("ivf_probes", ivf.probes());
            n.put("ivf_recall", ivf.recall());
        } else if (params instanceof ShardsParams sharded) {
            sharded.shards().forEach(n.putArray("shards")::add);
        }
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        AtomicFiles.write(indexDir.resolve(FILE_NAME), out -> out.write(bytes));
    }

    public static IndexMetadata read(Path indexDir) throws IOException {
        Path file = indexDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException(indexDir + ": not a mert index (no " + FILE_NAME + " inside)");
        }
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (n == null || !n.isObject() || !"mert4j-index".equals(n.path("format").asText())) {
            throw new IOException(file + ": expected \"format\": \"mert4j-index\", found "
                    + (n == null || !n.isObject() ? "no JSON object" : n.path("format")));
        }
        IndexParams params;
        try {
            // indexes written before there were kinds are HNSW
            IndexParams.Kind kind = IndexParams.Kind.of(n.path("kind").asText("hnsw"));
            if (kind == IndexParams.Kind.SHARDED) {
                List<String> shards = new ArrayList<>();
                n.path("shards").forEach(s -> shards.add(s.asText()));
                if (shards.isEmpty()) {
                    throw new IllegalArgumentException("a sharded index lists its shards under \"shards\"");
                }
                params = new ShardsParams(shards);
            } else if (kind == IndexParams.Kind.IVF) {
                params = new IvfParams(n.path("ivf_lists").asInt(-1), n.path("ivf_probes").asInt(-1),
                        n.path("ivf_recall").asDouble(Double.NaN));
                if (params instanceof IvfParams ivf && (ivf.lists() < 1 || ivf.probes() < 1)) {
                    throw new IllegalArgumentException("an IVF index needs ivf_lists and ivf_probes of at least 1");
                }
            } else {
                params = new HnswParams(n.path("hnsw_max_connections").asInt(HnswParams.DEFAULT.maxConnections()),
                        n.path("hnsw_beam_width").asInt(HnswParams.DEFAULT.beamWidth()),
                        n.path("hnsw_search_width").asInt(HnswParams.DEFAULT.searchWidth()));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        int dimension = n.path("dimension").asInt();
        long count = n.path("count").asLong(-1);
        if (dimension < 1 || dimension > 4096 || count < 0) {
            throw new IOException(file + ": dimension " + n.path("dimension") + " and count " + n.path("count")
                    + " are not an index's (dimension 1..4096, count from 0)");
        }
        return new IndexMetadata(n.hasNonNull("model") ? n.get("model").asText() : null, n.path("layer").asInt(),
                dimension, count, n.hasNonNull("source") ? n.get("source").asText() : null, params);
    }
}

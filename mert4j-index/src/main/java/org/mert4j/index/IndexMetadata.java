package org.mert4j.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
 * @param hnsw      graph settings; {@code searchWidth} is the default for queries
 */
public record IndexMetadata(String model, int layer, int dimension, long count, String source, HnswParams hnsw) {
    public static final String FILE_NAME = "mert-index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

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
        n.put("hnsw_max_connections", hnsw.maxConnections());
        n.put("hnsw_beam_width", hnsw.beamWidth());
        n.put("hnsw_search_width", hnsw.searchWidth());
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
        HnswParams hnsw = new HnswParams(n.path("hnsw_max_connections").asInt(HnswParams.DEFAULT.maxConnections()),
                n.path("hnsw_beam_width").asInt(HnswParams.DEFAULT.beamWidth()),
                n.path("hnsw_search_width").asInt(HnswParams.DEFAULT.searchWidth()));
        return new IndexMetadata(n.hasNonNull("model") ? n.get("model").asText() : null, n.path("layer").asInt(),
                n.path("dimension").asInt(), n.path("count").asLong(),
                n.hasNonNull("source") ? n.get("source").asText() : null, hnsw);
    }
}

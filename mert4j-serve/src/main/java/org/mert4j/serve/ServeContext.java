package org.mert4j.serve;

import org.mert4j.index.VectorIndex;
import org.mert4j.model.MertConfig;

/**
 * What the routes work with.
 * @param model     the model, as {@code /v1/info} names it
 * @param index     the similarity index, or null (search routes answer 404)
 * @param map       the catalogue's 2-D map, null without an index
 * @param audioRoot where track audio is served from, or null
 */
record ServeContext(ServeSettings settings, Metrics metrics, MertConfig config, ModelIdentity model, VectorIndex index,
                    CatalogueMap map, AudioRoot audioRoot) {
    /** The model as {@code mert embed} records it. */
    String modelName() {
        return model.name();
    }
}

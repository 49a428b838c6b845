package org.mert4j.index;

/** Which kind of index to build, with its settings. */
public sealed interface IndexParams permits IvfParams, HnswParams, ShardsParams {

    /** The kinds, as {@code mert-index.json} names them. */
    enum Kind {
        IVF("ivf"), HNSW("hnsw"), SHARDED("sharded");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The kind a metadata file names; files written before there were kinds are HNSW. */
        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown index kind \"" + label + "\" (expected ivf, hnsw or sharded)");
        }
    }

    Kind kind();
}

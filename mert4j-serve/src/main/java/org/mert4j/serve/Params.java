package org.mert4j.serve;

import org.eclipse.jetty.server.Request;
import org.mert4j.model.EmbedOptions;
import org.mert4j.model.LayerSpec;

/** The query parameters of the routes, checked: a bad value is a 400 naming it. */
final class Params {
    private static final int MAX_K = 1000;

    private Params() {
    }

    /** {@code layers=all|LIST} resolved against the model's hidden states (all when absent). */
    static int[] layers(Request request, int numStates) {
        String text = Request.extractQueryParameters(request).getValue("layers");
        try {
            return (text == null ? LayerSpec.ALL : LayerSpec.parse(text)).resolve(numStates);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage().replace("--layers", "layers="));
        }
    }

    /** {@code pool=mean|none} (mean when absent). */
    static EmbedOptions.Pool pool(Request request) {
        String text = Request.extractQueryParameters(request).getValue("pool");
        if (text == null || text.equals("mean")) {
            return EmbedOptions.Pool.MEAN;
        }
        if (text.equals("none")) {
            return EmbedOptions.Pool.NONE;
        }
        throw new ApiException(400, "pool=" + text + ": expected mean or none");
    }

    /** {@code k=N}, 1 to {@value #MAX_K} (10 when absent). */
    static int k(Request request) {
        String text = Request.extractQueryParameters(request).getValue("k");
        if (text == null) {
            return 10;
        }
        try {
            int k = Integer.parseInt(text.strip());
            if (k >= 1 && k <= MAX_K) {
                return k;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "k=" + text + ": expected a whole number from 1 to " + MAX_K);
    }
}

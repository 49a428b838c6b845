package org.mert4j.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mert4j.index.Neighbour;
import org.mert4j.index.VectorIndex;

/** What search and neighbours answer: {@code {"results": [{"track", "score"}, ...]}}. */
final class Results {
    private Results() {
    }

    static Map<String, Object> of(List<Neighbour> found) {
        List<Map<String, Object>> list = new ArrayList<>(found.size());
        for (Neighbour n : found) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("track", n.track());
            r.put("score", n.cosine());
            list.add(r);
        }
        return Map.of("results", list);
    }

    /** The index, or a 404 when the server has none. */
    static VectorIndex requireIndex(ServeContext ctx) {
        if (ctx.index() == null) {
            throw new ApiException(404, "this server has no index (start it with --index)");
        }
        return ctx.index();
    }
}

package org.mert4j.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop settings (file systems, S3 credentials providers, ...) carried to the executors, so
 * that a path opens there as it would on the driver. Only used for paths that are not local files.
 */
final class HadoopSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, String> entries = new HashMap<>();
    private transient Configuration conf;

    HadoopSettings(Configuration source) {
        for (Map.Entry<String, String> e : source) {
            entries.put(e.getKey(), e.getValue());
        }
    }

    synchronized Configuration configuration() {
        if (conf == null) {
            Configuration c = new Configuration(false);
            entries.forEach(c::set);
            conf = c;
        }
        return conf;
    }
}

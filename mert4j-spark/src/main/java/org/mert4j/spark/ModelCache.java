package org.mert4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.model.MertModel;

/**
 * One loaded model per executor JVM, per model location, device and precision: loading happens on the first
 * task that needs it and every later task in the JVM (and every thread) shares it, since inference only reads
 * the weights. Models live until the JVM exits, so an executor's memory holds one copy of the weights
 * however many tasks it runs.
 */
final class ModelCache {
    /** A model location meaning "the folder files shipped with {@code --files} or {@code addFile} land in". */
    static final String SPARK_FILES = "sparkfiles:";

    private static final Map<String, MertModel> MODELS = new ConcurrentHashMap<>();
    private static volatile boolean threadsSet;

    private ModelCache() {
    }

    /**
     * The model, loaded by the first caller in this JVM; {@code onLoad} runs in that caller only (the others
     * wait for the load and share its result).
     */
    static MertModel get(String model, String device, int torchThreads, boolean int8, Runnable onLoad) {
        String dir = resolveModel(model);
        String dev = resolveDevice(device);
        return MODELS.computeIfAbsent(dir + "|" + dev + (int8 ? "|int8" : ""), k -> {
            NativeLibraries.load();
            setThreads(torchThreads);
            MertModel m = MertModel.load(dir, dev); // a folder, or a Hub id resolved through the executor's cache
            if (int8) {
                m.quantizeDynamicInt8(); // before any task shares it: it rebuilds the inference plan
            }
            onLoad.run();
            return m;
        });
    }

    /**
     * {@code sparkfiles:} is the SparkFiles root; {@code sparkfiles:NAME} a folder shipped there (e.g.
     * unpacked from {@code --archives model.zip#NAME}); anything else a folder every executor can read or a
     * Hugging Face model id.
     */
    static String resolveModel(String model) {
        if (model.equals(SPARK_FILES)) {
            return SparkFiles.getRootDirectory();
        }
        if (model.startsWith(SPARK_FILES)) {
            return SparkFiles.get(model.substring(SPARK_FILES.length()));
        }
        return model;
    }

    /** {@code gpu}: the GPU Spark's resource scheduling assigned to this task, else {@code cuda}. */
    static String resolveDevice(String device) {
        if (!device.equals("gpu")) {
            return device;
        }
        TaskContext task = TaskContext.get();
        if (task != null) {
            ResourceInformation gpu = task.resourcesJMap().get("gpu");
            if (gpu != null && gpu.addresses().length > 0) {
                return "cuda:" + gpu.addresses()[0];
            }
        }
        return "cuda";
    }

    private static synchronized void setThreads(int torchThreads) {
        // libtorch's intra-op pool is per process: set once, before the first model runs
        if (torchThreads > 0 && !threadsSet) {
            torch.set_num_threads(torchThreads);
            threadsSet = true;
        }
    }
}

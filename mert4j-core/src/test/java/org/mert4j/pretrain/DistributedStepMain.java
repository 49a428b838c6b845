package org.mert4j.pretrain;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mert4j.io.SafetensorsWriter;

/**
 * One rank of the data-parallel gradient check, run as its own JVM with the torchrun environment:
 * trains one step on its half of a fixed batch and (rank 0) writes the parameters to args[0].
 */
public final class DistributedStepMain {
    public static void main(String[] args) throws Exception {
        ProcessGroupSync.Env env = ProcessGroupSync.Env.fromEnvironment(System.getenv());
        long timeout = args.length > 1 ? Long.parseLong(args[1]) : 60_000;
        try (ProcessGroupSync sync = new ProcessGroupSync(env, false, timeout)) {
            PretrainBatch full = DistributedTest.fullBatch();
            PretrainBatch half = DistributedTest.half(full, env.rank());
            try (Trainer t = new Trainer(DistributedTest.config(), Path.of(args[0]).getParent().resolve("run-" + env.rank()),
                    new Fixed(half), null, sync, null)) {
                t.trainStep();
                if (env.rank() == 0) {
                    SafetensorsWriter.write(Path.of(args[0]), Checkpoints.namedParameters(t.model()), Map.of());
                }
            }
        }
    }

    /** The same batch again and again. */
    record Fixed(PretrainBatch batch) implements BatchSource {
        public PretrainBatch next() {
            return batch;
        }

        public ObjectNode position() {
            return new ObjectMapper().createObjectNode();
        }

        public void seek(ObjectNode p) {}

        public int[] classes() {
            return new int[] {8};
        }
    }
}

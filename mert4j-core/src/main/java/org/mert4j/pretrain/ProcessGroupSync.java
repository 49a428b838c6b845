package org.mert4j.pretrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.Tensors;

/**
 * Data-parallel agreement over c10d, set up from the torchrun environment (RANK, WORLD_SIZE,
 * MASTER_ADDR, MASTER_PORT): a {@code TCPStore} rendezvous, then {@code ProcessGroupGloo} on CPU or
 * {@code ProcessGroupNCCL} on CUDA. Gradients are flattened into buckets of about 25 MB and summed with
 * one all-reduce each. Every collective has a timeout, so a rank that died or hangs makes the others
 * fail with an error instead of waiting forever.
 */
public final class ProcessGroupSync implements GradientSync {
    private static final long BUCKET_VALUES = 25L * 1024 * 1024 / 4;

    private final int rank;
    private final int world;
    private final TCPStore store;
    private final Backend group;
    private final boolean cuda;

    /** The torchrun variables of this process. */
    public record Env(int rank, int worldSize, int localRank, String masterAddr, int masterPort) {
        public static Env fromEnvironment(Map<String, String> env) {
            String r = env.get("RANK");
            String w = env.get("WORLD_SIZE");
            if (r == null || w == null) {
                return null;
            }
            try {
                int rank = Integer.parseInt(r.trim());
                int world = Integer.parseInt(w.trim());
                int local = Integer.parseInt(env.getOrDefault("LOCAL_RANK", r).trim());
                String addr = env.getOrDefault("MASTER_ADDR", "127.0.0.1");
                int port = Integer.parseInt(env.getOrDefault("MASTER_PORT", "29500").trim());
                if (world < 1 || rank < 0 || rank >= world || port <= 0 || port > 65535) {
                    throw new IllegalArgumentException("RANK " + rank + " / WORLD_SIZE " + world + " / MASTER_PORT "
                            + port + " are not a valid rank of a world");
                }
                return new Env(rank, world, local, addr, port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("RANK, WORLD_SIZE, LOCAL_RANK and MASTER_PORT must be integers: "
                        + e.getMessage());
            }
        }
    }

    public ProcessGroupSync(Env env, boolean cuda, long timeoutMillis) {
        this.rank = env.rank();
        this.world = env.worldSize();
        this.cuda = cuda;
        TCPStoreOptions o = new TCPStoreOptions();
        o.port((short) env.masterPort());
        o.isServer(rank == 0);
        o.numWorkers(new SizeTPointer(1).put(world));
        o.waitWorkers(true);
        o.timeout(new Milliseconds(timeoutMillis));
        this.store = new TCPStore(env.masterAddr(), o);
        if (cuda) {
            this.group = new org.bytedeco.pytorch.nccl.ProcessGroupNCCL(store, rank, world);
        } else {
            ProcessGroupGloo.Options go = ProcessGroupGloo.Options.create(new Milliseconds(timeoutMillis));
            go.devices().push_back(ProcessGroupGloo.createDeviceForHostname(env.masterAddr()));
            this.group = new ProcessGroupGloo(store, rank, world, go);
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return world;
    }

    @Override
    public void sumLongs(long[] values) {
        Tensor t = onDevice(Tensors.fromLongs(values, values.length));
        allReduce(t);
        long[] out = Tensors.toLongs(t);
        System.arraycopy(out, 0, values, 0, values.length);
    }

    @Override
    public void sumDoubles(double[] values) {
        Tensor t = onDevice(Tensors.fromDoubles(values));
        allReduce(t);
        double[] out = Tensors.toDoubles(t);
        System.arraycopy(out, 0, values, 0, values.length);
    }

    @Override
    public void sumGradients(List<Tensor> grads) {
        try (NoGradGuard guard = new NoGradGuard()) {
            List<Tensor> bucket = new ArrayList<>();
            long size = 0;
            for (Tensor g : grads) {
                bucket.add(g);
                size += g.numel();
                if (size >= BUCKET_VALUES) {
                    reduceBucket(bucket);
                    bucket.clear();
                    size = 0;
                }
            }
            if (!bucket.isEmpty()) {
                reduceBucket(bucket);
            }
        }
    }

    /** One all-reduce for many gradients: flatten, sum, copy back. */
    private void reduceBucket(List<Tensor> bucket) {
        TensorVector flat = new TensorVector();
        for (Tensor g : bucket) {
            flat.push_back(g.reshape(-1));
        }
        Tensor joined = torch.cat(flat);
        allReduce(joined);
        long offset = 0;
        for (Tensor g : bucket) {
            long n = g.numel();
            g.copy_(joined.narrow(0, offset, n).view_as(g));
            offset += n;
        }
    }

    private void allReduce(Tensor t) {
        try {
            group.allreduce(new TensorVector(t))._wait();
        } catch (RuntimeException e) {
            throw new IllegalStateException("rank " + rank + " of " + world + ": all-reduce failed (another rank died,"
                    + " hung past the timeout, or lost its connection): " + firstLine(e.getMessage()), e);
        }
    }

    @Override
    public void barrier() {
        Tensor t = onDevice(torch.zeros(1));
        allReduce(t);
    }

    private Tensor onDevice(Tensor t) {
        return cuda ? t.cuda() : t;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        group.close();
        store.close();
    }
}

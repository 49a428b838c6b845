package org.mert4j.dsp;

import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.mert4j.tensor.Devices;
import org.mert4j.tensor.Tensors;

/**
 * Speed of the MERT CQT: seconds of compute per minute of 24 kHz audio. Not a test; run with
 * {@code java -cp <test classpath> org.mert4j.dsp.CqtBenchmark [seconds of audio] [device] [batch]}.
 */
public final class CqtBenchmark {
    private CqtBenchmark() {}

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Device device = Devices.parse(args.length > 1 ? args[1] : "cpu");
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int n = 24000 * seconds;
        float[] x = new float[batch * n];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(i * 0.05) + 0.05 * r.nextGaussian());
        }
        Cqt cqt = new Cqt(CqtConfig.mert(), device);
        for (int rep = 0; rep < 3; rep++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor wave = Tensors.fromFloats(x, batch, n).to(device, org.bytedeco.pytorch.global.torch.ScalarType.Float);
                long t0 = System.nanoTime();
                Tensor out = cqt.forward(wave);
                float[] values = Tensors.toFloats(out.narrow(2, 0, 1)); // waits for the device
                double s = (System.nanoTime() - t0) / 1e9;
                double minutes = batch * seconds / 60.0;
                System.out.printf("run %d: %d x %d s of audio in %.3f s: %.3f s per minute, %.0f x real time "
                        + "(%d values)%n", rep, batch, seconds, s, s / minutes, minutes * 60 / s, values.length);
            }
        }
    }
}

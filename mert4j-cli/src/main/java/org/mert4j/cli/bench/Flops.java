package org.mert4j.cli.bench;

import org.mert4j.model.MertConfig;

/**
 * Floating-point operations (multiply and add counted separately) of one encoder forward pass: the
 * convolutions, projections and attention products that dominate; norms and activations are left out.
 * Dividing by a measured time gives the GFLOP/s achieved, to compare with the machine's matmul peak.
 */
public final class Flops {
    private Flops() {}

    /** Forward FLOPs of the encoder on {@code batch} clips of {@code samples} samples each. */
    public static double encoderForward(MertConfig c, long samples, int batch) {
        double flops = 0;
        long len = samples;
        int in = 1;
        MertConfig.ConvFront front = c.convFront();
        for (int i = 0; i < front.layers(); i++) {
            int kernel = front.kernels().get(i);
            len = (len - kernel) / front.strides().get(i) + 1;
            if (len <= 0) {
                return 0;
            }
            flops += 2.0 * in * front.dims().get(i) * kernel * len;
            in = front.dims().get(i);
        }
        long t = len;
        int h = c.transformer().hiddenSize();
        flops += 2.0 * in * h * t; // feature projection
        flops += 2.0 * h * ((double) h / c.positionalConv().groups()) * c.positionalConv().kernel() * t;
        int f = c.transformer().intermediateSize();
        double perLayer = 2.0 * t * (4.0 * h * h + 2.0 * h * f) // q, k, v, out, feed-forward
                + 2.0 * 2.0 * t * t * h; // Q K^T and P V
        flops += perLayer * c.transformer().numLayers();
        return flops * batch;
    }
}

package org.mert4j.dsp;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.mert4j.tensor.Tensors;

/** Input checks, padding and framing shared by the transforms of this package. */
final class Signals {
    private Signals() {}

    /**
     * Checks that {@code wave} is a float32 batch [B, N] without NaN; returns it contiguous. Checked in Java
     * because a mis-shaped tensor can crash native code instead of throwing.
     */
    static Tensor requireBatch(Tensor wave, String what) {
        if (wave == null) {
            throw new IllegalArgumentException(what + ": input is null");
        }
        if (wave.dim() != 2) {
            throw new IllegalArgumentException(what + ": expected a waveform batch [batch, samples], got shape "
                    + Tensors.shapeString(wave));
        }
        if (wave.scalar_type().intern() != torch.ScalarType.Float) {
            throw new IllegalArgumentException(what + ": expected float32 samples, got " + wave.scalar_type().intern());
        }
        if (wave.numel() > 0 && wave.isnan().any().item_bool()) {
            long flat = wave.isnan().reshape(-1).to(torch.ScalarType.Byte).argmax().item_long();
            long n = wave.size(1);
            String row = wave.size(0) > 1 ? " of batch row " + flat / n : "";
            throw new IllegalArgumentException("input contains NaN at sample " + flat % n + row);
        }
        return wave.contiguous();
    }

    /** Pads the last dimension of [B, N] by {@code pad} samples on each side. */
    static Tensor padBoth(Tensor wave, long pad, PadMode mode) {
        if (pad == 0) {
            return wave;
        }
        if (mode == PadMode.REFLECT && pad >= wave.size(1)) {
            throw new IllegalArgumentException("reflect padding of " + pad + " samples needs more than " + pad
                    + " input samples, got " + wave.size(1));
        }
        // torch pads a 2-D input as one unbatched [channels, samples] signal, which is what we want here
        return torch.pad(wave, new long[] {pad, pad}, mode.torchName(), new DoubleOptional(0.0)).contiguous();
    }

    /**
     * Frames of a contiguous [B, M] signal as a view [B, count, length]: frame t starts at {@code offset + t*hop}.
     * The caller guarantees that the last frame lies inside the signal.
     */
    static Tensor frames(Tensor signal, long offset, long length, long hop, long count) {
        long m = signal.size(1);
        if (count > 0 && offset + (count - 1) * hop + length > m) {
            throw new IllegalStateException("frame " + (count - 1) + " ends past the signal of " + m + " samples");
        }
        return signal.as_strided(new long[] {signal.size(0), count, length}, new long[] {m, hop, 1},
                new LongOptional(signal.storage_offset() + offset));
    }
}

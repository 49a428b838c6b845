package org.mert4j.nn.cpu;

import java.util.Arrays;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.ListType;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;

/**
 * fp32 1-D convolution on the CPU over time-major frames [B, T, C], through oneDNN
 * ({@code mkldnn::_convolution_pointwise}, the operator libtorch's inductor uses for CPU models).
 * Time-major frames are, seen as [B, C, 1, T], a channels-last tensor, which oneDNN convolves in place
 * and writes channels-last again: no transpose and no copied windows on either side, and GELU is
 * applied as the output is written. Inference only: the operator has no autograd formula.
 */
public final class OneDnnConv {
    private static final OperatorHandle CONV;

    static {
        OperatorHandle conv = null;
        if (OneDnnLinear.available()) {
            try {
                // retained: the first call may come inside a PointerScope, which would free it on close
                conv = Dispatcher.singleton().findSchemaOrThrow("mkldnn::_convolution_pointwise", "").retainReference();
            } catch (RuntimeException e) {
                conv = null; // a libtorch built without this operator: callers keep their own path
            }
        }
        CONV = conv;
    }

    private OneDnnConv() {}

    public static boolean available() {
        return CONV != null;
    }

    /**
     * [B, T, in] time-major frames convolved with weight [out, in/groups, k] (stride, zero padding on
     * both ends of time, groups), plus bias (may be null), then exact GELU if asked: [B, T', out],
     * time-major and contiguous.
     */
    public static Tensor timeMajor(Tensor x, Tensor weight, Tensor bias, long stride, long padding, long groups,
                                   boolean gelu) {
        if (x.dim() != 3 || weight.dim() != 3 || x.size(2) != weight.size(1) * groups) {
            throw new IllegalArgumentException("time-major convolution: frames " + Arrays.toString(x.sizes().vec().get())
                    + " do not match weight " + Arrays.toString(weight.sizes().vec().get()) + " with " + groups
                    + " groups");
        }
        if (x.size(1) + 2 * padding < weight.size(2)) {
            throw new IllegalArgumentException("time-major convolution: " + x.size(1) + " frames (padding " + padding
                    + ") are shorter than the kernel (" + weight.size(2) + ")");
        }
        IValueVector stack = new IValueVector();
        stack.push_back(new IValue(x.contiguous().permute(0, 2, 1).unsqueeze(2)));
        stack.push_back(new IValue(weight.unsqueeze(2)));
        stack.push_back(bias != null ? new IValue(bias) : new IValue());
        stack.push_back(new IValue(ints(0, padding)));
        stack.push_back(new IValue(ints(1, stride)));
        stack.push_back(new IValue(ints(1, 1)));
        stack.push_back(new IValue(groups));
        stack.push_back(new IValue(gelu ? "gelu" : "none"));
        stack.push_back(new IValue(OneDnnLinear.noScalars()));
        stack.push_back(gelu ? new IValue("none") : new IValue());
        Tensor y = OneDnnLinear.callForTensor(CONV, stack);
        // channels-last [B, out, 1, T'] is time-major already, so contiguous() is normally free
        return y.squeeze(2).permute(0, 2, 1).contiguous();
    }

    private static GenericList ints(long a, long b) {
        GenericList list = new GenericList(ListType.ofInts().getElementType());
        list.push_back(new IValue(a));
        list.push_back(new IValue(b));
        return list;
    }
}

package org.mert4j.nn.cpu;

import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.NumberType;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.OptionalType;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.global.torch;

/**
 * fp32 Linear on the CPU through oneDNN ({@code mkldnn::_linear_pointwise}, the operator libtorch's
 * inductor uses for CPU models), which runs on libtorch's OpenMP pool. That matters because libtorch's
 * other fp32 matrix products go to OpenBLAS, whose own thread pool competes with OpenMP for the cores
 * (see {@link org.mert4j.tensor.CpuThreads}). Inference only: the operator has no autograd formula.
 */
public final class OneDnnLinear {
    private static final OperatorHandle LINEAR;

    static {
        OperatorHandle linear = null;
        if (torch.hasMKLDNN()) {
            try {
                Dispatcher d = Dispatcher.singleton();
                // retained: the first call may come inside a PointerScope, which would free it on close
                linear = d.findSchemaOrThrow("mkldnn::_linear_pointwise", "").retainReference();
            } catch (RuntimeException e) {
                linear = null; // a libtorch built without this operator: callers keep torch.linear
            }
        }
        LINEAR = linear;
    }

    private OneDnnLinear() {}

    public static boolean available() {
        return LINEAR != null;
    }

    /**
     * x [..., in] times weight [out, in], plus bias (may be null): [..., out]. The weight is passed in
     * PyTorch's plain layout: reordering it once into oneDNN's blocked layout measured no faster for
     * MERT's shapes and would keep a second copy of every weight.
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        return call(x, weight, bias, "none", null);
    }

    /** gelu(x W^T + b), exact (erf) GELU applied by oneDNN as the product is written: one pass less. */
    public static Tensor applyGelu(Tensor x, Tensor weight, Tensor bias) {
        return call(x, weight, bias, "gelu", "none");
    }

    private static Tensor call(Tensor x, Tensor weight, Tensor bias, String postOp, String algorithm) {
        IValueVector stack = new IValueVector();
        stack.push_back(new IValue(x));
        stack.push_back(new IValue(weight));
        stack.push_back(bias != null ? new IValue(bias) : new IValue());
        stack.push_back(new IValue(postOp));
        stack.push_back(new IValue(noScalars()));
        stack.push_back(algorithm != null ? new IValue(algorithm) : new IValue());
        return callForTensor(LINEAR, stack);
    }

    /**
     * Runs a boxed operator whose one output is a tensor. toTensor() refers into the stack, which is
     * freed with it, so the result is an owning copy of the handle.
     */
    static Tensor callForTensor(OperatorHandle op, IValueVector stack) {
        op.callBoxed(stack);
        return new Tensor(stack.get(0).toTensor());
    }

    /** The operator's {@code Scalar?[] scalars} argument: an empty list of that element type. */
    static GenericList noScalars() {
        return new GenericList(OptionalType.get(new Type.TypePtr(NumberType.getNumberIntTypePtr().get())));
    }
}

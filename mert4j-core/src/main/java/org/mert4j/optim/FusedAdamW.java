package org.mert4j.optim;

import java.util.List;

import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.ListType;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;

/**
 * libtorch's fused AdamW kernel ({@code aten::_fused_adamw_}, what {@code torch.optim.AdamW(fused=True)}
 * runs), reached through the dispatcher because the Java API has no binding for it. It updates
 * parameter, moments and all in one pass over memory, where the per-tensor update reads and writes
 * each 95M-element buffer about ten times; it has CPU and CUDA kernels.
 */
final class FusedAdamW {
    /** {@code -Dmert4j.fusedAdamW=false} keeps the per-tensor update (for before/after timings). */
    static final String DISABLE_PROPERTY = "mert4j.fusedAdamW";
    private static final OperatorHandle KERNEL;

    static {
        OperatorHandle kernel = null;
        if (!"false".equals(System.getProperty(DISABLE_PROPERTY))) {
            try {
                // retained: the first lookup may happen inside a PointerScope, which would free it
                kernel = Dispatcher.singleton().findSchemaOrThrow("aten::_fused_adamw_", "").retainReference();
            } catch (RuntimeException e) {
                kernel = null; // a libtorch without the operator: AdamW keeps its per-tensor update
            }
        }
        KERNEL = kernel;
    }

    private FusedAdamW() {}

    static boolean available() {
        return KERNEL != null;
    }

    /**
     * One AdamW update of {@code params} in place. {@code steps} holds, per parameter, a float tensor on
     * the parameter's device with the step count including this update (the kernel computes the bias
     * corrections from it).
     */
    static void step(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvg, List<Tensor> expAvgSq,
                     List<Tensor> steps, double lr, double beta1, double beta2, double weightDecay, double eps) {
        IValueVector stack = new IValueVector();
        stack.push_back(new IValue(tensorList(params)));
        stack.push_back(new IValue(tensorList(grads)));
        stack.push_back(new IValue(tensorList(expAvg)));
        stack.push_back(new IValue(tensorList(expAvgSq)));
        stack.push_back(new IValue(tensorList(List.of()))); // max_exp_avg_sqs: only for amsgrad
        stack.push_back(new IValue(tensorList(steps)));
        stack.push_back(new IValue(lr));
        stack.push_back(new IValue(beta1));
        stack.push_back(new IValue(beta2));
        stack.push_back(new IValue(weightDecay));
        stack.push_back(new IValue(eps));
        stack.push_back(new IValue(false)); // amsgrad
        stack.push_back(new IValue(false)); // maximize
        stack.push_back(new IValue()); // grad_scale
        stack.push_back(new IValue()); // found_inf
        KERNEL.callBoxed(stack);
    }

    private static GenericList tensorList(List<Tensor> tensors) {
        GenericList list = new GenericList(ListType.ofTensors().getElementType());
        for (Tensor t : tensors) {
            list.push_back(new IValue(t));
        }
        return list;
    }
}

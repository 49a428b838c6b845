package org.mert4j.probe;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The probe as plain parameter tensors: optional softmax layer weights over S stacked layers, then
 * Linear(D, hidden)-ReLU-Dropout-Linear(hidden, outputs), or Linear(D, outputs) when hidden is 0.
 * Linear layers start as PyTorch's: uniform in +-1/sqrt(fan_in).
 */
final class ProbeModel {
    private final int layers;
    private final int hidden;
    private final double dropout;
    private final Map<String, Tensor> params = new LinkedHashMap<>();

    ProbeModel(int layers, int dim, int hidden, int outputs, double dropout) {
        this.layers = layers;
        this.hidden = hidden;
        this.dropout = dropout;
        if (layers > 1) {
            add("layer_logits", torch.zeros(layers));
        }
        if (hidden > 0) {
            add("w1", uniform(hidden, dim, dim));
            add("b1", uniform(hidden, -1, dim));
            add("w2", uniform(outputs, hidden, hidden));
            add("b2", uniform(outputs, -1, hidden));
        } else {
            add("w2", uniform(outputs, dim, dim));
            add("b2", uniform(outputs, -1, dim));
        }
    }

    private static Tensor uniform(long rows, long cols, long fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        Tensor t = cols < 0 ? torch.rand(rows) : torch.rand(rows, cols);
        return t.mul(new Scalar(2 * bound)).sub(new Scalar(bound));
    }

    private void add(String name, Tensor t) {
        Tensor p = t.contiguous();
        p.requires_grad_(true);
        p.retainReference();
        params.put(name, p);
    }

    Map<String, Tensor> params() {
        return params;
    }

    /** The softmax layer weights, or [1] for one layer. */
    double[] layerWeights() {
        if (layers == 1) {
            return new double[] {1};
        }
        return org.mert4j.tensor.Tensors.toDoubles(torch.softmax(params.get("layer_logits").detach(), 0,
                new ScalarTypeOptional()).to(torch.ScalarType.Double));
    }

    /** [B, S, D] -> [B, outputs]. */
    Tensor forward(Tensor x, boolean training) {
        Tensor h;
        if (layers == 1) {
            h = x.select(1, 0);
        } else {
            Tensor w = torch.softmax(params.get("layer_logits"), 0, new ScalarTypeOptional()).view(1, layers, 1);
            h = x.mul(w).sum(new long[] {1}, false, new ScalarTypeOptional());
        }
        if (hidden > 0) {
            h = torch.relu(torch.linear(h, params.get("w1"), new TensorOptional(params.get("b1"))));
            if (training && dropout > 0) {
                h = torch.dropout(h, dropout, true);
            }
        }
        return torch.linear(h, params.get("w2"), new TensorOptional(params.get("b2")));
    }

    /** A copy of the parameter values (for keeping the best epoch). */
    Map<String, float[]> snapshot() {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, org.mert4j.tensor.Tensors.toFloats(v.detach().contiguous())));
        return out;
    }

    void restore(Map<String, float[]> snapshot) {
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            params.forEach((k, v) -> v.copy_(org.mert4j.tensor.Tensors.fromFloats(snapshot.get(k),
                    org.mert4j.tensor.Tensors.shape(v))));
        }
    }
}

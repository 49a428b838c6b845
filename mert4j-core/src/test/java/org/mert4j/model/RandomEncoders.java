package org.mert4j.model;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Plain encoders in eval mode with random weights of a fixture's shape, their biases and norm affines
 * random too (initialisation leaves them 0 and 1), so that every term of a fast path matters.
 */
final class RandomEncoders {
    private RandomEncoders() {}

    static MertEncoder of(String fixture, boolean convBias, long seed) {
        ObjectNode json = config(fixture);
        json.put("conv_bias", convBias);
        return of(json, seed);
    }

    /** A fixture's config.json, to change before building an encoder of it. */
    static ObjectNode config(String fixture) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(Fixtures.ROOT.resolve(fixture).resolve("config.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MertEncoder of(ObjectNode json, long seed) {
        torch.manual_seed(seed);
        MertEncoder encoder = new MertEncoder(MertConfig.fromJson(json));
        encoder.eval();
        StringTensorDict params = encoder.named_parameters(true);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (long i = 0; i < params.size(); i++) {
                String name = params.get(i).key().getString();
                Tensor p = params.get(i).value();
                if (name.endsWith(".bias")) {
                    p.copy_(torch.randn(p.sizes()).mul(new Scalar(0.3)));
                } else if (name.endsWith("layer_norm.weight")) {
                    p.copy_(torch.rand(p.sizes()).add(new Scalar(0.5)));
                }
            }
        }
        return encoder;
    }
}

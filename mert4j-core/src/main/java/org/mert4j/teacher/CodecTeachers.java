package org.mert4j.teacher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mert4j.audio.Resampler;
import org.mert4j.teacher.rvq.CodeTeacher;

/**
 * MERT-v1's acoustic teachers: the K residual-VQ codebooks of EnCodec 24 kHz (6 kbps: 8 x 1024) or of
 * a mert4j RVQ-VAE, one label stream per codebook ({@code encodec_0} .. {@code encodec_7}). Codes come
 * at 75 Hz like the encoder's frames; the first T = encoder frames of each clip are kept.
 */
public final class CodecTeachers {
    public static final String ENCODEC = "encodec";
    public static final String RVQ = "rvq";

    private CodecTeachers() {}

    public static TeacherFactory factory(String name) {
        return new TeacherFactory() {
            @Override
            public String description() {
                return name.equals(ENCODEC)
                        ? "EnCodec 24 kHz codes at 6 kbps, 8 streams x 1024 (--teacher-model: the EnCodec folder)"
                        : "codes of a mert4j RVQ-VAE (--teacher-model: its folder, from mert teacher train-rvq)";
            }

            @Override
            public LabelTeacher create(TeacherSettings s, Manifest manifest) {
                if (s.teacherModel() == null) {
                    throw new IllegalArgumentException("teacher " + name + " needs --teacher-model DIR (the "
                            + (name.equals(ENCODEC) ? "EnCodec" : "RVQ-VAE") + " model folder)");
                }
                CodeTeacher codec = CodeTeacherFolders.load(s.teacherModel(), s.device());
                return new Codec(name, codec, manifest.sampleRate(), s.teacherModel().getFileName().toString());
            }
        };
    }

    private record Codec(String name, CodeTeacher codec, int sampleRate, String model) implements LabelTeacher {
        @Override
        public double frameRate() {
            return sampleRate / 320.0;
        }

        @Override
        public List<LabelStream> streams() {
            List<LabelStream> out = new ArrayList<>();
            for (int k = 0; k < codec.numCodebooks(); k++) {
                out.add(new LabelStream(name + "_" + k, codec.codebookSize()));
            }
            return out;
        }

        @Override
        public Map<String, String> params() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("teacher_model", model);
            p.put("codebooks", Integer.toString(codec.numCodebooks()));
            return p;
        }

        @Override
        public int[][] labels(float[] mono) {
            int frames = (int) LabelSetInfo.encoderFrames(mono.length);
            if (frames < 1) {
                throw new IllegalArgumentException(mono.length + " samples are shorter than one encoder frame");
            }
            float[] input = sampleRate == codec.sampleRate() ? mono : Resampler.resample(mono, sampleRate, codec.sampleRate());
            int[][] codes = codec.codes(input); // [K][ceil(n / hop)]
            int[][] out = new int[codes.length][frames];
            for (int k = 0; k < codes.length; k++) {
                for (int t = 0; t < frames; t++) {
                    out[k][t] = codes[k][Math.min(t, codes[k].length - 1)];
                }
            }
            return out;
        }

        @Override
        public void close() {
            codec.close();
        }
    }
}

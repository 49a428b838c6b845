package org.mert4j.synth;

import org.mert4j.probe.Split;

/**
 * One clip of a generated task before rendering.
 *
 * @param label  class label (null for beat tasks)
 * @param beats  beat times in seconds from the clip start (beat tasks), else null
 * @param music  writes the clip's MIDI events at a given offset in seconds
 * @param info   extra manifest fields (program, pitch, tempo, ...), JSON-ready
 */
record ClipSpec(String label, Split split, double[] beats, Music music, java.util.Map<String, Object> info) {
    interface Music {
        void write(MidiTimeline timeline, double offset);
    }
}

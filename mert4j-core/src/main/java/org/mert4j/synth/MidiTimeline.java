package org.mert4j.synth;

import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * A MIDI sequence addressed in seconds: 1000 ticks per quarter at 60 BPM, so one tick is one millisecond and
 * note times in the file are exact to the millisecond whatever tempo the music pretends to have.
 */
public final class MidiTimeline {
    public static final int DRUM_CHANNEL = 9;
    private final Sequence sequence;
    private final Track track;

    public MidiTimeline() {
        try {
            sequence = new Sequence(Sequence.PPQ, 1000);
            track = sequence.createTrack();
            byte[] tempo = {0x0F, 0x42, 0x40}; // 1,000,000 us per quarter
            track.add(new MidiEvent(new MetaMessage(0x51, tempo, 3), 0));
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long ticks(double seconds) {
        return Math.round(seconds * 1000);
    }

    /** Selects a General MIDI program (0..127) on a channel from {@code seconds} on. */
    public MidiTimeline program(int channel, int program, double seconds) {
        add(ShortMessage.PROGRAM_CHANGE, channel, program, 0, seconds);
        return this;
    }

    /** A note from {@code start} for {@code duration} seconds. */
    public MidiTimeline note(int channel, int pitch, int velocity, double start, double duration) {
        add(ShortMessage.NOTE_ON, channel, pitch, velocity, start);
        add(ShortMessage.NOTE_OFF, channel, pitch, 0, start + duration);
        return this;
    }

    public Sequence sequence() {
        return sequence;
    }

    /** The end of the last event in seconds. */
    public double lengthSeconds() {
        return track.ticks() / 1000.0;
    }

    private void add(int command, int channel, int a, int b, double seconds) {
        if (a < 0 || a > 127 || b < 0 || b > 127) {
            throw new IllegalArgumentException("MIDI data bytes must be 0..127, got " + a + ", " + b);
        }
        try {
            track.add(new MidiEvent(new ShortMessage(command, channel, a, b), ticks(seconds)));
        } catch (InvalidMidiDataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}

#!/usr/bin/env python3
"""The example audio the README's first command embeds: a few seconds of synthetic music.
(The example model, examples/tiny-mert, is pretrained by mert4j itself: tools/pretrain-example.sh.)

    python3 tools/reference/make_examples.py

Writes examples/audio/{chords-24k.flac, arpeggio-44k-stereo.mp3}.
Deterministic for its seeds. Needs numpy, soundfile and the ffmpeg CLI.
"""
import os
import subprocess

import numpy as np
import soundfile as sf

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
EX = os.path.join(ROOT, "examples")


def note(freq, dur, sr, amp=0.2):
    """A plucked tone: a few harmonics under an exponential decay."""
    t = np.arange(int(dur * sr)) / sr
    env = np.exp(-3.0 * t) * np.minimum(1.0, t * 200)
    tone = sum((0.6 ** h) * np.sin(2 * np.pi * freq * (h + 1) * t) for h in range(5))
    return amp * env * tone


def midi(m):
    return 440.0 * 2 ** ((m - 69) / 12)


def chords(sr):
    prog = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]]  # C Am F G
    out = []
    for ch in prog * 2:
        seg = sum(note(midi(m), 1.0, sr, 0.12) for m in ch) + note(midi(ch[0] - 24), 1.0, sr, 0.15)
        out.append(seg)
    return np.concatenate(out).astype(np.float32)


def arpeggio(sr):
    rng = np.random.default_rng(7)
    left, right = [], []
    for i in range(16):
        m = [64, 67, 71, 72, 69, 65][i % 6]
        x = note(midi(m), 0.25, sr, 0.25)
        pan = rng.uniform(0.2, 0.8)
        left.append(x * (1 - pan))
        right.append(x * pan)
    return np.stack([np.concatenate(left), np.concatenate(right)], axis=1).astype(np.float32)


def main():
    os.makedirs(os.path.join(EX, "audio"), exist_ok=True)
    sf.write(os.path.join(EX, "audio", "chords-24k.flac"), chords(24000), 24000, subtype="PCM_16")
    wav = os.path.join(EX, "arp.wav")
    sf.write(wav, arpeggio(44100), 44100, subtype="PCM_16")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", wav, "-codec:a", "libmp3lame", "-b:a", "96k",
                    "-bitexact", os.path.join(EX, "audio", "arpeggio-44k-stereo.mp3")], check=True)
    os.remove(wav)

    print("examples written:", sorted(os.listdir(os.path.join(EX, "audio"))))


if __name__ == "__main__":
    main()

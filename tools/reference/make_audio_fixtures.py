#!/usr/bin/python3
"""Generates the audio test fixtures under mert4j-core/src/test/resources/audio/.

Run with Debian's /usr/bin/python3 (torch 1.13 + torchaudio 0.13.1, the reference resampler)
from the repository root; needs the ffmpeg CLI for the encoded files. Output is deterministic
for a given ffmpeg build; other encoder versions may change the lossy bitstreams, which the
tests only check loosely.

Raw files are little-endian float32 (.f32) or int16 (.s16) with no header; multi-channel
raw files are planar (all of channel 0, then all of channel 1).

Files:
  known_44100_stereo.s16     the known 0.2 s stereo signal on the int16 grid (value = k / 32768)
  known_*.wav/.flac/.mp3/.ogg/.opus/.m4a   that signal encoded by ffmpeg
  rs_<rate>.f32              a 0.1 s mono test signal at <rate> (0.05 s at 192 kHz)
  rs_<from>_<to>.f32         torchaudio.functional.resample(rs_<from>, from, to)
  rs1_<from>_<to>.f32        resample of the single sample [0.5]
  pipe_44100_24000.f32       known stereo -> mean over channels -> resample to 24 kHz
  pipe_44100_24000_norm.f32  the same, then (x - mean) / sqrt(var + 1e-7) in numpy (population var)
  empty.mp3, text.mp3, video_only.mkv, no_samples.wav   files that must fail to decode
"""
import math
import os
import subprocess
import wave

import numpy as np
import torch
import torchaudio.functional as AF

OUT = os.path.join("mert4j-core", "src", "test", "resources", "audio")
KNOWN_RATE = 44100
KNOWN_SECONDS = 0.2


def test_signal(rate, seconds, seed, channels=1):
    """A linear chirp 100 Hz -> 0.45*rate plus a 440 Hz tone and a little white noise."""
    n = int(round(rate * seconds))
    t = np.arange(n, dtype=np.float64) / rate
    f0, f1 = 100.0, 0.45 * rate
    rng = np.random.default_rng(seed)
    out = []
    for c in range(channels):
        phase = 2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds))
        x = 0.4 * np.sin(phase + c) + 0.3 * np.sin(2 * np.pi * 440.0 * (c + 1) * t) + 0.05 * rng.standard_normal(n)
        out.append(x)
    return np.stack(out)


def write_f32(name, arr):
    np.ascontiguousarray(arr, dtype="<f4").tofile(os.path.join(OUT, name))


def resample(x, src, dst):
    return AF.resample(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)), src, dst).numpy()


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def main():
    os.makedirs(OUT, exist_ok=True)

    # Known stereo signal on the int16 grid, so every lossless format represents it exactly.
    known = np.clip(np.round(test_signal(KNOWN_RATE, KNOWN_SECONDS, seed=1, channels=2) * 32768), -32768, 32767)
    known = known.astype("<i2")
    known.tofile(os.path.join(OUT, "known_44100_stereo.s16"))
    src = os.path.join(OUT, "known_s16.wav")
    with wave.open(src, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(KNOWN_RATE)
        w.writeframes(known.T.copy().tobytes())
    enc = {
        "known_s24.wav": ["-c:a", "pcm_s24le"],
        "known_s32.wav": ["-c:a", "pcm_s32le"],
        "known_f32.wav": ["-c:a", "pcm_f32le"],
        "known.flac": ["-c:a", "flac"],
        "known.mp3": ["-c:a", "libmp3lame", "-b:a", "128k"],
        "known.ogg": ["-c:a", "libvorbis", "-q:a", "4"],
        "known.opus": ["-c:a", "libopus", "-b:a", "96k"],
        "known.m4a": ["-c:a", "aac", "-b:a", "128k"],
    }
    for name, args in enc.items():
        ffmpeg("-i", src, *args, "-map_metadata", "-1", "-fflags", "+bitexact", os.path.join(OUT, name))

    # Files that must fail.
    open(os.path.join(OUT, "empty.mp3"), "wb").close()
    with open(os.path.join(OUT, "text.mp3"), "w") as f:
        f.write("This is a plain text file, not audio.\n" * 4)
    ffmpeg("-f", "lavfi", "-i", "color=c=black:s=16x16:d=0.2:r=5", "-c:v", "ffv1",
           "-map_metadata", "-1", "-fflags", "+bitexact", os.path.join(OUT, "video_only.mkv"))
    with wave.open(os.path.join(OUT, "no_samples.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"")

    # Resampler references, one short mono clip per source rate.
    pairs = [(8000, 24000), (16000, 24000), (24000, 16000), (44100, 24000), (44100, 16000),
             (48000, 24000), (192000, 24000)]
    for i, rate in enumerate(sorted({p[0] for p in pairs})):
        x = test_signal(rate, 0.05 if rate >= 192000 else 0.1, seed=10 + i)[0].astype(np.float32)
        write_f32("rs_%d.f32" % rate, x)
    for a, b in pairs:
        x = np.fromfile(os.path.join(OUT, "rs_%d.f32" % a), dtype="<f4")
        write_f32("rs_%d_%d.f32" % (a, b), resample(x, a, b))
        write_f32("rs1_%d_%d.f32" % (a, b), resample(np.array([0.5], dtype=np.float32), a, b))

    # The front-end chain: stereo -> mono mean -> 24 kHz -> optional normalisation.
    stereo = torch.from_numpy(known.astype(np.float32) / 32768.0)
    mono = stereo.mean(dim=0)
    y = AF.resample(mono, KNOWN_RATE, 24000).numpy()
    write_f32("pipe_44100_24000.f32", y)
    # as Wav2Vec2FeatureExtractor.zero_mean_unit_var_norm on float32 input; numpy var is population var
    norm = (y - y.mean()) / np.sqrt(y.var() + 1e-7)
    write_f32("pipe_44100_24000_norm.f32", norm)


if __name__ == "__main__":
    main()

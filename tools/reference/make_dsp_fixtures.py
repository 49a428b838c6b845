#!/usr/bin/env python3
"""Generates the signal-feature test fixtures under mert4j-core/src/test/resources/dsp/.

Run twice from the repository root:
  python3 tools/reference/make_dsp_fixtures.py            # CQT and chroma (numpy, torch, librosa)
  /usr/bin/python3 tools/reference/make_dsp_fixtures.py   # mel and kaldi MFCC (torchaudio 0.13)
Each run writes the parts whose libraries it can import. All files are float32 .npy.

CQT reference: nnAudio's CQT1992v2 written out directly (create_cqt_kernels + strided conv1d
over the zero-padded signal, the 65,536-tap direct convolution the Java code avoids). If the
nnAudio package is importable it is run too and the two are compared.

Files:
  wave24k.npy          [36000]  1.5 s at 24 kHz: log chirp 40 Hz -> 6 kHz, harmonics of 220 Hz, noise
  wave16k.npy          [24000]  1.5 s at 16 kHz, the same recipe
  cqt.npy              [336, 113]  CQT1992v2 magnitude of wave24k (sr 24000, hop 320, fmin 32.7, 336 bins,
                                   48 per octave, norm 1, hann, center, constant padding, librosa scaling)
  cqt_freqs.npy        [336]    the bin frequencies
  cqt_short.npy        [336, 2] the CQT of the first 500 samples of wave24k
  mel_htk.npy          [128, 71] torchaudio MelSpectrogram(sr 24000, n_fft 2048, hop 512, 128 mels, HTK, norm None)
  mel_slaney.npy       [80, 151] MelSpectrogram(sr 24000, n_fft 1024, win 800, hop 240, 80 mels, f 20..8000,
                                   mel_scale slaney, norm slaney)
  mfcc.npy             [148, 13] torchaudio.compliance.kaldi.mfcc(wave16k, use_energy False), other defaults
  mfcc_deltas.npy      [148, 39] mfcc, compute_deltas(mfcc), compute_deltas(deltas), HuBERT's layout
  chroma.npy           [12, 71]  librosa.feature.chroma_stft(wave24k, sr 24000, n_fft 2048, hop 512,
                                   tuning 0, norm inf)
"""
import math
import os

import numpy as np

OUT = os.path.join("mert4j-core", "src", "test", "resources", "dsp")


def test_wave(rate, seconds=1.5, seed=7):
    n = int(round(rate * seconds))
    t = np.arange(n, dtype=np.float64) / rate
    f0, f1 = 40.0, 6000.0
    k = math.log(f1 / f0) / seconds
    chirp = 0.4 * np.sin(2 * math.pi * f0 * (np.exp(k * t) - 1) / k)
    harm = sum(0.15 / h * np.sin(2 * math.pi * 220.0 * h * t + h) for h in range(1, 6))
    noise = 0.02 * np.random.default_rng(seed).standard_normal(n)
    return (chirp + harm + noise).astype(np.float32)


def save(name, a):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(a, dtype=np.float32))
    print("wrote", name, a.shape)


def cqt_kernels(sr, fmin, n_bins, bins_per_octave, filter_scale=1.0):
    """nnAudio utils.create_cqt_kernels with norm 1 and a periodic Hann window."""
    q = float(filter_scale) / (2 ** (1 / bins_per_octave) - 1)
    freqs = fmin * 2.0 ** (np.r_[0:n_bins] / np.double(bins_per_octave))
    lengths = np.ceil(q * sr / freqs)
    fft_len = int(2 ** (np.ceil(np.log2(int(max(lengths))))))
    kernels = np.zeros((n_bins, fft_len), dtype=np.complex64)
    for k in range(n_bins):
        l = lengths[k]
        start = int(np.ceil(fft_len / 2.0 - l / 2.0)) - (1 if l % 2 == 1 else 0)
        n = int(l)
        window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)  # scipy get_window('hann', n, fftbins=True)
        sig = window * np.exp(np.r_[-l // 2: l // 2] * 1j * 2 * np.pi * freqs[k] / sr) / l
        kernels[k, start:start + n] = sig / np.linalg.norm(sig, 1)
    return kernels, fft_len, lengths, freqs


def cqt_reference(x, sr=24000, hop=320, fmin=32.7, n_bins=336, bins_per_octave=48):
    import torch
    import torch.nn.functional as F
    kernels, fft_len, lengths, _ = cqt_kernels(sr, fmin, n_bins, bins_per_octave)
    xt = torch.from_numpy(x).float().view(1, 1, -1)
    xt = F.pad(xt, (fft_len // 2, fft_len // 2), mode="constant", value=0.0)
    real = F.conv1d(xt, torch.tensor(kernels.real).unsqueeze(1), stride=hop)
    imag = -F.conv1d(xt, torch.tensor(kernels.imag).unsqueeze(1), stride=hop)
    scale = torch.sqrt(torch.tensor(lengths).float().view(-1, 1))
    real, imag = real * scale, imag * scale
    return torch.sqrt(real.pow(2) + imag.pow(2))[0].numpy()


def make_cqt(w24):
    _, _, _, freqs = cqt_kernels(24000, 32.7, 336, 48)
    save("cqt_freqs.npy", freqs)
    ref = cqt_reference(w24)
    save("cqt.npy", ref)
    save("cqt_short.npy", cqt_reference(w24[:500]))
    try:
        import torch
        from nnAudio.features.cqt import CQT1992v2
    except ImportError:
        return
    layer = CQT1992v2(sr=24000, hop_length=320, fmin=32.7, n_bins=336, bins_per_octave=48, pad_mode="constant",
                      verbose=False)
    theirs = layer(torch.from_numpy(w24))[0].numpy()
    print("nnAudio CQT1992v2 vs direct reference: max abs diff %.3g, max value %.3g"
          % (np.abs(theirs - ref).max(), ref.max()))


def make_chroma(w24):
    import librosa
    chroma = librosa.feature.chroma_stft(y=w24, sr=24000, n_fft=2048, hop_length=512, tuning=0.0, norm=np.inf)
    save("chroma.npy", chroma)


def make_torchaudio(w24, w16):
    import torch
    import torchaudio
    from torchaudio.compliance import kaldi
    x24 = torch.from_numpy(w24).view(1, -1)
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=24000, n_fft=2048, hop_length=512, n_mels=128,
                                               mel_scale="htk", norm=None)
    save("mel_htk.npy", mel(x24)[0].numpy())
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=24000, n_fft=1024, win_length=800, hop_length=240,
                                               n_mels=80, f_min=20.0, f_max=8000.0, mel_scale="slaney",
                                               norm="slaney")
    save("mel_slaney.npy", mel(x24)[0].numpy())
    # HuBERT's simple_kmeans/dump_mfcc_feature.py
    mfccs = kaldi.mfcc(waveform=torch.from_numpy(w16).view(1, -1), sample_frequency=16000, use_energy=False)
    save("mfcc.npy", mfccs.numpy())
    mfccs = mfccs.transpose(0, 1)
    deltas = torchaudio.functional.compute_deltas(mfccs)
    ddeltas = torchaudio.functional.compute_deltas(deltas)
    save("mfcc_deltas.npy", torch.cat([mfccs, deltas, ddeltas], dim=0).transpose(0, 1).contiguous().numpy())


def main():
    os.makedirs(OUT, exist_ok=True)
    w24, w16 = test_wave(24000), test_wave(16000)
    save("wave24k.npy", w24)
    save("wave16k.npy", w16)
    try:
        import torchaudio  # noqa: F401
        has_torchaudio = True
    except ImportError:
        has_torchaudio = False
    if has_torchaudio:
        make_torchaudio(w24, w16)
    else:
        make_cqt(w24)
        make_chroma(w24)


if __name__ == "__main__":
    main()

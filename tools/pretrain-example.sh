#!/usr/bin/env bash
# Reproduces examples/tiny-mert: a tiny MERT pretrained by mert4j itself on music it renders locally
# (General MIDI chord progressions and drum patterns through fluidsynth), with MFCC k-means labels
# (HuBERT iteration 1) and the CQT target: 400 updates of 8 x 2 s crops, learning rate decaying
# towards step 600. About 10 minutes on 2 quiet CPU cores.
# Needs: `mvn -q -DskipTests package` done, and the Debian packages fluidsynth + timgm6mb-soundfont.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
steps="${STEPS:-400}"
./mert tasks make key --out "$work/corpus/key" --count 3 --seed 11
./mert tasks make beat --out "$work/corpus/beat" --count 16 --seed 12
./mert manifest "$work/corpus" --out "$work/train.tsv"
./mert labels --teacher mfcc-kmeans --fit --k 100 --seed 1 --manifest "$work/train.tsv" --out "$work/labels"
./mert pretrain --preset tiny --manifest "$work/train.tsv" --labels "$work/labels" --out "$work/run" \
    --max-steps "$steps" --save-every 200 --set optim.warmup_steps=60 --set optim.total_steps=600
./mert plot "$work/run" --out "$work/curves.png"
rm -rf examples/tiny-mert
./mert export "$work/run" --out examples/tiny-mert
echo "examples/tiny-mert written; training curves in $work/curves.png"

#!/usr/bin/env bash
# The small recipe (docs/pretraining.md, "The small recipe"; results in docs/experiments.md):
#   1. a corpus of 3 hours of multi-instrument music that mert4j composes and renders with the SoundFont,
#   2. MFCC k-means labels (k = 100, HuBERT's first iteration, MERT's stage 1),
#   3. 700 updates of the `small` preset (4 x 5 s crops): about 35 minutes on 2 quiet cores,
#   4. export to a Hugging Face folder, training curves,
#   5. with EVAL=1, probes on the local tasks (pitch, instrument, key, beat) against MFCC, CQT and the same
#      network with random weights, two probe seeds each.
# Usage: tools/pretrain-small.sh [WORK_DIR]     (STEPS=N, THREADS=N, EVAL=1, NOCQT=1 for the ablation,
#        CQT_INPUT=1 for the run with MERT's CQT input front and the unmasked term, docs/experiments.md)
# Needs: `mvn -q -DskipTests package` done, and the Debian packages fluidsynth + timgm6mb-soundfont.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
steps="${STEPS:-700}"
threads="${THREADS:-2}"
extra=()
if [ "${NOCQT:-0}" = 1 ]; then
    extra+=(--set objective.cqt_weight=0)
fi
if [ "${CQT_INPUT:-0}" = 1 ]; then
    extra+=(--set encoder.feature_extractor_cqt=true --set objective.unmasked_weight=0.5)
fi
mkdir -p "$work"
echo "work folder: $work"

[ -f "$work/corpus/pieces.jsonl" ] || ./mert corpus --out "$work/corpus" --hours 3 --seed 1
[ -f "$work/data/train.tsv" ] || ./mert manifest "$work/corpus" --out "$work/data/train.tsv" --valid-percent 3 --seed 1
[ -f "$work/labels/labels.json" ] || ./mert labels --teacher mfcc-kmeans --fit --k 100 --seed 1 \
    --manifest "$work/data/train.tsv" --out "$work/labels"
[ -f "$work/labels-valid/labels.json" ] || ./mert labels --teacher mfcc-kmeans \
    --kmeans "$work/labels/kmeans-mfcc.safetensors" --manifest "$work/data/valid.tsv" --out "$work/labels-valid"

run="$work/run"
resume=()
if [ -d "$run/checkpoints" ]; then
    resume=(--resume)   # a killed run continues from its last checkpoint
fi
./mert pretrain --preset small --manifest "$work/data/train.tsv" --labels "$work/labels" \
    --valid-manifest "$work/data/valid.tsv" --valid-labels "$work/labels-valid" \
    --out "$run" --max-steps "$steps" --threads "$threads" "${extra[@]}" "${resume[@]}"
./mert plot "$run" --out "$work/curves.png"
[ -f "$run/hf/config.json" ] || ./mert export "$run" --out "$run/hf"
echo "model: $run/hf; resolved settings: $run/config.json; curves: $work/curves.png"

if [ "${EVAL:-0}" = 1 ]; then
    for t in notes-pitch notes-instrument key beat; do
        [ -f "$work/tasks/$t/task.yaml" ] || ./mert tasks make "$t" --out "$work/tasks/$t" --seed 1
    done
    tasks="$work/tasks/notes-pitch/task.yaml,$work/tasks/notes-instrument/task.yaml,$work/tasks/key/task.yaml,$work/tasks/beat/task.yaml"
    for seed in 0 1; do
        ./mert probe --tasks "$tasks" --model "$run/hf" --layers sweep --seed "$seed" \
            --cache "$work/probe-cache" --out "$work/probe-seed$seed"
        ./mert probe --tasks "$tasks" --model cqt --no-baselines --seed "$seed" \
            --cache "$work/probe-cache" --out "$work/probe-seed$seed"
    done
    echo "probe tables: $work/probe-seed0/marble.md, $work/probe-seed1/marble.md"
fi

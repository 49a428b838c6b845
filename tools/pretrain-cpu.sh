#!/usr/bin/env bash
# The CPU recipe (docs/pretraining.md, "The CPU recipe"; results in docs/experiments.md):
#   1. a corpus of 12 hours of multi-instrument music that mert4j composes and renders with the SoundFont,
#   2. MFCC k-means labels (k = 500, MERT-v0's and HuBERT's first teacher) at 75 Hz; the encoder takes the
#      label in the middle of each of its 25 Hz frames,
#   3. the `cpu` preset: spectrogram front (log-mel + log-CQT), pre-LN, linear head, log-CQT target on every
#      frame, 16 x 5 s crops per update (STEPS updates, default the preset's 1,000),
#   4. export to a model folder (it loads in mert4j only) and training curves,
#   5. with EVAL=1, probes on the local tasks against MFCC, CQT and the same network with random weights
#      (mert probe's baselines), two probe seeds each.
# Usage: tools/pretrain-cpu.sh [WORK_DIR]     (STEPS=N, THREADS=N, HOURS=N, EVAL=1, NOCQT=1 for the ablation
#        without the CQT target, TASKS=notes-pitch,notes-instrument,key to choose the probed tasks)
# Needs: `mvn -q -DskipTests package` done, and the Debian packages fluidsynth + timgm6mb-soundfont.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
threads="${THREADS:-2}"
# the training run keeps up to 1 GB of decoded audio; with the launcher's 4 GB heap the collector never rests
export JAVA_OPTS="${JAVA_OPTS:--Xmx12g}"
hours="${HOURS:-12}"
extra=()
if [ -n "${STEPS:-}" ]; then
    extra+=(--max-steps "$STEPS" --set "optim.total_steps=$STEPS" --set "optim.warmup_steps=$(( STEPS * 6 / 100 ))")
fi
if [ "${NOCQT:-0}" = 1 ]; then
    extra+=(--set objective.cqt_weight=0)
fi
mkdir -p "$work"
echo "work folder: $work"

[ -f "$work/corpus/pieces.jsonl" ] || ./mert corpus --out "$work/corpus" --hours "$hours" --seed 1
[ -f "$work/data/train.tsv" ] || ./mert manifest "$work/corpus" --out "$work/data/train.tsv" --valid-percent 3 --seed 1
[ -f "$work/labels/labels.json" ] || ./mert labels --teacher mfcc-kmeans --fit --k 500 --seed 1 \
    --manifest "$work/data/train.tsv" --out "$work/labels"
[ -f "$work/labels-valid/labels.json" ] || ./mert labels --teacher mfcc-kmeans \
    --kmeans "$work/labels/kmeans-mfcc.safetensors" --manifest "$work/data/valid.tsv" --out "$work/labels-valid"

run="$work/run"
resume=()
if [ -d "$run/checkpoints" ]; then
    resume=(--resume)   # a killed run continues from its last checkpoint
fi
./mert pretrain --preset cpu --manifest "$work/data/train.tsv" --labels "$work/labels" \
    --valid-manifest "$work/data/valid.tsv" --valid-labels "$work/labels-valid" \
    --out "$run" --threads "$threads" "${extra[@]}" "${resume[@]}"
./mert plot "$run" --out "$work/curves.png"
[ -f "$run/hf/config.json" ] || ./mert export "$run" --out "$run/hf"
echo "model: $run/hf; resolved settings: $run/config.json; curves: $work/curves.png"

if [ "${EVAL:-0}" = 1 ]; then
    IFS=, read -r -a names <<< "${TASKS:-notes-pitch,notes-instrument,key}"
    tasks=()
    for t in "${names[@]}"; do
        [ -f "$work/tasks/$t/task.yaml" ] || ./mert tasks make "$t" --out "$work/tasks/$t" --seed 1
        tasks+=("$work/tasks/$t/task.yaml")
    done
    list="$(IFS=,; echo "${tasks[*]}")"
    for seed in 0 1; do
        ./mert probe --tasks "$list" --model "$run/hf" --layers sweep --seed "$seed" \
            --cache "$work/probe-cache" --out "$work/probe-seed$seed"
        ./mert probe --tasks "$list" --model cqt --no-baselines --seed "$seed" \
            --cache "$work/probe-cache" --out "$work/probe-seed$seed"
    done
    echo "probe tables (the model, the same network with random weights, MFCC, CQT): $work/probe-seed{0,1}/marble.md"
fi

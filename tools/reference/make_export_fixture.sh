#!/usr/bin/env bash
# Exported-checkpoint round trip: mert4j pretrains a tiny model on the example audio and exports it as a
# Hugging Face folder; transformers' HubertModel (the class MERT's MERTModel extends) then loads that folder
# and writes its hidden states, which mert4j's test compares with its own.
# Run from the repository root after `mvn -q -DskipTests package`; needs python3 with torch and transformers.
set -euo pipefail
out=mert4j-core/src/test/resources/pretrain/exported
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mert manifest examples/audio --out "$work/train.tsv"
./mert labels --teacher hubert-kmeans --teacher-model examples/tiny-mert --layer 2 --fit --k 16 \
    --manifest "$work/train.tsv" --out "$work/labels"
./mert pretrain --preset tiny --manifest "$work/train.tsv" --labels "$work/labels" --out "$work/run" \
    --max-steps 20 --save-every 20
rm -rf "$out"
./mert export "$work/run" --out "$out"
python3 tools/reference/python_hidden_states.py "$out"

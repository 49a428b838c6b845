#!/usr/bin/env bash
# spark-scale.sh: the figures of docs/scale.md for the Spark job. The 95M shape with random weights (the
# same cost as the pretrained model) embeds FILES (16) generated files of SECONDS (30) each on the
# standalone cluster of tools/spark-cluster.sh: one executor fp32, one executor int8, two executors fp32
# (--layers 6, which costs the same: every hidden state is computed either way). Prints the write job's
# time, the cost per audio hour per executor core, the executors' peak resident memory and the Parquet
# bytes per track. Needs the build (mvn -q -DskipTests package); about 10 minutes on 2 cores.
# Usage: tools/spark-scale.sh [WORK_DIR]   (default target/spark-scale)
# Settings: FILES, SECONDS_EACH, PRESET (v1-95m; v1-330m for the larger shape), RUNS (a subset of
# "fp32-1x int8-1x fp32-2x-layer6").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$(realpath -m "${1:-$ROOT/target/spark-scale}")"
FILES="${FILES:-16}"
SECONDS_EACH="${SECONDS_EACH:-30}"
PRESET="${PRESET:-v1-95m}"
APP="$ROOT/mert4j-spark/target/mert4j-spark-app.jar"
CLUSTER="$ROOT/tools/spark-cluster.sh"
export SPARK_CLUSTER_DIR="${SPARK_CLUSTER_DIR:-$ROOT/target/spark-cluster}"

source "$ROOT/tools/spark-checkers.sh"
catalogue() {
    run_checker 2g ClusterCatalogue "$WORK/tools.log" "$@"
}

mkdir -p "$WORK"
[ -f "$WORK/model/config.json" ] || catalogue model "$PRESET" "$WORK/model"
[ -d "$WORK/audio" ] || catalogue make "$WORK/audio" "$FILES" "$SECONDS_EACH"
audio_s=$(awk "BEGIN { print $FILES * $SECONDS_EACH }")

grep -q '^master [0-9]' <<<"$("$CLUSTER" status)" || "$CLUSTER" start

# peak RSS (kB) of the executor JVMs of both workers, sampled every second while the job runs
watch_rss() {
    local peak=0 n pid rss
    while [ -f "$WORK/.running" ]; do
        for n in 1 2; do
            for pid in $(pgrep -P "$(cat "$SPARK_CLUSTER_DIR/worker-$n.pid")" 2>/dev/null || true); do
                rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
                [ "${rss:-0}" -gt "$peak" ] && peak=$rss
            done
        done
        echo "$peak" >"$WORK/.peak"
        sleep 1
    done
}

run() {
    local name=$1 cores=$2
    shift 2
    local out="$WORK/$name.parquet" log="$WORK/$name.log"
    rm -rf "$out"
    touch "$WORK/.running"
    watch_rss &
    local watcher=$!
    local t0
    t0=$(date +%s.%N)
    "$CLUSTER" submit --class org.mert4j.spark.EmbedJob --total-executor-cores "$cores" --executor-memory 1g \
        --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE \
        "$APP" --model "$WORK/model" --torch-threads 1 --partitions "$FILES" --out "$out" "$@" "$WORK/audio" \
        >"$log" 2>&1 || { rm -f "$WORK/.running"; echo "$name failed: see $log" >&2; exit 1; }
    local wall
    wall=$(awk "BEGIN { print $(date +%s.%N) - $t0 }")
    rm -f "$WORK/.running"
    wait "$watcher"
    # the write job is the embedding: from its first task to the committed output, model loads included
    local job_ms
    job_ms=$(grep -E "Job [0-9]+ finished: parquet at EmbedJob" "$log" | sed -E 's/.*took ([0-9.]+) ms.*/\1/' | head -1)
    local bytes
    bytes=$(find "$out" -name '*.parquet' -printf '%s\n' | awk '{ s += $1 } END { print s }')
    awk -v name="$name" -v cores="$cores" -v ms="$job_ms" -v wall="$wall" -v audio="$audio_s" -v files="$FILES" \
        -v bytes="$bytes" -v peak="$(cat "$WORK/.peak")" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
        s = ms / 1000
        printf "%s: %d executor(s) x 1 core, %d files, %.0f s audio: write job %.1f s (spark-submit %.1f s),", name, cores, files, audio, s, wall
        printf " %.3f x real time per core, %.0f core-s = %.2f core-h per audio hour,", s * cores / audio, s * cores * 3600 / audio, s * cores / audio
        printf " executor peak RSS %.2f GB, Parquet %.0f bytes/track, load average %s\n", peak / 1048576, bytes / files, load
    }'
    grep '^executors:' "$log" || true
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; model $PRESET (random weights)"
for r in ${RUNS:-fp32-1x int8-1x fp32-2x-layer6}; do
    case "$r" in
        fp32-1x) run fp32-1x 1 ;;
        int8-1x) run int8-1x 1 --int8 ;;
        fp32-2x-layer6) run fp32-2x-layer6 2 --layers 6 ;;
        *) echo "unknown run $r (fp32-1x, int8-1x, fp32-2x-layer6)" >&2; exit 2 ;;
    esac
done

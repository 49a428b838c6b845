#!/usr/bin/env bash
# spark-cluster-test.sh: the catalogue job on a Spark standalone cluster (tools/spark-cluster.sh: a master
# and two one-core workers on this machine), checked against `mert embed`:
#   1. a catalogue of FILES (100) generated WAV files is embedded by `mert embed` (the reference) and by the
#      Spark job submitted to the cluster; the Parquet must hold every file once, equal to the reference
#      (max difference 0);
#   2. the job again into a new output while one executor JVM is killed (kill -9) mid-job: Spark's task
#      retry must finish it, with the same check;
#   3. the job once more on that output: every file is already there, nothing is embedded.
# Needs the build (mvn -q -DskipTests package). Takes about 4 minutes on 2 cores (docs/scale.md has a run).
# Usage: tools/spark-cluster-test.sh [WORK_DIR]   (default target/spark-cluster-test; FILES=N to change N)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="${1:-$ROOT/target/spark-cluster-test}"
FILES="${FILES:-100}"
PARTITIONS="${PARTITIONS:-20}"
APP="$ROOT/mert4j-spark/target/mert4j-spark-app.jar"
MODEL="$ROOT/examples/tiny-mert"
CLUSTER="$ROOT/tools/spark-cluster.sh"
CLUSTER_DIR="${SPARK_CLUSTER_DIR:-$ROOT/target/spark-cluster}"
export SPARK_CLUSTER_DIR="$CLUSTER_DIR"

source "$ROOT/tools/spark-checkers.sh"
catalogue() {
    run_checker 1g ClusterCatalogue "$WORK/check.log" "$@"
}

rm -rf "$WORK"
mkdir -p "$WORK"
echo "== catalogue"
catalogue make "$WORK/audio" "$FILES"

echo "== reference: mert embed (1 thread, as each executor)"
t0=$(date +%s)
"$ROOT/mert" embed --model "$MODEL" --threads 1 --out "$WORK/reference" "$WORK/audio" >"$WORK/reference.log" 2>&1 \
    || fail "mert embed: see $WORK/reference.log"
echo "mert embed: $(( $(date +%s) - t0 )) s"

started_here=0
if ! grep -q '^master [0-9]' <<<"$("$CLUSTER" status)"; then
    "$CLUSTER" start
    started_here=1
fi
cleanup() {
    [ "$started_here" = 1 ] && "$CLUSTER" stop >/dev/null
    return 0
}
trap cleanup EXIT

# As a user submits it: the model shipped with --files, one libtorch thread per one-core executor. The
# executors unpack libtorch from the application jar into a JavaCPP cache that starts empty here, so that
# both executors unpack it at the same time, as on a fresh cluster node.
submit() {
    local out=$1 log=$2
    "$CLUSTER" submit --class org.mert4j.spark.EmbedJob --executor-memory 1g \
        --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE \
        --conf "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.cachedir=$WORK/javacpp-cache" \
        --files "$MODEL/config.json,$MODEL/preprocessor_config.json,$MODEL/model.safetensors" \
        "$APP" --model sparkfiles: --torch-threads 1 --partitions "$PARTITIONS" --out "$out" "$WORK/audio" \
        >"$log" 2>&1
}

echo "== 1. standalone cluster"
t0=$(date +%s)
submit "$WORK/cluster.parquet" "$WORK/cluster.log" || fail "the job failed: see $WORK/cluster.log"
echo "job: $(( $(date +%s) - t0 )) s; $(grep -E '^[0-9]+ inputs:' "$WORK/cluster.log")"
grep '^executors:' "$WORK/cluster.log" || true
catalogue check "$WORK/cluster.parquet" "$WORK/reference" "$WORK/audio" || fail "standalone run differs"

echo "== 2. one executor JVM killed mid-job"
t0=$(date +%s)
submit "$WORK/killed.parquet" "$WORK/killed.log" &
job=$!
# kill once the embedding stage (PARTITIONS tasks) has finished a few tasks and worker-1 runs an executor
done_tasks=0
killed=0
while kill -0 "$job" 2>/dev/null; do
    done_tasks=$(grep -cE "Finished task .*\([0-9]+/$PARTITIONS\)" "$WORK/killed.log" || true)
    if [ "$done_tasks" -ge 3 ] && "$CLUSTER" kill-executor 1 2>/dev/null; then
        killed=1
        break
    fi
    sleep 0.2
done
[ "$killed" = 1 ] || fail "the job ended before an executor could be killed ($done_tasks tasks done): more FILES?"
echo "killed worker-1's executor after $done_tasks of $PARTITIONS embedding tasks had finished"
# the job's counters as the Spark UI shows them (its REST API on the driver, port 4040) at that moment
if command -v curl >/dev/null; then
    app=$(curl -s http://127.0.0.1:4040/api/v1/applications | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' | head -1)
    [ -n "$app" ] && curl -s "http://127.0.0.1:4040/api/v1/applications/$app/stages?status=active" \
        | tr -d '\n' | grep -oE '"name" *: *"mert4j [^"]*", *"value" *: *"[^"]*"' | sed 's/^/Spark UI: /' || true
fi
wait "$job" || fail "the job did not survive the lost executor: see $WORK/killed.log"
echo "job: $(( $(date +%s) - t0 )) s; $(grep -E '^[0-9]+ inputs:' "$WORK/killed.log")"
grep '^executors:' "$WORK/killed.log" || true
grep -m1 -E "Lost executor|ExecutorLostFailure" "$WORK/killed.log" | sed 's/^/driver log: /' \
    || fail "the driver never saw the executor go"
retried=$(grep -cE "Lost task .*ExecutorLostFailure" "$WORK/killed.log" || true)
echo "tasks lost with the executor and run again: $retried"
catalogue check "$WORK/killed.parquet" "$WORK/reference" "$WORK/audio" || fail "lost-executor run differs"

echo "== 3. rerun on the finished output"
submit "$WORK/killed.parquet" "$WORK/rerun.log" || fail "the rerun failed: see $WORK/rerun.log"
summary=$(grep -E '^[0-9]+ inputs:' "$WORK/rerun.log")
echo "$summary"
[ "$summary" = "$FILES inputs: $FILES already in the output, 0 embedded, 0 failed" ] \
    || fail "the rerun did not skip every file"
catalogue check "$WORK/killed.parquet" "$WORK/reference" "$WORK/audio" || fail "the rerun changed the output"
echo "PASSED"

#!/usr/bin/env bash
# spark-sharded-index-test.sh: a sharded similarity index built by the Spark job BuildShardedIndex on a
# standalone cluster (tools/spark-cluster.sh: a master and two one-core workers on this machine), with one
# executor JVM killed (kill -9) while the shards are built, checked against exact answers and a single index:
#   1. the vectors of tools/bench-search (base.npy, N x d) written as the catalogue job's Parquet output;
#   2. a single IVF index over them (mert index bench, which also measures it);
#   3. the sharded index built by the cluster (SHARDS shards, default 10), worker 1's executor killed once
#      2 shards are done; the job must finish (Spark runs the lost tasks again);
#   4. recall@10 of both against the exact answers of tools/bench-search, and their agreement.
# Needs the build (mvn -q -DskipTests package) and a tools/bench-search folder (default: its 10^6 vectors).
# Usage: tools/spark-sharded-index-test.sh [BENCH_DIR] [WORK_DIR]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH="${1:-$ROOT/target/bench-search/n1000000}"
WORK="${2:-$ROOT/target/spark-sharded-index}"
SHARDS="${SHARDS:-10}"
APP="$ROOT/mert4j-spark/target/mert4j-spark-app.jar"
CLUSTER="$ROOT/tools/spark-cluster.sh"
export SPARK_CLUSTER_DIR="${SPARK_CLUSTER_DIR:-$ROOT/target/spark-cluster}"

source "$ROOT/tools/spark-checkers.sh"
for f in base queries truth; do
    [ -f "$BENCH/$f.npy" ] || fail "$BENCH/$f.npy missing: run tools/bench-search first (or give its folder)"
done
catalogue() {
    run_checker 6g SearchCatalogue "$WORK/check.log" "$@"
}

rm -rf "$WORK"
mkdir -p "$WORK"
echo "== 1. vectors as Parquet"
t0=$(date +%s)
catalogue parquet "$BENCH/base.npy" "$WORK/vectors.parquet" 24
echo "parquet: $(( $(date +%s) - t0 )) s, $(du -sh "$WORK/vectors.parquet" | cut -f1)"

echo "== 2. a single IVF index (mert index bench)"
JAVA_OPTS="${JAVA_OPTS:--Xmx2g}" "$ROOT/mert" index bench --vectors "$BENCH/base.npy" --queries "$BENCH/queries.npy" \
    --truth "$BENCH/truth.npy" --kind ivf --out "$WORK/single.idx" 2>"$WORK/single.log" | tee "$WORK/single.json"

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

echo "== 3. $SHARDS shards on the cluster, one executor killed"
t0=$(date +%s)
"$CLUSTER" submit --class org.mert4j.spark.BuildShardedIndex --executor-memory 2g \
    --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE \
    --conf "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.cachedir=$WORK/javacpp-cache" \
    "$APP" "$WORK/vectors.parquet" 0 "$WORK/sharded.idx" "$SHARDS" >"$WORK/sharded.log" 2>&1 &
job=$!
killed=0
done_tasks=0
while kill -0 "$job" 2>/dev/null; do
    done_tasks=$(grep -cE "Finished task .*\([0-9]+/$SHARDS\)" "$WORK/sharded.log" || true)
    if [ "$done_tasks" -ge 2 ] && "$CLUSTER" kill-executor 1 2>/dev/null; then
        killed=1
        break
    fi
    sleep 0.5
done
[ "$killed" = 1 ] || fail "the job ended before an executor could be killed ($done_tasks shards done)"
echo "killed worker-1's executor after $done_tasks of $SHARDS shards had been built"
wait "$job" || fail "the job did not survive the lost executor: see $WORK/sharded.log"
echo "job: $(( $(date +%s) - t0 )) s; $(grep -E 'tracks indexed in' "$WORK/sharded.log")"
grep -m1 -E "Lost executor|ExecutorLostFailure" "$WORK/sharded.log" | sed 's/^/driver log: /' \
    || fail "the driver never saw the executor go"
echo "tasks lost with the executor and run again: $(grep -cE "Lost task .*ExecutorLostFailure" "$WORK/sharded.log" || true)"
ls "$WORK/sharded.idx"

echo "== 4. answers"
catalogue check "$WORK/sharded.idx" "$WORK/single.idx" "$BENCH/queries.npy" "$BENCH/truth.npy" \
    || fail "the sharded index's recall@10 is below 0.95"
echo "PASSED"

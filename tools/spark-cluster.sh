#!/usr/bin/env bash
# spark-cluster.sh: a Spark standalone cluster on this machine (one master, two workers, each its own JVM),
# built from Spark's own artifacts on Maven Central, and spark-submit to it.
#
#   tools/spark-cluster.sh start                 # fetch Spark once, start master + 2 workers
#   tools/spark-cluster.sh submit ARGS...        # spark-submit --master spark://127.0.0.1:7077 ARGS...
#   tools/spark-cluster.sh status                # the JVMs and their executors
#   tools/spark-cluster.sh kill-executor [N]     # kill -9 the executor JVM of worker N (default 1)
#   tools/spark-cluster.sh stop
#   tools/spark-cluster.sh home                  # fetch Spark once, print its SPARK_HOME (bin/spark-submit,
#                                                #   jars/, conf/): local mode, or any other cluster
#
# Settings (environment): SPARK_CLUSTER_DIR (default target/spark-cluster in the checkout), SPARK_WORKERS (2),
# SPARK_WORKER_CORES (1), SPARK_WORKER_MEMORY (3g: what each worker offers its executors), SPARK_MASTER_PORT
# (7077), SPARK_MASTER_WEBUI_PORT (8080; workers 8081, 8082, ...), SPARK_S3A=1 (add hadoop-aws for s3a://).
# Logs: $SPARK_CLUSTER_DIR/logs; each worker's executors write work/app-*/N/stderr under its folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${SPARK_CLUSTER_DIR:-$ROOT/target/spark-cluster}"
HOME_DIR="$DIR/spark-home"
WORKERS="${SPARK_WORKERS:-2}"
WORKER_CORES="${SPARK_WORKER_CORES:-1}"
WORKER_MEMORY="${SPARK_WORKER_MEMORY:-3g}"
MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
UI_PORT="${SPARK_MASTER_WEBUI_PORT:-8080}"
HOST=127.0.0.1
MASTER_URL="spark://$HOST:$MASTER_PORT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# What Spark 4.1's launcher (org.apache.spark.launcher.JavaModuleOptions) passes to every Spark JVM on
# Java 17+ (the same list SparkContext adds to the executors' command lines itself).
MODULE_OPTS=(
    -XX:+IgnoreUnrecognizedVMOptions
    --add-modules=jdk.incubator.vector
    --add-opens=java.base/java.lang=ALL-UNNAMED
    --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
    --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
    --add-opens=java.base/sun.security.action=ALL-UNNAMED
    --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
    --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
    -Djdk.reflect.useDirectMethodHandle=false
    -Dio.netty.tryReflectionSetAccessible=true
    -Dio.netty.allocator.type=pooled
    -Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE
    --enable-native-access=ALL-UNNAMED
)

# Spark's launcher code (used by the workers to build executor command lines) finds the jars in
# SPARK_HOME/jars when SPARK_HOME/RELEASE exists, as in a distribution.
export SPARK_HOME="$HOME_DIR"
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP="$HOST"
# libtorch's OpenMP workers must not spin on a shared machine (docs/performance.md); executors inherit it
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

die() {
    echo "spark-cluster: $*" >&2
    exit 1
}

# Builds SPARK_HOME once: jars/ from Maven Central (Spark's own artifacts), conf/ with quiet logging, RELEASE.
ensure_home() {
    if [ -f "$HOME_DIR/RELEASE" ] && compgen -G "$HOME_DIR/jars/spark-core_*.jar" >/dev/null \
            && { [ "${SPARK_S3A:-0}" != 1 ] || compgen -G "$HOME_DIR/jars/hadoop-aws-*.jar" >/dev/null; }; then
        write_spark_submit
        return
    fi
    command -v mvn >/dev/null || die "mvn is needed to fetch Spark's jars from Maven Central"
    # Maven's output (even with -q -B some versions write colour resets) goes to stderr: `home` is captured
    echo "spark-cluster: fetching Spark's jars into $HOME_DIR/jars (once)" >&2
    mkdir -p "$HOME_DIR/jars" "$HOME_DIR/conf"
    local profile=()
    [ "${SPARK_S3A:-0}" = 1 ] && profile=(-Ps3a)
    # offline first (nothing to download when the build already fetched Spark), then from Maven Central
    mvn -q -B -o -f "$ROOT/tools/spark/pom.xml" "${profile[@]}" dependency:copy-dependencies \
            -DoutputDirectory="$HOME_DIR/jars" -DincludeScope=runtime >/dev/null 2>&1 \
        || mvn -q -B -f "$ROOT/tools/spark/pom.xml" "${profile[@]}" dependency:copy-dependencies \
            -DoutputDirectory="$HOME_DIR/jars" -DincludeScope=runtime >&2 \
        || die "could not fetch Spark's jars (see the Maven output above)"
    cat >"$HOME_DIR/conf/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex
# what the cluster runs: executors added and lost, tasks failed and retried
logger.master.name = org.apache.spark.deploy
logger.master.level = info
logger.scheduler.name = org.apache.spark.scheduler
logger.scheduler.level = info
logger.executor.name = org.apache.spark.executor
logger.executor.level = info
EOF
    echo "Spark $(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$ROOT/tools/spark/pom.xml") (Scala 2.13)" \
        "jars from Maven Central, assembled by tools/spark-cluster.sh" >"$HOME_DIR/RELEASE"
    write_spark_submit
}

# SPARK_HOME/bin/spark-submit, as in a distribution: the driver JVM (client mode) with Spark's module options.
# SPARK_DRIVER_MEMORY sets its heap (default 1g): --driver-memory cannot, the JVM is already started.
write_spark_submit() {
    mkdir -p "$HOME_DIR/bin"
    {
        echo '#!/usr/bin/env bash'
        echo '# spark-submit of a Spark assembled by tools/spark-cluster.sh (see there)'
        echo 'home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"'
        echo 'export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13'
        echo 'export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"'
        echo "exec \"\${JAVA_HOME:+\$JAVA_HOME/bin/}java\" -Xmx\${SPARK_DRIVER_MEMORY:-1g} ${MODULE_OPTS[*]} \\"
        echo '    -cp "$home/conf:$home/jars/*" org.apache.spark.deploy.SparkSubmit "$@"'
    } >"$HOME_DIR/bin/spark-submit"
    chmod +x "$HOME_DIR/bin/spark-submit"
}

alive() {
    [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

wait_for_port() {
    local port=$1 what=$2 log=$3
    for _ in $(seq 1 120); do
        if (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
            return
        fi
        sleep 0.5
    done
    die "$what did not listen on $HOST:$port within 60 s; see $log"
}

start() {
    ensure_home
    mkdir -p "$DIR/logs"
    if alive "$DIR/master.pid"; then
        echo "spark-cluster: already running ($MASTER_URL); stop it first" >&2
        return
    fi
    if (exec 3<>"/dev/tcp/$HOST/$MASTER_PORT") 2>/dev/null; then
        die "port $MASTER_PORT is taken by another program: set SPARK_MASTER_PORT"
    fi
    nohup "$JAVA" -Xmx512m "${MODULE_OPTS[@]}" -cp "$HOME_DIR/conf:$HOME_DIR/jars/*" \
        org.apache.spark.deploy.master.Master --host "$HOST" --port "$MASTER_PORT" --webui-port "$UI_PORT" \
        >"$DIR/logs/master.log" 2>&1 &
    echo $! >"$DIR/master.pid"
    wait_for_port "$MASTER_PORT" master "$DIR/logs/master.log"
    for n in $(seq 1 "$WORKERS"); do
        mkdir -p "$DIR/worker-$n/work"
        nohup "$JAVA" -Xmx256m "${MODULE_OPTS[@]}" -cp "$HOME_DIR/conf:$HOME_DIR/jars/*" \
            org.apache.spark.deploy.worker.Worker --host "$HOST" --cores "$WORKER_CORES" \
            --memory "$WORKER_MEMORY" --work-dir "$DIR/worker-$n/work" --webui-port $((UI_PORT + n)) "$MASTER_URL" \
            >"$DIR/logs/worker-$n.log" 2>&1 &
        echo $! >"$DIR/worker-$n.pid"
    done
    # registered workers are listed by the master's log; wait until all of them are
    for _ in $(seq 1 120); do
        if [ "$(grep -c 'Registering worker' "$DIR/logs/master.log" || true)" -ge "$WORKERS" ]; then
            echo "spark-cluster: master $MASTER_URL (UI http://$HOST:$UI_PORT), $WORKERS workers x" \
                "$WORKER_CORES core(s), $WORKER_MEMORY; logs in $DIR/logs"
            return
        fi
        sleep 0.5
    done
    die "workers did not register within 60 s; see $DIR/logs"
}

# The executor JVMs (CoarseGrainedExecutorBackend) of worker N: the worker starts them as its children.
executors_of() {
    local pidfile="$DIR/worker-$1.pid"
    alive "$pidfile" || return 0
    local pid
    for pid in $(pgrep -P "$(cat "$pidfile")" || true); do
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q CoarseGrainedExecutorBackend; then
            echo "$pid"
        fi
    done
}

status() {
    if alive "$DIR/master.pid"; then
        echo "master $(cat "$DIR/master.pid") $MASTER_URL"
    else
        echo "master not running"
    fi
    for n in $(seq 1 "$WORKERS"); do
        if alive "$DIR/worker-$n.pid"; then
            echo "worker-$n $(cat "$DIR/worker-$n.pid") executors: $(executors_of "$n" | tr '\n' ' ')"
        else
            echo "worker-$n not running"
        fi
    done
}

kill_executor() {
    local n="${1:-1}"
    local pids
    pids="$(executors_of "$n")"
    [ -n "$pids" ] || die "worker-$n runs no executor now"
    for pid in $pids; do
        kill -9 "$pid"
        echo "spark-cluster: killed executor JVM $pid of worker-$n"
    done
}

stop() {
    local n pid
    for n in $(seq "$WORKERS" -1 1); do
        for pid in $(executors_of "$n"); do
            kill "$pid" 2>/dev/null || true
        done
        if alive "$DIR/worker-$n.pid"; then
            kill "$(cat "$DIR/worker-$n.pid")" || true
        fi
        rm -f "$DIR/worker-$n.pid"
    done
    if alive "$DIR/master.pid"; then
        kill "$(cat "$DIR/master.pid")" || true
    fi
    rm -f "$DIR/master.pid"
    echo "spark-cluster: stopped"
}

submit() {
    ensure_home
    alive "$DIR/master.pid" || die "the cluster is not running: tools/spark-cluster.sh start"
    # the driver runs here (client mode), as spark-submit from an edge node; its log4j settings are conf/'s
    "$HOME_DIR/bin/spark-submit" --master "$MASTER_URL" --conf spark.driver.host="$HOST" "$@"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    submit) shift; submit "$@" ;;
    kill-executor) shift; kill_executor "$@" ;;
    home) ensure_home; echo "$HOME_DIR" ;;
    *)
        sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac

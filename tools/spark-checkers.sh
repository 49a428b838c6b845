# spark-checkers.sh: sourced by the tools/spark-*.sh runs (not run on its own). They make catalogues and check
# results with the test classes of mert4j-spark (ClusterCatalogue, SearchCatalogue), run next to the application
# jar with Spark from the cluster's jars. Needs ROOT, APP and CLUSTER set; sets CHECK_CP.

fail() {
    echo "FAILED: $*" >&2
    exit 1
}

CORE_TESTS="$(ls "$ROOT"/mert4j-core/target/mert4j-core-*-tests.jar 2>/dev/null | head -1 || true)"
[ -f "$APP" ] && [ -d "$ROOT/mert4j-spark/target/test-classes" ] && [ -n "$CORE_TESTS" ] \
    || fail "build first: mvn -q -DskipTests package"
SPARK_HOME_DIR="$("$CLUSTER" home)"
CHECK_CP="$SPARK_HOME_DIR/conf:$SPARK_HOME_DIR/jars/*:$APP:$ROOT/mert4j-spark/target/test-classes:$CORE_TESTS"

# run_checker HEAP CLASS LOG ARGS...: a checker class in a JVM of its own (its local Spark logs go to LOG)
run_checker() {
    local heap="$1" class="$2" log="$3"
    shift 3
    java "-Xmx$heap" --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
        --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
        -cp "$CHECK_CP" "org.mert4j.spark.$class" "$@" 2>>"$log"
}

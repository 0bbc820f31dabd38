# Shared by bench/run.sh and bench/compare.sh (sourced, from the repository root): settings, the measuring
# helpers, the build, a standalone Artemis and a fresh database, and the service and load generator started the
# same way. APP (target/quarkus-app) is the service build to start; EXTRA_JAVA_OPTS is added to its JVM options.
ROOT=$PWD

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH
DURATION=${DURATION:-60}
STATIONS=${STATIONS:-100}
REBUILD_EVENTS=${REBUILD_EVENTS:-1000000}
BIG_EVENTS=${BIG_EVENTS:-0}
# The container's JVM settings, as the k8s base sets them (JAVA_MAX_MEM_RATIO=35 of the 768Mi limit is a 268 MB heap;
# JAVA_OPTS_APPEND's direct memory and exit on OutOfMemoryError), so that peak RSS is measured as it runs there.
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:--Xmx268m -XX:MaxDirectMemorySize=96m -XX:+ExitOnOutOfMemoryError -XX:+UseParallelGC}
ARTEMIS_VERSION=2.40.0
WORK=${WORK:-$ROOT/target/bench}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/stormwatch
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
DB=stormwatch_bench
AMQP_PORT=61617
HTTP_PORT=18080
MGMT_PORT=19000
RESULTS=$WORK/results.txt

say() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }
record() { printf '%s=%s\n' "$1" "$2" >> "$RESULTS"; printf '   %-34s %s\n' "$1" "$2"; }
value() { grep "^$1=" "$RESULTS" | tail -1 | cut -d= -f2-; }
json() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b else 'n/a')" "$1" "$2"; }
# CPU time (clock ticks of /proc) of the broker, the service and PostgreSQL, and of the whole machine: a mark
# before and after a phase gives each one's share of the two cores, "other" being mostly the load generator.
# Beside it, PostgreSQL's own counters of the work done (WAL flushes, WAL bytes, commits, rows read and written),
# which do not depend on how fast the shared machine happens to be.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
db_counters() {
  psql -d "$DB" -tA -F' ' -c "SELECT w.wal_sync, w.wal_bytes::bigint, d.xact_commit, d.tup_returned + d.tup_fetched,
    d.tup_inserted + d.tup_updated + d.tup_deleted FROM pg_stat_wal w, pg_stat_database d WHERE d.datname = '$DB'" \
    2>/dev/null || echo "0 0 0 0 0"
}
cpu_mark() {
  local pg=0 p
  for p in $(pgrep -u postgres); do pg=$(( pg + $(ticks "$p") )); done
  echo "$(ticks "${BROKER_PID:-0}") $(ticks "${SERVICE_PID:-0}") $pg $(awk '/^cpu / {print $2+$3+$4+$7+$8+$9}' /proc/stat)" \
    "$(db_counters)"
}
cpu_record() { # label, mark before, count of units done, unit
  python3 - "$1" "$2" "$(cpu_mark)" "$3" "$4" "$(getconf CLK_TCK)" >> "$RESULTS" <<'PY'
import sys
label, before, after, count, unit, hz = sys.argv[1:]
b, a = [list(map(int, x.split())) for x in (before, after)]
broker, service, pg, busy = [(y - x) / int(hz) for x, y in zip(b[:4], a[:4])]
syncs, wal, commits, read, written = [y - x for x, y in zip(b[4:], a[4:])]
other = max(0.0, busy - broker - service - pg)
per = lambda s: f"{1000 * s / float(count):.3f}" if float(count) else "n/a"
each = lambda n: f"{n / float(count):.3g}" if float(count) else "n/a"
print(f"{label}_cpu_s=broker {broker:.1f}, service {service:.1f}, postgres {pg:.1f}, other {other:.1f}, busy {busy:.1f}")
print(f"{label}_cpu_ms_per_{unit}=broker {per(broker)}, service {per(service)}, postgres {per(pg)}, other {per(other)}, total {per(busy)}")
print(f"{label}_db_per_{unit}=WAL flushes {each(syncs)}, WAL bytes {each(wal)}, commits {each(commits)}, rows read {each(read)}, rows written {each(written)}")
PY
  grep "^$1_\(cpu\|db\)" "$RESULTS" | sed 's/^/   /'
}
wait_port() { for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 1; done; return 1; }

BROKER_PID= SERVICE_PID= SAMPLER_PID=
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null && wait "$BROKER_PID" 2>/dev/null || true
}
trap cleanup EXIT

rm -rf "$WORK" && mkdir -p "$WORK" "$CACHE"
: > "$RESULTS"

say "Machine"
record cpus "$(nproc)"
record cpu_model "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
record memory "$(free -g | awk '/Mem:/ {print $2 " GiB"}')"
record postgresql "$(psql -tAc 'SHOW server_version')"
record java "$(java -version 2>&1 | head -1)"

say "Build"
if [ -z "${SKIP_BUILD:-}" ]; then ./mvnw -B -q package -DskipTests; fi
# The load generator is compiled with the tests (bench/src), so target/test-classes holds it.
CP="$ROOT/target/test-classes:$ROOT/target/quarkus-app/app/*:$ROOT/target/quarkus-app/lib/main/*"
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || sudo apt-get install -y -qq wrk; }

say "Broker: Apache Artemis $ARTEMIS_VERSION (Maven Central distribution)"
TARBALL=$CACHE/apache-artemis-$ARTEMIS_VERSION-bin.tar.gz
[ -f "$TARBALL" ] || curl -fsSL -o "$TARBALL" \
  "https://repo1.maven.org/maven2/org/apache/activemq/apache-artemis/$ARTEMIS_VERSION/apache-artemis-$ARTEMIS_VERSION-bin.tar.gz"
tar xzf "$TARBALL" -C "$WORK"
ARTEMIS=$WORK/apache-artemis-$ARTEMIS_VERSION/bin/artemis
"$ARTEMIS" create "$WORK/broker" --silent --user bench --password bench --require-login --no-web \
  --default-port $AMQP_PORT --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
  --queues weather.commands:anycast,weather.queries:anycast,bench.raw:anycast \
  --addresses weather.events:multicast,weather.alerts:multicast \
  > "$WORK/broker-create.log"
"$WORK/broker/bin/artemis" run > "$WORK/broker.log" 2>&1 &
BROKER_PID=$!
wait_port $AMQP_PORT || { echo "broker did not start"; tail -20 "$WORK/broker.log"; exit 1; }
record broker "Artemis $ARTEMIS_VERSION, $(grep -o 'journal-type>[A-Z]*' "$WORK/broker/etc/broker.xml" | cut -d'>' -f2) journal"

say "Database: $DB on the machine's PostgreSQL"
dropdb --if-exists "$DB" && createdb "$DB"
record synchronous_commit "$(psql -d "$DB" -tAc 'SHOW synchronous_commit')"



# The benchmark's broker runs without the plugin that stamps each message with its sender (docs/operations.md), so
# the service checks no identity: every command is the load generator's.
start_service() {
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:5432/$DB" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
  QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
  AMQP_HOST=localhost AMQP_PORT=$AMQP_PORT AMQP_USERNAME=bench AMQP_PASSWORD=bench \
  QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MGMT_PORT \
  QUARKUS_SECURITY_USERS_EMBEDDED_PLAIN_TEXT=true QUARKUS_SECURITY_USERS_EMBEDDED_USERS_BENCH=bench \
  QUARKUS_SECURITY_USERS_EMBEDDED_ROLES_BENCH=admin \
  STORMWATCH_IDENTITY_ENFORCE=false \
    java $SERVICE_JAVA_OPTS ${EXTRA_JAVA_OPTS:-} -jar "${APP:-target/quarkus-app}/quarkus-run.jar" >> "$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "service not ready"; tail -20 "$WORK/service.log"; exit 1
}
stop_service() { kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=; }
sample_rss() {
  # Shell builtins and sleep only: each process started costs the phase it samples some CPU.
  ( while kill -0 "$SERVICE_PID" 2>/dev/null; do
      while read -r key value _; do [ "$key" = VmRSS: ] && echo "$value"; done < "/proc/$SERVICE_PID/status"
      sleep 1
    done ) > "$WORK/rss-$1.txt" 2>/dev/null &
  SAMPLER_PID=$!
}
stop_sampling() { kill "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=; }
# Commands/s over the second half of a load phase (from its 10 s progress lines): the JIT and the caches warm.
warm_rate() {
  python3 - "$WORK/load-$1.log" <<'PY'
import re, sys
steps = [(int(s), int(n)) for s, n in re.findall(r"^\s+(\d+) s: (\d+) commands accepted", open(sys.argv[1]).read(), re.M)]
end_s, end_n = steps[-1]
mid_s, mid_n = min(steps, key=lambda st: abs(st[0] - end_s / 2))
print(round((end_n - mid_n) / (end_s - mid_s)) if end_s > mid_s else "n/a")
PY
}
load() { # label, then LoadGenerator arguments
  local label=$1; shift
  java -cp "$CP" io.stormwatch.bench.LoadGenerator amqp=localhost:$AMQP_PORT user=bench password=bench \
    http=http://127.0.0.1:$HTTP_PORT stations="$STATIONS" "$@" | tee "$WORK/load-$label.log" | grep -v '^RESULT' >&2
  grep '^RESULT ' "$WORK/load-$label.log" | cut -d' ' -f2-
}

# The two load phases of run.sh and compare.sh. Each records the CPU per unit under KEY (cpu_record) and leaves the
# load generator's JSON in PHASE for the caller's own figures.
single_phase() { # key, duration, warm-up seconds not counted, then more LoadGenerator arguments
  local key=$1 duration=$2 warmup=$3 mark; shift 3
  psql -q -d "$DB" -c "CHECKPOINT"  # each load phase starts with no dirty buffers left by the one before
  mark=$(cpu_mark)
  PHASE=$(load "$key" mode=single duration="$duration" warmup="$warmup" "$@")
  cpu_record "$key" "$mark" "$(( $(json "$PHASE" accepted) + $(json "$PHASE" warmupAnswered) ))" command
}
batch_phase() { # key, duration
  local key=$1 duration=$2 mark
  psql -q -d "$DB" -c "CHECKPOINT"
  mark=$(cpu_mark)
  PHASE=$(load "$key" mode=batch duration="$duration" window="${BATCH_WINDOW:-400}")
  cpu_record "$key" "$mark" "$(json "$PHASE" events)" observation
}

# The raw broker path, measured with the load generator itself: the same commands (same size, durable) from the same
# sender and connection settings to a plain queue that a consumer of the service's kind drains (its own connection,
# the service's credit of 400, each message accepted), with the same window and warm-up as the single commands.
raw_broker() { # label
  local MARK RUN
  MARK=$(cpu_mark)
  RUN=$(load "$1" mode=raw duration="$DURATION" warmup=10)
  cpu_record "$1" "$MARK" "$(( $(json "$RUN" accepted) + $(json "$RUN" warmupAnswered) ))" message
  record "${1}_msgs_per_s" "$(json "$RUN" commandsPerS | xargs printf '%.0f')"
}

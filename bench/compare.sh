#!/usr/bin/env bash
# Builds side by side in one run: the two append paths of the current build, and the builds of earlier commits.
#
#   bench/compare.sh                  # sql and entity; about 5 minutes per contestant and round (DURATION=60)
#   BASE="<commit> ..." bench/compare.sh   # and each commit's build, with its defaults ("base-<commit>")
#
# Each contestant gets a fresh database and a fresh service, then the single-command and batch phases of
# bench/run.sh (single commands as fast as answered after SINGLE_WARMUP s not counted, then batches of 100
# observations), each until the read model shows the work. ROUNDS (2) rounds, the order reversed every other round,
# so that no contestant always runs first on a machine that drifts. It prints each figure per round, the mean and the
# ratio to the first contestant, and the service's CPU per unit of work (target/bench-compare/results.md keeps it). Settings as
# bench/run.sh: DURATION, STATIONS, SKIP_BUILD; and CONTESTANTS ("sql entity"), PHASES ("single batch"), JFR=1 (a
# flight recording of each service, target/bench-compare/<contestant>_<round>.jfr: `jfr view hot-methods` reads it).
set -euo pipefail
cd "$(dirname "$0")/.."
export WORK=${WORK:-$PWD/target/bench-compare}
source bench/lib.sh
ROUNDS=${ROUNDS:-2}
SINGLE_WARMUP=${SINGLE_WARMUP:-10}
read -r -a CONTESTANTS <<< "${CONTESTANTS:-sql entity}"
read -r -a PHASES <<< "${PHASES:-single batch}"

declare -A BASE_DIRS
for base in ${BASE:-}; do
  commit=$(git rev-parse --short "$base")
  BASE_DIRS[$commit]=$CACHE/base-$commit
  say "Build of $commit: $(git log -1 --format=%s "$commit" | cut -c1-80)"
  if [ ! -f "${BASE_DIRS[$commit]}/target/quarkus-app/quarkus-run.jar" ]; then
    rm -rf "${BASE_DIRS[$commit]}" && mkdir -p "${BASE_DIRS[$commit]}"
    git archive "$commit" | tar -x -C "${BASE_DIRS[$commit]}"
    (cd "${BASE_DIRS[$commit]}" && ./mvnw -B -q package -DskipTests)
  fi
  record "base-${commit}_subject" "$(git log -1 --format=%s "$commit" | cut -c1-80)"
  CONTESTANTS+=("base-$commit")
done

contestant() { # name, round
  local label="$1_$2" RUN
  case $1 in
    sql | entity) APP=target/quarkus-app EXTRA_JAVA_OPTS="-Dstormwatch.commands.append-path=$1" ;;
    base-*) APP=${BASE_DIRS[${1#base-}]}/target/quarkus-app EXTRA_JAVA_OPTS= ;;
  esac
  [ -n "${JFR:-}" ] && EXTRA_JAVA_OPTS+=" -XX:StartFlightRecording=filename=$WORK/$label.jfr,settings=profile"
  dropdb --if-exists "$DB" && createdb "$DB"
  start_service
  if [[ " ${PHASES[*]} " == *" single "* ]]; then
    say "$1, round $2: single commands, ${DURATION} s after ${SINGLE_WARMUP} s not counted"
    single_phase "${label}_single" "$DURATION" "$SINGLE_WARMUP"
    RUN=$PHASE
    record "${label}_single" "$(json "$RUN" caughtUpEventsPerS | xargs printf '%.0f')"
    record "${label}_single_replies" "$(json "$RUN" commandsPerS | xargs printf '%.0f')"
  fi
  if [[ " ${PHASES[*]} " == *" batch "* ]]; then
    say "$1, round $2: batches of 100 observations, ${DURATION} s"
    batch_phase "${label}_batch" "$DURATION"
    RUN=$PHASE
    record "${label}_batch" "$(json "$RUN" caughtUpEventsPerS | xargs printf '%.0f')"
    record "${label}_batch_replies" "$(json "$RUN" eventsPerS | xargs printf '%.0f')"
  fi
  stop_service
}

for round in $(seq 1 "$ROUNDS"); do
  order=("${CONTESTANTS[@]}")
  if [ $(( round % 2 )) -eq 0 ]; then
    order=(); for (( i=${#CONTESTANTS[@]}-1; i>=0; i-- )); do order+=("${CONTESTANTS[$i]}"); done
  fi
  for name in "${order[@]}"; do contestant "$name" "$round"; done
done

say "Side by side"
python3 - "$RESULTS" "$ROUNDS" "${PHASES[*]}" "${CONTESTANTS[@]}" <<'PY' | tee "$WORK/results.md"
import re, statistics, sys
values = dict(line.rstrip("\n").split("=", 1) for line in open(sys.argv[1]) if "=" in line)
rounds, phases, names = int(sys.argv[2]), sys.argv[3].split(), sys.argv[4:]
for name in names:
    if f"{name}_subject" in values:
        print(f"- {name}: {values[f'{name}_subject']}")
print()
print("| Figure | Contestant | " + " | ".join(f"Round {r}" for r in range(1, rounds + 1))
      + " | Mean | Ratio to " + names[0] + " | Service CPU per unit (ms) |")
print("|---|---|" + "---|" * rounds + "---|---|---|")
for figure, title in (("single", "Single commands until visible (commands/s)"),
                      ("batch", "Batches of 100 until visible (observations/s)")):
    if figure not in phases:
        continue
    means = {}
    for name in names:
        runs = [float(values[f"{name}_{r}_{figure}"]) for r in range(1, rounds + 1)]
        means[name] = statistics.mean(runs)
        replies = [values[f"{name}_{r}_{figure}_replies"] for r in range(1, rounds + 1)]
        cpu = [re.search(r"service ([0-9.]+)", v)[1] for k, v in values.items()
               if re.fullmatch(rf"{name}_\d+_{figure}_cpu_ms_per_[a-z]+", k)]
        cells = " | ".join(f"{run:,.0f} (replies {float(rep):,.0f})" for run, rep in zip(runs, replies))
        print(f"| {title} | {name} | {cells} | {means[name]:,.0f} | {means[name] / means[names[0]]:.2f} | "
              + ", ".join(cpu) + " |")
PY
echo
echo "Raw figures: $RESULTS; logs: $WORK"

#!/usr/bin/env bash
# Instructions and allocations per protected request, counted by callgrind
# (deterministic: the same binary and inputs give the same count whatever
# else the machine does), for our #[jwt_required] route against the guard a
# Rocket user would write with jsonwebtoken, and for an open route with and
# without the manager attached.
#
# Each mode runs twice under callgrind, with N1 and N2 keep-alive requests;
# per request = (total(N2) - total(N1)) / (N2 - N1), so start-up and shutdown
# cancel out. Allocations come from a counting allocator the same way.
#
#   bash benches/callgrind.sh            # handwritten, ours, bare, ours-open
#   WITH_REDIS=1 bash benches/callgrind.sh   # adds ours-redis (127.0.0.1:6379)
set -euo pipefail
cd "$(dirname "$0")/.."
N1=${N1:-200}
N2=${N2:-1200}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)"; exit 1; }
cargo build --release -q -p rocket-jwt-extended-benches --example bench_server --example bench_client
bin=target/release/examples
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# run MODE PATH N -> "instructions allocations"
run() {
  local mode=$1 path=$2 n=$3 port
  port=$(free_port)
  valgrind --tool=callgrind --callgrind-out-file="$out/$mode.$n.cg" \
    "$bin/bench_server" "$mode" "$port" 2>"$out/$mode.$n.err" &
  local pid=$!
  "$bin/bench_client" "$port" "$path" "$n"
  wait "$pid"
  local ir allocs
  ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/$mode.$n.cg")
  allocs=$(awk '/^allocations/ {print $2}' "$out/$mode.$n.err")
  echo "$ir $allocs"
}

declare -A IR ALLOC
measure() {
  local mode=$1 path=$2 a b
  read -r a_ir a_al <<<"$(run "$mode" "$path" "$N1")"
  read -r b_ir b_al <<<"$(run "$mode" "$path" "$N2")"
  IR[$mode]=$(( (b_ir - a_ir) / (N2 - N1) ))
  ALLOC[$mode]=$(awk -v a="$a_al" -v b="$b_al" -v n=$((N2 - N1)) 'BEGIN { printf "%.1f", (b - a) / n }')
  printf '%-12s %10s instructions/request %6s allocations/request\n' "$mode" "${IR[$mode]}" "${ALLOC[$mode]}"
}

echo "callgrind, $((N2 - N1)) requests per difference, one keep-alive connection"
measure handwritten /protected
measure ours /protected
measure bare /open
measure ours-open /open
if [ -n "${WITH_REDIS:-}" ]; then
  measure ours-redis /protected
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo
echo "protected route, ours / hand-written guard: $(ratio "${IR[ours]}" "${IR[handwritten]}")x instructions, allocations ${ALLOC[ours]} vs ${ALLOC[handwritten]}"
echo "open route, manager attached / without:     $(ratio "${IR[ours-open]}" "${IR[bare]}")x instructions"
if [ -n "${WITH_REDIS:-}" ]; then
  echo "Redis store, added per checked request:     $(( IR[ours-redis] - IR[ours] )) instructions"
fi

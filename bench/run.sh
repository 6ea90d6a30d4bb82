#!/usr/bin/env bash
# Builds (RelWithDebInfo, as the README's commands do) and runs every
# benchmark at its full size, printing each figure, its ratio to the
# reference measured in the same run, and MET or MISSED. Exits 1 when any
# target is missed. Takes about three minutes on 2 cores and needs ~2.5 GiB
# (bench_replay needs /usr/bin/python3 with pandas, numpy and h5py, and
# ~0.5 GB in $TMPDIR).
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh build >/dev/null || exit 2
status=0
for b in bench_scoring bench_search bench_measures bench_memory bench_threads bench_overhead \
         bench_executor bench_replay; do
  ./build/bench/$b || status=1
  echo
done
# Runs across MPI ranks: mpirun -n 1, 2, 4 and the cost model (docs/cluster.md).
/usr/bin/python3 bench/bench_ranks.py build/bench/bench_ranks || status=1
exit $status

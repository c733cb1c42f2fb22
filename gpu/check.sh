#!/usr/bin/env bash
# Runs the GPU check (gpu/check.ts) from the project root, also on a machine without
# network: when Deno or node_modules/ is missing it unpacks them from gpu/pack/, which
# gpu/pack.sh writes. Arguments go to gpu/check.ts (--grids, --batch, --verify-grid, ...).
#
#   bash gpu/check.sh                         # the default size
#   bash gpu/check.sh --grids 2 --batch 1     # a small benchmark
#
# The exit status is gpu/check.ts's: 0 passed, 1 failed, 2 invalid options; 3 when the
# pack is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
  if [ "$arg" = "--help" ] || [ "$arg" = "-h" ]; then
    cat <<'HELP'
Usage: bash gpu/check.sh [options]

Prints the WebGPU adapter, compares one training step on WebGPU with the CPU backend,
then prints the benchmark cost table on WebGPU. Runs without network: Deno and
node_modules/ are unpacked from gpu/pack/ (written by bash gpu/pack.sh) when missing.

Options:
  --verify-models LIST  models whose training step is compared (default eot-2,trm-8)
  --verify-grid P       grid size of that comparison (default 3)
  --grids LIST          grid sizes of the benchmark, one after another (default 2,4,6)
  --batch N             puzzles per benchmark batch (default 8)
  --cases LIST          benchmark case names or prefixes (default all)
  --iterations N        measured iterations per case after the warm-up (default 2)
  --skip-bench          compare the training steps only
  --output FILE         write the benchmark report JSON to FILE
  --help                print this help

Exit status: 0 passed, 1 failed, 2 invalid options, 3 when gpu/pack/ is missing.
HELP
    exit 0
  fi
done
pack=gpu/pack
started=$(date +%s)

# Decompresses xz from stdin, with Python's lzma where the xz tool is missing.
unxz_stream() {
  if command -v xz >/dev/null 2>&1; then
    xz -dc
  else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.stdin.buffer), sys.stdout.buffer)'
  fi
}

require_pack_file() {
  if [ ! -f "$pack/$1" ]; then
    echo "error: $pack/$1 is missing; run 'bash gpu/pack.sh' on a machine with Deno and network, then copy gpu/pack/" >&2
    exit 3
  fi
}

if command -v deno >/dev/null 2>&1; then
  deno=$(command -v deno)
else
  deno=$PWD/$pack/bin/deno
  if [ ! -x "$deno" ]; then
    require_pack_file deno.xz
    mkdir -p "$pack/bin"
    unxz_stream <"$pack/deno.xz" >"$deno.tmp"
    chmod +x "$deno.tmp"
    mv "$deno.tmp" "$deno"
    echo "unpacked Deno $(cat "$pack/deno.version") to $deno"
  fi
fi

if [ ! -d node_modules/.deno ]; then
  require_pack_file node_modules.tar.xz
  unxz_stream <"$pack/node_modules.tar.xz" | tar -xf -
  echo "unpacked node_modules/ from $pack/node_modules.tar.xz"
fi

# Deno 2.9.6 requests the registry metadata of each imported package unless its npm cache
# contains it. The packed metadata spares a machine without network those requests.
export DENO_DIR=${DENO_DIR:-$PWD/$pack/deno_dir}
if [ ! -d "$DENO_DIR/npm/registry.npmjs.org" ] && [ -f "$pack/npm_registry.tar.xz" ]; then
  mkdir -p "$DENO_DIR/npm"
  unxz_stream <"$pack/npm_registry.tar.xz" | tar -C "$DENO_DIR/npm" -xf -
  echo "unpacked npm registry metadata to $DENO_DIR/npm"
fi

# Deno's WebGPU (wgpu) reaches an NVIDIA GPU through the Vulkan loader, and NVIDIA's
# Vulkan driver needs libGLdispatch. The packed copies serve where the system has none.
for library in libvulkan.so.1 libGLdispatch.so.0; do
  if ! ldconfig -p 2>/dev/null | grep -q "$library" && [ -f "$pack/lib/$library/$library" ]; then
    export LD_LIBRARY_PATH=$PWD/$pack/lib/$library${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    echo "using the packed $library"
  fi
done
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$nvidia_icd" ] &&
  ! ls /etc/vulkan/icd.d/*nvidia* /usr/share/vulkan/icd.d/*nvidia* >/dev/null 2>&1; then
  export VK_DRIVER_FILES=$nvidia_icd
  echo "using the Vulkan driver $nvidia_icd"
fi

# A request that slips through fails at once on a closed local port instead of waiting on DNS.
export DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 NO_COLOR=1
export HTTPS_PROXY=${HTTPS_PROXY:-http://127.0.0.1:9} HTTP_PROXY=${HTTP_PROXY:-http://127.0.0.1:9}
echo "setup took $(($(date +%s) - started)) s"

exec "$deno" run --allow-all --cached-only gpu/check.ts "$@"

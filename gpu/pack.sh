#!/usr/bin/env bash
# Packs into gpu/pack/ what gpu/check.sh needs on a machine without network. That is the
# Deno binary (xz), the npm packages that the GPU check and the benchmark suite import (xz
# tar of node_modules/ paths), and the npm registry metadata of every locked package, so
# Deno starts offline without trying to download it. Run it in the project root's checkout
# on a Linux x86-64 machine with Deno and the npm registry:
#
#   bash gpu/pack.sh
#
# The Deno binary is compressed again only when its version changed.
set -euo pipefail
cd "$(dirname "$0")/.."
pack=gpu/pack

if ! command -v deno >/dev/null 2>&1; then
  echo "error: deno is not on PATH; install Deno 2 (npm install -g deno) and run gpu/pack.sh again" >&2
  exit 1
fi
target=$(deno eval 'console.log(Deno.build.target)')
if [ "$target" != "x86_64-unknown-linux-gnu" ]; then
  echo "error: this Deno is built for $target, but the GPU machine needs x86_64-unknown-linux-gnu" >&2
  exit 1
fi
mkdir -p "$pack"

# The npm package "deno" installs a launcher on PATH; Deno.execPath() is the real binary.
binary=$(deno eval 'console.log(Deno.execPath())')
version=$(deno eval 'console.log(Deno.version.deno)')
if [ ! -f "$pack/deno.xz" ] || [ "$(cat "$pack/deno.version" 2>/dev/null)" != "$version" ]; then
  echo "compressing Deno $version from $binary"
  xz -9 -T0 -c "$binary" >"$pack/deno.xz.tmp"
  mv "$pack/deno.xz.tmp" "$pack/deno.xz"
  echo "$version" >"$pack/deno.version"
fi

[ -d node_modules/.deno ] || deno install
deno run --allow-read --allow-run gpu/pack_files.ts gpu/check.ts bench/jigsaw_bench.ts >"$pack/node_modules.list"
echo "packing $(wc -l <"$pack/node_modules.list") node_modules paths"
tar -cf - --no-recursion -T "$pack/node_modules.list" | xz -6 -T0 >"$pack/node_modules.tar.xz.tmp"
mv "$pack/node_modules.tar.xz.tmp" "$pack/node_modules.tar.xz"

# Registry metadata (registry.json) of every package in node_modules, from Deno's npm cache.
npm_cache=$(deno info --json | deno eval 'console.log(JSON.parse(await new Response(Deno.stdin.readable).text()).npmCache)')
registry="$npm_cache/registry.npmjs.org"
find node_modules/.deno -mindepth 1 -maxdepth 1 -type d -name '*@*' -printf '%f\n' |
  sed -E 's/^(@?[^@]+)@.*/\1/; s/^@([^+]+)\+/@\1\//' | sort -u |
  while read -r name; do
    if [ -f "$registry/$name/registry.json" ]; then
      echo "registry.npmjs.org/$name/registry.json"
    else
      echo "warning: no registry metadata for $name in $registry; Deno may try to download it offline" >&2
    fi
  done >"$pack/registry.list"
tar -C "$npm_cache" -cf - -T "$pack/registry.list" | xz -6 -T0 >"$pack/npm_registry.tar.xz"

# The Vulkan loader and libGLdispatch, which GPU images often lack: from this system, else
# from a Debian package in apt's download cache (no network needed).
for pair in libvulkan.so.1:libvulkan1 libGLdispatch.so.0:libglvnd0; do
  library=${pair%%:*}
  deb_name=${pair##*:}
  mkdir -p "$pack/lib/$library"
  installed=$(ldconfig -p | awk -v name="$library" '$1 == name && /x86-64/ { print $NF; exit }')
  deb=$(ls /var/cache/apt/archives/"${deb_name}"_*_amd64.deb 2>/dev/null | tail -n 1 || true)
  if [ -n "$installed" ]; then
    cp -L "$installed" "$pack/lib/$library/$library"
  elif [ -n "$deb" ]; then
    unpacked=$(mktemp -d)
    dpkg -x "$deb" "$unpacked"
    cp -L "$(find "$unpacked" -name "$library" | head -n 1)" "$pack/lib/$library/$library"
    rm -rf "$unpacked"
  else
    echo "warning: $library not found here; on a GPU machine without it WebGPU finds no adapter" >&2
  fi
done

files=("$pack"/deno.xz "$pack"/node_modules.tar.xz "$pack"/npm_registry.tar.xz "$pack"/lib/*/*)
du -b "${files[@]}"
total=$(du -cb "${files[@]}" | tail -1 | cut -f1)
echo "gpu/pack/ holds $((total / 1024 / 1024)) MiB ($total bytes); carry it with the working tree as 'gpu/pack'"

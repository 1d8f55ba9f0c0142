# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Kernel modules by name, for stap-testbed and its guest runner (sourced by both; bash).
#
# A module's name is its file's base name with '-' and ',' read as '_', as the kernel and elfutils
# read it (snd-hda-intel.ko is snd_hda_intel); where it is, and what it needs, come from the build's own
# modules.dep, modules.builtin and the .ko files' softdeps (ext4 needs crypto-crc32c, an alias): no
# module or path is written down here.
#
#   tb_module_paths MODDIR NAME...     the modules.dep paths of NAMEs (kernel/fs/ext4/ext4.ko), one a
#                                      line; NAME may be a glob (module("snd_*")); dies 65 naming an
#                                      unknown or built-in module
#   tb_module_closure MODDIR KVER NAME...  the files of NAMEs and of every module they need (their
#                                      modules.dep dependencies and softdeps), absolute, one a line
#
# MODDIR is a /lib/modules/KVER folder. The callers define die CODE MESSAGE.

TB_MODULE_GLOB_MAX=32  # a glob naming more modules than this is refused: their DWARF is GBs

# "NAME PATH" for every module of MODDIR/modules.dep.
tb_module_table() {
  awk -F: '/^[^#]/ { p = $1; n = p; sub(/.*\//, "", n); sub(/\.ko(\.(xz|zst|gz))?$/, "", n)
                     gsub(/[-,]/, "_", n); print n, p }' "$1/modules.dep"
}

tb_module_paths() {
  local dir=$1; shift
  local table name want hits
  table=$(tb_module_table "$dir")
  for name in "$@"; do
    want=${name//[-,]/_}
    # shellcheck disable=SC2053  # a glob on purpose: stap's module("...") takes globs
    hits=$(while read -r n p; do if [[ $n == $want ]]; then echo "$p"; fi; done <<<"$table")
    if [ -z "$hits" ]; then
      if grep -qE "(^|/)${want//_/[-_]}\.ko$" "$dir/modules.builtin" 2>/dev/null; then
        die 65 "module(\"$name\"): $name is built into the kernel $(basename "$dir") (modules.builtin), not a module: probe it as kernel.function(...)"
      fi
      die 65 "module(\"$name\"): no module $name in the kernel $(basename "$dir") (its modules.dep has none of that name)"
    fi
    if [ "$(wc -l <<<"$hits")" -gt "$TB_MODULE_GLOB_MAX" ]; then
      die 65 "module(\"$name\") names $(wc -l <<<"$hits") modules; the test bed takes the DWARF of at most $TB_MODULE_GLOB_MAX at a time: name them"
    fi
    echo "$hits"
  done | sort -u
}

tb_module_closure() {
  local dir=$1 kver=$2; shift 2
  local base=${dir%/lib/modules/*} m f d
  local -A seen=()
  local todo=("$@")
  while [ ${#todo[@]} -gt 0 ]; do
    m=${todo[0]}; todo=("${todo[@]:1}")
    [ -z "${seen[$m]:-}" ] || continue
    seen[$m]=1
    # modinfo resolves names and aliases (crypto-crc32c: every module that provides it).
    f=$(modinfo -b "$base" -k "$kver" -F filename "$m" 2>/dev/null) ||
      die 65 "module $m not found in $dir"
    for f in $f; do
      case "$f" in "(builtin)"|"") continue ;; esac
      echo "$f"
      for d in $(modinfo -F depends "$f" | tr ',' ' ') \
               $(modinfo -F softdep "$f" | tr ' ' '\n' | grep -v ':$' || true); do
        todo+=("$d")
      done
    done
  done | awk '!seen[$0]++'
}

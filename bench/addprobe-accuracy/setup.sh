#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepares what the stap-addprobe accuracy benchmark checks against, next to the test bed:
#   $SA_CACHE/bench-addprobe/dbg/        the DWARF .ko of the sample's modules, from the -dbg package
#                                        the test bed downloaded (not installed; a few hundred MB)
#   $SA_CACHE/bench-addprobe/r/          a `stap -r` folder: the test bed's build folder + those .ko
#   $SA_CACHE/bench-addprobe/vmlinux-cus.txt   compile units of the DWARF vmlinux (readelf)
#   $SA_CACHE/bench-addprobe/module-cus.tsv    MODULE<TAB>compile unit, for the modules above
# Idempotent; needs `stap-testbed prepare` first. Progress on stderr; prints the folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
testbed=$here/../../tools/stap-sandbox/stap-testbed
eval "$("$testbed" env)"
SA_CACHE=${SA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stap-assistant}
out=$SA_CACHE/bench-addprobe
mkdir -p "$out/dbg" "$out/r"

# The modules whose DWARF the sample uses (file systems, network and block drivers, kvm's ../ paths,
# amdgpu's ../display paths).
modules="ext4 jbd2 xfs btrfs nfs fuse netconsole e1000 e1000e virtio_net bridge kvm kvm-intel
usb-storage sd_mod ahci libahci cifs overlay squashfs isofs vfat fat nf_tables nf_conntrack tun veth
bonding 8021q loop dm-mod raid1 md-mod igb r8169 amdgpu snd-hda-codec snd-hda-intel drm ttm hid usbhid
xhci-hcd virtio_blk nvme nvme-core sunrpc lockd"

if [[ ! -e $out/dbg/.done ]]; then
  deb=$(ls "$SA_CACHE"/debs/linux-image-"$SA_KVER"-dbg_*.deb 2>/dev/null | head -1)
  [[ -n $deb ]] || { echo "setup: no linux-image-$SA_KVER-dbg .deb in $SA_CACHE/debs" >&2; exit 66; }
  pats=()
  for m in $modules; do pats+=("*/$m.ko"); done
  echo "setup: extracting $(wc -w <<<"$modules") module .ko with DWARF from $(basename "$deb")" >&2
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$out/dbg" --wildcards "${pats[@]}"
  touch "$out/dbg/.done"
fi

# The stap -r folder: everything of the test bed's, plus kernel/ with the DWARF modules.
for f in "$SA_STAP_R"/.config "$SA_STAP_R"/.kernelvariables "$SA_STAP_R"/* ; do
  [[ -e $f ]] || continue
  ln -sfn "$(readlink -f "$f")" "$out/r/$(basename "$f")"
done
ln -sfn "$out/dbg/usr/lib/debug/lib/modules/$SA_KVER/kernel" "$out/r/kernel"

cus() {  # the compile-unit names of an ELF file with DWARF
  readelf --debug-dump=info --dwarf-depth=1 "$1" 2>/dev/null |
    awk '/DW_TAG_compile_unit/ {cu=1; next} cu && /DW_AT_name/ {sub(/.*: /, ""); print; cu=0}'
}
if [[ ! -s $out/vmlinux-cus.txt ]]; then
  echo "setup: listing vmlinux compile units" >&2
  cus "$SA_VMLINUX" >"$out/vmlinux-cus.txt.tmp" && mv "$out/vmlinux-cus.txt.tmp" "$out/vmlinux-cus.txt"
fi
if [[ ! -s $out/module-cus.tsv ]]; then
  echo "setup: listing module compile units" >&2
  find "$out/dbg" -name '*.ko' | sort | while read -r ko; do
    m=$(basename "$ko" .ko | tr - _)
    cus "$ko" | sed "s|^|$m\t|"
  done >"$out/module-cus.tsv.tmp"
  mv "$out/module-cus.tsv.tmp" "$out/module-cus.tsv"
fi
echo "$out"

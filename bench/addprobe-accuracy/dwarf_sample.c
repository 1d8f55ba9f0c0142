// SPDX-License-Identifier: GPL-2.0-or-later
// The ground truth the accuracy sample is drawn from, read straight from DWARF with elfutils (never
// from stap-addprobe): for COUNT compile units of ELF chosen at random with SEED (those named *.c),
//   L <TAB> CU <TAB> FILE <TAB> LINE          every line of a .c file with a line-table record
//   F <TAB> CU <TAB> NAME <TAB> FILE <TAB> DECL_LINE <TAB> out|inline
//                                             every function defined in a .c file of the CU: "out"
//                                             when it has code of its own, "inline" when it is only
//                                             an abstract instance (inlined copies)
// Usage: dwarf_sample ELF SEED COUNT
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_c(const char* s) {
  size_t n = s ? strlen(s) : 0;
  return n > 2 && strcmp(s + n - 2, ".c") == 0;
}

int main(int argc, char** argv) {
  if (argc != 4) return 64;
  static char* debuginfo_path = NULL;
  static const Dwfl_Callbacks cb = {NULL, dwfl_standard_find_debuginfo,
                                    dwfl_offline_section_address, &debuginfo_path};
  Dwfl* dwfl = dwfl_begin(&cb);
  dwfl_report_begin(dwfl);
  Dwfl_Module* mod = dwfl_report_offline(dwfl, "m", argv[1], -1);
  dwfl_report_end(dwfl, NULL, NULL);
  Dwarf_Addr bias;
  Dwarf* dw = mod ? dwfl_module_getdwarf(mod, &bias) : NULL;
  if (!dw) return 66;
  size_t n = 0, cap = 4096;
  Dwarf_Off* cus = malloc(cap * sizeof *cus);
  Dwarf_CU* cu = NULL;
  Dwarf_Half version;
  uint8_t unit_type;
  Dwarf_Die cudie, sub;
  while (dwarf_get_units(dw, cu, &cu, &version, &unit_type, &cudie, &sub) == 0) {
    if (dwarf_tag(&cudie) != DW_TAG_compile_unit || !is_c(dwarf_diename(&cudie))) continue;
    if (n == cap) cus = realloc(cus, (cap *= 2) * sizeof *cus);
    cus[n++] = dwarf_dieoffset(&cudie);
  }
  srandom((unsigned)strtoul(argv[2], NULL, 10));
  long count = strtol(argv[3], NULL, 10);
  for (long k = 0; k < count && n > 0; ++k) {
    size_t pick = (size_t)random() % n;
    Dwarf_Off off = cus[pick];
    cus[pick] = cus[--n];
    Dwarf_Die die;
    if (!dwarf_offdie(dw, off, &die)) continue;
    const char* name = dwarf_diename(&die);
    Dwarf_Lines* lines;
    size_t nl;
    if (dwarf_getsrclines(&die, &lines, &nl) == 0) {
      for (size_t i = 0; i < nl; ++i) {
        Dwarf_Line* l = dwarf_onesrcline(lines, i);
        bool end = false;
        int lineno = 0;
        if (dwarf_lineendsequence(l, &end) == 0 && end) continue;
        const char* src = dwarf_linesrc(l, NULL, NULL);
        if (!is_c(src) || dwarf_lineno(l, &lineno) != 0 || lineno <= 0) continue;
        printf("L\t%s\t%s\t%d\n", name, src, lineno);
      }
    }
    Dwarf_Die child;
    if (dwarf_child(&die, &child) != 0) continue;
    do {
      if (dwarf_tag(&child) != DW_TAG_subprogram || dwarf_hasattr(&child, DW_AT_declaration))
        continue;
      if (dwarf_hasattr(&child, DW_AT_abstract_origin) ||
          dwarf_hasattr(&child, DW_AT_specification))
        continue;
      const char* fn = dwarf_diename(&child);
      const char* file = dwarf_decl_file(&child);
      int decl = 0;
      if (!fn || !is_c(file) || dwarf_decl_line(&child, &decl) != 0) continue;
      Dwarf_Addr low;
      int out = dwarf_lowpc(&child, &low) == 0 || dwarf_hasattr(&child, DW_AT_ranges);
      if (!out && !dwarf_hasattr(&child, DW_AT_inline)) continue;
      printf("F\t%s\t%s\t%s\t%d\t%s\n", name, fn, file, decl, out ? "out" : "inline");
    } while (dwarf_siblingof(&child, &child) == 0);
  }
  return 0;
}

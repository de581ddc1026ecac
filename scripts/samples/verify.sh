#!/usr/bin/env bash
# verify.sh DIR : what the standard tools say about every sample under DIR (used to write samples/FACTS.txt)
#   ELF: readelf (GNU binutils)  PE: llvm-readobj  Mach-O: llvm-otool / llvm-lipo
export PATH=/usr/lib/llvm-14/bin:$PATH LC_ALL=C
cd "$1"
find . -path ./src -prune -o \( -type f -o -type l \) ! -name '*.md' ! -name FACTS.txt -print | sort | while read -r f; do
  f=${f#./}
  if [ -L "$f" ]; then printf '%s  symlink -> %s\n' "$f" "$(readlink "$f")"; continue; fi
  k=$(file -b "$f")
  printf '%s  (%s bytes)  %s\n' "$f" "$(stat -c %s "$f")" "$(echo "$k" | cut -c1-120)"
  case "$k" in
    ELF*)
      readelf -hW "$f" 2>/dev/null | awk -F: '/Class|Data|Type|Machine/{gsub(/^ +| +$/,"",$2); gsub(/^ +/,"",$1); printf "    %s: %s\n",$1,$2}' | sed "s/2's complement, //"
      readelf -lW "$f" 2>/dev/null | awk '/Requesting program interpreter/{sub(/.*interpreter: /,""); sub(/\]$/,""); print "    PT_INTERP " $0}
                                          /GNU_STACK/{print "    PT_GNU_STACK " ($7 ~ /E/ ? "RWX" : "RW")} /GNU_RELRO/{print "    PT_GNU_RELRO"}'
      readelf -dW "$f" 2>/dev/null | awk '/\((NEEDED|SONAME|RPATH|RUNPATH|TEXTREL|FLAGS|FLAGS_1|BIND_NOW)\)/{sub(/^ *0x[0-9a-f]+ +/,""); printf "    %s\n",$0}'
      readelf -nW "$f" 2>/dev/null | awk '/NT_GNU_ABI_TAG/ && /OS:/{sub(/.*OS: /,""); print "    NT_GNU_ABI_TAG OS: " $0}'
      readelf -p .comment "$f" 2>/dev/null | awk '/\]/{sub(/^ *\[ *[0-9a-f]+\] +/,""); printf "    .comment: %s\n",$0}' | sort -u | head -4 ;;
    PE*|MS-DOS*)
      llvm-readobj --file-headers "$f" 2>/dev/null | awk '
        /^ *(Machine|TimeDateStamp|Subsystem|PointerToSymbolTable|CertificateTableRVA|CertificateTableSize|MajorLinkerVersion|MinorLinkerVersion):/{sub(/^ +/,""); printf "    %s\n",$0}
        /^ *(Characteristics|DLLCharacteristics) \[/{n++; k=(n==1?"FileCharacteristics":"DLLCharacteristics"); v=$3; gsub(/[()]/,"",v); fl=""; inb=1; next}
        inb && /IMAGE_/{fl=fl" "$1}
        inb && /^ *\]/{printf "    %s %s:%s\n",k,v,fl; inb=0}'
      llvm-readobj --coff-imports "$f" 2>/dev/null | awk '/^Import|^DelayImport/{t=$1} /Name:/{printf "    %s %s:", t, $2} /Symbol:/{printf " %s", $2} /^}/{if(t)print ""; t=""}' | sed '/^$/d'
      llvm-readobj --coff-exports "$f" 2>/dev/null | awk '/Name:/ && $2!=""{n++; if(n<=5) e=e" "$2} END{if(n) printf "    exports(%d):%s%s\n", n, e, (n>5?" ...":"")}'
      llvm-readobj --coff-debug-directory "$f" 2>/dev/null | awk '/ Type: /{sub(/^ +/,""); printf "    debug %s\n",$0} /PDBFileName/{sub(/^ +/,""); printf "    %s\n",$0}'
      llvm-readobj --coff-resources "$f" 2>/dev/null | awk '/Type: /{sub(/^ +/,""); printf "    resource %s\n",$0}' | sort -u ;;
    Mach-O*)
      archs=""
      if [[ "$k" == *universal* ]]; then archs=$(llvm-lipo -archs "$f"); echo "    archs: $archs"; fi
      for a in ${archs:-thin}; do
        [ "$a" = thin ] && aopt=() || { aopt=(--arch=$a); echo "    [slice $a]"; }
        llvm-objdump --macho --private-headers "${aopt[@]}" "$f" 2>/dev/null | awk '
          /^ *magic/{h=1; next} h{fl=""; for(i=8;i<=NF;i++) fl=fl" "$i; printf "    cputype %s filetype %s flags%s\n",$2,$5,fl; h=0}
          /cmd LC_/{c=$2; next}
          /^ *(name|path) /{if(c ~ /DYLIB|RPATH|DYLINKER/) printf "    %s %s\n",c,$2}
          c ~ /DYLIB/ && /current version/{printf "      current %s\n",$3}
          c ~ /DYLIB/ && /compatibility version/{printf "      compat %s\n",$3}
          c=="LC_BUILD_VERSION" && /minos/{printf "    LC_BUILD_VERSION minos %s\n",$2}'
      done ;;
  esac
done

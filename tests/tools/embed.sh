#!/bin/sh
# embed.sh NAME FILE - write a C file that holds FILE as the byte array NAME
# (NUL-terminated) and its length NAME_len, so data ships inside the binary.
set -eu
name=$1 file=$2
printf '/* generated from %s by tests/tools/embed.sh: do not edit */\n' "$file"
printf '#include <stddef.h>\n'
printf 'extern const unsigned char %s[];\nextern const size_t %s_len;\n' "$name" "$name"
printf 'const unsigned char %s[] = {\n' "$name"
od -An -v -tu1 "$file" | sed 's/[0-9][0-9]*/&,/g'
printf '0 };\nconst size_t %s_len = sizeof %s - 1;\n' "$name" "$name"

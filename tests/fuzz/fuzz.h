/*
 * fuzz.h - what every fuzz target shares (tests/fuzz/README.md).
 *
 * A target is one file fuzz_NAME.c defining LLVMFuzzerTestOneInput(). It is
 * built two ways: with libFuzzer (make fuzz: clang -fsanitize=fuzzer,
 * address,undefined) to search, and with standalone.c as a plain program
 * (build/tests/test_fuzz_NAME, and under make SANITIZE=1) that runs every
 * file of its corpora once, so a regression found once stays a test.
 */
#ifndef STEPMAP_FUZZ_H
#define STEPMAP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a NUL-terminated string (malloc'd), or NULL. */
char *fuzz_text(const uint8_t *data, size_t size);
/* data written to a fresh file under $TMPDIR with this suffix; its path
 * (static buffer), or NULL. fuzz_file_done() removes it. */
const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix);
void fuzz_file_done(void);

#endif

/*
 * test_vec.c - the readers' growable arrays (import/vec.h): growing from a
 * few elements to past the size where an array moves from malloc to its own
 * mapping (VEC_BIG) and on, every element written is read back at every
 * size; a zeroed array, small or large, is zero; freeing either kind, and
 * NULL, is clean (the sanitizer build checks the malloc'd side).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/vec.h"

struct rec {
	uint64_t a;
	uint32_t b;
	char tag[20];
};

static void
test_grow_across_the_threshold(void **state)
{
	struct rec *v = NULL;
	size_t cap = 0, n, i, want = 3 * VEC_BIG / sizeof *v;
	bool crossed = false;

	(void)state;
	for (n = 0; n < want; n++) {
		size_t before = cap;

		assert_int_equal(vec_grow(&v, &cap, n, sizeof *v), 0);
		assert_true(cap > n);
		v[n] = (struct rec){ n * 7919u, (uint32_t)(n ^ 0x5a5a5a5a), "" };
		snprintf(v[n].tag, sizeof v[n].tag, "#%zu", n);
		if (cap != before && cap * sizeof *v >= VEC_BIG && before * sizeof *v < VEC_BIG) {
			crossed = true;
			/* what was written in the malloc'd array moved with it */
			for (i = 0; i <= n; i++)
				assert_true(v[i].a == i * 7919u);
		}
	}
	assert_true(crossed);
	for (i = 0; i < n; i++) {
		char tag[20];

		snprintf(tag, sizeof tag, "#%zu", i);
		assert_true(v[i].a == i * 7919u);
		assert_true(v[i].b == (uint32_t)(i ^ 0x5a5a5a5a));
		assert_string_equal(v[i].tag, tag);
	}
	/* no growth while there is room */
	n = cap;
	assert_int_equal(vec_grow(&v, &cap, cap - 1, sizeof *v), 0);
	assert_int_equal(cap, n);
	vec_free(v, cap, sizeof *v);
	vec_free(NULL, 0, sizeof *v);
}

static void
test_zeroed(void **state)
{
	size_t sizes[] = { 1, 100, VEC_BIG / 8 - 1, VEC_BIG / 8, 4 * VEC_BIG / 8 + 3 }, k, i;

	(void)state;
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		uint64_t *z = vec_zalloc(sizes[k], sizeof *z);

		assert_non_null(z);
		for (i = 0; i < sizes[k]; i++)
			if (z[i])
				fail_msg("element %zu of %zu is not zero", i, sizes[k]);
		z[sizes[k] - 1] = 1;
		vec_free(z, sizes[k], sizeof *z);
	}
	/* a size that cannot be */
	assert_null(vec_zalloc((size_t)-1 / 4, 8));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_across_the_threshold),
		cmocka_unit_test(test_zeroed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * vec.c - growable arrays, large ones in huge pages (vec.h).
 */
#define _GNU_SOURCE                  /* mremap */
#include "import/vec.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE 14
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23       /* Linux 5.14 */
#endif

/* Fault bytes at p in now, in one call, huge pages where the kernel gives
 * them: in a virtual machine a fault taken page by page costs microseconds
 * (a 50 MB event log took 5 000 of them). A hint: an older kernel refuses it
 * and the pages come one fault at a time, as before. */
static void
populate(void *p, size_t bytes)
{
	madvise(p, bytes, MADV_HUGEPAGE);
	madvise(p, bytes, MADV_POPULATE_WRITE);
}

/* The bytes an array of cap elements of size sz takes: a large one rounded
 * up to whole pages (4 KiB; mmap rounds the same way). */
static size_t
bytes_of(size_t cap, size_t sz)
{
	size_t b = cap * sz;

	return b >= VEC_BIG ? (b + 4095) & ~(size_t)4095 : b;
}

static void *
map(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	populate(p, bytes);
	return p;
}

int
vec_grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	void **p = pp, *q;
	size_t nc, old, now;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	if (nc > (size_t)-1 / 2 / sz)
		return -1;
	old = bytes_of(*cap, sz);
	now = bytes_of(nc, sz);
	if (now < VEC_BIG) {
		q = realloc(*p, now);
	} else if (old >= VEC_BIG) {
#ifdef MREMAP_MAYMOVE
		q = mremap(*p, old, now, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			q = NULL;
		else
			populate((char *)q + old, now - old);
#else
		if ((q = map(now))) {
			memcpy(q, *p, old);
			munmap(*p, old);
		}
#endif
	} else if ((q = map(now))) {
		if (old)
			memcpy(q, *p, old);
		free(*p);
	}
	if (!q)
		return -1;
	*p = q;
	*cap = nc;
	return 0;
}

void *
vec_zalloc(size_t n, size_t sz)
{
	if (n && sz > (size_t)-1 / n)
		return NULL;
	return bytes_of(n, sz) >= VEC_BIG ? map(bytes_of(n, sz)) : calloc(n ? n : 1, sz);
}

void
vec_free(void *p, size_t cap, size_t sz)
{
	if (!p)
		return;
	if (bytes_of(cap, sz) >= VEC_BIG)
		munmap(p, bytes_of(cap, sz));
	else
		free(p);
}

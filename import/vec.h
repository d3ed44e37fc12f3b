/*
 * vec.h - the growable arrays of the readers' records (import/bpmn.c's
 * nodes, flows and id map; import/sink.c's keys and references).
 *
 * Small arrays are malloc'd. From VEC_BIG bytes on, an array is mapped
 * straight from the kernel and marked for transparent huge pages: a
 * 100 000-step file fills some 40 MB of such arrays, and each 4 KiB page
 * touched for the first time costs a page fault, which in a virtual machine
 * takes microseconds; with huge pages one fault maps 2 MiB. Where the kernel
 * gives no huge pages, a mapped array's pages are faulted in one call when
 * it is made or grown (MADV_POPULATE_WRITE), not one trap a page. Growing
 * a mapped array moves its pages (mremap) instead of copying them.
 *
 * An array is only its pointer and its capacity: vec_free() needs both.
 */
#ifndef STEPMAP_IMPORT_VEC_H
#define STEPMAP_IMPORT_VEC_H

#include <stddef.h>

#define VEC_BIG ((size_t)1 << 21)

/*
 * Make *p (an array of elements of size sz, capacity *cap) hold at least
 * n + 1 elements, doubling its capacity. 0 on success, -1 when out of memory
 * (then *p and *cap are as they were).
 */
int vec_grow(void *p, size_t *cap, size_t n, size_t sz);
/* A zeroed array of n elements of size sz, or NULL. */
void *vec_zalloc(size_t n, size_t sz);
/* Free an array made by the two above (NULL is fine). */
void vec_free(void *p, size_t cap, size_t sz);

#endif

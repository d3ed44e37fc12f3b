/*
 * sim_floor.c - the floor for the simulation benchmark: the least code that
 * simulates an M/M/c queue with a binary-heap event loop (arrivals and
 * departures as events, a FIFO of waiting arrival times, the mean wait
 * accumulated), drawing from the same generator as the engine (rng.h).
 * Whatever the engine costs above this is the price of its generality.
 *
 *   build/bench/sim_floor [CUSTOMERS [SERVERS [INTERARRIVAL [SERVICE]]]]
 *
 * Prints one line: "floor customers=N events=N seconds=S mean_wait=W".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model/rng.h"

struct ev {
	double t;
	int kind;                    /* 0 arrival, 1 departure */
};

static struct ev *heap;
static size_t nheap;

static void
push(double t, int kind)
{
	size_t i = nheap++;

	while (i > 0 && heap[(i - 1) / 2].t > t) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = (struct ev){ t, kind };
}

static struct ev
pop(void)
{
	struct ev top = heap[0], last = heap[--nheap];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < nheap) {
		if (c + 1 < nheap && heap[c + 1].t < heap[c].t)
			c++;
		if (heap[c].t >= last.t)
			break;
		heap[i] = heap[c];
		i = c;
	}
	heap[i] = last;
	return top;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	int servers = argc > 2 ? atoi(argv[2]) : 5;
	double iat = argc > 3 ? atof(argv[3]) : 1.0, svc = argc > 4 ? atof(argv[4]) : 4.0;
	double *fifo = malloc(n * sizeof *fifo), wait = 0, secs;
	size_t head = 0, tail = 0, arrived = 0, events = 0;
	int busy = 0;
	struct rng arr, ser;
	struct timespec t0, t1;

	heap = malloc((n + (size_t)servers + 2) * sizeof *heap);
	if (!fifo || !heap || n == 0 || servers < 1)
		return 2;
	rng_seed(&arr, 1);
	ser = arr;
	rng_jump(&ser);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	push(0, 0);
	while (nheap) {
		struct ev e = pop();

		events++;
		if (e.kind == 0) {
			if (++arrived < n)
				push(e.t - iat * rng_log(1 - rng_uniform(&arr)), 0);
			if (busy < servers) {
				busy++;
				push(e.t - svc * rng_log(1 - rng_uniform(&ser)), 1);
			} else {
				fifo[tail++] = e.t;
			}
		} else if (head < tail) {
			wait += e.t - fifo[head++];
			push(e.t - svc * rng_log(1 - rng_uniform(&ser)), 1);
		} else {
			busy--;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("floor customers=%zu events=%zu seconds=%.4f mean_wait=%.4f\n", n, events, secs,
	       wait / (double)n);
	free(fifo);
	free(heap);
	return 0;
}

#!/usr/bin/python3
# simpy_mmc.py - the peer for the simulation benchmark: the same M/M/c queue
# as bench/sim_floor.c and `bench_sim mm5`, written to SimPy 2 (Debian's
# python3-simpy 2.3.1, module SimPy.Simulation), the classic process-
# interaction style: a source process activates one customer process per
# arrival; each requests a Resource of c units, holds for its service time
# and releases it.
#
#   /usr/bin/python3 bench/simpy_mmc.py [CUSTOMERS [SERVERS [INTERARRIVAL [SERVICE]]]]
#
# Prints one line: "simpy customers=N seconds=S mean_wait=W version=V".
import random
import sys
import time

import SimPy
from SimPy.Simulation import (Process, Resource, activate, hold, initialize,
                              now, release, request, simulate)

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
servers = int(sys.argv[2]) if len(sys.argv) > 2 else 5
iat = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
svc = float(sys.argv[4]) if len(sys.argv) > 4 else 4.0
waits = [0.0]


class Customer(Process):
    def visit(self, res):
        arrive = now()
        yield request, self, res
        waits[0] += now() - arrive
        yield hold, self, random.expovariate(1.0 / svc)
        yield release, self, res


class Source(Process):
    def generate(self, res):
        for _ in range(n):
            c = Customer()
            activate(c, c.visit(res))
            yield hold, self, random.expovariate(1.0 / iat)


random.seed(1)
start = time.perf_counter()
initialize()
res = Resource(capacity=servers, monitored=False)
src = Source()
activate(src, src.generate(res))
simulate(until=1e18)
secs = time.perf_counter() - start
print("simpy customers=%d seconds=%.4f mean_wait=%.4f version=%s"
      % (n, secs, waits[0] / n, SimPy.__version__))

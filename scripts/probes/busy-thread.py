# A third thread like a JIT compiler's: busy BUSY ms, then asleep SLEEP ms, for SECONDS.
import sys, time
busy, sleep, seconds = float(sys.argv[1]) / 1e3, float(sys.argv[2]) / 1e3, float(sys.argv[3])
end = time.perf_counter() + seconds
while time.perf_counter() < end:
    t = time.perf_counter() + busy
    while time.perf_counter() < t: pass
    time.sleep(sleep)

"""Reference timings for `nabla bench`: NumPy (OpenBLAS) and, when importable, PyTorch on the same machine.

Usage: python3 reference.py [--quick] [--only sgemm,conv2d,add,add-dram,dispatch] [--sizes 256,512,...]
Prints one result per line as "key value" (value in the unit nabla bench uses for that key); "key n/a reason" when a
measurement is impossible; "version numpy 2.4.0" (and torch) names what was measured. Timing: best of several repetitions after warm-up, like the Java side.
"""
import argparse
import time


def best_seconds(fn, reps, min_rep_seconds, warmup=2):
    for _ in range(warmup):
        fn()
    # Calibrate the number of calls per repetition so that one repetition lasts at least min_rep_seconds.
    calls = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_rep_seconds or calls >= 1 << 22:
            break
        calls *= 2 if dt * 4 > min_rep_seconds else 8
    best = dt / calls
    for _ in range(reps - 1):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - t0) / calls)
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", default="sgemm,conv2d,add,add-dram,dispatch")
    p.add_argument("--sizes", default="256,512,1024,2048")
    args = p.parse_args()
    only = set(args.only.split(","))
    reps, min_rep = (3, 0.03) if args.quick else (5, 0.2)

    import numpy as np
    print(f"version numpy {np.__version__}", flush=True)
    rng = np.random.default_rng(0)
    if "sgemm" in only:
        for n in [int(s) for s in args.sizes.split(",")]:
            a = rng.random((n, n), dtype=np.float32)
            b = rng.random((n, n), dtype=np.float32)
            t = best_seconds(lambda: a @ b, reps, min_rep)
            print(f"sgemm_{n} {2.0 * n ** 3 / t / 1e9:.3f}", flush=True)
    if "add" in only:
        a = rng.random(1 << 20, dtype=np.float32)
        b = rng.random(1 << 20, dtype=np.float32)
        t = best_seconds(lambda: a + b, reps, min_rep)
        print(f"add {3 * 4 * (1 << 20) / t / 1e9:.3f}", flush=True)
    if "add-dram" in only:
        n = (16 if args.quick else 64) << 20  # as Benchmarks.dramAddSize
        a = rng.random(n, dtype=np.float32)
        b = rng.random(n, dtype=np.float32)
        t = best_seconds(lambda: a + b, reps, min_rep)
        print(f"add_dram {3 * 4 * n / t / 1e9:.3f}", flush=True)
        del a, b

    if "conv2d" not in only and "dispatch" not in only:
        return
    try:
        import torch
    except Exception as e:  # torch is optional
        for key in ("conv2d", "dispatch"):
            if key in only:
                print(f"{key} n/a torch not importable ({type(e).__name__})", flush=True)
        return
    print(f"version torch {torch.__version__.split('+')[0]}", flush=True)
    torch.set_num_threads(2)
    with torch.no_grad():
        if "conv2d" in only:
            x = torch.rand(128, 32, 28, 28)
            w = torch.rand(64, 32, 3, 3)
            conv = torch.nn.functional.conv2d
            t = best_seconds(lambda: conv(x, w, padding=1), max(2, reps // 2), min_rep)
            flops = 2.0 * 128 * 28 * 28 * 3 * 3 * 32 * 64
            print(f"conv2d {flops / t / 1e9:.3f}", flush=True)
        if "dispatch" in only:
            x = torch.ones(1)
            y = torch.ones(1)
            t = best_seconds(lambda: torch.add(x, y), reps, min_rep)
            print(f"dispatch {t * 1e6:.4f}", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Joins the sgemm_tiled sweep's result files (wgslrun bench on each implementation, bench_cuda)
into one JSON and prints a table: TFLOP/s of every variant and size, as a fraction of cuBLAS at
the same size and of the GPU's fp32 peak, and the best variant per implementation.

  sgemm_sweep_summary.py --peak-tflops 67 --json OUT.json dawn.json wgpu.json cuda.json

A variant that failed verification shows its error, never a number.
"""
import argparse
import json
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"sgemm_sweep_summary: {path}: {e}", file=sys.stderr)
        return None


def tflops(result):
    value = (result.get("metric") or {}).get("value")
    return value / 1e3 if result.get("verified") and value is not None else None


def rows_of(files):
    """(implementation, variant, n) -> {tflops, gpu_ms median, error}."""
    rows = {}
    for doc in files:
        if doc is None:
            continue
        impl = doc.get("implementation", "?")
        for r in doc.get("results", []):
            if r.get("case") != "sgemm_tiled":
                continue
            key = (impl, r.get("tag") or r.get("variant") or "", int(r.get("params", {}).get("n", 0)))
            rows[key] = {"tflops": tflops(r), "median_ms": (r.get("time_ms") or {}).get("median"),
                         "error": r.get("error") or r.get("unsupported")}
    return rows


def cell(row, cublas, peak):
    if row is None:
        return "-"
    if row["tflops"] is None:
        return "FAILED"
    ratio = f"{row['tflops'] / cublas:.2f}" if cublas else "-"
    return f"{row['tflops']:6.2f} {ratio:>4} {row['tflops'] / peak:.2f}"


def table(rows, peak):
    sizes = sorted({n for (_, _, n) in rows})
    impls = [i for i in ("dawn", "wgpu") if any(k[0] == i for k in rows)]
    variants = list(dict.fromkeys(v for (i, v, _) in rows if i in impls))
    cublas = {n: (rows.get(("cuda", "cublas", n)) or {}).get("tflops") for n in sizes}
    lines = ["TFLOP/s, then fractions of cuBLAS at that n and of the %.0f TFLOP/s fp32 peak" % peak]
    head = f"{'variant':32} {'n':>5}" + "".join(f" {i:>20}" for i in impls)
    lines.append(head)
    for n in sizes:
        for v in variants:
            cells = "".join(f" {cell(rows.get((i, v, n)), cublas[n], peak):>20}" for i in impls)
            lines.append(f"{v:32} {n:5}{cells}")
        for v in ("cublas", "kernel"):
            row = rows.get(("cuda", v, n))
            name = "cuBLAS (TF32 off)" if v == "cublas" else "CUDA tiled kernel"
            lines.append(f"{name:32} {n:5} {cell(row, cublas[n], peak):>20}")
    return lines


def best(rows, impls, n):
    out = {}
    for impl in impls:
        found = [(r["tflops"], v) for (i, v, m), r in rows.items() if i == impl and m == n and r["tflops"]]
        if found:
            out[impl] = {"variant": max(found)[1], "tflops": max(found)[0]}
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--peak-tflops", type=float, default=67.0, help="fp32 peak (H200 datasheet: 67)")
    p.add_argument("--json", required=True, help="the joined result file to write")
    p.add_argument("files", nargs="+", help="wgslrun-result/1 files")
    args = p.parse_args()
    rows = rows_of([load(f) for f in args.files])
    if not rows:
        sys.exit("sgemm_sweep_summary: no sgemm_tiled results in " + " ".join(args.files))
    n = max(m for (_, _, m) in rows)
    cublas = (rows.get(("cuda", "cublas", n)) or {}).get("tflops")
    winners = best(rows, ("dawn", "wgpu"), n)
    for w in winners.values():
        w["of_cublas"] = w["tflops"] / cublas if cublas else None
        w["of_peak"] = w["tflops"] / args.peak_tflops
    joined = {
        "schema": "wgslrun-sgemm-sweep/1", "peak_tflops": args.peak_tflops, "n": n,
        "cublas_tflops": cublas, "best": winners,
        "results": [{"implementation": i, "variant": v, "n": m, **r} for (i, v, m), r in sorted(rows.items())],
    }
    with open(args.json, "w") as f:
        json.dump(joined, f, indent=1)
        f.write("\n")
    print("\n".join(table(rows, args.peak_tflops)))
    for impl, w in winners.items():
        ratio = f", {w['of_cublas']:.2f} of cuBLAS" if w["of_cublas"] else ""
        print(f"best at n={n} on {impl}: {w['variant']} {w['tflops']:.2f} TFLOP/s{ratio}, {w['of_peak']:.2f} of peak")
    failed = [f"{i} {v} n={m}: {r['error']}" for (i, v, m), r in sorted(rows.items()) if r["tflops"] is None]
    for line in failed:
        print("FAILED " + line)


if __name__ == "__main__":
    main()

"""Command line: python -m explainer.diagnose path/to/file.py:build_model [--seeds 4] [--out chart.html]."""

from __future__ import annotations

import argparse
import sys

from explainer.diagnose.report import chart, render
from explainer.diagnose.target import load_target, run
from explainer.experiments.profile import PARAMS
from explainer.experiments.summary import summarize_profile


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m explainer.diagnose",
        description="Diagnose vanishing or exploding gradients in a model you define. The callable returns a "
        "model, (model, batch) or (model, batch, loss_fn); it is called once per seed, under that seed.",
    )
    p.add_argument("target", help="path/to/file.py:build_model")
    p.add_argument("--seeds", type=int, default=4, help="initialisations to profile (seeds 0..n-1; default 4)")
    p.add_argument("--batch-shape", default=None,
                   help="shape of a random N(0, 1) input batch, e.g. 64,3,32,32 (default: guessed from the first "
                        "layer) when the callable returns no batch")
    p.add_argument("--params", choices=PARAMS, default="weights",
                   help="weights: tensors with 2+ dims (default); all: biases and norm gains too")
    p.add_argument("--eval", action="store_true", help="profile in eval mode (default: train mode, as in training)")
    p.add_argument("--out", default="gradient_profile.html", help="HTML chart to write ('' to skip)")
    p.add_argument("--csv", default=None, help="also write the tidy frame as CSV")
    p.add_argument("--strict", action="store_true", help="exit with status 1 unless the verdict is healthy")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.seeds < 1:
        sys.exit("--seeds must be at least 1")
    shape = [int(n) for n in args.batch_shape.split(",")] if args.batch_shape else None
    build = load_target(args.target)
    df = run(build, range(args.seeds), batch_shape=shape, params=args.params, train=not args.eval)
    summary = summarize_profile(df)
    print(render(df, summary))
    if args.csv:
        df.to_csv(args.csv, index=False)
        print(f"frame written to {args.csv}")
    if args.out:
        chart(df, args.target.rpartition(":")[2]).save(args.out)
        print(f"chart written to {args.out}")
    return 1 if args.strict and summary.verdict != "healthy" else 0


if __name__ == "__main__":
    sys.exit(main())

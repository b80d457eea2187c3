#!/usr/bin/env python3
"""Fits the extractor's weights (`nook_answer::Weights`) on labeled questions.

Input: the JSON lines `nook-bench qa --pieces FILE` writes, one question a
line, every piece of its passages with its features and whether its span
matches an answer pattern (`matches`).

The score of a piece is the dot product of its features and the weights; the
answer is the best piece when its score reaches the threshold. The weights
are fitted by a listwise loss: for each answerable question with a right
piece, the log of the softmax mass on its right pieces
(pieces of a question compete only with each other). Then the threshold is
the one that makes the most questions end well: answerable ones answered
right, unanswerable ones not answered.

    fit_weights.py --train a.jsonl c.jsonl ... [--check e.jsonl ...]

prints the weights, the threshold, and how the training and check questions
fare with them and with the weights the pieces were scored with. Pure Python,
no packages.
"""

import argparse
import json
import math


def load(paths):
    questions = []
    for path in paths:
        with open(path) as f:
            for line in f:
                q = json.loads(line)
                # Sets dumped before 2026-12-06 mark pieces that could not answer.
                q["pieces"] = [p for p in q["pieces"] if p.get("eligible", True)]
                questions.append(q)
    return questions


def score(features, weights):
    return sum(f * w for f, w in zip(features, weights))


def outcome(questions, weights, threshold, scored=None):
    """(right, answerable, abstained, unanswerable) with these weights."""
    right = answerable = abstained = unanswerable = 0
    for q in questions:
        pieces = q["pieces"]
        if scored is None:
            best = max(pieces, key=lambda p: score(p["features"], weights), default=None)
            top = score(best["features"], weights) if best else None
        else:
            best = max(pieces, key=lambda p: p["score"], default=None)
            top = best["score"] if best else None
        answered = best is not None and top >= threshold
        if q["answerable"]:
            answerable += 1
            right += answered and best["matches"]
        else:
            unanswerable += 1
            abstained += not answered
    return right, answerable, abstained, unanswerable


def fit(questions, dims, l2, steps, rate):
    """Weights by gradient ascent (Adam) on the listwise log-likelihood."""
    usable = [q for q in questions if q["answerable"] and any(p["matches"] for p in q["pieces"])]
    w = [0.0] * dims
    m = [0.0] * dims
    v = [0.0] * dims
    for step in range(1, steps + 1):
        grad = [-2 * l2 * x for x in w]
        total = 0.0
        for q in usable:
            scores = [score(p["features"], w) for p in q["pieces"]]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            z = sum(exps)
            zr = sum(e for e, p in zip(exps, q["pieces"]) if p["matches"])
            total += math.log(zr) - math.log(z)
            for e, p in zip(exps, q["pieces"]):
                coef = (e / zr if p["matches"] else 0.0) - e / z
                if coef:
                    for k, f in enumerate(p["features"]):
                        grad[k] += coef * f
        for k in range(dims):
            m[k] = 0.9 * m[k] + 0.1 * grad[k]
            v[k] = 0.999 * v[k] + 0.001 * grad[k] ** 2
            mh = m[k] / (1 - 0.9**step)
            vh = v[k] / (1 - 0.999**step)
            w[k] += rate * mh / (math.sqrt(vh) + 1e-8)
        if step % 100 == 0:
            print(f"  step {step}: log-likelihood {total / len(usable):.4f} over {len(usable)} questions")
    return w


def best_threshold(questions, weights):
    """The threshold under which the most questions end well. Only each
    question's best piece matters: answered when its score reaches the
    threshold, so the candidates are those best scores."""
    tops = []
    for q in questions:
        best = max(q["pieces"], key=lambda p: score(p["features"], weights), default=None)
        if best is not None:
            tops.append((score(best["features"], weights), q["answerable"], best["matches"]))
    best = (-1, None)
    for t in sorted({round(top, 4) for top, _, _ in tops}):
        good = sum((top >= t and matches) if answerable else top < t for top, answerable, matches in tops)
        good += sum(1 for q in questions if not q["pieces"] and not q["answerable"])
        if good > best[0]:
            best = (good, t)
    return best[1]


def describe(label, result):
    right, answerable, abstained, unanswerable = result
    print(f"  {label}: right {right}/{answerable} ({100 * right / max(answerable, 1):.1f} %), "
          f"abstained {abstained}/{unanswerable} ({100 * abstained / max(unanswerable, 1):.1f} %)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", nargs="+", required=True)
    parser.add_argument("--check", nargs="*", default=[])
    parser.add_argument("--l2", type=float, default=0.5)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--old-threshold", type=float, default=0.52)
    args = parser.parse_args()
    train = load(args.train)
    check = load(args.check)
    names = next(q["names"] for q in train if q["names"])
    reachable = sum(q["answerable"] and any(p["matches"] for p in q["pieces"]) for q in train)
    print(f"{len(train)} training questions; {reachable} have a right piece that may answer")
    weights = fit(train, len(names), args.l2, args.steps, args.rate)
    threshold = best_threshold(train, weights)
    print("weights:")
    for name, w in zip(names, weights):
        print(f"  {name:10} {w:+.3f}")
    print(f"  min_score  {threshold:+.3f}")
    describe("train, as scored", outcome(train, None, args.old_threshold, scored=True))
    describe("train, fitted   ", outcome(train, weights, threshold))
    if check:
        describe("check, as scored", outcome(check, None, args.old_threshold, scored=True))
        describe("check, fitted   ", outcome(check, weights, threshold))


if __name__ == "__main__":
    main()

"""Would the chat model choose the span better than the extractor? Reads the spans
`nook-bench qa --weigh-only --pieces DUMP.jsonl` weighed (one dump per set; the
set's letter from the name, pieces-a.jsonl) and counts the right spans chosen by
the extractor's score plus w times each feature of the model's likelihood, over a
grid of w, and leaving one set out.

    python3 scripts/bench/weigh_spans.py pieces-a.jsonl pieces-b.jsonl"""
import json, sys, math, itertools, re

def load(paths):
    sets = {}
    for p in paths:
        name = re.sub(r'.*pieces-?', '', p).split('.')[0]
        qs = []
        for line in open(p):
            try:
                q = json.loads(line)
            except json.JSONDecodeError:  # a line still being written
                continue
            if not q['answerable'] or not q.get('weighed'):
                continue
            qs.append(q)
        sets[name] = qs
    return sets

def mean(v, k=None):
    v = v[:k] if k else v
    return sum(v) / len(v) if v else -1e9

FEATS = {
    'asked': lambda c: mean(c['asked']),
    'pmi': lambda c: mean(c['asked']) - mean(c['neutral']),
    'pmi8': lambda c: mean([a - n for a, n in zip(c['asked'], c['neutral'])], 8),
    'pmi4': lambda c: mean([a - n for a, n in zip(c['asked'], c['neutral'])], 4),
    'asked8': lambda c: mean(c['asked'], 8),
    'sumpmi8': lambda c: sum([a - n for a, n in zip(c['asked'], c['neutral'])][:8]),
    # the question's likelihood given the span alone
    'q': lambda c: mean(c.get('question', [])),
    'q+pmi8': lambda c: mean(c.get('question', [])) + mean([a - n for a, n in zip(c['asked'], c['neutral'])], 8),
}

def right(qs, feat, w, k=8):
    n = 0
    for q in qs:
        cs = q['weighed'][:k]
        best = max(range(len(cs)), key=lambda i: cs[i]['score'] + w * FEATS[feat](cs[i]) if feat else cs[i]['score'])
        n += cs[best]['matches']
    return n

sets = load(sys.argv[1:])
allq = [q for qs in sets.values() for q in qs]
print('questions with candidates', len(allq))
for name, qs in sets.items():
    base = right(qs, None, 0)
    oracle = sum(any(c['matches'] for c in q['weighed']) for q in qs)
    o3 = sum(any(c['matches'] for c in q['weighed'][:3]) for q in qs)
    print(f'{name}: n={len(qs)} base={base} oracle8={oracle} oracle3={o3}')
ws = [0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5, 100]
for feat in FEATS:
    for k in (3, 5, 8):
        row = [right(allq, feat, w, k) for w in ws]
        print(f'{feat:8} k={k}', ' '.join(f'{r:4}' for r in row))
print('weights', ws)
# leave one set out: choose (feat,k,w) on the others, score on the left-out set
tot = 0
for name, qs in sets.items():
    others = [q for n, s in sets.items() if n != name for q in s]
    best = max(((f, k, w) for f in FEATS for k in (3, 5, 8) for w in ws), key=lambda t: right(others, t[0], t[2], t[1]))
    got = right(qs, best[0], best[2], best[1])
    tot += got
    print(f'LOSO {name}: (feature, k, w) {best} -> {got} (base {right(qs, None, 0)})')
print('LOSO total', tot, 'base', right(allq, None, 0), 'of', len(allq))

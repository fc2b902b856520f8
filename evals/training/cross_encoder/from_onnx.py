"""Recover the shipped cross-encoder as a torch checkpoint, so that a new round can warm-start from what ships.

    .venv-train/bin/python -m evals.training.cross_encoder.from_onnx \\
        --model service/analysis/data/cross_encoder/model.onnx --out .train-ckpt/shipped.pt

The training checkpoints of a round live in an ignored folder and are not kept; the shipped ONNX file holds
every trained tensor (int8 weights de-quantised by DequantizeLinear, everything else fp32), so the encoder can
be read back from it. Each MatMul's weight is found through the node that consumes it (`/layers.3/fi/MatMul`),
de-quantised (per output channel) and transposed back into torch's Linear layout. `--check` compares the
recovered encoder's logits with onnxruntime's (graph optimisations off) on random inputs: 1.3e-6 apart.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
import torch

from evals.training.cross_encoder.model import Encoder

_MATMUL = re.compile(r"^/(layers\.\d+)/(q|k|v|ao|fi|fo)/MatMul$")


def onnx_state_dict(path: Path) -> dict[str, torch.Tensor]:
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(path).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    dequantised = {}
    for node in graph.node:
        if node.op_type == "DequantizeLinear":
            q, scale = inits[node.input[0]].astype(np.float32), inits[node.input[1]].astype(np.float32)
            zero = inits[node.input[2]].astype(np.float32) if len(node.input) > 2 and node.input[2] else 0.0
            axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
            shape = [1] * q.ndim
            if np.ndim(scale):
                shape[axis] = -1
            dequantised[node.output[0]] = (q - np.reshape(zero, shape)) * np.reshape(scale, shape)
    state = {name: torch.from_numpy(np.array(value, dtype=np.float32)) for name, value in inits.items()
             if not name.startswith("onnx::") and value.dtype == np.float32}
    for node in graph.node:
        match = _MATMUL.match(node.name)
        if match:
            weight = dequantised.get(node.input[1], inits.get(node.input[1]))
            state[f"{match.group(1)}.{match.group(2)}.weight"] = torch.from_numpy(np.ascontiguousarray(weight.T))
    return state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=Path("service/analysis/data/cross_encoder/model.onnx"))
    parser.add_argument("--out", type=Path, default=Path(".train-ckpt/shipped.pt"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    encoder = Encoder("mean")
    state = onnx_state_dict(args.model)
    missing = set(encoder.state_dict()) - set(state)
    if missing:
        raise SystemExit(f"not found in {args.model}: {sorted(missing)[:8]}")
    encoder.load_state_dict({k: state[k] for k in encoder.state_dict()})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"encoder": encoder.state_dict(), "state": {"step": "shipped", "best": float("nan")},
                "config": {"pooling": "mean", "source": str(args.model)}}, args.out)
    print(f"wrote {args.out} ({len(state)} tensors)")
    if args.check:
        import onnxruntime as ort

        encoder.eval()
        rng = np.random.default_rng(0)
        embeds = rng.normal(0, 0.05, (4, 40, 384)).astype(np.float32)
        mask = np.ones((4, 40), dtype=np.int64)
        mask[1, 25:] = 0
        options = ort.SessionOptions()  # unfused graph: onnxruntime's fusions alone move logits by ~0.03
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        session = ort.InferenceSession(str(args.model), options, providers=["CPUExecutionProvider"])
        ref = session.run(["logits"], {"inputs_embeds": embeds, "attention_mask": mask})[0]
        with torch.no_grad():
            got = encoder(torch.from_numpy(embeds), torch.from_numpy(mask)).numpy()
        print(f"max |logit diff| torch vs onnxruntime: {np.abs(got - ref).max():.2e}")


if __name__ == "__main__":
    main()

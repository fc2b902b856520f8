"""Retrieval: multilingual embeddings, the vector store, and hybrid candidate search."""

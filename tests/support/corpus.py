"""Deterministic synthetic news articles for the load and crash tests: distinct texts whose facts overlap, so
documents corroborate and contradict each other and new arrivals recompute older verdicts."""

from __future__ import annotations

import random

COMPANIES = ["Meta", "Nvidia", "Airbus", "Renault", "Vingroup", "Siemens", "Orange", "Samsung", "Danone", "FPT"]
TARGETS = ["Scale AI", "Mistral", "a battery plant in Lyon", "a chip factory in Hanoi", "a wind farm in Brittany",
           "a data centre in Marseille", "OpenRouter", "a port in Da Nang"]
PEOPLE = ["Anna Keller", "Minh Tran", "Louis Martin", "Sofia Rossi", "David Cohen", "Lan Nguyen"]
CITIES = ["Paris", "Hanoi", "Berlin", "Lyon", "Seoul", "Toulouse"]


def article(i: int) -> dict:
    """Article number i: same i, same text, on every machine."""
    rng = random.Random(1000 + i)
    company, target = COMPANIES[i % len(COMPANIES)], TARGETS[(i // 3) % len(TARGETS)]
    amount = rng.choice([14.3, 14.3, 14, 4, 250, 1.2])  # repeats agree, 4 vs 14.3 disagrees
    unit = "billion" if amount < 100 else "million"
    person, city = rng.choice(PEOPLE), rng.choice(CITIES)
    year = rng.choice([2023, 2024, 2024, 2025])
    staff = rng.choice([120, 450, 1300, 2000])
    sentences = [
        f"{company} invested ${amount} {unit} in {target} in {year}.",
        f"{person}, a spokesperson in {city}, said the agreement was signed in March.",
        f"The project employs {staff} people, according to the company.",
        f"Report number {i} was filed from {city} on day {rng.randint(1, 28)}.",
    ]
    if i % 7 == 0:
        sentences.append(f"{company} denied that it had invested in {target}.")
    return {"title": f"Wire {i}: {company} and {target}", "source": f"wire-{i % 5}", "text": " ".join(sentences)}


def articles(n: int) -> list[dict]:
    return [article(i) for i in range(n)]

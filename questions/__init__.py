"""The question bank: pydantic schema, YAML loader with located errors, and the pure quiz engine."""

from questions.loader import Bank, BankError, default_paths, load_bank_text, load_banks, load_sources
from questions.quiz import Grade, Result, assemble, grade, missed, summarize
from questions.schema import Question

__all__ = [
    "Bank", "BankError", "Grade", "Question", "Result", "assemble", "default_paths", "grade", "load_bank_text",
    "load_banks", "load_sources", "missed", "summarize",
]

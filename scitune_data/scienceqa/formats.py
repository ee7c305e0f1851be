"""LLaVA's ScienceQA prompt formats (``convert_sqa_to_llava``), string for string.

``{input}-{output}``: CQM/QCM put Context, Question and Options in that order; A answers
"The answer is X."; LEA puts the lecture and solution before it; LEPA writes ``LECTURE:``,
``SOLUTION:``, ``###`` and ``ANSWER: X.`` lines. A leading "Question: " and "Answer: " are
dropped, as LLaVA does for its conversations.
"""

from __future__ import annotations

from dataclasses import dataclass

PROMPT_FORMATS = ("CQM-A", "QCM-A", "QCM-LEA", "QCM-LEPA")
LETTERS = "ABCDE"


@dataclass(frozen=True, slots=True)
class Problem:
    pid: str
    question: str
    choices: tuple[str, ...]
    answer: int
    hint: str
    lecture: str
    solution: str
    grade: str
    subject: str
    split: str
    image: bytes | None = None

    @property
    def context(self) -> str:
        return self.hint.strip() or "N/A"

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]


def _options(problem: Problem) -> str:
    return " ".join(f"({LETTERS[i]}) {choice}" for i, choice in enumerate(problem.choices))


def prompt_and_answer(problem: Problem, prompt_format: str) -> tuple[str, str]:
    if prompt_format not in PROMPT_FORMATS:
        raise ValueError(f"unknown prompt format {prompt_format!r}; choose one of {', '.join(PROMPT_FORMATS)}")
    input_format, output_format = prompt_format.split("-")
    question, context, options = problem.question, problem.context, _options(problem)
    if input_format == "CQM":
        prompt = f"Context: {context}\nQuestion: {question}\nOptions: {options}\n"
    else:
        prompt = f"Question: {question}\nContext: {context}\nOptions: {options}\n"
    letter, lecture, solution = problem.answer_letter, problem.lecture, problem.solution
    if output_format == "A":
        answer = f"Answer: The answer is {letter}."
    elif output_format == "LEA":
        answer = f"Answer: {lecture} {solution} The answer is {letter}."
    else:  # LEPA
        answer = ""
        if lecture.strip():
            answer += f"LECTURE: {lecture}\n"
        if solution.strip():
            answer += f"SOLUTION: {solution}\n"
        answer += f"###\nANSWER: {letter}."
    prompt = prompt.replace("  ", " ").strip()
    answer = answer.replace("  ", " ").strip()
    return prompt.removeprefix("Question: "), answer.removeprefix("Answer: ")

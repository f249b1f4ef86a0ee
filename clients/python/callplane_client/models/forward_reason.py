from enum import StrEnum


class ForwardReason(StrEnum):
    BUSY = "busy"
    FALLBACK = "fallback"
    MENU = "menu"
    NO_ANSWER = "no_answer"
    REDIRECT = "redirect"
    UNAVAILABLE = "unavailable"
    UNCONDITIONAL = "unconditional"

    def __str__(self) -> str:
        return str(self.value)

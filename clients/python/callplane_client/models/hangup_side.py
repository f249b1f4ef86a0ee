from enum import StrEnum


class HangupSide(StrEnum):
    API = "api"
    CALLEE = "callee"
    CALLER = "caller"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class Keep(StrEnum):
    CALLEE = "callee"
    CALLER = "caller"

    def __str__(self) -> str:
        return str(self.value)

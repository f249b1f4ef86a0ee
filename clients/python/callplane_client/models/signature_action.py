from enum import StrEnum


class SignatureAction(StrEnum):
    BAN = "ban"
    DROP = "drop"
    LOG = "log"

    def __str__(self) -> str:
        return str(self.value)

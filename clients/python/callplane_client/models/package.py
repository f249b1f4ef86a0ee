from enum import StrEnum


class Package(StrEnum):
    DIALOG = "dialog"
    MESSAGE_SUMMARY = "message-summary"
    PRESENCE = "presence"

    def __str__(self) -> str:
        return str(self.value)

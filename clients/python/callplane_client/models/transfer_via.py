from enum import StrEnum


class TransferVia(StrEnum):
    API = "api"
    REFER = "refer"

    def __str__(self) -> str:
        return str(self.value)

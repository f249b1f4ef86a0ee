from enum import StrEnum


class TransferVia(StrEnum):
    API = "api"
    REFER = "refer"
    REPLACES = "replaces"

    def __str__(self) -> str:
        return str(self.value)

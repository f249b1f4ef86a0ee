from enum import StrEnum


class InboundMatchInboundBySourceKind(StrEnum):
    SOURCE = "source"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class InboundMatchInboundByToUserKind(StrEnum):
    TO_USER = "to_user"

    def __str__(self) -> str:
        return str(self.value)
